/**
 * Which published keys the JWKS verifier (jose's `createLocalJWKSet` and `compactVerify`) uses for
 * an ID token, through `validateIdToken` as the client calls it: never a key the org marks for
 * encryption or not for verification, never an RSA key under 2048 bits, a `kid`-less token only
 * when one key fits; and the HMAC confusion (`HS256` keyed with the RSA public key) never reaches
 * a key, as discovery keeps asymmetric algorithms only (RFC 8725 §2.1, §3.1).
 */
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { base64url } from '@org/okta-auth-core/internal';
import { describe, expect, it } from 'vitest';
import { encodeJson } from '../internal/jws.js';
import { parseMetadata } from './discovery.js';
import { validateIdToken } from './id-token.js';
import { createJwksIdTokenVerifier } from './id-token-jwks.js';
import type { JsonWebKeySetJson } from './jwks.js';

const origin = 'https://acme.okta.com';
const clientId = '0oa1b2c3d4';
const nowMs = 1_800_000_000_000;
const now = nowMs / 1000;
const claims = { iss: origin, sub: '00u1', aud: clientId, exp: now + 3600, iat: now };
const path = (name: string) => `${origin}/oauth2/v1/${name}`;
const metadata = parseMetadata(
  { issuer: origin, authorization_endpoint: path('authorize'), token_endpoint: path('token'), jwks_uri: path('keys'), id_token_signing_alg_values_supported: ['HS256', 'RS256'] },
  origin,
);
const key = await generateKeyPair('RS256', { extractable: true });
const publicJwk = await exportJWK(key.publicKey);

/** What validating `token` against the key set `keys` with a fresh JWKS verifier ends in: `accepted` or the refusal's reason. */
async function outcome(token: string, keys: readonly JWK[]): Promise<unknown> {
  const set = { keys } as unknown as JsonWebKeySetJson;
  const expectations = { metadata, clientId, fetchKeys: () => Promise.resolve(set), idTokenVerifier: createJwksIdTokenVerifier(), clockSkewSeconds: 120, now: () => nowMs, verifierTimeoutMs: 1000 };
  return validateIdToken(token, expectations).then(
    () => 'accepted',
    (error: unknown) => {
      expect(error).toMatchObject({ code: 'ID_TOKEN_INVALID' });
      return (error as { reason?: unknown }).reason;
    },
  );
}
const signed = (header: { alg: string; kid?: string }, signingKey: Parameters<SignJWT['sign']>[0] = key.privateKey) => new SignJWT(claims).setProtectedHeader(header).sign(signingKey);

describe('the keys the JWKS verifier uses', () => {
  it('uses the key of the token kid, and never one the org marks for encryption or without verify in key_ops', async () => {
    const token = await signed({ alg: 'RS256', kid: 'k1' });
    expect(await outcome(token, [{ ...publicJwk, kid: 'k1', use: 'sig' }])).toBe('accepted');
    expect(await outcome(token, [{ ...publicJwk, kid: 'k1', use: 'enc' }])).toBe('signature');
    expect(await outcome(token, [{ ...publicJwk, kid: 'k1', key_ops: ['encrypt'] }])).toBe('signature');
  });

  it('refuses a token signed with an RSA key under 2048 bits, though the org publishes it', async () => {
    // jose makes and signs with no such key: WebCrypto does.
    const params = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
    const small = await crypto.subtle.generateKey(params, true, ['sign', 'verify']);
    const input = `${encodeJson({ alg: 'RS256', kid: 'k1' })}.${encodeJson(claims)}`;
    const signature = await crypto.subtle.sign('RSASSA-PKCS1-v1_5', small.privateKey, new TextEncoder().encode(input));
    const token = `${input}.${base64url(new Uint8Array(signature))}`;
    expect(await outcome(token, [{ ...(await exportJWK(small.publicKey)), kid: 'k1' }])).toBe('signature');
  });

  it('takes a token without kid only when a single key of the set fits it', async () => {
    const other = await exportJWK((await generateKeyPair('RS256', { extractable: true })).publicKey);
    const token = await signed({ alg: 'RS256' });
    expect(await outcome(token, [{ ...publicJwk, kid: 'k1' }])).toBe('accepted');
    expect(await outcome(token, [{ ...publicJwk, kid: 'k1' }, { ...other, kid: 'k2' }])).toBe('signature');
  });

  it('refuses HS256 keyed with the published RSA key: discovery keeps the asymmetric algorithms only', async () => {
    expect(metadata.idTokenSigningAlgs).toEqual(['RS256']);
    const secret = new TextEncoder().encode(JSON.stringify({ ...publicJwk, kid: 'k1' }));
    expect(await outcome(await signed({ alg: 'HS256', kid: 'k1' }, secret), [{ ...publicJwk, kid: 'k1' }])).toBe('algorithm');
  });
});
