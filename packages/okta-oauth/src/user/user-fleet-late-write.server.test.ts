/**
 * rev166d: a fallback write landing late, after other processes renewed. Three processes A, B, C of one app on one shared
 * storage with a single flight (a lock per key, as the Redis store's), the org rotating refresh tokens with no grace
 * period. A's forced renewal stores T1 but its flight loses the answer (a Durable Object reset), so A writes T1 itself,
 * its read held back; meanwhile B renews T1 to T2 and C renews T2 to T3. Since skew166 (stored renewals ordered by
 * refresh token, not `expiresAt`) A's write then replaced T3 with T1, whose refresh token B had spent: C's next renewal took
 * T1 as newer and sent it, Okta refused it, and every process was signed out.
 */
import { expect, it } from 'vitest';
import type { OktaStorage } from '../token-cache/storage.js';
import { lockedFleet, refreshTokensSent } from './test-helpers/fleet-storage.js';
import { clientFor, signIn, tokensKeyOf, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg({ tokenLifetimeSeconds: 120 });

it("a process's own write of its renewal, landing after two other processes renewed, never replaces their newer renewal: all three stay signed in, each refresh token sent once", async () => {
  const shared = lockedFleet();
  let lose = false;
  let release: (() => void) | undefined;
  let gate: Promise<void> | undefined;
  // A's storage: its flight loses the answer once, after storing; A's next read (its own write's) waits for the test.
  const onAStorage: OktaStorage = {
    ...shared.storage,
    get: async (key) => {
      const held = gate;
      gate = undefined;
      await held;
      return shared.storage.get(key);
    },
    singleFlight: async (key, obtain, options) => {
      if (!lose) return shared.storage.singleFlight!(key, obtain, options);
      lose = false;
      await shared.storage.singleFlight!(key, obtain, options);
      gate = new Promise((resolve) => (release = resolve));
      throw new Error('Durable Object reset because its code was updated.');
    },
  };
  const { fetch, sent } = refreshTokensSent();
  let passedMs = 0;
  const now = () => Date.now() + passedMs;
  const pass = () => {
    passedMs += 65_000;
    env.org.setClockOffset(passedMs / 1000);
  };
  const a = env.spa({ fetch, now }, 'rotate');
  const [b, c] = [clientFor(env.org, { clientId: a.clientId }, { fetch, now }), clientFor(env.org, { clientId: a.clientId }, { fetch, now })];
  const storageKey = tokensKeyOf(a.clientId);
  const { tokens } = await signIn(a);
  const onA = a.credential(tokens, { storage: onAStorage, storageKey });
  await onA.getAccessToken();
  const onB = (await b.restoreCredential({ storage: shared.storage, storageKey }))!;
  const onC = (await c.restoreCredential({ storage: shared.storage, storageKey }))!;
  lose = true;
  const renewedOnA = onA.getAccessToken({ forceRefresh: true });
  // A stored T1; its own write of T1 waits on its read.
  await expect.poll(() => release).toBeDefined();
  pass();
  await onB.getAccessToken();
  pass();
  await onC.getAccessToken();
  const third = shared.memory.get(storageKey);
  release!();
  await renewedOnA;
  // Before: A's write replaced C's T3 with T1.
  expect(shared.memory.get(storageKey)).toBe(third);
  pass();
  for (const credential of [onC, onB, onA]) await credential.getAccessToken();
  // Before: C sent T1's refresh token, spent by B: invalid_grant, LOGIN_REQUIRED on all three.
  expect(new Set(sent).size).toBe(sent.length);
  expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 4 });
  expect(onB.tokens!.accessToken.reveal()).toBe(onC.tokens!.accessToken.reveal());
  expect(onA.tokens!.accessToken.reveal()).toBe(onC.tokens!.accessToken.reveal());
});
