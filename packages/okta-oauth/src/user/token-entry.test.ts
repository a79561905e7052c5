/**
 * Which stored tokens a user credential takes and which sign-in they belong to (README, "Tokens
 * cached, renewed, recovered" and "Sign-out"): tokens whose ID token names another org (issuer)
 * or client (audience), or cannot be read, are neither restored nor picked up; another tab's
 * renewal is picked up only when it is the same user's (`sub`) and of the same token type; a
 * sign-in is its ID token's issuer, `sub` and `auth_time`, and tokens without them tell nothing.
 * The ID tokens here are decoded, never verified (they were when received), so unsigned ones do.
 */
import { describe, expect, it } from 'vitest';
import { encodeJson } from '../internal/jws.js';
import { createMemoryStorage } from './storage.js';
import { holdsUserTokens, signInOf, storedSignIn, storedTokens, userStorageView, userTokenEntry } from './token-entry.js';
import type { IdTokenClaims } from './id-token.js';
import { UserTokens } from './tokens.js';

const origin = 'https://acme.okta.example';
const owner = { origin, clientId: '0oaWeb' };
const idToken = (claims: object) => `${encodeJson({ alg: 'RS256' })}.${encodeJson(claims)}.c2ln`;
const alice = { iss: origin, aud: '0oaWeb', sub: '00uAlice', auth_time: 1_700_000_000, iat: 1_700_000_000, exp: 1_700_003_600 };
/** Claims as decoded from storage: any shape (they are not checked again). */
const claimsOf = (claims: object) => claims as IdTokenClaims;

const tokensOf = (claims: object | undefined, accessToken = 'access-token-0123456789', tokenType: 'Bearer' | 'DPoP' = 'Bearer') =>
  new UserTokens({ accessToken, tokenType, expiresAt: Date.now() + 3600_000, refreshToken: 'refresh-token-0123456789', ...(claims === undefined ? {} : { idToken: idToken(claims) }) });
const text = (tokens: UserTokens) => JSON.stringify(tokens.toStorable());

describe('storedTokens: only this org\'s and client\'s', () => {
  it.each([
    ['the org as issuer and the client as audience', alice],
    ['the issuer with a trailing slash', { ...alice, iss: `${origin}/` }],
    ['an audience list that has the client', { ...alice, aud: ['0oaOther', '0oaWeb'] }],
  ])('takes tokens whose ID token has %s', (_name, claims) => {
    expect(storedTokens(text(tokensOf(claims)), owner)?.accessToken.reveal()).toBe('access-token-0123456789');
  });

  it('takes tokens without an ID token (they tell no org or client)', () => {
    const tokens = storedTokens(text(tokensOf(undefined)), owner);
    expect(tokens?.accessToken.reveal()).toBe('access-token-0123456789');
    expect(tokens?.idToken).toBeUndefined();
  });

  it.each([
    ['another org as issuer', { ...alice, iss: 'https://other.okta.example' }],
    ['no issuer', { ...alice, iss: undefined }],
    ['another client as audience', { ...alice, aud: '0oaOther' }],
    ['an audience list without the client', { ...alice, aud: ['0oaOther'] }],
    ['no audience', { ...alice, aud: undefined }],
  ])('refuses tokens whose ID token has %s', (_name, claims) => {
    expect(storedTokens(text(tokensOf(claims)), owner)).toBeUndefined();
  });

  it('refuses an ID token that cannot be read, text that holds no tokens, and nothing', () => {
    const unreadable = JSON.stringify({ ...tokensOf(undefined).toStorable(), idToken: 'not-a-jwt' });
    for (const stored of [unreadable, 'garbage', '{}', null, undefined]) expect(storedTokens(stored, owner)).toBeUndefined();
  });
});

describe('signInOf and storedSignIn: the sign-in stored tokens belong to', () => {
  it('is the issuer, subject and auth_time, and another for another user or authentication', () => {
    const mine = signInOf(claimsOf(alice));
    expect(mine).toBe(JSON.stringify([origin, '00uAlice', 1_700_000_000]));
    expect(signInOf(claimsOf({ ...alice, sub: '00uGrace' }))).not.toBe(mine);
    expect(signInOf(claimsOf({ ...alice, auth_time: 1_700_000_005 }))).not.toBe(mine);
    expect(storedSignIn(text(tokensOf(alice)))).toBe(mine);
  });

  it('is nothing for claims without sub or auth_time, tokens without an ID token, or text without tokens', () => {
    expect(signInOf(claimsOf({ ...alice, sub: undefined }))).toBeUndefined();
    expect(signInOf(claimsOf({ ...alice, auth_time: undefined }))).toBeUndefined();
    expect(signInOf(undefined)).toBeUndefined();
    expect(storedSignIn(text(tokensOf({ ...alice, auth_time: undefined })))).toBeUndefined();
    expect(storedSignIn(text(tokensOf(undefined)))).toBeUndefined();
    for (const stored of ['garbage', null, undefined]) expect(storedSignIn(stored)).toBeUndefined();
  });
});

