/**
 * lock164: a lease whose isolate died (taken, never extended or let go again) ends while the other isolates
 * still wait for it, with the defaults. Before (`leaseTtlMs` 5000 against `maxWaitMs` 4000), every waiter
 * waited 4 s, then failed `FLEET_WAIT_EXCEEDED` and asked Okta itself: one grant per isolate. One object in
 * this process (`test/fleet.server.test.ts` runs it in workerd); outcomes and counts, never times.
 */
import { describe, expect, it } from 'vitest';
import { createDurableObjectTokenStorage } from './index.js';
import type { DurableObjectNamespaceLike } from './options.js';
import { memoryStorage } from './test-helpers/memory-storage.js';
import { OktaTokenStoreObject } from './token-store-object.js';

describe('a lease whose isolate died (the defaults)', () => {
  it('one waiter takes over once it ends: one grant for all, every waiter gets the token', async () => {
    const object = new OktaTokenStoreObject({ storage: memoryStorage().storage });
    const reach = (url: string, init?: RequestInit) => object.fetch(new Request(url, init));
    // The dying isolate's calls reach the object until it dies, then never (its extensions and release are lost).
    let dead = false;
    const ended: (() => void)[] = [];
    const dying: DurableObjectNamespaceLike = {
      idFromName: (name) => name,
      get: () => ({ fetch: (url, init) => (dead ? new Promise<Response>(() => undefined) : reach(url, init)) }),
    };
    const living: DurableObjectNamespaceLike = { idFromName: (name) => name, get: () => ({ fetch: reach }) };
    const leased = new Promise<void>((resolve) => {
      void createDurableObjectTokenStorage({ namespace: dying })
        .singleFlight!(
          'k',
          async () => {
            dead = true;
            resolve();
            // Its flight ends with the test (its heartbeat stops), long after the object forgot it.
            await new Promise((end) => ended.push(() => end(undefined)));
            throw new Error('the isolate is gone');
          },
          {},
        )
        .catch(() => undefined);
    });
    try {
      await leased;
      let grants = 0;
      const obtain = () => Promise.resolve({ value: `token ${++grants}`, expiresAt: Date.now() + 3_600_000 });
      const waiters = Array.from({ length: 6 }, () =>
        createDurableObjectTokenStorage({ namespace: living })
          .singleFlight!('k', obtain, {})
          .catch((error: unknown) => (error as { code?: string }).code),
      );
      // Before: FLEET_WAIT_EXCEEDED for each (then a grant each, outside the fleet).
      expect(await Promise.all(waiters)).toEqual(Array.from({ length: 6 }, () => 'token 1'));
      expect(grants).toBe(1);
    } finally {
      for (const end of ended) end();
    }
  });
});
