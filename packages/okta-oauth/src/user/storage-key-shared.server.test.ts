/**
 * A storage shared by processes (it offers `singleFlight`, the fleet hook: the Redis store, a
 * Durable Object) without a `storageKey`: every user of the server would share the client's one
 * default key, and a page restored from it showed the last user's tokens (ru154: after Bob signed
 * in, Ada's page showed bob@example.com). `credential()` and `restoreCredential()` refuse it with
 * `INVALID_CONFIG` saying to pass a key per user, before anything is stored, read or sent; with a
 * `storageKey` they work, and a storage without `singleFlight` (a browser's Web Storage, one user's)
 * keeps the default key. Both entries, over real HTTP against the emulator.
 */
import { describe, expect, it } from 'vitest';
import { awaitedRefusal as refusal } from '../test-helpers/refusal.js';
import { restoreCredential } from './client-functions.js';
import { createMemoryStorage } from './storage.js';
import { fleetStorage } from './test-helpers/fleet-storage.js';
import { clientFor, signIn, signInEntries, tokensKeyOf, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();

describe.each(signInEntries)('a storage shared by processes without a storageKey (%s)', (_entry, create) => {
  it('is refused by credential() and restoreCredential(), nothing stored, read or sent; a storageKey, or a storage without singleFlight, is taken', async () => {
    const app = env.org.createSignInApp({ type: 'spa', redirectUris: ['http://127.0.0.1:5173/callback'], scopes: ['okta.users.read'] });
    const client = clientFor(env.org, app, {}, create);
    const result = await signIn(client);
    const fleet = fleetStorage(async (_memory, _key, obtain) => (await obtain()).value);
    await fleet.memory.set(tokensKeyOf(client.clientId), 'another user’s tokens');
    env.org.resetCounters();
    const fix = 'a storage with singleFlight (shared by processes) needs a storageKey per user and session.';
    expect([
      await refusal(() => client.credential(result, { storage: fleet.storage })),
      await refusal(() => restoreCredential(client, { storage: fleet.storage })),
      await refusal(() => restoreCredential(client, { storage: fleet.storage, storageKey: null as never })),
    ]).toEqual([
      `INVALID_CONFIG: credential: ${fix}`,
      `INVALID_CONFIG: restoreCredential: ${fix}`,
      `INVALID_CONFIG: restoreCredential: ${fix}`,
    ]);
    expect(fleet.sets).toEqual([]);
    expect(env.org.counters().tokenRequests).toEqual({});

    // A key per user: stored under it and restored from it.
    const storageKey = `user:${result.claims?.sub}:session-1`;
    await client.credential(result, { storage: fleet.storage, storageKey }).getAccessToken();
    expect(fleet.sets.map(({ key }) => key)).toEqual([storageKey]);
    expect((await restoreCredential(client, { storage: fleet.storage, storageKey }))?.tokens?.accessToken.reveal()).toBe(result.tokens.accessToken.reveal());
    // One user's storage (no singleFlight) keeps the client's default key.
    const own = createMemoryStorage();
    await client.credential(result, { storage: own }).getAccessToken();
    expect(await restoreCredential(client, { storage: own })).toBeDefined();
  });
});
