/**
 * Whose tokens sign-out removes from storage, on @org/okta-emulator: the signed-out sign-in's
 * (this credential's, or another tab's renewal of them), never another sign-in's stored under the
 * same key, at sign-out or at a later sign-out's new attempt after a removal that failed. A
 * sign-in is told by its ID token's issuer, subject and `auth_time`, which a refresh keeps.
 */
import { fillSignInForm, until } from '@org/okta-test-utils';
import { expect, it } from 'vitest';
import { restoreCredential, signOut } from './client-functions.js';
import type { SignInClient } from './sign-in-client.js';
import { lateStorage } from './test-helpers/late-storage.js';
import { password, scopes, signIn, spaOf, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();

/** Another user of the same computer signs in (once per test: each has its own org). */
async function signInAnother(client: SignInClient) {
  const login = 'grace@example.com';
  env.org.createUser({ login, password, admin: true, firstName: 'Grace', lastName: 'Other' });
  const { url, transaction } = await client.startSignIn();
  return client.finishSignIn(await fillSignInForm(url, login, password), transaction);
}

/** Storage over a map (no write held) whose `remove()` fails while `failing` is set (an IndexedDB transaction aborted, say). */
function mapStorage() {
  const map = lateStorage(0);
  const state = { failing: false };
  const remove = (key: string) => {
    if (state.failing) throw new Error('remove failed');
    map.storage.remove(key);
  };
  return { ...map, state, storage: { ...map.storage, remove } };
}

const outcome = (work: Promise<unknown>) => work.then(() => 'resolved', (error: unknown) => (error as Error).message);

it("a later sign-out after a removal that failed leaves the next user's tokens on the same key", async () => {
  const client = spaOf(env.org);
  const first = await signIn(client);
  const { storage, state, stored } = mapStorage();
  const credential = client.credential(first.tokens, { storage });
  await credential.getAccessToken(); // the first write has landed
  state.failing = true;
  expect(await outcome(signOut(client, credential))).toBe('remove failed');
  state.failing = false;
  // The next user of the shared computer signs in; their tokens go under the same key.
  const second = await signInAnother(client);
  await client.credential(second.tokens, { storage }).getAccessToken();
  const theirs = JSON.stringify(second.tokens.toStorable());
  expect(stored() === theirs).toBe(true);
  // The app signs the old credential out again (or its credential.signOut() runs): before, it removed the new user's tokens.
  expect(await outcome(signOut(client, credential))).toBe('resolved');
  expect(stored() === theirs, "storage holds the new user's tokens").toBe(true);
  expect((await restoreCredential(client, { storage }))?.tokens?.accessToken.reveal()).toBe(second.tokens.accessToken.reveal());
});

it("a sign-out while another sign-in's tokens are stored under its key leaves them", async () => {
  const client = spaOf(env.org);
  const first = await signIn(client);
  const { storage, stored } = mapStorage();
  const credential = client.credential(first.tokens, { storage });
  await credential.getAccessToken();
  // Another tab: the same user signs in again (a new authentication: another auth_time) over the key.
  env.org.setClockOffset(5);
  const again = await signIn(client);
  await client.credential(again.tokens, { storage }).getAccessToken();
  const theirs = JSON.stringify(again.tokens.toStorable());
  // Before, the first tab's sign-out removed the second sign-in's tokens.
  expect((await signOut(client, credential)).revoked).toEqual(['refresh_token', 'access_token']);
  expect(stored() === theirs, "storage holds the other sign-in's tokens").toBe(true);
});

it("sign-out removes another tab's renewal of the signed-out session, and retries it after a removal that failed", async () => {
  const client = spaOf(env.org);
  for (const failOnce of [false, true]) {
    const { tokens } = await signIn(client);
    const { storage, state, saved } = mapStorage();
    const credential = client.credential(tokens, { storage });
    await credential.getAccessToken();
    // Another tab restores the session from storage and renews it: storage holds tokens this credential never wrote.
    const tab = await restoreCredential(client, { storage });
    await tab?.getAccessToken({ forceRefresh: true });
    expect(saved.size).toBe(1);
    state.failing = failOnce;
    const first = await outcome(signOut(client, credential));
    state.failing = false;
    if (failOnce) expect(await outcome(signOut(client, credential))).toBe('resolved');
    else expect(first).toBe('resolved');
    expect(saved.size).toBe(0);
  }
});

/** Whether Okta (the emulator) holds `token` active: a SPA's introspection, as a test may ask with the client id alone. */
async function active(clientId: string, token: string | undefined): Promise<boolean> {
  const answer = await fetch(`${env.org.url}/oauth2/v1/introspect?client_id=${clientId}`, { method: 'POST', body: new URLSearchParams({ token: token ?? '' }) });
  return ((await answer.json()) as { active: boolean }).active;
}

/** A credential over a map storage and another tab's, restored from it, that renewed and stored (R1 → R2) while the first still holds R1; `scopes` of the sign-in. */
async function renewedBeside(signInScopes = scopes) {
  const client = spaOf(env.org, { scopes: signInScopes });
  const { tokens } = await signIn(client);
  const { storage, saved, stored } = mapStorage();
  const credential = client.credential(tokens, { storage });
  await credential.getAccessToken();
  const tab = await restoreCredential(client, { storage });
  await tab?.getAccessToken({ forceRefresh: true });
  const renewal = JSON.parse(stored() ?? '{}') as { accessToken: string; refreshToken?: string; idToken?: string };
  expect(renewal.refreshToken).toEqual(expect.any(String));
  expect(renewal.refreshToken === tokens.refreshToken?.reveal()).toBe(false);
  // Past Okta's grace period the first credential's refresh token is rotated out: revoking it revokes nothing (emulator FIDELITY L14).
  env.org.setClockOffset(60);
  return { client, tokens, credential, saved, renewal };
}

// Tokens without an ID token (no openid) tell nothing of their sign-in: the removal took them as the signed-out session's and
// removed them, but neither named nor revoked them, so the other tab's renewal stayed valid at Okta, held by that tab, until it expired.
it('a renewal without an ID token another tab stored while this credential held the first tokens: sign-out revokes it as it removes it', async () => {
  const { client, tokens, credential, saved, renewal } = await renewedBeside(scopes.filter((scope) => scope !== 'openid' && scope !== 'profile'));
  expect(tokens.idToken === undefined && renewal.idToken === undefined).toBe(true);
  expect((await signOut(client, credential)).revoked).toEqual(['refresh_token', 'access_token']);
  expect(saved.size).toBe(0);
  expect({ refresh: await active(client.clientId, renewal.refreshToken), access: await active(client.clientId, renewal.accessToken) }).toEqual({ refresh: false, access: false });
});

// The found renewal's revocation was awaited before its removal: while Okta was slow (up to twice timeoutMs) storage still held the
// renewal, for a reload or another tab to take up.
it("Okta slow to revoke the renewal the sign-out found: storage holds none of the session's tokens while that revocation is pending", async () => {
  const { client, credential, saved, renewal } = await renewedBeside();
  const hold = env.org.injectFault({ path: '/oauth2/v1/revoke', kind: 'hold', holdMs: 60_000, count: 1 });
  const signingOut = signOut(client, credential);
  await until(() => env.org.heldAnswers(hold) === 1, "the found renewal's revocation held at the org");
  expect(saved.size, 'storage holds the renewal while its revocation is pending').toBe(0);
  env.org.releaseHeld(hold);
  expect((await signingOut).revoked).toEqual(['refresh_token', 'access_token']);
  expect({ refresh: await active(client.clientId, renewal.refreshToken), access: await active(client.clientId, renewal.accessToken) }).toEqual({ refresh: false, access: false });
});
