import { exportJWK, generateKeyPair, importPKCS8 } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator, type ServiceAppCredentials } from '../index.js';
import { clientAssertion, dpopKey, dpopProof, JWT_BEARER, postToken, type DpopKey, type ProofOptions } from '../test-helpers/oauth.js';

describe('DPoP at the token endpoint', () => {
  let org: OktaEmulator;
  let app: ServiceAppCredentials;
  let key: DpopKey;
  let htu: string;

  beforeAll(async () => {
    org = await startEmulator({ dpopNonceLifetimeSeconds: 60 });
    app = org.createServiceApp({ keyType: 'EC', scopes: ['okta.users.read'] });
    key = await dpopKey('ES256');
    htu = `${org.url}/oauth2/v1/token`;
  });
  afterAll(() => org.close());

  const request = async (dpop?: string) =>
    postToken(
      org,
      { grant_type: 'client_credentials', scope: 'okta.users.read', client_assertion_type: JWT_BEARER, client_assertion: await clientAssertion(org, app) },
      dpop === undefined ? {} : { DPoP: dpop },
    );

  const nonce = async (): Promise<string> => {
    const res = await request(await dpopProof(key, { htu }));
    return res.headers.get('dpop-nonce')!;
  };

  it('requires a proof: 400 invalid_dpop_proof "The DPoP proof JWT header is missing."', async () => {
    const res = await request();
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_dpop_proof', error_description: 'The DPoP proof JWT header is missing.' });
  });

  it('asks for a nonce: 400 use_dpop_nonce with a DPoP-Nonce header', async () => {
    const res = await request(await dpopProof(key, { htu }));
    expect(res.status).toBe(400);
    expect(res.headers.get('dpop-nonce')).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(await res.json()).toEqual({ error: 'use_dpop_nonce', error_description: 'Authorization server requires nonce in DPoP proof.' });
  });

  it('issues a DPoP token for a good proof with the nonce', async () => {
    const n = await nonce();
    const res = await request(await dpopProof(key, { htu, nonce: n }));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toMatchObject({ token_type: 'DPoP', expires_in: 3600, scope: 'okta.users.read' });
  });

  it('accepts RSA proof keys (RS256, PS-free)', async () => {
    const rsaKey = await dpopKey('RS256');
    const res = await request(await dpopProof(rsaKey, { htu, nonce: await nonce() }));
    expect(res.status).toBe(200);
  });

  const bad: [string, (n: string) => Promise<ProofOptions>][] = [
    ['a wrong typ', (n) => Promise.resolve({ htu, nonce: n, typ: 'JWT' })],
    ['a wrong htm', (n) => Promise.resolve({ htu, nonce: n, htm: 'GET' })],
    ['a wrong htu', (n) => Promise.resolve({ htu: `${htu}?x=1`, nonce: n })],
    ['an old iat', (n) => Promise.resolve({ htu, nonce: n, iat: Math.floor(Date.now() / 1000) - 600 })],
    ['a future iat', (n) => Promise.resolve({ htu, nonce: n, iat: Math.floor(Date.now() / 1000) + 600 })],
    ['a jwk of another key', async (n) => ({ htu, nonce: n, jwk: (await dpopKey('ES256')).publicJwk })],
    ['a private jwk', async (n) => ({ htu, nonce: n, jwk: await exportJWK((await generateKeyPair('ES256', { extractable: true })).privateKey) })],
  ];

  it.each(bad)('rejects a proof with %s as invalid_dpop_proof', async (_name, make) => {
    const opts = await make(await nonce());
    let proof: string;
    if (opts.jwk?.d !== undefined) {
      const { privateKey } = await generateKeyPair('ES256', { extractable: true });
      proof = await dpopProof({ alg: 'ES256', privateKey, publicJwk: opts.jwk }, opts);
    } else {
      proof = await dpopProof(key, opts);
    }
    const res = await request(proof);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe('invalid_dpop_proof');
  });

  it('rejects an HS256 proof and garbage', async () => {
    const n = await nonce();
    const hs = await dpopProof(key, { htu, nonce: n, alg: 'HS256', signWith: new TextEncoder().encode('k'.repeat(32)) });
    for (const proof of [hs, 'garbage']) {
      const res = await request(proof);
      expect(res.status).toBe(400);
      expect((await res.json()).error).toBe('invalid_dpop_proof');
    }
  });

  it('refuses two DPoP headers as Okta words it, however the client sent them (D13)', async () => {
    const n = await nonce();
    const [a, b] = [await dpopProof(key, { htu, nonce: n }), await dpopProof(key, { htu, nonce: n })];
    const multiple = { error: 'invalid_dpop_proof', error_description: 'Multiple DPoP proof JWT headers are not allowed.' };
    // Two header lines reach the server joined by ", ", as Headers.append sends them.
    const headers = new Headers({ 'Content-Type': 'application/x-www-form-urlencoded' });
    headers.append('DPoP', a);
    headers.append('DPoP', b);
    const body = new URLSearchParams({ grant_type: 'client_credentials', scope: 'okta.users.read', client_assertion_type: JWT_BEARER, client_assertion: await clientAssertion(org, app) });
    const twice = await fetch(htu, { method: 'POST', headers, body });
    expect(twice.status).toBe(400);
    expect(await twice.json()).toEqual(multiple);
    const joined = await request(`${a},${b}`);
    expect(await joined.json()).toEqual(multiple);
    // One of them alone is still good.
    expect((await request(a)).status).toBe(200);
  });

  it('words an expired proof and an iat that is not a number as the catalogue does (D21)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const refusal = async (claims: Record<string, unknown>) => (await request(await dpopProof(key, { htu, nonce: await nonce(), claims }))).json();
    // invalid_dpop_proof_jwt_expired; invalid_dpop_proof_invalid_iat. Before: "The DPoP proof JWT signature is invalid." for both.
    expect(await refusal({ exp: now - 60 })).toEqual({ error: 'invalid_dpop_proof', error_description: 'The DPoP proof JWT is expired.' });
    expect(await refusal({ iat: String(now) })).toEqual({ error: 'invalid_dpop_proof', error_description: "'iat' claim in the DPoP proof JWT is invalid." });
    // An exp still ahead is taken.
    expect((await request(await dpopProof(key, { htu, nonce: await nonce(), claims: { exp: now + 120 } }))).status).toBe(200);
  });

  it('rejects a replayed proof jti', async () => {
    const proof = await dpopProof(key, { htu, nonce: await nonce() });
    expect((await request(proof)).status).toBe(200);
    const again = await request(proof);
    expect(again.status).toBe(400);
    expect((await again.json()).error_description).toContain('already been used');
  });

  it('rejects a made-up nonce with use_dpop_nonce', async () => {
    const res = await request(await dpopProof(key, { htu, nonce: 'made-up' }));
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe('use_dpop_nonce');
  });

  it("follows Okta's nonce lifecycle: rotates every lifetime, old nonces accepted for three lifetimes", async () => {
    const first = await nonce();
    org.setClockOffset(61);
    try {
      const proof = (n: string) => dpopProof(key, { htu, nonce: n, iat: Math.floor(Date.now() / 1000) + 61 });
      const second = (await request(await proof('stale'))).headers.get('dpop-nonce')!;
      expect(second).not.toBe(first);
      expect((await request(await proof(first))).status).toBe(200);
      org.setClockOffset(181);
      const late = await request(await dpopProof(key, { htu, nonce: first, iat: Math.floor(Date.now() / 1000) + 181 }));
      expect(late.status).toBe(400);
      expect((await late.json()).error).toBe('use_dpop_nonce');
    } finally {
      org.setClockOffset(0);
    }
  });

  it('still checks the client assertion before DPoP, and burns its jti even when asking for a nonce', async () => {
    const assertion = await clientAssertion(org, app);
    const body = { grant_type: 'client_credentials', scope: 'okta.users.read', client_assertion_type: JWT_BEARER, client_assertion: assertion };
    const first = await postToken(org, body, { DPoP: await dpopProof(key, { htu }) });
    expect((await first.json()).error).toBe('use_dpop_nonce');
    const n = first.headers.get('dpop-nonce')!;
    const second = await postToken(org, body, { DPoP: await dpopProof(key, { htu, nonce: n }) });
    expect(second.status).toBe(401);
    expect((await second.json()).error).toBe('invalid_client');
  });

  it('counts the nonce round trip', async () => {
    org.resetCounters();
    await request();
    const n = await nonce();
    await request(await dpopProof(key, { htu, nonce: n }));
    expect(org.counters().tokenRequests.client_credentials).toEqual({ invalid_dpop_proof: 1, use_dpop_nonce: 1, success: 1 });
  });

  it('accepts a proof signed with the client key itself (RS256), as okta-sdk-nodejs sends', async () => {
    const rsaApp = org.createServiceApp({ scopes: ['okta.users.read'] });
    const clientKey: DpopKey = { alg: 'RS256', privateKey: await importPKCS8(rsaApp.privateKeyPem, 'RS256'), publicJwk: { kty: rsaApp.publicJwk.kty!, n: rsaApp.publicJwk.n!, e: rsaApp.publicJwk.e! } };
    const send = async (n?: string) =>
      postToken(org, { grant_type: 'client_credentials', scope: 'okta.users.read', client_assertion_type: JWT_BEARER, client_assertion: await clientAssertion(org, rsaApp) }, { DPoP: await dpopProof(clientKey, { htu, nonce: n }) });
    const n = (await send()).headers.get('dpop-nonce')!;
    const res = await send(n);
    expect(res.status).toBe(200);
    expect((await res.json()).token_type).toBe('DPoP');
  });
});
