import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import { DpopSession, dpopPart } from './dpop-session.js';

const origin = 'https://acme.okta.com';
const answer = (nonce: string) => new Response(null, { status: 400, headers: { 'dpop-nonce': nonce } });
const nonceOf = (proof: string) => (JSON.parse(atob(proof.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { nonce?: string }).nonce;

describe('DpopSession.retryForNonce', () => {
  it('retries every attempt that sent another nonce than the one now known, not only the first to learn it', async () => {
    const session = new DpopSession(origin);
    const url = new URL('/oauth2/v1/token', origin);
    const attempts = [{}, {}, {}];
    for (const attempt of attempts) await session.proof({ method: 'POST', url, scope: 'token-endpoint', nowSeconds: 1, attempt });
    expect(attempts.map((attempt) => session.retryForNonce('token-endpoint', answer('n-1'), attempt))).toEqual([true, true, true]);
    const retry = {};
    expect(nonceOf(await session.proof({ method: 'POST', url, scope: 'token-endpoint', nowSeconds: 1, attempt: retry }))).toBe('n-1');
    // Sent the nonce and refused with the same one: a retry cannot help.
    expect(session.retryForNonce('token-endpoint', answer('n-1'), retry)).toBe(false);
    // Refused with a newer one: retry.
    expect(session.retryForNonce('token-endpoint', answer('n-2'), retry)).toBe(true);
    // An attempt the session never signed is never retried.
    expect(session.retryForNonce('token-endpoint', answer('n-3'), {})).toBe(false);
  });

  it('ignores a nonce longer than 512 characters (it would go into every proof)', async () => {
    const session = new DpopSession(origin);
    const attempt = {};
    await session.proof({ method: 'GET', url: new URL('/api/v1/users', origin), scope: 'resource', nowSeconds: 1, attempt });
    expect(session.retryForNonce('resource', answer('n'.repeat(1_000_000)), attempt)).toBe(false);
    expect(session.nonce('resource')).toBeUndefined();
  });
});

describe('DpopSession nonces and headers', () => {
  const withNonce = (nonce: string) => new Response(null, { headers: { 'dpop-nonce': nonce } });

  it('keeps a nonce of up to 512 visible characters, trimmed, and none with a quote, a backslash, a space or nothing', () => {
    const session = new DpopSession(origin);
    expect(session.observe('resource', withNonce('n'.repeat(513)))).toBe(false);
    expect(session.observe('resource', withNonce(` ${'n'.repeat(512)} `))).toBe(true);
    expect(session.nonce('resource')).toBe('n'.repeat(512));
    for (const bad of ['a"b', 'a\\b', 'a b', ' ']) expect(session.observe('token-endpoint', withNonce(bad))).toBe(false);
    expect(session.observe('token-endpoint', withNonce('!#[]~'))).toBe(true);
    expect(session.nonce('token-endpoint')).toBe('!#[]~');
  });

  it('ignores a nonce wrapped in control or non-ASCII characters, never keeping what is left once they are cut', () => {
    // HTTP strips only spaces and tabs around a header value; JavaScript's trim() also cut these,
    // turning a header that is no 1*NQCHAR (RFC 9449 §8.1) into a nonce the server never sent.
    const session = new DpopSession(origin);
    for (const bad of ['\vabc', 'abc\f', 'abc\u00a0', '\u00a0abc', 'abc\u0085']) {
      expect(session.observe('token-endpoint', withNonce(bad))).toBe(false);
    }
    expect(session.nonce('token-endpoint')).toBeUndefined();
  });

  it("authorizes a resource attempt with `DPoP <token>`, a proof of the attempt's method, decoded htu and ath, and Okta's DPoP header", async () => {
    const session = new DpopSession(origin);
    const url = new URL('/api/v1/users/a%40b.com?q=1', origin);
    const headers = await session.authorize({ method: 'PATCH', url, signal: new AbortController().signal }, 'the-access-token', 7);
    expect(headers.authorization).toBe('DPoP the-access-token');
    expect(headers['x-okta-user-agent-extended']).toBe('isDPoP:true');
    const payload = JSON.parse(atob((headers.dpop ?? '').split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
    expect(payload).toMatchObject({ htm: 'PATCH', htu: `${origin}/api/v1/users/a@b.com`, iat: 7, ath: createHash('sha256').update('the-access-token').digest('base64url') });
    const token = new Headers();
    await session.prove(token, new URL('/oauth2/v1/token', origin), 7, {});
    expect(token.get('x-okta-user-agent-extended')).toBe('isDPoP:true');
    expect(token.get('dpop')).toMatch(/^ey/);
  });

  it('refuses a Bearer answer only when DPoP is required; makes no session when it is off', () => {
    const bearer = new Response('{}');
    expect(() => new DpopSession(origin).acceptBearer(bearer, [])).not.toThrow();
    let error: unknown;
    try {
      new DpopSession(origin, { mode: 'required' }).acceptBearer(bearer, []);
    } catch (caught) {
      error = caught;
    }
    expect(isOktaOAuthError(error) && error.code).toBe('DPOP_NOT_BOUND');
    // Its own words alone, not wrapped as an unusable answer ("Okta's token endpoint answered … nothing was cached").
    expect((error as Error).message).toMatch(/^Okta issued a Bearer token although dpop is "required": .* The token was not used\.$/);
    expect(dpopPart(origin, { mode: 'off' })).toBeUndefined();
    expect(dpopPart(origin, { mode: 'auto' })?.mode).toBe('auto');
    expect(JSON.stringify(new DpopSession(origin))).toBe(JSON.stringify({ origin }));
  });
});
