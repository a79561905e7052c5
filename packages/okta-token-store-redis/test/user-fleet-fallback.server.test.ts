/**
 * A user's renewal made outside the fleet's flight: process B's wait for another process's renewal ended (the store's
 * `maxWaitMs`: `FLEET_WAIT_EXCEEDED`), or its store failed in the flight, so B refreshes itself and writes the renewal
 * itself (`replaceIfEqual`, over the tokens of its own sign-in). Process A signs the user out meanwhile: B's write must
 * not bring the signed-out user back. @org/okta-emulator (a web app rotating its refresh tokens at a grace period of 0),
 * a real redis-server.
 */
import { randomBytes } from 'node:crypto';
import { createOktaFetch } from '@org/okta-auth-core';
import type { OktaStorage } from '@org/okta-oauth';
import { expect, it, vi } from 'vitest';
import { createRedisTokenStorage } from '../src/index.js';
import { commandTimeoutMs } from './redis-clients.js';
import { me, redisKeyOf, renewWhileSigningOut, signIn, startProcess, useWebFleet, watchedFetch, type WebProcess } from './web-processes.js';

const web = useWebFleet();

/** Process B, renewing: a store that waits 100 ms for another process's renewal (its own lock lasting 50), and what Okta's refresh grant gave it. */
async function renewingProcess() {
  const { fetch, obtained, revoked } = watchedFetch();
  const process = await startProcess(web.fleet, web.redis.url, { maxWaitMs: 100, lockTtlMs: 50, fetch });
  return { process, obtained, revoked };
}

/** The user signed in on A, stored under a session key; B's store, its wait for another process, and a fleet lock another process holds (`locked`). */
async function signedIn(locked: boolean) {
  const a = await startProcess(web.fleet, web.redis.url);
  const b = await renewingProcess();
  const storageKey = `session-${randomBytes(8).toString('hex')}`;
  await signIn(a.client, a.client, a.storage, storageKey);
  // Another process renewing this user, for longer than B waits (its lock outlives the test).
  if (locked) await web.raw.set(`${redisKeyOf(storageKey)}:lock`, 'another-process', { expiration: { type: 'PX', value: 60_000 } });
  return { a, b, storageKey };
}

