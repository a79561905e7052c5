/**
 * lockwait156: a flight whose signal fires (okta-oauth's `SingleFlightOptions.signal`: every caller of the
 * renewal gave up, or the credential's `fleetWaitMs` passed) takes no lease and calls no `obtain` from
 * then on. Before, the signal was handed to the `acquire` request itself: one aborted on its way lost the
 * object's answer, and a lease the object granted was held for nobody until it expired (the next isolate
 * waited for it); and a signal that fired between polls still took a lease that had come free.
 */
import { describe, expect, it } from 'vitest';
import { createDurableObjectTokenStorage } from './index.js';
import type { DurableObjectNamespaceLike } from './options.js';
import { memoryStorage } from './test-helpers/memory-storage.js';
import { OktaTokenStoreObject } from './token-store-object.js';

/** One object in this process; `calls` names each operation sent, and `onAcquire` runs before the object gets an `acquire`. */
function recordingNamespace(onAcquire: () => void) {
  const object = new OktaTokenStoreObject({ storage: memoryStorage().storage });
  const calls: string[] = [];
  const namespace: DurableObjectNamespaceLike = {
    idFromName: (name) => name,
    get: () => ({
      fetch: (url, init) => {
        const operation = url.slice(url.lastIndexOf('/') + 1);
        calls.push(operation);
        if (operation === 'acquire') onAcquire();
        return object.fetch(new Request(url, init));
      },
    }),
  };
  return { namespace, calls };
}

const token = { value: 'token', expiresAt: Date.now() + 3_600_000 };

describe('a singleFlight whose signal fires', () => {
  it('while its acquire is on its way: ABORTED, obtain never called, and the lease the object granted is let go at once', async () => {
    const caller = new AbortController();
    const { namespace, calls } = recordingNamespace(() => caller.abort());
    const [a, b] = [createDurableObjectTokenStorage({ namespace }), createDurableObjectTokenStorage({ namespace, maxWaitMs: 200, leaseTtlMs: 100 })];
    let asked = 0;
    await expect(a.singleFlight!('k', () => (asked++, Promise.resolve(token)), { signal: caller.signal })).rejects.toMatchObject({ code: 'ABORTED' });
    expect(asked).toBe(0);
    calls.length = 0;
    // Another isolate takes the lease at once: no wait for one held for nobody (before: FLEET_WAIT_EXCEEDED after 200 ms of peeks).
    expect(await b.singleFlight!('k', () => Promise.resolve(token), {})).toBe('token');
    expect(calls).not.toContain('peek');
  });

  it('given a signal that fired already: nothing sent, no lease, obtain never called', async () => {
    const { namespace, calls } = recordingNamespace(() => undefined);
    const storage = createDurableObjectTokenStorage({ namespace });
    let asked = 0;
    await expect(storage.singleFlight!('k', () => (asked++, Promise.resolve(token)), { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ABORTED' });
    expect({ asked, calls }).toEqual({ asked: 0, calls: [] });
  });
});
