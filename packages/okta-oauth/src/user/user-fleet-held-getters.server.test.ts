/**
 * hold141: a fleet renewal held back until its fallback write lands (user-fleet.ts, `holdEntry`) is shown by the
 * credential's getters as soon as that write lands: inside the renewal's own `onTokens`, and after a caller that stopped
 * waiting (before: `undefined` until a later call, as the hold was let go only by a `get()` that waited it out).
 * held142: also after a caller that gave up with `TIMEOUT` (the write's storage call held past `timeoutMs`), whose
 * write lands later: let go and `onTokens` told once, by the landing (before: held, untold, until a later call wrote again).
 */
import { useUnhandledRejections } from '@org/okta-test-utils';
import { describe, expect, it, vi } from 'vitest';
import type { UserTokens } from './tokens.js';
import { expiredSignIn, fleetStorage } from './test-helpers/fleet-storage.js';
import { orgPacedFetch, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();
const lost = () => new Error('Durable Object reset because its code was updated.');

/**
 * A fleet store whose flight loses its answer (its renewal obtained, then an error), and whose next read (the fallback
 * write's) waits until `release()`: `read` resolves once that read began.
 */
function heldFallbackRead() {
  let slow: Promise<void> | undefined;
  let release: () => void = () => undefined;
  const fleet = fleetStorage(async (_memory, _key, obtain) => {
    await obtain();
    slow = new Promise<void>((resolve) => (release = resolve));
    throw lost();
  });
  const get = fleet.storage.get.bind(fleet.storage);
  let reading: () => void = () => undefined;
  const read = new Promise<void>((resolve) => (reading = resolve));
  fleet.storage.get = async (key) => {
    if (slow !== undefined) {
      reading();
      await slow;
      slow = undefined;
    }
    return get(key);
  };
  return { fleet, read, release: () => release() };
}

describe('a fleet renewal held back until its fallback write lands', () => {
  const unhandled = useUnhandledRejections();

  it("is credential.tokens inside its own onTokens once the write landed in the renewal's call", async () => {
    const fleet = fleetStorage(async (_memory, _key, obtain) => {
      await obtain();
      throw lost();
    });
    const { client, storageKey } = await expiredSignIn(env, fleet.storage);
    const seen: (string | undefined)[][] = [];
    const credential = (await client.restoreCredential({
      storage: fleet.storage,
      storageKey,
      onTokens: (tokens: UserTokens | null) => {
        seen.push([tokens?.accessToken.reveal(), credential.tokens?.accessToken.reveal(), credential.claims?.sub]);
      },
    }))!;
    const token = (await credential.getAccessToken()).reveal();
    expect(seen).toEqual([[token, token, credential.claims?.sub]]);
    expect(credential.claims?.sub).toBeDefined();
  });

  it('is credential.tokens once the write lands after the caller stopped waiting, without another call', async () => {
    // The fallback write's read hangs until released: the caller aborts meanwhile.
    const { fleet, read, release } = heldFallbackRead();
    const { client, storageKey } = await expiredSignIn(env, fleet.storage);
    const told: (string | undefined)[] = [];
    let landed: () => void = () => undefined;
    const tokensTold = new Promise<void>((resolve) => (landed = resolve));
    const credential = (await client.restoreCredential({
      storage: fleet.storage,
      storageKey,
      onTokens: (tokens: UserTokens | null) => {
        told.push(tokens?.accessToken.reveal());
        landed();
      },
    }))!;
    const controller = new AbortController();
    const call = credential.getAccessToken({ signal: controller.signal }).then(
      () => 'resolved',
      (error: unknown) => (error as { code?: unknown }).code,
    );
    await read;
    controller.abort();
    expect(await call).toBe('ABORTED');
    release();
    await tokensTold;
    expect(told).toHaveLength(1);
    expect(credential.tokens?.accessToken.reveal()).toBe(told[0]);
    expect(fleet.memory.get(storageKey)).toBe(JSON.stringify(credential.tokens?.toStorable()));
    expect(credential.claims).toBeDefined();
    expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
  });

  it.each([false, true])("is let go and onTokens told once when the write lands after its caller's TIMEOUT, without another call (onTokens throwing: %s)", async (throws) => {
    // The fallback write's read is held past timeoutMs, until released.
    const { fleet, release } = heldFallbackRead();
    const { client, storageKey } = await expiredSignIn(env, fleet.storage, false, (now) => env.spa({ now, timeoutMs: 2000, fetch: orgPacedFetch }, 'rotate'));
    const told: (string | undefined)[] = [];
    const shown: (string | undefined)[] = [];
    const credential = (await client.restoreCredential({
      storage: fleet.storage,
      storageKey,
      onTokens: (tokens: UserTokens | null) => {
        told.push(tokens?.accessToken.reveal());
        shown.push(credential.tokens?.accessToken.reveal());
        if (throws) throw new Error('the session database is down');
      },
    }))!;
    const error = await credential.getAccessToken().then(() => undefined, (caught: unknown) => caught as { code?: unknown; message?: unknown });
    expect(error?.code).toBe('TIMEOUT');
    expect(error?.message).toMatch(/^The token storage get\(\) did not settle within 2000 ms/);
    expect(credential.tokens).toBeUndefined();
    release();
    // Before: nothing told, the renewal held (credential.tokens undefined) until a later call wrote it again.
    await vi.waitFor(() => expect(told).toHaveLength(1));
    expect(await unhandled.settled()).toEqual([]);
    expect(told).toHaveLength(1);
    // Let go as the write landed, before onTokens: the getters show what it is told, inside it too.
    expect(shown).toEqual(told);
    expect(credential.tokens?.accessToken.reveal()).toBe(told[0]);
    const text = JSON.stringify(credential.tokens?.toStorable());
    expect(fleet.memory.get(storageKey)).toBe(text);
    const sets = fleet.sets.length;
    // The next call hands the renewal out: not written again, onTokens not told again, one refresh grant.
    expect((await credential.getAccessToken()).reveal()).toBe(told[0]);
    expect(fleet.sets).toHaveLength(sets);
    expect(told).toHaveLength(1);
    expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
  });
});