/** B's storage, its single flight failing at once (Redis failing in the flight, as B sees it). */
const failingFlight = (storage: OktaStorage): OktaStorage =>
  new Proxy(storage, {
    get(target, name) {
      if (name === 'singleFlight') return () => Promise.reject(new Error('READONLY You can\'t write against a read only replica.'));
      const value: unknown = Reflect.get(target, name, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });

/** B's renewal while A signs out (web-processes.ts' `renewWhileSigningOut`): B's write comes after A's removal. */
async function renewDuringSignOut(a: WebProcess, b: Awaited<ReturnType<typeof renewingProcess>>, storage: OktaStorage, storageKey: string) {
  const leaving = (await a.client.restoreCredential({ storage: a.storage, storageKey }))!;
  const renewing = (await b.process.client.restoreCredential({ storage, storageKey }))!;
  web.expireTokens();
  web.org.resetCounters();
  return { ...(await renewWhileSigningOut(web.org, web.raw, { renewing, leaving, storageKey, obtained: b.obtained })), renewing };
}

it.each([
  ['its wait for another process ended (FLEET_WAIT_EXCEEDED)', true],
  ['its store failed in the flight', false],
])("%s: a sign-out on another process before B's own renewal lands keeps the key removed, and B hands out nothing and revokes it", async (_, locked) => {
  const { a, b, storageKey } = await signedIn(locked);
  const { call, signedOut, renewing } = await renewDuringSignOut(a, b, locked ? b.process.storage : failingFlight(b.process.storage), storageKey);
  await expect(call).rejects.toMatchObject({ name: 'OktaSignInError', code: 'LOGIN_REQUIRED' });
  await signedOut;
  expect(web.org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
  // Before: B's plain `set` landed after A's removal, and any process restored the signed-out user's renewal.
  expect(await web.raw.exists(redisKeyOf(storageKey))).toBe(0);
  expect(await me(a, storageKey)).toBe('signed out');
  expect(renewing.tokens).toBeUndefined();
  // What B obtained is revoked by B (its refresh token, then its access token), as a sign-out revokes, and dead at Okta;
  // B's answer does not wait for that revocation.
  const [renewal] = b.obtained;
  // Requests to the org: not within vi.waitFor's 1 s on a loaded machine.
  await vi.waitFor(() => expect(b.revoked).toEqual([renewal!.refresh_token, renewal!.access_token]), { timeout: 10_000 });
  for (const token of [renewal!.access_token, renewal!.refresh_token]) await vi.waitFor(async () => expect((await a.client.introspect(token)).active).toBe(false), { timeout: 10_000 });
});

it.each([
  ['its wait for another process ended (FLEET_WAIT_EXCEEDED)', true],
  ['its store failed in the flight', false],
])('%s, no sign-out: B writes its own renewal over the tokens it renewed, and another process restores it', async (_, locked) => {
  const { a, b, storageKey } = await signedIn(locked);
  const renewing = (await b.process.client.restoreCredential({ storage: locked ? b.process.storage : failingFlight(b.process.storage), storageKey }))!;
  web.expireTokens();
  web.org.resetCounters();
  expect(await createOktaFetch({ credential: renewing })('/api/v1/users/me').then((response) => response.status)).toBe(200);
  expect(web.org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
  expect(await a.storage.get(storageKey)).toBe(JSON.stringify(renewing.tokens!.toStorable()));
  // Written as the credential's own write is: the store's default expiry (7 days).
  expect(await web.raw.pTTL(redisKeyOf(storageKey))).toBeGreaterThan(24 * 3_600_000);
  await web.raw.del(`${redisKeyOf(storageKey)}:lock`);
  expect(await me(a, storageKey)).toBe(200);
  expect(b.revoked).toEqual([]);
});

it('replaceIfEqual writes only over the text given, and answers whether it wrote', async () => {
  const storage = createRedisTokenStorage({ client: web.raw, encryption: web.fleet.encryption, commandTimeoutMs });
  const key = `entry-${randomBytes(8).toString('hex')}`;
  expect(await storage.replaceIfEqual!(key, 'first', 'second')).toBe(false);
  expect(await storage.get(key)).toBeUndefined();
  await storage.set(key, 'first');
  expect(await storage.replaceIfEqual!(key, 'other', 'second')).toBe(false);
  expect(await storage.get(key)).toBe('first');
  expect(await storage.replaceIfEqual!(key, 'first', 'second', { expiresAt: Date.now() + 60_000 })).toBe(true);
  expect(await storage.get(key)).toBe('second');
  expect(await web.raw.pTTL(redisKeyOf(key))).toBeLessThanOrEqual(60_000);
  // Already expired: removed, as `set` does.
  expect(await storage.replaceIfEqual!(key, 'second', 'third', { expiresAt: Date.now() - 1 })).toBe(true);
  expect(await web.raw.exists(redisKeyOf(key))).toBe(0);
});

// rev122: the comparison is on the plaintext of what this store can read; an entry it cannot read (sealed under a
// key it lacks, not sealed, over the size bound) never equals `expected`, and is neither replaced nor removed.
it('replaceIfEqual leaves an entry it cannot read, or one over the size bound, as it is, even with an expiry in the past', async () => {
  const storage = createRedisTokenStorage({ client: web.raw, encryption: web.fleet.encryption, commandTimeoutMs });
  const other = createRedisTokenStorage({ client: web.raw, encryption: { current: 'k2', keys: { k2: randomBytes(32).toString('base64') } }, commandTimeoutMs });
  const key = `entry-${randomBytes(8).toString('hex')}`;
  await other.set(key, 'first');
  const sealed = await web.raw.get(redisKeyOf(key));
  for (const expiresAt of [undefined, Date.now() - 1]) {
    expect(await storage.replaceIfEqual!(key, 'first', 'second', { expiresAt })).toBe(false);
    expect(await web.raw.get(redisKeyOf(key))).toBe(sealed);
  }
  const oversize = 'x'.repeat(262_145);
  await web.raw.set(redisKeyOf(key), oversize);
  expect(await storage.replaceIfEqual!(key, oversize, 'second', { expiresAt: Date.now() - 1 })).toBe(false);
  expect(await web.raw.strLen(redisKeyOf(key))).toBe(oversize.length);
});
