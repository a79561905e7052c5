/**
 * Sign-out's removal and the undo of a write that lands after sign-out, against a new sign-in
 * written between their read and their removal (another tab, another process on a shared store),
 * on @org/okta-emulator: with the storage's `removeIfEqual` the new sign-in stays; without it, the
 * removal takes it (the documented window of one storage call). A `removeIfEqual` that throws or
 * hangs fails the removal as `remove()` does: bounded, thrown by sign-out, logged by the undo.
 */
import type { OktaLogEvent } from '@org/okta-auth-core';
import { it, type TestContext } from 'vitest';
import { signOut } from './client-functions.js';
import { createMemoryStorage } from './storage.js';
import type { OktaStorage } from '../token-cache/storage.js';
import { gate, roundTrip } from './test-helpers/late-storage.js';
import { concurrentTest, orgPacedFetch, signIn, spaOf, startSignInOrg } from './test-helpers/sign-in-org.js';

/**
 * Most of these tests wait out the storage calls' 3 s `timeoutMs` (a hung call's), some more than
 * once: they run at once (`it.concurrent`), each on an org of its own (`startSignInOrg`), and a
 * test's cases at once too (each its own app and storage; only the first moves its org's clock, and
 * takes its cases one at a time).
 */
async function concurrently<T>(cases: readonly T[], run: (each: T) => Promise<void>): Promise<void> {
  await Promise.all(cases.map(run));
}

/**
 * `createMemoryStorage()` with or without its `removeIfEqual`, whose first `set()` reaches it only
 * when the test opens `held` (if `hold`), and whose next `get()` or `removeIfEqual()` after
 * {@link racedStorage}'s `between` lets another writer write first: `get` answers what it read before.
 */
function racedStorage(options: { compare: boolean; hold?: boolean }) {
  const memory = createMemoryStorage();
  const held = gate();
  let holding = options.hold === true;
  let lastKey = '';
  let writer: ((key: string) => void) | undefined;
  const meanwhile = (key: string) => {
    writer?.(key);
    writer = undefined;
  };
  const storage: OktaStorage = {
    get(key) {
      const value = memory.get(key);
      meanwhile(key);
      return value;
    },
    async set(key, value) {
      lastKey = key;
      if (holding) {
        holding = false;
        await held.opened;
      }
      await memory.set(key, value);
    },
    remove: (key) => memory.remove(key),
  };
  if (options.compare) {
    storage.removeIfEqual = (key, value) => {
      meanwhile(key);
      return memory.removeIfEqual?.(key, value) ?? false;
    };
  }
  return {
    storage,
    open: held.open,
    /** Another tab's write, made just after the next read (or just before the next removeIfEqual). */
    between: (value: string) => (writer = (key) => void memory.set(key, value)),
    /** What the storage holds under the credential's key (the key of its first write). */
    stored: () => memory.get(lastKey),
  };
}

/** A logger, and the first `token-store` event it receives. */
function storeEvents() {
  const events: OktaLogEvent[] = [];
  let first: (event: OktaLogEvent) => void = () => undefined;
  const logged = new Promise<OktaLogEvent>((resolve) => (first = resolve));
  return {
    events,
    logged,
    logger: (event: OktaLogEvent) => {
      events.push(event);
      if (event.type === 'token-store') first(event);
    },
  };
}

/** The message of a sign-out whose removal through `calls` outlasted the test's timeoutMs (3000). */
const removalTimedOut = (calls: string, left: string) =>
  `The token storage ${calls} did not settle within 3000 ms (timeoutMs): it was abandoned. ${left} may still be in storage: make the storage's ${calls} settle within timeoutMs (or raise timeoutMs), then sign out again to remove them.`;

/** How `work` failed: its error's code and message (undefined if it resolved). */
const failed = (work: Promise<unknown>) =>
  work.then(
    () => undefined,
    (error: unknown) => ({ code: (error as { code?: string }).code, message: (error as Error).message }),
  );

const outcome = (work: Promise<unknown>) => work.then(() => 'resolved', (error: unknown) => (error as { code?: string }).code ?? (error as Error).message);

it.concurrent("a new sign-in written between sign-out's read and its removal stays with removeIfEqual, and is removed without it", concurrentTest, async (test: TestContext) => {
  const { expect } = test;
  const env = await startSignInOrg(test);
  for (const compare of [true, false]) {
    const client = spaOf(env.org);
    const { tokens } = await signIn(client);
    // Another tab's new sign-in (5 s later on the org's clock: another auth_time).
    env.org.setClockOffset(5);
    const theirs = JSON.stringify((await signIn(client)).tokens.toStorable());
    const raced = racedStorage({ compare });
    const credential = client.credential(tokens, { storage: raced.storage });
    await credential.getAccessToken(); // its write has landed: the key holds the signed-out tokens
    raced.between(theirs);
    expect((await signOut(client, credential)).revoked).toEqual(['refresh_token', 'access_token']);
    // Before, sign-out removed whatever the key held after its read: the other tab's sign-in too.
    expect(raced.stored() === theirs, `the new sign-in stays (removeIfEqual: ${compare})`).toBe(compare);
    env.org.setClockOffset(0);
  }
});

