/**
 * rev122's red-team read of fallback122's write (user-fleet.ts): a user credential over a fleet's storage
 * whose flight failed (the store failed in the flight: every renewal here is the credential's own) writes its
 * renewal with the storage's `replaceIfEqual` over the tokens of its own sign-in, through a storage of the
 * test's own (user code: an answer that is no boolean, a method that is no function, a call held past
 * `timeoutMs`). The Redis store's own: okta-token-store-redis's `test/user-fleet-fallback.server.test.ts`.
 */
import { isOktaAuthError } from '@org/okta-auth-core';
import { failure } from '@org/okta-test-utils';
import { describe, expect, it, vi } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import type { OktaStorage, StorageSetOptions } from '../token-cache/storage.js';
import { fleetStorage } from './test-helpers/fleet-storage.js';
import { orgPacedFetch, signIn, tokensKeyOf, useSignInOrg } from './test-helpers/sign-in-org.js';
import type { UserTokens } from './tokens.js';

const env = useSignInOrg();
const textOf = (tokens: UserTokens | undefined) => JSON.stringify(tokens?.toStorable());

/**
 * A user signed in an hour ago (the client's clock and the org's), given a storage whose single flight fails at
 * once and whose `replaceIfEqual` is `replace` (over the memory storage; given as it is when no function); every value the
 * storage is given for the tokens' key recorded (`written`), and its reads counted. `onRead`: run before each read once
 * the flight was asked (the renewal's, not the credential's reads before it), the read waiting for it. `replace`
 * `undefined`: a storage without `replaceIfEqual`.
 */
async function fallbackSignIn(
  replace: ((memory: OktaStorage, key: string, expected: string, value: string) => unknown) | true | undefined,
  timeoutMs?: number,
  onRead?: () => unknown,
) {
  let flown = false;
  const fleet = fleetStorage(() => ((flown = true), Promise.reject(new Error("READONLY You can't write against a read only replica."))));
  const written: string[] = [];
  const reads = { count: 0 };
  // Not a function (user code): given as it is.
  const replaceIfEqual = typeof replace === 'function' ? (key: string, expected: string, value: string) => replace(fleet.memory, key, expected, value) : replace;
  const storage = {
    ...fleet.storage,
    get: (key: string) => (reads.count++, flown && onRead ? Promise.resolve(onRead()).then(() => fleet.memory.get(key)) : fleet.memory.get(key)),
    set: (key: string, value: string, options?: StorageSetOptions) => (written.push(value), fleet.storage.set(key, value, options)),
    ...(replace === undefined ? {} : { replaceIfEqual }),
  } as OktaStorage;
  const clock = { now: Date.now() };
  const client = env.spa({ now: () => clock.now, ...(timeoutMs === undefined ? {} : { timeoutMs, fetch: orgPacedFetch }) }, 'rotate');
  const { tokens } = await signIn(client);
  const credential = client.credential(tokens, { storage, storageKey: tokensKeyOf(client.clientId) });
  await credential.getAccessToken();
  written.length = 0;
  clock.now += 3600_000;
  env.org.setClockOffset(3600);
  env.org.resetCounters();
  return { memory: fleet.memory, written, reads, credential, tokens, storageKey: tokensKeyOf(client.clientId) };
}

/** A compare-and-set over the memory storage, as a store's one step; `value` recorded in `written`. */
async function compareAndSet(memory: OktaStorage, key: string, expected: string, value: string, written: string[]): Promise<boolean> {
  if ((await memory.get(key)) !== expected) return false;
  written.push(value);
  await memory.set(key, value);
  return true;
}

