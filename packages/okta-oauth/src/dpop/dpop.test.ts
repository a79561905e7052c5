import { base64url, calculateJwkThumbprint, decodeProtectedHeader, EmbeddedJWK, jwtVerify } from 'jose';
import { createHash } from 'node:crypto';
import { devtoolsView } from '@org/okta-test-utils/devtools-view';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { DpopKey } from './dpop-key.js';
import { DpopSession } from './dpop-session.js';
import { dpopHtu } from './htu.js';

describe('dpopHtu', () => {
  it.each([
    ['https://acme.okta.com/api/v1/users?limit=2&after=x#frag', 'https://acme.okta.com/api/v1/users'],
    ['https://acme.okta.com/api/v1/users/a%40b.com', 'https://acme.okta.com/api/v1/users/a@b.com'],
    ['https://acme.okta.com/api/v1/users/J%C3%BCrgen%20X', 'https://acme.okta.com/api/v1/users/Jürgen X'],
    ['https://acme.okta.com/api/v1/users/a@b.com', 'https://acme.okta.com/api/v1/users/a@b.com'],
    ['https://ACME.okta.com:443/oauth2/v1/token', 'https://acme.okta.com/oauth2/v1/token'],
    ['http://127.0.0.1:8080/api/v1/groups', 'http://127.0.0.1:8080/api/v1/groups'],
    ['https://acme.okta.com/api/v1/users/%E0%A4%A', 'https://acme.okta.com/api/v1/users/%E0%A4%A'],
  ])('%s → %s', (input, expected) => {
    expect(dpopHtu(new URL(input))).toBe(expected);
  });
});

