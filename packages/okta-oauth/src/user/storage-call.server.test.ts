/**
 * A user credential's storage is handed the call it renews for (`singleFlight`'s `call`), as a service
 * credential's is, so a shared storage's own log events (the Redis storage's `corrupt`) carry it:
 * okta-token-store-redis's `test/corrupt-event-call.server.test.ts`. Before (events140) it was handed
 * nothing of the call. Its `get` is called with the key alone: a storage's `get` may be a client's own,
 * which forwards every argument (storageget141; events140 had handed it `{ call }` too).
 * @org/okta-emulator for the org, a call through createOktaFetch whose user token expired: its
 * `authorize` reads the storage and renews under its flight.
 */
import { createOktaFetch, type OktaLogEvent } from '@org/okta-auth-core';
import { expect, it } from 'vitest';
import type { OktaStorage } from '../token-cache/storage.js';
import { expiredSignIn, fleetStorage } from './test-helpers/fleet-storage.js';
import { useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();

it("a user credential hands its storage's singleFlight the call whose authorize renews, and its get the key alone", async () => {
  const fleet = fleetStorage(async (memory, key, obtain) => {
    const { value } = await obtain();
    await memory.set(key, value);
    return value;
  });
  const asked: unknown[] = [];
  const storage: OktaStorage = {
    ...fleet.storage,
    get: (...args: [string]) => {
      asked.push(args);
      return fleet.storage.get(...args);
    },
  };
  const { credential } = await expiredSignIn(env, storage);
  asked.length = 0;
  fleet.flights.length = 0;
  const events: OktaLogEvent[] = [];
  expect((await createOktaFetch({ credential, logger: (event) => events.push(event) })('/api/v1/users/me')).status).toBe(200);
  const request = events.find((event) => event.type === 'request');
  const call = request?.type === 'request' ? request.call : undefined;
  expect(call).toEqual(expect.any(Number));
  // The cache's read, then the refresh grant's under the fleet's lock (a newer renewal stored meanwhile is renewed from): each with the key alone.
  expect(asked).toEqual([[expect.any(String)], [expect.any(String)]]);
  expect(fleet.flights.map((flight) => flight.options.call)).toEqual([call]);
});
