import { describe, expect, it } from 'vitest';
import { DpopSession } from './dpop-session.js';

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
