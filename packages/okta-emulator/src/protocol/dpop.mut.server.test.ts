import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startEmulator, type OktaEmulator, type ServiceAppCredentials } from '../index.js';
import { clientAssertion, dpopKey, dpopProof, JWT_BEARER, postToken, type DpopKey, type ProofOptions } from '../test-helpers/oauth.js';

/**
 * The DPoP proof's rules at their edges (mutation testing, thirty-third round), at the token
 * endpoint of an app that requires DPoP: each refusal in Okta's words (not only `invalid_dpop_proof`),
 * the `iat` window and `exp`/`nbf` to the second on a frozen clock, how long a proof's `jti` is
 * remembered, and the `jwk` header's shapes. A proof sent without a nonce that passes every check
 * is answered `use_dpop_nonce` (the nonce is checked last), so no nonce round trip is needed here.
 */
describe('the DPoP proof at its edges', () => {
  let org: OktaEmulator;
  let app: ServiceAppCredentials;
  let key: DpopKey;
  let htu: string;
  beforeAll(async () => {
    org = await startEmulator();
    app = org.createServiceApp({ keyType: 'EC', scopes: ['okta.users.read'] });
    key = await dpopKey('ES256');
    htu = `${org.url}/oauth2/v1/token`;
  });
  afterAll(() => org.close());
  afterEach(() => {
    vi.useRealTimers();
    org.setClockOffset(0);
  });

  /** `checked` when the proof passed every check (the answer asks for a nonce), else Okta's description. */
  const outcome = async (proof: string, nowSeconds?: number): Promise<string> => {
    const assertion = await clientAssertion(org, app, nowSeconds === undefined ? {} : { nowSeconds });
    const res = await postToken(org, { grant_type: 'client_credentials', scope: 'okta.users.read', client_assertion_type: JWT_BEARER, client_assertion: assertion }, { DPoP: proof });
    const body = (await res.json()) as { error: string; error_description: string };
    expect(res.status).toBe(400);
    if (body.error === 'use_dpop_nonce') return 'checked';
    expect(body.error).toBe('invalid_dpop_proof');
    return body.error_description;
  };
  const proof = (o: Partial<ProofOptions> = {}): Promise<string> => dpopProof(key, { htu, ...o });
  /** A proof with a protected header of the test's own (jose's helper always sets `typ`, `alg` and `jwk`). */
  const withHeader = (header: Record<string, unknown>): Promise<string> =>
    new SignJWT({ htm: 'POST', htu, iat: Math.floor(Date.now() / 1000), jti: crypto.randomUUID() })
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', ...header })
      .sign(key.privateKey);
  /** Freezes `Date` (the org's clock reads it) on a whole second; returns that second. */
  const freeze = (): number => {
    const t = Math.floor(Date.now() / 1000);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(t * 1000);
    return t;
  };

  it('a good proof passes, and an empty DPoP header is a missing one', async () => {
    expect(await outcome(await proof())).toBe('checked');
    expect(await outcome('')).toBe('The DPoP proof JWT header is missing.');
  });

  it('names what is wrong with the proof itself: parsing, algorithm, jwk, signature', async () => {
    const invalid = 'The DPoP proof JWT is invalid.';
    expect(await outcome('garbage')).toBe('The DPoP proof JWT cannot be parsed.');
    // PS256 verifies with an RSA key, but Okta lists RS/ES 256/384/512 only.
    expect(await outcome(await dpopProof(await dpopKey('PS256'), { htu }))).toBe('The DPoP proof JWT signature algorithm is invalid.');
    expect(await outcome(await proof({ alg: 'HS256', signWith: new TextEncoder().encode('k'.repeat(32)) }))).toBe('The DPoP proof JWT signature algorithm is invalid.');
    expect(await outcome(await withHeader({ jwk: undefined }))).toBe(invalid);
    expect(await outcome(await withHeader({ jwk: 'not-an-object' }))).toBe(invalid);
    const privateJwk = await exportJWK((await generateKeyPair('ES256', { extractable: true })).privateKey);
    expect(await outcome(await withHeader({ jwk: privateJwk }))).toBe(invalid);
    const okp = await exportJWK((await generateKeyPair('Ed25519', { extractable: true })).publicKey);
    expect(await outcome(await withHeader({ jwk: okp }))).toBe(invalid);
    expect(await outcome(await proof({ jwk: (await dpopKey('ES256')).publicJwk }))).toBe('The DPoP proof JWT signature is invalid.');
  });

  it('jti: a non-empty string; missing, a number or empty is refused', async () => {
    const jtiInvalid = "'jti' claim in the DPoP proof JWT is invalid.";
    expect(await outcome(await proof({ claims: { jti: undefined } }))).toBe(jtiInvalid);
    expect(await outcome(await proof({ claims: { jti: 123 } }))).toBe(jtiInvalid);
    expect(await outcome(await proof({ jti: '' }))).toBe(jtiInvalid);
  });

  it('iat: up to 60 s ahead and 300 s back, to the second', async () => {
    const t = freeze();
    expect(await outcome(await proof({ iat: t + 60 }))).toBe('checked');
    expect(await outcome(await proof({ iat: t + 61 }))).toBe('The DPoP proof JWT is issued in the future.');
    expect(await outcome(await proof({ iat: t - 300 }))).toBe('checked');
    expect(await outcome(await proof({ iat: t - 301 }))).toBe('The DPoP proof JWT is issued more than five minutes in the past.');
  });

  it('exp and nbf, when present: exp after the current second, nbf not after it, both numbers', async () => {
    const t = freeze();
    expect(await outcome(await proof({ iat: t, claims: { exp: t } }))).toBe('The DPoP proof JWT is expired.');
    expect(await outcome(await proof({ iat: t, claims: { exp: t + 1 } }))).toBe('checked');
    expect(await outcome(await proof({ iat: t, claims: { exp: 'soon' } }))).toBe('The DPoP proof JWT is expired.');
    expect(await outcome(await proof({ iat: t, claims: { nbf: t } }))).toBe('checked');
    expect(await outcome(await proof({ iat: t, claims: { nbf: t + 1 } }))).toBe('The DPoP proof JWT is invalid.');
    expect(await outcome(await proof({ iat: t, claims: { nbf: String(t - 60) } }))).toBe('The DPoP proof JWT is invalid.');
  });

  it('jti: remembered through the whole iat window, then 60 s more, to the millisecond', async () => {
    const t = freeze();
    const jti = `edge-${t}`;
    // Dated 60 s ahead, the latest allowed: valid until its iat + 300 s, the window's far end.
    const ahead = await proof({ jti, iat: t + 60 });
    expect(await outcome(ahead)).toBe('checked');
    const at = (ms: number): number => {
      org.setClockOffset(ms / 1000);
      return t + Math.floor(ms / 1000);
    };
    // Its last valid moment: still used.
    const last = at(360_999);
    expect(await outcome(ahead, last)).toBe('The DPoP proof JWT has already been used.');
    // A new proof with the same jti at the last millisecond it is remembered (60 + 300 + 60 s): used.
    const edge = at(420_000);
    expect(await outcome(await proof({ jti, iat: edge }), edge)).toBe('The DPoP proof JWT has already been used.');
    const after = at(420_001);
    expect(await outcome(await proof({ jti, iat: after }), after)).toBe('checked');
  });
});