describe("a user fleet's fallback write over a storage of user code", () => {
  it('replaceIfEqual answering no boolean (it wrote, and answered nothing): counted as written, called once, not thrice', async () => {
    const calls: string[] = [];
    const { memory, credential, storageKey } = await fallbackSignIn(async (storage, key, expected, value) => {
      calls.push(value);
      if ((await storage.get(key)) === expected) await storage.set(key, value);
      return undefined;
    });
    await credential.getAccessToken();
    expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
    // Before: read as a refusal by another renewal of the sign-in, the same write made three times, then counted as none.
    expect(calls).toEqual([textOf(credential.tokens)]);
    expect(memory.get(storageKey)).toBe(textOf(credential.tokens));
  });

  it('replaceIfEqual that is no function: left unused, as removeIfEqual is (the credential made, its renewal written with set)', async () => {
    // Before: `.bind` of a non-function threw a TypeError from client.credential().
    const { written, credential } = await fallbackSignIn(true);
    await credential.getAccessToken();
    expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
    expect(written).toEqual([textOf(credential.tokens)]);
  });

  it("an earlier renewal's write, held past timeoutMs and refused, is not made again over the credential's newer renewal (whose grant spent its refresh token)", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let replaces = 0;
    const setup = await fallbackSignIn(async (memory, key, expected, value) => {
      // The first renewal's replacement waits, past the credential's timeoutMs, until the test lets it go.
      if (++replaces === 1) await held;
      return compareAndSet(memory, key, expected, value, setup.written);
    }, 300);
    const { credential, memory, storageKey, written, reads } = setup;
    // Before: "The token storage set() did not settle within 300 ms (timeoutMs): it was abandoned.", naming a call never made.
    expect(await failure(credential.getAccessToken(), isOktaAuthError)).toMatchObject({
      code: 'TIMEOUT',
      message:
        'The token storage replaceIfEqual() did not settle within 300 ms (timeoutMs): it was abandoned. The renewed tokens are kept in memory, not in storage: make the storage\'s replaceIfEqual() settle within timeoutMs (or raise timeoutMs).',
    });
    // Held back until its write lands: no getter shows it (join140).
    expect(credential.tokens).toBeUndefined();
    // The credential renews again (a 401, a forced refresh): its grant spends the first renewal's refresh token (the
    // sign-in's, rotated by the first grant, would be refused).
    await credential.getAccessToken({ forceRefresh: true });
    const second = credential.tokens!;
    expect(second.refreshToken?.reveal()).not.toBe(setup.tokens.refreshToken?.reveal());
    expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 2 });
    expect(written).toEqual([textOf(second)]);
    // The first write, let go now, is refused (the key holds the second renewal), and reads the key again.
    const before = reads.count;
    release();
    await vi.waitFor(() => expect(reads.count).toBeGreaterThan(before));
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
    // Before: it replaced the second renewal (the same sign-in) with the first, whose refresh token Okta had rotated
    // away: any process restoring it then spent a used refresh token (Okta's reuse detection ends the session).
    expect(written).toEqual([textOf(second)]);
    expect(memory.get(storageKey)).toBe(textOf(second));
  });

  // fleet125: the first storage call of the write, its read, had no test of its own (a held get() also holds the credential's
  // reads before the renewal: here only the reads after the flight was asked are held).
  it("the write's get() held past timeoutMs: TIMEOUT naming get() and what to do, the renewal kept; the write lands once get() answers, and lets it go", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const setup = await fallbackSignIn((memory, key, expected, value) => compareAndSet(memory, key, expected, value, setup.written), 300, () => held);
    const { credential, memory, storageKey, written } = setup;
    try {
      expect(await failure(credential.getAccessToken(), isOktaAuthError)).toMatchObject({
        code: 'TIMEOUT',
        message:
          "The token storage get() did not settle within 300 ms (timeoutMs): it was abandoned. The renewed tokens are kept in memory, not in storage: make the storage's get() settle within timeoutMs (or raise timeoutMs).",
      });
      expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
      // Kept, held back until its write lands: no getter shows it (join140).
      expect(credential.tokens).toBeUndefined();
      expect(written).toEqual([]);
    } finally {
      release();
    }
    // Let go, the read finds the sign-in's tokens and the renewal replaces them; landed, it lets the renewal go (held142).
    await vi.waitFor(() => expect(written).toHaveLength(1));
    await vi.waitFor(() => expect(credential.tokens).toBeDefined());
    // The next call hands it out: the renewal, not a second grant, and not written again (before held142: made again, over itself).
    const token = await credential.getAccessToken();
    expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
    expect(credential.tokens?.accessToken.reveal()).toBe(token.reveal());
    expect(token.reveal()).not.toBe(setup.tokens.accessToken.reveal());
    expect(written).toEqual([textOf(credential.tokens)]);
    expect(memory.get(storageKey)).toBe(textOf(credential.tokens));
  });

  // fleet125: without replaceIfEqual the write was a plain set, made whatever the key held: a sign-out on another process
  // while this one renewed itself was undone (the signed-out user's renewal stored, restored by the next request anywhere).
  it('a storage without replaceIfEqual, the user signed out on another process before the write read the key: LOGIN_REQUIRED, nothing written, the renewal revoked', async () => {
    const setup = await fallbackSignIn(undefined, undefined, () => setup.memory.remove(setup.storageKey));
    // Before: the renewal handed out and written with set() over the sign-out's removal.
    const error = await failure(setup.credential.getAccessToken(), isOktaOAuthError);
    expect([error.code, error.message]).toEqual(['LOGIN_REQUIRED', 'The session ended while the tokens were being renewed (signed out, or its refresh token refused): sign in again.']);
    expect(setup.credential.tokens).toBeUndefined();
    expect(setup.written).toEqual([]);
    expect(setup.memory.get(setup.storageKey)).toBeUndefined();
    // Revoked before the caller's answer (wait132: a Worker drops what its answer leaves behind).
    expect(env.org.counters().requests['POST /oauth2/v1/revoke']).toBe(2);
    expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
  });

  // fleet124: the refusal is known once replaceIfEqual answers; the caller's answer waits for the revocation of the refused
  // renewal after the write's bound, at most timeoutMs (wait132; then it goes on), so a slow revocation endpoint cannot make it TIMEOUT.
  it("refused (another process signed the user out between the read and the write): LOGIN_REQUIRED while the org still holds the renewal's revocation, revoked once it answers", async () => {
    const setup = await fallbackSignIn(async (memory, key) => {
      await memory.remove(key);
      return false;
    }, 300);
    const hold = env.org.injectFault({ path: '/oauth2/v1/revoke', kind: 'hold' });
    try {
      // Before: TIMEOUT, "The token storage set() did not settle within 300 ms", the write's bound spent waiting on the revocation.
      const error = await failure(setup.credential.getAccessToken(), isOktaOAuthError);
      expect([error.code, error.message]).toEqual(['LOGIN_REQUIRED', 'The session ended while the tokens were being renewed (signed out, or its refresh token refused): sign in again.']);
      expect(setup.credential.tokens).toBeUndefined();
      // Answered before the org answered the revocation, which it holds (sent meanwhile: not within vi.waitFor's 1 s on a loaded machine).
      await vi.waitFor(() => expect(env.org.heldAnswers(hold)).toBe(1), { timeout: 10_000 });
    } finally {
      env.org.removeFault(hold);
      env.org.releaseHeld(hold);
    }
    // The renewal's refresh token, then its access token: revoked once the org answers.
    await vi.waitFor(() => expect(env.org.counters().requests['POST /oauth2/v1/revoke']).toBe(2), { timeout: 10_000 });
    expect(setup.memory.get(setup.storageKey)).toBeUndefined();
    expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
  });
});