describe('userTokenEntry', () => {
  it("is the cache's entry of the tokens: scope as granted (RFC 6749 §3.3, quoted in an insufficient_scope hint), an unknown expiry Infinity, the ID token's claims", () => {
    const tokens = new UserTokens({ accessToken: 'access-token-0123456789', tokenType: 'Bearer', scope: 'openid offline_access okta.users.read', idToken: idToken(alice) });
    const entry = userTokenEntry(tokens);
    expect(entry).toMatchObject({ accessToken: 'access-token-0123456789', tokenType: 'Bearer', scope: 'openid offline_access okta.users.read', expiresAt: Number.POSITIVE_INFINITY, claims: alice });
    expect(userTokenEntry(tokens, claimsOf({ ...alice, sub: '00uGrace' })).claims?.sub).toBe('00uGrace');
    expect(userTokenEntry(tokensOf(undefined)).claims).toBeUndefined();
  });
});

describe('holdsUserTokens', () => {
  it('is true for what holds UserTokens in `tokens` only', () => {
    expect(holdsUserTokens({ tokens: tokensOf(alice) })).toBe(true);
    expect(holdsUserTokens(userTokenEntry(tokensOf(alice)))).toBe(true);
    for (const value of [tokensOf(alice), { tokens: tokensOf(alice).toStorable() }, { tokens: null }, null, undefined, 'tokens']) expect(holdsUserTokens(value)).toBe(false);
  });
});

describe("userStorageView: another tab's renewal", () => {
  const key = 'okta-oauth:0oaWeb:tokens';
  async function viewOf(stored: UserTokens | string, mine: UserTokens | 'none' = tokensOf(alice, 'mine-access-token-0123456789')) {
    const storage = createMemoryStorage();
    await storage.set(key, typeof stored === 'string' ? stored : text(stored));
    return userStorageView(storage, () => (mine === 'none' ? undefined : userTokenEntry(mine)), owner);
  }

  it("is picked up when it is the same user's, of the same type, with its claims", async () => {
    const entry = await (await viewOf(tokensOf({ ...alice, auth_time: 1_700_000_005 }))).get(key);
    expect(entry?.accessToken).toBe('access-token-0123456789');
    expect(entry?.claims?.sub).toBe('00uAlice');
  });

  it.each([
    ["another user's tokens", tokensOf({ ...alice, sub: '00uGrace' })],
    ['tokens without an ID token', tokensOf(undefined)],
    ["another org's tokens of the same subject", tokensOf({ ...alice, iss: 'https://other.okta.example' })],
    ['tokens of another type', tokensOf(alice, 'access-token-0123456789', 'DPoP')],
    ['text that holds no tokens', 'garbage'],
  ])('is not picked up: %s', async (_name, stored) => {
    expect(await (await viewOf(stored)).get(key)).toBeUndefined();
  });

  describe('DPoP tokens: the key they are bound to (dpopJkt)', () => {
    const jktA = 'A'.repeat(43);
    const jktB = 'B'.repeat(43);
    const dpopOf = (dpopJkt: string | undefined, accessToken = 'access-token-0123456789') =>
      new UserTokens({ ...tokensOf(alice, accessToken, 'DPoP').toStorable(), ...(dpopJkt === undefined ? {} : { dpopJkt }) });

    it("is not picked up when bound to another key than the credential's (they would be sent with its proofs, and refused)", async () => {
      expect(await (await viewOf(dpopOf(jktB), dpopOf(jktA, 'mine-access-token-0123456789'))).get(key)).toBeUndefined();
    });

    it.each([
      ['bound to the same key', jktA, jktA],
      ['stored by an earlier release (no dpopJkt)', undefined, jktA],
      ["the credential's own tokens without dpopJkt (restored from an earlier release's record)", jktB, undefined],
    ])('is picked up: %s', async (_name, stored, mine) => {
      expect((await (await viewOf(dpopOf(stored), dpopOf(mine, 'mine-access-token-0123456789'))).get(key))?.accessToken).toBe('access-token-0123456789');
    });
  });

  it('reads nothing for a credential without a subject, without tokens, or without storage', async () => {
    expect(await (await viewOf(tokensOf(alice), tokensOf(undefined))).get(key)).toBeUndefined();
    // Neither has a subject: not the same user's (a store shared by several users under one key).
    expect(await (await viewOf(tokensOf(undefined), tokensOf(undefined))).get(key)).toBeUndefined();
    expect(await (await viewOf(tokensOf({ ...alice, sub: undefined }), tokensOf({ ...alice, sub: undefined }))).get(key)).toBeUndefined();
    expect(await (await viewOf(tokensOf(alice), tokensOf({ ...alice, sub: undefined }))).get(key)).toBeUndefined();
    expect(await (await viewOf(tokensOf(alice), 'none')).get(key)).toBeUndefined();
    expect(await userStorageView(undefined, () => userTokenEntry(tokensOf(alice)), owner).get(key)).toBeUndefined();
  });

  it('never writes nor deletes (the credential writes its renewals and sign-out removes the key)', async () => {
    const storage = createMemoryStorage();
    const view = userStorageView(storage, () => userTokenEntry(tokensOf(alice)), owner);
    await view.set(key, userTokenEntry(tokensOf(alice)));
    expect(storage.get(key)).toBeUndefined();
    await storage.set(key, 'kept');
    await view.delete(key);
    expect(storage.get(key)).toBe('kept');
  });
});
