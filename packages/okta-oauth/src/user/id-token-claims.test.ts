/**
 * The ID token checks jose's `jwtVerify` has no counterpart for (`id-token.test.ts` compares the
 * registered claims with it), each with the `reason` it gives: the header `alg`, `sub`, several
 * audiences and `azp`, `nonce`, `max_age` and `auth_time`, `acr_values` and `acr`, and on refresh the same `sub`, `nonce` and `auth_time`
 * (OIDC Core §3.1.3.7 and §12.2). Unsigned tokens: the signature is the verifier's business.
 */
import { base64url } from '@org/okta-auth-core/internal';
import { describe, expect, it } from 'vitest';
import { encodeJson } from '../internal/jws.js';
import type { OrgServerMetadata } from './discovery.js';
import { invalidIdToken, validateIdToken, type IdTokenClaims, type IdTokenExpectations } from './id-token.js';

const issuer = 'https://acme.okta.com';
const clientId = '0oa1b2c3d4';
const nowMs = 1_800_000_000_000;
const now = nowMs / 1000;
const skew = 120;
const good = { iss: issuer, sub: '00u1', aud: clientId, exp: now + 3600, iat: now, nonce: 'n-0S6_WzA2Mj' };

const token = (claims: object, header: object = { alg: 'RS256' }) => `${encodeJson(header)}.${encodeJson(claims)}.c2ln`;
const expectations = (more: Partial<IdTokenExpectations> = {}): IdTokenExpectations => ({
  metadata: { issuer, idTokenSigningAlgs: ['RS256'] } as unknown as OrgServerMetadata,
  clientId,
  fetchKeys: () => Promise.reject(new Error('no key set in this test')),
  idTokenVerifier: undefined,
  clockSkewSeconds: skew,
  now: () => nowMs,
  verifierTimeoutMs: 1000,
  ...more,
});
const accepted = (claims: object, more?: Partial<IdTokenExpectations>) => validateIdToken(token(claims), expectations(more));
async function reason(claims: object, more?: Partial<IdTokenExpectations>, header?: object): Promise<unknown> {
  const error: unknown = await validateIdToken(token(claims, header), expectations(more)).then(
    () => 'accepted',
    (caught: unknown) => caught,
  );
  if (error === 'accepted') return error;
  expect(error).toMatchObject({ code: 'ID_TOKEN_INVALID' });
  expect((error as Error).message).toMatch(/^The ID token is invalid: .+\.$/);
  return (error as { reason?: unknown }).reason;
}