describe('DpopKey', () => {
  it('generates a non-extractable ES256 pair whose thumbprint is RFC 7638 of the public JWK', async () => {
    const key = await DpopKey.generate();
    expect(key.algorithm).toBe('ES256');
    expect(Object.keys(key.publicJwk).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    expect(key.thumbprint).toBe(await calculateJwkThumbprint(key.publicJwk));
    expect(JSON.stringify(key)).not.toContain('"d"');
  });

  it.each(['ES256', 'ES384', 'RS256'] as const)('signs proofs that verify with the embedded JWK (%s)', async (alg) => {
    const key = await DpopKey.generate(alg);
    const now = Math.floor(Date.now() / 1000);
    const proof = await key.proof({ method: 'get', htu: 'https://acme.okta.com/api/v1/users', nowSeconds: now, nonce: 'n-1', accessToken: 'abc.def' });
    const { payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: [alg] });
    expect(protectedHeader.jwk).toEqual(key.publicJwk);
    expect(payload).toMatchObject({ htm: 'GET', htu: 'https://acme.okta.com/api/v1/users', iat: now, nonce: 'n-1' });
    expect(payload.ath).toBe(createHash('sha256').update('abc.def').digest('base64url'));
    // A v4 UUID (RFC 9449 §4.2: enough for a jti).
    expect(payload.jti).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('omits nonce and ath when there are none and never reuses a jti', async () => {
    const key = await DpopKey.generate();
    const proofs = await Promise.all([1, 2, 3].map(() => key.proof({ method: 'POST', htu: 'https://acme.okta.com/oauth2/v1/token', nowSeconds: 1 })));
    const payloads = proofs.map((proof) => JSON.parse(new TextDecoder().decode(base64url.decode(proof.split('.')[1] ?? ''))) as Record<string, unknown>);
    expect(new Set(payloads.map((p) => p.jti)).size).toBe(3);
    expect(payloads[0]).not.toHaveProperty('nonce');
    expect(payloads[0]).not.toHaveProperty('ath');
  });

  it('refuses algorithms Okta does not accept', async () => {
    await expect(DpopKey.generate('HS256' as never)).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });
});

describe('DpopSession', () => {
  it('keeps token-endpoint and resource nonces apart and signs with the right one', async () => {
    const session = new DpopSession('https://acme.okta.com');
    const answer = (nonce: string) => new Response(null, { status: 400, headers: { 'dpop-nonce': nonce } });
    expect(session.observe('token-endpoint', answer('as-1'))).toBe(true);
    expect(session.observe('token-endpoint', answer('as-1'))).toBe(false);
    expect(session.observe('resource', answer('rs-1'))).toBe(true);
    expect(session.observe('resource', new Response(null))).toBe(false);
    expect(session.observe('resource', answer('bad nonce "with" quotes'))).toBe(false);
    const proof = await session.proof({ method: 'GET', url: new URL('https://acme.okta.com/api/v1/users/a%40b.com?x=1'), scope: 'resource', nowSeconds: 5, accessToken: 't' });
    const { payload } = await jwtVerify(proof, EmbeddedJWK, { currentDate: new Date(5000) });
    expect(payload).toMatchObject({ nonce: 'rs-1', htu: 'https://acme.okta.com/api/v1/users/a@b.com', htm: 'GET' });
    const tokenProof = await session.proof({ method: 'POST', url: new URL('https://acme.okta.com/oauth2/v1/token'), scope: 'token-endpoint', nowSeconds: 5 });
    expect((await jwtVerify(tokenProof, EmbeddedJWK, { currentDate: new Date(5000) })).payload.nonce).toBe('as-1');
    expect(decodeProtectedHeader(tokenProof).jwk).toEqual((await session.key()).publicJwk);
  });

  it('sends the token-endpoint nonce to a resource that has none of its own', async () => {
    const session = new DpopSession('https://acme.okta.com');
    session.observe('token-endpoint', new Response(null, { headers: { 'dpop-nonce': 'as-1' } }));
    const proof = await session.proof({ method: 'GET', url: new URL('https://acme.okta.com/api/v1/users'), scope: 'resource', nowSeconds: 5 });
    expect((await jwtVerify(proof, EmbeddedJWK, { currentDate: new Date(5000) })).payload.nonce).toBe('as-1');
  });

  it("shows no access token to a V8 inspector (DevTools, workerd's): the key's ath memo is no private field, and still hashes each token once", async () => {
    const session = new DpopSession('https://acme.okta.com');
    const attempt = { method: 'GET', url: new URL('https://acme.okta.com/api/v1/users') };
    const [first, second] = ['athMemoSentinel-one.0123456789', 'athMemoSentinel-two.0123456789'];
    const aths: unknown[] = [];
    // The hashes of the tokens (not the key's thumbprint): one per token, however many proofs carry it.
    const digest = vi.spyOn(crypto.subtle, 'digest');
    onTestFinished(() => digest.mockRestore());
    const hashed = () => digest.mock.calls.map(([, data]) => new TextDecoder().decode(data as Uint8Array)).filter((text) => text.startsWith('athMemoSentinel'));
    for (const token of [first, first, second, second]) {
      const { dpop } = await session.authorize(attempt, token, 5);
      aths.push((await jwtVerify(dpop ?? '', EmbeddedJWK, { currentDate: new Date(5000) })).payload.ath);
      const shown = await devtoolsView(session);
      expect(shown).toContain('DpopKey');
      expect(shown).not.toContain('athMemoSentinel');
    }
    const hash = (token: string) => createHash('sha256').update(token).digest('base64url');
    expect(aths).toEqual([hash(first), hash(first), hash(second), hash(second)]);
    expect(hashed()).toEqual([first, second]);
  });

  it('uses a caller-supplied key pair', async () => {
    const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, false, ['sign', 'verify']);
    const session = new DpopSession('https://acme.okta.com', { keyPair: pair, algorithm: 'ES384' });
    const proof = await session.proof({ method: 'GET', url: new URL('https://acme.okta.com/x'), scope: 'resource', nowSeconds: 1 });
    expect(decodeProtectedHeader(proof).alg).toBe('ES384');
    await jwtVerify(proof, pair.publicKey, { currentDate: new Date(1000) });
  });
});
