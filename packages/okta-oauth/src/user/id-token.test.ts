/**
 * The ID token claim checks, done without jose since `@org/okta-oauth/sign-in`, against jose's
 * own `jwtVerify` (the checks they replace): for each payload, both accept or both refuse.
 */
import { compactVerify, exportJWK, FlattenedSign, generateKeyPair, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import { encodeJson } from '../internal/jws.js';
import type { OrgServerMetadata } from './discovery.js';
import { validateIdToken } from './id-token.js';
import { createJwksIdTokenVerifier } from './id-token-jwks.js';

const issuer = 'https://acme.okta.com';
const clientId = '0oa1b2c3d4';
const nowMs = 1_800_000_000_000;
const now = nowMs / 1000;
const skew = 120;
const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
const good: JWTPayload = { iss: issuer, sub: '00u1', aud: clientId, exp: now + 3600, iat: now };

function without(claim: string): JWTPayload {
  return Object.fromEntries(Object.entries(good).filter(([name]) => name !== claim));
}

const payloads: readonly (readonly [string, JWTPayload])[] = [
  ['a good token', good],
  ['aud as an array holding the client', { ...good, aud: [clientId] }],
  ['another issuer', { ...good, iss: 'https://evil.example.com' }],
  ['another audience', { ...good, aud: 'other' }],
  ['no exp', without('exp')],
  ['exp as a string', { ...good, exp: String(now + 3600) as never }],
  ['expired beyond the skew', { ...good, exp: now - skew - 1 }],
  ['expired within the skew', { ...good, exp: now - skew + 5 }],
  ['no iat', without('iat')],
  ['iat as a string', { ...good, iat: 'now' as never }],
  ['no sub', without('sub')],
  ['no iss', without('iss')],
  ['no aud', without('aud')],
  ['nbf in the future beyond the skew', { ...good, nbf: now + skew + 5 }],
  ['nbf within the skew', { ...good, nbf: now + skew - 5 }],
  ['nbf as a string', { ...good, nbf: 'soon' as never }],
];

/** Never fetched: no verifier here. */
const fetchKeys = () => Promise.reject(new Error('no key set in this test'));
const metadata = { issuer, idTokenSigningAlgs: ['RS256'] } as unknown as OrgServerMetadata;

describe('ID token claim checks without jose', () => {
  for (const [name, payload] of payloads) {
    it(`agrees with jose's jwtVerify on ${name}`, async () => {
      const token = await new SignJWT(payload).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
      const jose = await jwtVerify(token, publicKey, {
        issuer,
        audience: clientId,
        algorithms: ['RS256'],
        clockTolerance: skew,
        currentDate: new Date(nowMs),
        requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat'],
      }).then(
        () => 'accepted',
        () => 'refused',
      );
      const ours = await validateIdToken(token, { metadata, clientId, fetchKeys, idTokenVerifier: undefined, clockSkewSeconds: skew, now: () => nowMs, verifierTimeoutMs: 1000 }).then(
        () => 'accepted',
        (error: unknown) => {
          expect(error).toMatchObject({ code: 'ID_TOKEN_INVALID' });
          return 'refused';
        },
      );
      expect(ours).toBe(jose);
    });
  }

  it('refuses a token whose alg the org does not list, and alg none, before any verifier runs', async () => {
    const token = await new SignJWT(good).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
    const [, payload, signature] = token.split('.');
    for (const alg of ['none', 'HS256']) {
      const header = encodeJson({ alg });
      const error = await validateIdToken(`${header}.${payload}.${signature}`, {
        metadata,
        clientId,
        fetchKeys,
        idTokenVerifier: () => Promise.reject(new Error('not reached')),
        clockSkewSeconds: skew,
        now: () => nowMs,
        verifierTimeoutMs: 1000,
      }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'ID_TOKEN_INVALID', reason: 'algorithm' });
    }
  });

  it('refuses what is not a compact JWS as malformed', async () => {
    for (const token of ['a.b', 'e30.e30.', 'bm90IGpzb24.e30.c2ln', 'W10.e30.c2ln']) {
      const error = await validateIdToken(token, { metadata, clientId, fetchKeys, idTokenVerifier: undefined, clockSkewSeconds: skew, now: () => nowMs, verifierTimeoutMs: 1000 }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'ID_TOKEN_INVALID', reason: 'malformed' });
    }
  });

  it("refuses an unencoded payload (crit b64: false), which jose's compactVerify verifies over the same bytes while the claims are read base64url-decoded", async () => {
    const claims = encodeJson(good);
    const jws = await new FlattenedSign(new TextEncoder().encode(claims)).setProtectedHeader({ alg: 'RS256', kid: 'k1', crit: ['b64'], b64: false }).sign(privateKey);
    const signed = `${jws.protected ?? ''}.${claims}.${jws.signature}`;
    // jose verifies it as it stands (its jwtVerify refuses b64: false; compactVerify, which the verifier uses, does not).
    await expect(compactVerify(signed, publicKey)).resolves.toMatchObject({ protectedHeader: { b64: false } });
    const keys = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', use: 'sig' }] };
    const error = await validateIdToken(signed, {
      metadata,
      clientId,
      fetchKeys: () => Promise.resolve(keys),
      idTokenVerifier: createJwksIdTokenVerifier(),
      clockSkewSeconds: skew,
      now: () => nowMs,
      verifierTimeoutMs: 1000,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ID_TOKEN_INVALID', reason: 'malformed' });
  });
});
