/**
 * Lead 7 of the seventh red team: stored tokens carry no org or client of their own, so a storage
 * key shared by two sign-in clients (one `storageKey` for two orgs, a confused configuration) or
 * edited storage handed one org's tokens to another org's `restoreCredential`, which sent that
 * org's access token (and, on refresh, its refresh token) to the other org. Stored tokens whose ID
 * token names another issuer or audience, or cannot be read, are now never taken: `restoreCredential`
 * finds nothing, and nothing is sent.
 */
import { createOktaFetch } from '@org/okta-auth-core';
import { createMemoryStorage, createSignInClient, UserTokens } from '@org/okta-oauth';
import { afterEach, describe, expect, it } from 'vitest';
import { startHostileOrg, type HostileOrg } from './test-helpers/hostile-oauth-server.js';
import { signJwt } from './test-helpers/scripted.js';

const orgs: HostileOrg[] = [];
afterEach(async () => {
  await Promise.all(orgs.splice(0).map((o) => o.close()));
});

const now = Math.floor(Date.now() / 1000);
const idToken = (iss: string, aud: string) => signJwt({ alg: 'RS256', kid: 'k1' }, { iss, aud, sub: '00uAlice', iat: now, exp: now + 3600 });

async function twoOrgs() {
  const [a, b] = await Promise.all([0, 1].map(() => startHostileOrg({ '/api/v1/users': () => ({ body: [] }), '/oauth2/v1/token': () => ({ status: 400, body: { error: 'invalid_grant' } }) })));
  orgs.push(a!, b!);
  return { a: a!, b: b! };
}

const stored = (fields: { idToken?: string; expiresAt?: number }) =>
  JSON.stringify(new UserTokens({ accessToken: 'access-of-org-a-0123456789', tokenType: 'Bearer', refreshToken: 'refresh-of-org-a-0123456789', expiresAt: fields.expiresAt ?? Date.now() + 3600_000, idToken: fields.idToken }).toStorable());

describe("hostile oauth: another org's or client's tokens in the storage", () => {
  it.each([
    ["another org's ID token (same client id, one storageKey for both)", (a: string) => idToken(a, '0oaWeb')],
    ["another client's ID token (same org)", (_a: string, b: string) => idToken(b, '0oaOther')],
    ['an ID token that cannot be read', () => 'not-a-jwt'],
  ])('restoreCredential does not take tokens with %s, and sends them nowhere', async (_name, make) => {
    const { a, b } = await twoOrgs();
    const storage = createMemoryStorage();
    await storage.set('shared-tokens', stored({ idToken: make(a.url, b.url) }));
    const client = createSignInClient({ orgUrl: b.url, clientId: '0oaWeb', scopes: ['openid', 'okta.users.read'], allowInsecureLoopback: true, retry: false });
    const restored = await client.restoreCredential({ storage, storageKey: 'shared-tokens' });
    if (restored !== undefined) await createOktaFetch({ credential: restored })('/api/v1/users').catch(() => undefined);
    expect(b.requests.filter((r) => JSON.stringify(r.headers).includes('org-a') || r.form.toString().includes('org-a'))).toEqual([]);
    expect(restored).toBeUndefined();
  });

  it('an expired credential does not pick up refreshed tokens of another org from the shared key', async () => {
    const { a, b } = await twoOrgs();
    // Org A's client (same storage key, same user id) keeps writing its fresh tokens there.
    const theirs = stored({ idToken: idToken(a.url, '0oaWeb') });
    const storage = { get: () => theirs, set: () => undefined, remove: () => undefined };
    const client = createSignInClient({ orgUrl: b.url, clientId: '0oaWeb', scopes: ['openid', 'okta.users.read'], allowInsecureLoopback: true, retry: false });
    const mine = new UserTokens({ accessToken: 'access-of-org-b-0123456789', tokenType: 'Bearer', expiresAt: Date.now() - 1000, refreshToken: 'refresh-of-org-b-0123456789', idToken: idToken(b.url, '0oaWeb') });
    const credential = client.credential(mine, { storage, storageKey: 'shared-tokens' });
    await createOktaFetch({ credential })('/api/v1/users').catch(() => undefined);
    expect(b.requests.filter((r) => JSON.stringify(r.headers).includes('org-a'))).toEqual([]);
    expect(b.to('/oauth2/v1/token')).toHaveLength(1); // its own refresh token, refused
  });

  it("this client's own tokens (and tokens without an ID token) are restored", async () => {
    const { b } = await twoOrgs();
    const storage = createMemoryStorage();
    const client = createSignInClient({ orgUrl: b.url, clientId: '0oaWeb', scopes: ['openid', 'okta.users.read'], allowInsecureLoopback: true, retry: false });
    await storage.set('k1', stored({ idToken: idToken(b.url, '0oaWeb') }));
    await storage.set('k2', stored({}));
    expect((await client.restoreCredential({ storage, storageKey: 'k1' }))?.claims?.sub).toBe('00uAlice');
    expect(await client.restoreCredential({ storage, storageKey: 'k2' })).toBeDefined();
  });
});