describe('ID token checks beyond the registered claims', () => {
  it('names why a registered claim is missing or malformed', async () => {
    const without = (claim: string) => Object.fromEntries(Object.entries(good).filter(([name]) => name !== claim));
    expect(await reason(without('exp'))).toBe('expired');
    expect(await reason(without('iat'))).toBe('issued-in-future');
    expect(await reason(without('iss'))).toBe('malformed');
    expect(await reason({ ...good, iat: Number.MAX_VALUE * 2 })).toBe('issued-in-future');
    expect(await reason({ ...good, nbf: 'soon' })).toBe('malformed');
  });

  it("refuses alg none even when the org's metadata lists it, and an alg that is not a string", async () => {
    const listsNone = { metadata: { issuer, idTokenSigningAlgs: ['RS256', 'none'] } as unknown as OrgServerMetadata };
    expect(await reason(good, listsNone, { alg: 'none' })).toBe('algorithm');
    expect(await reason(good, undefined, { alg: ['RS256'] })).toBe('algorithm');
  });

  it('names the issuer and the audience, and takes exp and nbf up to the edge of the skew only', async () => {
    expect(await reason({ ...good, iss: 'https://acme.okta.com/oauth2/default' })).toBe('issuer');
    expect(await reason({ ...good, iss: `${issuer}/` })).toBe('issuer');
    // A string audience that merely contains the client id is another audience.
    expect(await reason({ ...good, aud: `${clientId}-other` })).toBe('audience');
    expect(await reason({ ...good, exp: now - skew })).toBe('expired');
    await expect(accepted({ ...good, exp: now - skew + 1, nbf: now + skew })).resolves.toMatchObject({ sub: '00u1' });
  });

  it("runs the client's verifier with the org's algorithms, and refuses what it refuses", async () => {
    const seen: (readonly string[])[] = [];
    const idTokenVerifier: IdTokenExpectations['idTokenVerifier'] = (_token, context) => {
      seen.push(context.algorithms);
      return Promise.reject(invalidIdToken('signature', 'no key of the org signed it'));
    };
    expect(await reason(good, { idTokenVerifier })).toBe('signature');
    expect(seen).toEqual([['RS256']]);
  });

  it('refuses an empty sub, and an iat beyond the skew but not at it', async () => {
    expect(await reason({ ...good, sub: '' })).toBe('malformed');
    expect(await reason({ ...good, iat: now + skew + 1 })).toBe('issued-in-future');
    await expect(accepted({ ...good, iat: now + skew })).resolves.toMatchObject({ sub: '00u1' });
  });

  it('wants azp to be this client: with several audiences it must be there, and when there it must match', async () => {
    expect(await reason({ ...good, aud: [clientId, 'api://other'] })).toBe('audience');
    expect(await reason({ ...good, aud: [clientId, 'api://other'], azp: 'api://other' })).toBe('audience');
    expect(await reason({ ...good, azp: 'api://other' })).toBe('audience');
    await expect(accepted({ ...good, aud: [clientId, 'api://other'], azp: clientId })).resolves.toMatchObject({ azp: clientId });
  });

  it("wants the sign-in's nonce, and checks none when none was sent", async () => {
    expect(await reason({ ...good, nonce: 'another' }, { nonce: good.nonce })).toBe('nonce');
    expect(await reason({ ...good, nonce: undefined }, { nonce: good.nonce })).toBe('nonce');
    await expect(accepted(good, { nonce: good.nonce })).resolves.toMatchObject({ nonce: good.nonce });
    await expect(accepted(good)).resolves.toMatchObject({ nonce: good.nonce });
  });

  it('wants auth_time when max_age was sent, no older than max_age and the skew', async () => {
    const maxAgeSeconds = 300;
    expect(await reason(good, { maxAgeSeconds })).toBe('auth-time');
    expect(await reason({ ...good, auth_time: String(now) }, { maxAgeSeconds })).toBe('auth-time');
    expect(await reason({ ...good, auth_time: now - maxAgeSeconds - skew - 1 }, { maxAgeSeconds })).toBe('auth-time');
    await expect(accepted({ ...good, auth_time: now - maxAgeSeconds - skew }, { maxAgeSeconds })).resolves.toMatchObject({ sub: '00u1' });
    await expect(accepted(good)).resolves.toMatchObject({ sub: '00u1' });
  });

  it('wants an acr that is one of the acr_values sent: none, another, a part of one, an empty one or no string is refused', async () => {
    const acrValues = 'urn:okta:loa:2fa:any urn:okta:loa:1fa:pwd';
    expect(await reason(good, { acrValues })).toBe('acr');
    for (const acr of ['urn:okta:loa:1fa:any', 'urn:okta:loa:2fa', '', ['urn:okta:loa:1fa:pwd'], 1]) expect(await reason({ ...good, acr }, { acrValues })).toBe('acr');
    // Two spaces between values hold an empty one: no empty acr matches it.
    expect(await reason({ ...good, acr: '' }, { acrValues: 'urn:okta:loa:2fa:any  urn:okta:loa:1fa:pwd' })).toBe('acr');
    await expect(accepted({ ...good, acr: 'urn:okta:loa:1fa:pwd' }, { acrValues })).resolves.toMatchObject({ acr: 'urn:okta:loa:1fa:pwd' });
    // Not asked: any acr, or none, is the server's to give.
    await expect(accepted({ ...good, acr: 'urn:okta:loa:1fa:any' })).resolves.toMatchObject({ sub: '00u1' });
  });

  it('wants an auth_time within the skew of now when max_age was sent: one in the future, or beyond any number, would pass any max_age', async () => {
    const maxAgeSeconds = 300;
    expect(await reason({ ...good, auth_time: now + skew + 1 }, { maxAgeSeconds })).toBe('auth-time');
    await expect(accepted({ ...good, auth_time: now + skew }, { maxAgeSeconds })).resolves.toMatchObject({ auth_time: now + skew });
    // JSON.parse reads 1e400 as Infinity, which no encoder writes: the payload is written by hand.
    const payload = base64url(new TextEncoder().encode(`${JSON.stringify(good).slice(0, -1)},"auth_time":1e400}`));
    const error = await validateIdToken(`${encodeJson({ alg: 'RS256' })}.${payload}.c2ln`, expectations({ maxAgeSeconds })).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'ID_TOKEN_INVALID', reason: 'auth-time' });
  });

  it('refuses a crit header (no extension is defined for ID tokens, RFC 7515 §4.1.11) and a typ naming another kind of JWT (RFC 8725 §3.11)', async () => {
    expect(await reason(good, undefined, { alg: 'RS256', crit: ['exp'], exp: now })).toBe('malformed');
    expect(await reason(good, undefined, { alg: 'RS256', crit: ['b64'], b64: false })).toBe('malformed');
    // A typ that only starts with JWT, and one that is no text though it reads JWT as text, are not JWT.
    for (const typ of ['logout+jwt', 'at+jwt', 'application/dpop+jwt', 'JWS', 7, 'JWT+logout', 'application/jwt;x', ['JWT']]) expect(await reason(good, undefined, { alg: 'RS256', typ })).toBe('malformed');
    for (const typ of ['JWT', 'jwt', 'application/jwt']) await expect(validateIdToken(token(good, { alg: 'RS256', typ }), expectations())).resolves.toMatchObject({ sub: '00u1' });
    // Okta's ID tokens carry no typ: their header is { kid, alg } (as the emulator's), and passes.
    await expect(validateIdToken(token(good, { kid: 'aBcD1234', alg: 'RS256' }), expectations())).resolves.toMatchObject({ sub: '00u1' });
  });

  it('on refresh, wants the same user, and the same nonce when both carry one', async () => {
    const previous = { ...good } as IdTokenClaims;
    const withoutNonce = Object.fromEntries(Object.entries(good).filter(([name]) => name !== 'nonce')) as unknown as IdTokenClaims;
    expect(await reason({ ...good, sub: '00u2' }, { previous })).toBe('subject');
    expect(await reason({ ...good, nonce: 'another' }, { previous })).toBe('nonce');
    await expect(accepted({ ...good, nonce: undefined }, { previous })).resolves.toMatchObject({ sub: '00u1' });
    await expect(accepted(good, { previous: withoutNonce })).resolves.toMatchObject({ sub: '00u1' });
  });

  it('on refresh, wants the same audience and azp as the first ID token (OIDC Core §12.2), an audience of one written either way', async () => {
    const previous = { ...good } as IdTokenClaims;
    expect(await reason({ ...good, aud: [clientId, 'api://other'], azp: clientId }, { previous })).toBe('audience');
    expect(await reason({ ...good, azp: clientId }, { previous })).toBe('audience');
    expect(await reason(good, { previous: { ...previous, azp: clientId } })).toBe('audience');
    await expect(accepted({ ...good, aud: [clientId] }, { previous })).resolves.toMatchObject({ sub: '00u1' });
    const several = { ...good, aud: [clientId, 'api://other'], azp: clientId };
    await expect(accepted({ ...several, aud: ['api://other', clientId] }, { previous: several })).resolves.toMatchObject({ azp: clientId });
    // The same azp, another audience beside it (or none): another aud.
    expect(await reason({ ...several, aud: [clientId, 'api://third'] }, { previous: several })).toBe('audience');
    expect(await reason({ ...good, azp: clientId }, { previous: several })).toBe('audience');
  });

  it("on refresh, takes an auth_time only as the first ID token's: another, or one the first did not carry, is refused", async () => {
    const signedIn = { ...good, auth_time: now - 600 };
    const previous: IdTokenClaims = signedIn;
    expect(await reason({ ...signedIn, auth_time: now - 300 }, { previous })).toBe('auth-time');
    expect(await reason({ ...signedIn, auth_time: String(now - 600) }, { previous })).toBe('auth-time');
    expect(await reason(signedIn, { previous: good })).toBe('auth-time');
    await expect(accepted(signedIn, { previous })).resolves.toMatchObject({ auth_time: now - 600 });
    // §12.2 asks for auth_time only "if present": a refreshed ID token without one is taken.
    await expect(accepted(good, { previous })).resolves.toMatchObject({ sub: '00u1' });
  });

  it('refuses a header or payload that is JSON but not an object as malformed', async () => {
    for (const bad of ['bnVsbA.e30.c2ln', `NQ.${encodeJson(good)}.c2ln`, `${encodeJson({ alg: 'RS256' })}.bnVsbA.c2ln`]) {
      const error = await validateIdToken(bad, expectations()).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'ID_TOKEN_INVALID', reason: 'malformed' });
    }
  });
});