it.concurrent("a new sign-in written between a late write's undo and its removal stays with removeIfEqual, and is removed without it", concurrentTest, async (test: TestContext) => {
  const { expect } = test;
  const env = await startSignInOrg(test);
  await concurrently([true, false], async (compare) => {
    // 3 s for its storage calls: sign-out's wait for the held write gives up after it (its revocations wait up to signInTimeoutMs: orgPacedFetch).
    const client = spaOf(env.org, { timeoutMs: 3000, fetch: orgPacedFetch });
    const { tokens } = await signIn(client);
    const theirs = JSON.stringify((await signIn(client)).tokens.toStorable());
    const raced = racedStorage({ compare, hold: true });
    const credential = client.credential(tokens, { storage: raced.storage });
    await signOut(client, credential);
    // The slow store writes the signed-out tokens; another tab signs in just after the undo reads them (just before its removeIfEqual).
    raced.between(theirs);
    raced.open();
    await roundTrip(env.org);
    expect(raced.stored() === theirs, `the new sign-in stays (removeIfEqual: ${compare})`).toBe(compare);
  });
});

/** A raced storage whose `removeIfEqual` throws or never settles while `failing` is set. */
function failingStorage(failure: 'error' | 'timeout', hold = false) {
  const raced = racedStorage({ compare: true, hold });
  const compare = raced.storage.removeIfEqual?.bind(raced.storage);
  const state = { failing: false };
  raced.storage.removeIfEqual = (key, value) => {
    if (!state.failing) return compare?.(key, value) ?? false;
    if (failure === 'error') throw new Error('removeIfEqual failed');
    return new Promise<boolean>(() => undefined);
  };
  return { ...raced, state };
}

it.concurrent('a removeIfEqual that throws or never settles fails sign-out as a failed remove() does, and a later sign-out removes the tokens', concurrentTest, async (test: TestContext) => {
  const { expect } = test;
  const env = await startSignInOrg(test);
  await concurrently(['error', 'timeout'] as const, async (failure) => {
    const client = spaOf(env.org, { timeoutMs: 3000, fetch: orgPacedFetch });
    const { tokens } = await signIn(client);
    const { storage, state, stored } = failingStorage(failure);
    const credential = client.credential(tokens, { storage });
    await credential.getAccessToken();
    state.failing = true;
    // Bounded by timeoutMs (the hung call: TIMEOUT, naming it and what to do), thrown by sign-out, after revoking as before.
    const result = await failed(signOut(client, credential));
    expect(failure === 'error' ? result?.message : result).toEqual(failure === 'error' ? 'removeIfEqual failed' : { code: 'TIMEOUT', message: removalTimedOut('removeIfEqual()', 'The signed-out tokens') });
    expect(await outcome(client.credential(tokens).getAccessToken({ forceRefresh: true }))).toBe('LOGIN_REQUIRED');
    expect(stored() === JSON.stringify(tokens.toStorable())).toBe(true);
    state.failing = false;
    expect(await outcome(signOut(client, credential))).toBe('resolved');
    expect(stored()).toBeUndefined();
  });
});

it.concurrent('a remove() that never settles (no removeIfEqual) fails sign-out with a TIMEOUT naming remove() and what to do', concurrentTest, async (test: TestContext) => {
  const { expect } = test;
  const env = await startSignInOrg(test);
  const client = spaOf(env.org, { timeoutMs: 3000, fetch: orgPacedFetch });
  const { tokens } = await signIn(client);
  const { storage, stored } = racedStorage({ compare: false });
  const state = { failing: false };
  const remove = storage.remove.bind(storage);
  storage.remove = (key) => (state.failing ? new Promise<never>(() => undefined) : remove(key));
  const credential = client.credential(tokens, { storage });
  await credential.getAccessToken();
  state.failing = true;
  expect(await failed(signOut(client, credential))).toEqual({ code: 'TIMEOUT', message: removalTimedOut('remove()', 'The signed-out tokens') });
  expect(stored() === JSON.stringify(tokens.toStorable())).toBe(true);
});

