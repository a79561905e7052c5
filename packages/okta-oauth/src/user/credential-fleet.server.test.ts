/**
 * A user credential over a storage with `singleFlight` (a fleet's shared store): its refresh grant
 * runs under it for the credential's storage key (user-fleet.ts), what the store stored is not
 * written again, a wait that ends falls back to the credential's own refresh, and the client of
 * `@org/okta-oauth/sign-in` (a browser's) never calls it. The fleet of processes on a real Redis:
 * okta-token-store-redis's `test/user-single-flight.server.test.ts`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { UserCredential } from '../index.js';
import { expiredSignIn, fleetStorage, refreshTokensSent } from './test-helpers/fleet-storage.js';
import { useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();
const expired = (storage: Parameters<typeof expiredSignIn>[1], lean = false) => expiredSignIn(env, storage, lean);

describe('a user credential over a storage with singleFlight', () => {
  it('renews under it for its storage key: the store stores the text, with no expiry of its own, and the credential writes it no second time', async () => {
    let stored: { value: string; expiresAt: number } | undefined;
    const fleet = fleetStorage(async (memory, key, obtain) => {
      stored = await obtain();
      await memory.set(key, stored.value);
      return stored.value;
    });
    const { credential, tokens, storageKey } = await expired(fleet.storage);
    fleet.sets.length = 0;
    const renewed = await credential.getAccessToken();
    expect(renewed.reveal()).not.toBe(tokens.accessToken.reveal());
    expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
    expect(fleet.flights.map((flight) => flight.key)).toEqual([storageKey]);
    expect(stored).toEqual({ value: JSON.stringify(credential.tokens!.toStorable()), expiresAt: Number.POSITIVE_INFINITY });
    expect(fleet.sets).toEqual([]);
    // Its `fresh`: a renewal of this sign-in is; the tokens this process held when it started renewing (expired), another client's, garbage are not.
    const { fresh } = fleet.flights[0]!.options;
    expect(fresh?.(stored!.value)).toBe(true);
    expect(fresh?.(JSON.stringify(tokens.toStorable()))).toBe(false);
    expect(fresh?.(stored!.value.replace(/"idToken":"[^"]*",?/, ''))).toBe(false);
    expect(fresh?.('{')).toBe(false);
  });

  it("takes another process's stored renewal when the store hands it back: no refresh grant here", async () => {
    const other = { text: '' };
    const fleet = fleetStorage(() => Promise.resolve(other.text));
    const { client, credential, tokens } = await expired(fleet.storage);
    // Another process renewed the same sign-in (the same refresh token, at Okta), now: its expiry on Okta's clock, an hour on as this one's.
    const elsewhere = client.credential(tokens);
    await elsewhere.getAccessToken({ forceRefresh: true });
    other.text = JSON.stringify(elsewhere.tokens!.toStorable());
    env.org.resetCounters();
    expect(fleet.flights).toHaveLength(0);
    expect((await credential.getAccessToken()).reveal()).toBe(elsewhere.tokens!.accessToken.reveal());
    expect(env.org.counters().tokenRequests.refresh_token).toBeUndefined();
    expect(fleet.flights[0]!.options.fresh?.(other.text)).toBe(true);
  });

  it('renews from the renewal another process stored while it waited for the lock, never from the refresh token that one spent', async () => {
    const { fetch, sent } = refreshTokensSent();
    const other: { credential?: UserCredential } = {};
    // The lock is this process's once another process stored its renewal (its `fresh` refused, as for a renewal that outlived half its lifetime).
    const fleet = fleetStorage(async (memory, key, obtain) => {
      await other.credential!.getAccessToken({ forceRefresh: true });
      await memory.set(key, JSON.stringify(other.credential!.tokens!.toStorable()));
      const { value } = await obtain();
      await memory.set(key, value);
      return value;
    });
    const { client, credential, tokens } = await expiredSignIn(env, fleet.storage, false, (now) => env.spa({ now, fetch }, 'rotate'));
    other.credential = client.credential(tokens);
    sent.length = 0;
    await credential.getAccessToken();
    const theirs = other.credential.tokens!.refreshToken!.reveal();
    expect(sent).toEqual([tokens.refreshToken!.reveal(), theirs]);
    expect(credential.tokens!.refreshToken!.reveal()).not.toBe(theirs);
  });

  it('falls back to its own refresh when the fleet wait ends (FLEET_WAIT_EXCEEDED), and writes it itself', async () => {
    const exceeded = Object.assign(new Error('Waited 4000 ms for another process.'), { code: 'FLEET_WAIT_EXCEEDED' });
    const fleet = fleetStorage(() => Promise.reject(exceeded));
    const { credential, tokens, storageKey } = await expired(fleet.storage);
    fleet.sets.length = 0;
    expect((await credential.getAccessToken()).reveal()).not.toBe(tokens.accessToken.reveal());
    expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
    expect(fleet.flights).toHaveLength(1);
    expect(fleet.sets).toEqual([{ key: storageKey, expiresAt: undefined }]);
    expect(fleet.memory.get(storageKey)).toBe(JSON.stringify(credential.tokens!.toStorable()));
  });

  it("waits as long as the storage declares (fleetWaitMs, here 10 s): another process's renewal handed back after 5 s is taken, no refresh grant here", async () => {
    const other = { text: '' };
    const fleet = fleetStorage(async () => {
      await sleep(5300);
      return other.text;
    });
    const storage = Object.assign(fleet.storage, { fleetWaitMs: 10_000 });
    const { client, credential, tokens } = await expired(storage);
    const elsewhere = client.credential(tokens);
    await elsewhere.getAccessToken({ forceRefresh: true });
    other.text = JSON.stringify(elsewhere.tokens!.toStorable());
    env.org.resetCounters();
    // Before, the wait ended at 5 s (the default) and the credential sent the refresh token the other process had spent.
    expect((await credential.getAccessToken()).reveal()).toBe(elsewhere.tokens!.accessToken.reveal());
    expect(env.org.counters().tokenRequests.refresh_token).toBeUndefined();
  });

  it('is not used by the client of @org/okta-oauth/sign-in (a browser bundle does not ship it)', async () => {
    const fleet = fleetStorage(() => Promise.reject(new Error('not called')));
    const { credential, tokens } = await expired(fleet.storage, true);
    expect((await credential.getAccessToken()).reveal()).not.toBe(tokens.accessToken.reveal());
    expect(fleet.flights).toHaveLength(0);
    expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
  });
});
