/**
 * rev121: signout120 let `OktaStorage.singleFlight` resolve `undefined`, for a user credential's `stored`
 * renewal only. A service or OIN credential never asks for `stored`; a store of your own that answers
 * `undefined` to one anyway (its types say it may not) is a store answer the cache refuses: logged, and the
 * credential asks Okta itself (or finishes the request the flight already made). `undefined` is never handed out as a token.
 */
import type { OktaLogEvent } from '@org/okta-auth-core';
import { describe, expect, it } from 'vitest';
import { fleetObtain } from './fleet.js';
import { entryStoreOf, type OktaStorage, type SingleFlightOptions } from './storage.js';
import { TokenCache } from './token-cache.js';
import type { TokenStoreEntry } from './token-store.js';
import { createMemoryStorage } from '../user/storage.js';

const entry = (n: number): TokenStoreEntry => ({ accessToken: `token-${n}`, tokenType: 'Bearer', expiresAt: Date.now() + 3_600_000, lifetimeMs: 3_600_000 });

describe("a service credential's store whose single flight answers undefined", () => {
  it.each([
    ['without calling obtain', false],
    ['after calling obtain', true],
  ])('%s: never asked for stored; the answer refused, logged, and one token request', async (_what, callsObtain) => {
    const memory = createMemoryStorage();
    const seen: SingleFlightOptions[] = [];
    const storage: OktaStorage = {
      get: (key) => memory.get(key),
      set: (key, value) => memory.set(key, value),
      remove: (key) => memory.remove(key),
      singleFlight: async (_key, obtain, options) => {
        seen.push(options);
        if (callsObtain) await obtain();
        return undefined;
      },
    };
    const events: OktaLogEvent[] = [];
    let calls = 0;
    const cache = new TokenCache({ store: entryStoreOf(storage), key: 'k', fleet: fleetObtain, logger: (e) => events.push(e), obtain: () => Promise.resolve(entry(++calls)) });
    const got = await cache.get();
    expect(got.accessToken).toBe(`token-${calls}`);
    // A request the flight already made is finished, not made twice.
    expect(calls).toBe(1);
    expect(seen).toHaveLength(1);
    expect('stored' in seen[0]!).toBe(false);
    expect(events.map((event) => [event.type, (event as { operation?: string }).operation])).toEqual([['token-store', 'single-flight']]);
  });
});