it.concurrent('the undo of a late write through a removeIfEqual that throws or never settles is logged, and a later sign-out undoes it', concurrentTest, async (test: TestContext) => {
  const { expect } = test;
  const env = await startSignInOrg(test);
  await concurrently(['error', 'timeout'] as const, async (failure) => {
    const { events, logged, logger } = storeEvents();
    const client = spaOf(env.org, { timeoutMs: 3000, fetch: orgPacedFetch, logger });
    const { tokens } = await signIn(client);
    const { storage, state, stored, open } = failingStorage(failure, true);
    const credential = client.credential(tokens, { storage });
    await signOut(client, credential);
    state.failing = true;
    open(); // the slow store writes the signed-out tokens after sign-out
    expect(await logged).toEqual({ type: 'token-store', operation: 'delete', outcome: failure });
    expect(stored() === JSON.stringify(tokens.toStorable())).toBe(true);
    expect(JSON.stringify(events)).not.toContain(tokens.accessToken.reveal());
    state.failing = false;
    expect(await outcome(signOut(client, credential))).toBe('resolved');
    expect(stored()).toBeUndefined();
  });
});

it.concurrent('an entry the storage holds but cannot read (get answers nothing) goes at sign-out with removeIfUnreadable, bounded; without it, it stays', concurrentTest, async (test: TestContext) => {
  const { expect } = test;
  const env = await startSignInOrg(test);
  await concurrently(['removes', 'absent', 'hangs'] as const, async (method) => {
    const client = spaOf(env.org, { timeoutMs: 3000, fetch: orgPacedFetch });
    const { tokens } = await signIn(client);
    const memory = createMemoryStorage();
    // An encrypting store's entry sealed under a key this process does not hold: there, unreadable here.
    const foreign = (value: unknown) => typeof value === 'string' && value.startsWith('sealed by another key:');
    let key = '';
    const storage: OktaStorage = {
      get: (k) => (foreign(memory.get(k)) ? undefined : memory.get(k)),
      set(k, value) {
        key = k;
        return memory.set(k, value);
      },
      remove: (k) => memory.remove(k),
      removeIfEqual: (k, value) => memory.removeIfEqual?.(k, value) ?? false,
    };
    if (method === 'removes') storage.removeIfUnreadable = (k) => foreign(memory.get(k)) && (void memory.remove(k), true);
    if (method === 'hangs') storage.removeIfUnreadable = () => new Promise<boolean>(() => undefined);
    const credential = client.credential(tokens, { storage });
    await credential.getAccessToken();
    // Another process renews the session and stores it under the next key.
    const theirs = `sealed by another key:${JSON.stringify(tokens.toStorable())}`;
    await memory.set(key, theirs);
    const result = await signOut(client, credential).then(() => undefined, (error: unknown) => error as { code?: string; message?: string });
    expect({ method, stored: memory.get(key) === theirs, failure: result?.code }).toEqual({ method, stored: method !== 'removes', failure: method === 'hangs' ? 'TIMEOUT' : undefined });
    if (method === 'hangs') expect(result?.message).toBe(removalTimedOut('removeIfUnreadable()', 'The signed-out tokens'));
  });
});

it.concurrent("a later sign-out whose undo of a late write outlasts timeoutMs names the storage calls it waited on (removeIfEqual, or get and remove) and what to do", concurrentTest, async (test: TestContext) => {
  const { expect } = test;
  const env = await startSignInOrg(test);
  await concurrently([true, false], async (compare) => {
    const { logged, logger } = storeEvents();
    const client = spaOf(env.org, { timeoutMs: 3000, fetch: orgPacedFetch, logger });
    const { tokens } = await signIn(client);
    const memory = createMemoryStorage();
    const held = gate();
    const state = { holding: true, failing: false };
    const hang = () => new Promise<never>(() => undefined);
    // Without removeIfEqual, the undo reads the key (get), then removes it: here the get hangs.
    const storage: OktaStorage = {
      get: (key) => (state.failing ? hang() : memory.get(key)),
      async set(key, value) {
        if (state.holding) {
          state.holding = false;
          await held.opened;
        }
        await memory.set(key, value);
      },
      remove: (key) => memory.remove(key),
    };
    if (compare) storage.removeIfEqual = (key, value) => (state.failing ? hang() : (memory.removeIfEqual?.(key, value) ?? false));
    const credential = client.credential(tokens, { storage });
    await signOut(client, credential);
    state.failing = true;
    held.open(); // the slow store writes the signed-out tokens after sign-out; their undo times out (logged)
    expect(await logged).toEqual({ type: 'token-store', operation: 'delete', outcome: 'timeout' });
    expect({ compare, failure: await failed(signOut(client, credential)) }).toEqual({
      compare,
      failure: { code: 'TIMEOUT', message: removalTimedOut(compare ? 'removeIfEqual()' : 'get() and remove()', 'The tokens a write that landed after sign-out wrote') },
    });
  });
});
