/**
 * lostack137: a stored flight (`singleFlight` with `stored`, a user's renewal) whose write (`complete`) the object
 * refused, or made, but whose answer never reached this isolate (the object reset on a deploy, overloaded, past
 * `timeoutMs`), or whose value this isolate refused to send (`LIMIT_EXCEEDED`): the flight fails, so the credential
 * writes the renewal itself over its own sign-in (okta-oauth's user-fleet.ts), which a sign-out meanwhile refuses.
 * Before, it answered the renewal as if stored, and the credential handed out the signed-out session's renewal.
 * A service token's flight (no `stored`) still answers its token: there is no sign-out to honour.
 */
import { describe, expect, it } from 'vitest';
import { createDurableObjectTokenStorage } from './index.js';
import { maxValueChars } from './protocol.js';
import type { DurableObjectNamespaceLike } from './options.js';
import { memoryStorage } from './test-helpers/memory-storage.js';
import { OktaTokenStoreObject } from './token-store-object.js';

/** One object in this process whose answer to `complete` is lost once `lose` is set: the object runs the step, the caller gets the stub's error. */
function losingNamespace() {
  const object = new OktaTokenStoreObject({ storage: memoryStorage().storage });
  const state = { lose: false, completes: 0 };
  const namespace: DurableObjectNamespaceLike = {
    idFromName: (name) => name,
    get: () => ({
      fetch: async (url, init) => {
        const answer = await object.fetch(new Request(url, init));
        if (!url.endsWith('/complete')) return answer;
        state.completes++;
        if (state.lose) throw new Error('Durable Object reset because its code was updated.');
        return answer;
      },
    }),
  };
  return { namespace, state };
}

const renewal = { value: 'R2-renewal', expiresAt: Number.POSITIVE_INFINITY };

describe('a stored flight whose write answer is lost', () => {
  it('the key removed while obtain ran (a sign-out on another isolate): the flight fails, never answering the renewal', async () => {
    const { namespace, state } = losingNamespace();
    const [a, b] = [createDurableObjectTokenStorage({ namespace }), createDurableObjectTokenStorage({ namespace })];
    await a.set('user', 'R1-tokens');
    const flight = a.singleFlight!('user', async () => {
      await b.remove('user');
      state.lose = true;
      return renewal;
    }, { stored: true, fresh: () => false });
    // Before: resolved 'R2-renewal', as if the object had stored it.
    await expect(flight).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', message: "The token store object failed complete: check its binding and Cloudflare's status." });
    expect(state.completes).toBe(1);
    expect(await b.get('user')).toBeUndefined();
  });

  it('nothing removed: the flight fails too (this isolate cannot tell whether it was written), and the lease is let go', async () => {
    const { namespace, state } = losingNamespace();
    const storage = createDurableObjectTokenStorage({ namespace });
    await storage.set('user', 'R1-tokens');
    state.lose = true;
    await expect(storage.singleFlight!('user', () => Promise.resolve(renewal), { stored: true, fresh: () => false })).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    // The object wrote it (its answer lost); the next flight takes the lease at once and sees that write.
    state.lose = false;
    expect(await storage.singleFlight!('user', () => Promise.resolve({ value: 'R3', expiresAt: Number.POSITIVE_INFINITY }), { stored: true, fresh: (value) => value === 'R2-renewal' })).toBe('R2-renewal');
  });

  it('a renewal over the value bound is refused here before it is sent: the flight fails with LIMIT_EXCEEDED', async () => {
    const { namespace, state } = losingNamespace();
    const storage = createDurableObjectTokenStorage({ namespace });
    await storage.set('user', 'R1-tokens');
    const flight = storage.singleFlight!('user', () => Promise.resolve({ value: 'x'.repeat(maxValueChars + 1), expiresAt: Number.POSITIVE_INFINITY }), { stored: true, fresh: () => false });
    await expect(flight).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
    expect(state.completes).toBe(0);
    expect(await storage.get('user')).toBe('R1-tokens');
  });

  it("a service token's flight (no stored): still answers its token, good for this isolate", async () => {
    const { namespace, state } = losingNamespace();
    const storage = createDurableObjectTokenStorage({ namespace });
    state.lose = true;
    expect(await storage.singleFlight!('service', () => Promise.resolve({ value: 'service-token', expiresAt: Date.now() + 60_000 }), {})).toBe('service-token');
    expect(state.completes).toBe(1);
  });
});
