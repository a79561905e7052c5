/**
 * A renewal's wait in a storage's `singleFlight` for another process's renewal ends with the calls that
 * waited for it (lockwait156): a caller's abort or an attempt's `timeoutMs` that leaves nobody waiting
 * aborts the signal the store was given, so a store that honours it stops waiting (the CLI's token
 * file, the Redis and Durable Object stores), and no token is renewed for nobody. On base the store's
 * signal fired only at the storage's `fleetWaitMs`, here a minute later.
 */
import { createOktaFetch } from '@org/okta-auth-core';
import { describe, expect, it, vi } from 'vitest';
import type { OktaStorage } from '../token-cache/storage.js';
import { expiredSignIn, fleetStorage } from './test-helpers/fleet-storage.js';
import { useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();

/** A fleet's store whose wait for another process's renewal never ends (its lock held for good), declaring a minute's `fleetWaitMs`. */
function endlessWait() {
  const fleet = fleetStorage(() => new Promise<never>(() => undefined));
  const storage: OktaStorage = Object.assign(fleet.storage, { fleetWaitMs: 60_000 });
  return { ...fleet, storage };
}

describe("a renewal's wait in a storage's singleFlight", () => {
  it("ends with the caller's abort: the store's signal fires, and no refresh grant is sent", async () => {
    const fleet = endlessWait();
    const { credential } = await expiredSignIn(env, fleet.storage);
    const caller = new AbortController();
    const asked = credential.getAccessToken({ signal: caller.signal });
    await vi.waitFor(() => expect(fleet.flights).toHaveLength(1));
    const storeSignal = fleet.flights[0]!.options.signal;
    expect(storeSignal?.aborted).toBe(false);
    caller.abort();
    await expect(asked).rejects.toMatchObject({ code: 'ABORTED' });
    expect(storeSignal?.aborted).toBe(true);
    expect(env.org.counters().tokenRequests.refresh_token).toBeUndefined();
  });

  it("ends with an Okta fetch's timeoutMs: the call fails TIMEOUT and the store's signal has fired", async () => {
    const fleet = endlessWait();
    const { credential } = await expiredSignIn(env, fleet.storage);
    const okta = createOktaFetch({ credential, retry: false, timeoutMs: 1000 });
    await expect(okta(env.userPath)).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(fleet.flights).toHaveLength(1);
    expect(fleet.flights[0]!.options.signal?.aborted).toBe(true);
    expect(env.org.counters().tokenRequests.refresh_token).toBeUndefined();
  });

  it('goes on while another caller still waits, and ends when the last one stops', async () => {
    const fleet = endlessWait();
    const { credential } = await expiredSignIn(env, fleet.storage);
    const [first, second] = [new AbortController(), new AbortController()];
    const one = credential.getAccessToken({ signal: first.signal });
    const two = credential.getAccessToken({ signal: second.signal });
    await vi.waitFor(() => expect(fleet.flights).toHaveLength(1));
    const storeSignal = fleet.flights[0]!.options.signal;
    first.abort();
    await expect(one).rejects.toMatchObject({ code: 'ABORTED' });
    expect(storeSignal?.aborted).toBe(false);
    second.abort();
    await expect(two).rejects.toMatchObject({ code: 'ABORTED' });
    expect(storeSignal?.aborted).toBe(true);
    expect(fleet.flights).toHaveLength(1);
  });
});
