/**
 * What the thirty-second mutation round found no test reading in `id-token-jwks.ts`, through the
 * verifier as a caller of the public `IdTokenVerifier` type calls it (token and context): it
 * accepts only `context.algorithms` itself (RFC 8725 §3.1), a token jose cannot parse is
 * `malformed`, every refusal says why, a key that cannot be used is no reason to fetch the set
 * again (only a `kid` the set lacks or holds twice is).
 */
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createJwksIdTokenVerifier } from './id-token-jwks.js';
import type { IdTokenVerifierContext } from './id-token.js';
import { keySetCooldownMs } from './id-token-key-set.js';
import type { JsonWebKeySetJson } from './jwks.js';

const key = await generateKeyPair('RS256', { extractable: true });
const publicJwk: JWK = { ...(await exportJWK(key.publicKey)), kid: 'k1' };
const claims = { iss: 'https://acme.okta.com', sub: '00u1', aud: '0oa1' };
const privateJwk = await exportJWK(key.privateKey);
/** A token signed with the one key for `alg` (WebCrypto fixes the hash at import). */
const signed = async (alg: string, kid = 'k1') => new SignJWT(claims).setProtectedHeader({ alg, kid }).sign(await importJWK(privateJwk, alg));

/** A context whose key set is `keys`, and how many times it was fetched. */
function contextOf(keys: readonly JWK[], fetchKeys?: () => Promise<JsonWebKeySetJson>) {
  let fetches = 0;
  const set = { keys } as unknown as JsonWebKeySetJson;
  const context: IdTokenVerifierContext = {
    algorithms: ['RS256'],
    fetchKeys: () => {
      fetches++;
      return fetchKeys?.() ?? Promise.resolve(set);
    },
    signal: undefined,
  };
  return { context, fetches: () => fetches };
}

/** What the verifier ends in: `accepted`, or the refusal's code, reason and message. */
async function outcome(verify: ReturnType<typeof createJwksIdTokenVerifier>, token: string, context: IdTokenVerifierContext) {
  return verify(token, context).then(
    () => 'accepted',
    (error: unknown) => {
      const { code, reason, message, cause } = error as { code?: unknown; reason?: unknown; message: string; cause?: unknown };
      return { code, reason, message, cause };
    },
  );
}

describe('the JWKS verifier called as an IdTokenVerifier', () => {
  it('accepts only the algorithms of its context: an RS384 token of a listed RSA key is refused for RS256, reason algorithm', async () => {
    const { context } = contextOf([publicJwk]);
    expect(await outcome(createJwksIdTokenVerifier(), await signed('RS256'), context)).toBe('accepted');
    expect(await outcome(createJwksIdTokenVerifier(), await signed('RS384'), context)).toMatchObject({
      code: 'ID_TOKEN_INVALID',
      reason: 'algorithm',
      message: 'The ID token is invalid: it is signed with an algorithm the org does not list.',
    });
  });

  it('refuses a token whose signature is not base64url as malformed, with jose\'s error as the cause', async () => {
    const { context } = contextOf([publicJwk]);
    const token = `${(await signed('RS256')).split('.').slice(0, 2).join('.')}.not*base64url`;
    const refused = await outcome(createJwksIdTokenVerifier(), token, context);
    expect(refused).toMatchObject({ code: 'ID_TOKEN_INVALID', reason: 'malformed', message: 'The ID token is invalid: it is not a well-formed signed JWT.' });
    expect((refused as { cause: unknown }).cause).toMatchObject({ code: 'ERR_JWS_INVALID' });
  });

  it('says a signature that does not verify does not, with the key of its kid', async () => {
    const other = await generateKeyPair('RS256');
    const token = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(other.privateKey);
    expect(await outcome(createJwksIdTokenVerifier(), token, contextOf([publicJwk]).context)).toMatchObject({
      reason: 'signature',
      message: 'The ID token is invalid: its signature does not verify with the org signing key.',
    });
  });

  it('says a published key it cannot use cannot be used, with the error as a cause of at most 200 characters', async () => {
    const long = new TypeError(`jwks ${'x'.repeat(1000)}`);
    const { context } = contextOf([], () => Promise.reject(long));
    const refused = await outcome(createJwksIdTokenVerifier(), await signed('RS256'), context);
    expect(refused).toMatchObject({ reason: 'signature', message: 'The ID token is invalid: it could not be verified: a signing key the org published cannot be used.' });
    const cause = (refused as { cause: Error }).cause;
    expect(cause.message).toBe(`TypeError: jwks ${'x'.repeat(1000)}`.slice(0, 200));
    expect(cause.message).toHaveLength(200);
  });
});

describe('the JWKS verifier fetches the set again only for a kid it lacks or holds twice', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'], now: 1_800_000_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a key of the set it cannot import, past the cooldown: refused with no fetch', async () => {
    // WebCrypto's importKey refuses it (DataError) when jose resolves the token's key.
    const broken: JWK = { kty: 'RSA', n: publicJwk.n ?? '', kid: 'k2' };
    const { context, fetches } = contextOf([publicJwk, broken]);
    const verify = createJwksIdTokenVerifier();
    expect(await outcome(verify, await signed('RS256'), context)).toBe('accepted');
    vi.setSystemTime(Date.now() + keySetCooldownMs);
    expect(await outcome(verify, await signed('RS256', 'k2'), context)).toMatchObject({ code: 'ID_TOKEN_INVALID', reason: 'signature', message: expect.stringContaining('a signing key the org published cannot be used') });
    expect(fetches()).toBe(1);
  });

  it('an ambiguous set says when it is fetched again: at most every 30 s', async () => {
    const { context } = contextOf([publicJwk, { ...publicJwk }]);
    const refused = await outcome(createJwksIdTokenVerifier(), await signed('RS256'), context);
    expect((refused as { message: string }).message).toContain('is ambiguous (the key set is fetched again at most every 30 s)');
  });
});
