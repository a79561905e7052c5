/**
 * Sign-out's removal against a renewal of the same sign-in written between its read and its
 * `removeIfEqual` (another tab renewing on the shared storage), on @org/okta-emulator: the
 * refused removal reads the key again and removes the renewal too, which sign-out revokes.
 */
import { it, type TestContext } from 'vitest';
import { signOut } from './client-functions.js';
import { createMemoryStorage } from './storage.js';
import type { OktaStorage } from '../token-cache/storage.js';
import { gate } from './test-helpers/late-storage.js';
import { concurrentTest, signIn, spaOf, startSignInOrg } from './test-helpers/sign-in-org.js';

it.concurrent("another tab's renewal written between sign-out's read and its removeIfEqual is removed and revoked", concurrentTest, async (test: TestContext) => {
  const { expect } = test;
  const env = await startSignInOrg(test);
  // The tokens sent to the revocation endpoint.
  const revoked: string[] = [];
  const client = spaOf(env.org, {
    fetch: async (input, init) => {
      const request = new Request(input, init);
      if (new URL(request.url).pathname === '/oauth2/v1/revoke') revoked.push(new URLSearchParams(await request.clone().text()).get('token') ?? '');
      return fetch(request);
    },
  });
  const { tokens } = await signIn(client);
  const memory = createMemoryStorage();
  // The signing-out tab's first removeIfEqual reaches the storage only once the test opens it.
  const held = gate();
  let holding = true;
  const storage: OktaStorage = {
    get: (key) => memory.get(key),
    set: (key, value) => memory.set(key, value),
    remove: (key) => memory.remove(key),
    async removeIfEqual(key, value) {
      if (holding) {
        holding = false;
        held.reach();
        await held.opened;
      }
      return memory.removeIfEqual!(key, value);
    },
  };
  const leaving = client.credential(tokens, { storage });
  const renewing = client.credential(tokens, { storage });
  await leaving.getAccessToken(); // the key holds the tokens
  const signedOut = signOut(client, leaving);
  await held.reached;
  // The other tab renews: its write lands (and its caller has the renewal) before the removal runs.
  const renewal = await renewing.getAccessToken({ forceRefresh: true });
  held.open();
  await signedOut;
  // Before: removeIfEqual(the tokens read) was refused and the storage kept the renewal for the signed-out user.
  expect(await client.restoreCredential({ storage })).toBeUndefined();
  expect(revoked).toEqual(expect.arrayContaining([renewing.tokens!.refreshToken!.reveal(), renewal.reveal()]));
});
