/**
 * Whose stored tokens sign-out sends to its org, on @org/okta-emulator: tokens without an ID token tell no org or client,
 * so the removal takes them as the signed-out session's (they may be another tab's renewal of it) but revokes them at this
 * client's org only under the client's own storage key (it names the client id). Under a `storageKey` the app gives the
 * clients of two orgs, the other org's tokens are removed and never sent to this org's revocation endpoint.
 */
import type { OktaEmulator } from '@org/okta-emulator';
import { expect, it } from 'vitest';
import { recordingFetch } from '../test-helpers/wire.js';
import { signOut } from './client-functions.js';
import { lateStorage } from './test-helpers/late-storage.js';
import { scopes, signIn, spaOf, startSignInOrg, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();

/** Whether `org` holds `token` active: a SPA's introspection, as a test may ask with the client id alone. */
async function active(org: OktaEmulator, clientId: string, token: string | undefined): Promise<boolean> {
  const answer = await fetch(`${org.url}/oauth2/v1/introspect?client_id=${clientId}`, { method: 'POST', body: new URLSearchParams({ token: token ?? '' }) });
  return ((await answer.json()) as { active: boolean }).active;
}

const withoutOpenid = scopes.filter((scope) => scope !== 'openid' && scope !== 'profile');

// Before, the removal's `found` revoked every stored text without an ID token at this client's org: the other org's refresh and
// access tokens went to this org's /oauth2/v1/revoke (a secret to another issuer), and stayed valid at their own org only by luck.
it.for([
  ['with an ID token', scopes],
  ['without an ID token', withoutOpenid],
] as const)("one storageKey for the clients of two orgs: signing out of the first (%s) never sends the second org's tokens without an ID token to the first org", async ([, ownScopes], test) => {
  const { org: orgB } = await startSignInOrg(test);
  const wireA = recordingFetch();
  const clientA = spaOf(env.org, { fetch: wireA.fetch, scopes: ownScopes });
  const clientB = spaOf(orgB, { scopes: withoutOpenid });
  const { storage, saved, stored } = lateStorage(0);
  const storageKey = 'app:tokens';
  const a = await signIn(clientA);
  const credentialA = clientA.credential(a.tokens, { storage, storageKey });
  await credentialA.getAccessToken(); // A's first write has landed
  const b = await signIn(clientB);
  expect(b.tokens.idToken).toBeUndefined();
  await clientB.credential(b.tokens, { storage, storageKey }).getAccessToken();
  const theirs = JSON.parse(stored() ?? '{}') as { accessToken: string; refreshToken?: string };
  expect(theirs.accessToken).toBe(b.tokens.accessToken.reveal());
  expect(theirs.refreshToken).toEqual(expect.any(String));

  expect((await signOut(clientA, credentialA)).revoked).toEqual(['refresh_token', 'access_token']);
  // Removed (they tell nothing of their sign-in: they may be the signed-out user's), not sent.
  expect(saved.size).toBe(0);
  const revoked = wireA.sent.filter((request) => request.url.pathname === '/oauth2/v1/revoke').map((request) => request.form?.get('token'));
  expect(revoked.length).toBe(2);
  expect(revoked.includes(theirs.accessToken) || revoked.includes(theirs.refreshToken), "org B's tokens sent to org A's revoke").toBe(false);
  expect(wireA.sent.every((request) => request.url.origin === new URL(env.org.url).origin)).toBe(true);
  expect({ refresh: await active(orgB, clientB.clientId, theirs.refreshToken), access: await active(orgB, clientB.clientId, theirs.accessToken) }).toEqual({ refresh: true, access: true });
});

// This client's tokens without an ID token under the same custom key (another tab's sign-in or renewal without openid): removed and
// named to this client's tabs, not revoked (nothing tells them from another org's); under the client's own key another tab's renewal
// is revoked (sign-out-sign-ins.server.test.ts).
it("this client's other tokens without an ID token under a custom key: removed, not revoked", async () => {
  const wire = recordingFetch();
  const client = spaOf(env.org, { fetch: wire.fetch, scopes: withoutOpenid });
  const { storage, saved, stored } = lateStorage(0);
  const storageKey = 'app:tokens';
  const first = await signIn(client);
  const credential = client.credential(first.tokens, { storage, storageKey });
  await credential.getAccessToken();
  const other = await signIn(client);
  await client.credential(other.tokens, { storage, storageKey }).getAccessToken();
  const theirs = JSON.parse(stored() ?? '{}') as { accessToken: string };
  expect((await signOut(client, credential)).revoked).toEqual(['refresh_token', 'access_token']);
  expect(saved.size).toBe(0);
  const revoked = wire.sent.filter((request) => request.url.pathname === '/oauth2/v1/revoke').map((request) => request.form?.get('token'));
  expect(revoked).toEqual([first.tokens.refreshToken?.reveal(), first.tokens.accessToken.reveal()]);
  expect(await active(env.org, client.clientId, theirs.accessToken)).toBe(true);
});
