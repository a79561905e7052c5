/**
 * lostack137: process B renews a user under the fleet lock; Redis runs its compare-and-set (the one-key script over the
 * sealed text read under the lock), but its answer never reaches B (the connection dropped, past `commandTimeoutMs`).
 * Process A signed the user out while B's refresh was held at Okta, so Redis refused that write. Before, the flight
 * counted a failed compare-and-set as written (`() => 1`): B handed out the signed-out session's renewal, its refresh
 * token alive at Okta. Now the flight fails, and B writes its renewal itself over its own sign-in (`replaceIfEqual`,
 * okta-oauth's user-fleet.ts), which A's removal refuses: revoked, `LOGIN_REQUIRED`. But after a failure the store
 * skips Redis for `pauseAfterFailureMs` (1 s), so that write, made at once, fails too: B's request fails with
 * `REDIS_UNAVAILABLE`, handing out nothing, signed out or not. The write that goes through is shown on a second store
 * of B's connection (`split`: as once the pause passed). pending138: B's next call did hand out the renewal held in its
 * memory (after a sign-out too); now each call writes it again first, and gets it only once that write lands (or
 * `LOGIN_REQUIRED`, revoked, when the sign-out refuses it). @org/okta-emulator, a real redis-server.
 */
import { randomBytes } from 'node:crypto';
import { createOktaFetch } from '@org/okta-auth-core';
import type { OktaStorage, UserTokens } from '@org/okta-oauth';
import { createClient } from 'redis';
import { describe, expect, it, vi } from 'vitest';
import { createRedisTokenStorage } from '../src/index.js';
import { commandTimeoutMs } from './redis-clients.js';
import { heldRefresh, me, redisKeyOf, renewWhileSigningOut, signIn, startProcess, useWebFleet, watchedFetch } from './web-processes.js';

const web = useWebFleet();

/**
 * B: a store on a connection whose answer to the next compare-and-set (`SET … PX` in a script) is lost once
 * `lost.armed`; what Okta gave and what B revoked. `split`: the flight on that store, every other call on a second
 * store of the same connection, which the first one's pause does not skip.
 */
async function processB(split: boolean) {
  const connection = createClient({ url: web.redis.url }).on('error', () => undefined);
  web.fleet.connections.push(connection);
  await connection.connect();
  // `unsent`: the compare-and-set fails before it reaches Redis (nothing written), rather than its answer lost.
  const lost = { armed: false, count: 0, unsent: false };
  const client = {
    sendCommand: async (args: string[]) => {
      const losing = lost.armed && args[0] === 'EVAL' && args[1]?.includes("redis.call('SET', KEYS[1], ARGV[2]");
      const reply = losing && lost.unsent ? undefined : await connection.sendCommand(args);
      if (losing) {
        lost.armed = false;
        lost.count++;
        throw new Error('Socket closed unexpectedly');
      }
      return reply;
    },
  };
  const losing = createRedisTokenStorage({ client, encryption: web.fleet.encryption, commandTimeoutMs });
  const second = createRedisTokenStorage({ client, encryption: web.fleet.encryption, commandTimeoutMs });
  const storage: OktaStorage = split
    ? { get: (key) => second.get(key), set: (key, value, options) => second.set(key, value, options), remove: (key) => second.remove(key), removeIfEqual: second.removeIfEqual!.bind(second), replaceIfEqual: second.replaceIfEqual!.bind(second), singleFlight: losing.singleFlight!.bind(losing) }
    : losing;
  const { fetch, obtained, revoked } = watchedFetch();
  const { client: signInClient } = await startProcess(web.fleet, web.redis.url, { fetch });
  /** What B's credential told its `onTokens`: the access token of each renewal, `null` for a session's end. */
  const told: (string | null)[] = [];
  const onTokens = (tokens: UserTokens | null) => {
    told.push(tokens?.accessToken.reveal() ?? null);
  };
  return { storage, lost, obtained, revoked, told, onTokens, client: signInClient };
}

/** The user signed in on A; B's credential restored over its store, its tokens expired at the org, its next compare-and-set answer lost. */
async function expiredOnB(split: boolean) {
  const a = await startProcess(web.fleet, web.redis.url);
  const b = await processB(split);
  const storageKey = `session-${randomBytes(8).toString('hex')}`;
  await signIn(a.client, a.client, a.storage, storageKey);
  const leaving = (await a.client.restoreCredential({ storage: a.storage, storageKey }))!;
  const renewing = (await b.client.restoreCredential({ storage: b.storage, storageKey, onTokens: b.onTokens }))!;
  web.expireTokens();
  web.org.resetCounters();
  b.lost.armed = true;
  return { a, b, storageKey, leaving, renewing };
}

/** B's request, its refresh held at the org until A's sign-out removed the key (web-processes.ts' `renewWhileSigningOut`): B's write comes after the removal. */
const renewDuringSignOut = ({ b, storageKey, leaving, renewing }: Awaited<ReturnType<typeof expiredOnB>>) => renewWhileSigningOut(web.org, web.raw, { renewing, leaving, storageKey, obtained: b.obtained });

/** B's request, its refresh held at the org until the key was removed (a sign-out on A whose revocation never reached Okta: FIDELITY L14). */
async function renewWhileRemoved({ b, storageKey, renewing }: Awaited<ReturnType<typeof expiredOnB>>) {
  const { call, hold } = await heldRefresh(web.org, renewing);
  await web.raw.del(redisKeyOf(storageKey));
  web.org.removeFault(hold);
  await vi.waitFor(() => expect(b.obtained).toHaveLength(1), { timeout: 10_000 });
  return call;
}

/** `renewing`'s next request, asked again while B's store skips Redis after its failure (`REDIS_UNAVAILABLE`): its outcome once Redis answers. */
function onceRedisAnswers(renewing: Awaited<ReturnType<typeof expiredOnB>>['renewing']) {
  return vi.waitFor(
    async () => {
      const outcome = await createOktaFetch({ credential: renewing })('/api/v1/users/me').then((response) => response.status, (error: unknown) => error);
      expect(outcome).not.toMatchObject({ code: 'REDIS_UNAVAILABLE' });
      return outcome;
    },
    { timeout: 10_000, interval: 100 },
  );
}

describe("a user's renewal whose compare-and-set answer was lost", () => {
  it('signed out on A meanwhile: B fails REDIS_UNAVAILABLE (its own write skipped after the failure), handing out nothing, one refresh grant', async () => {
    const session = await expiredOnB(false);
    const { call, signedOut } = await renewDuringSignOut(session);
    // Before: 200, with the signed-out session's renewal.
    await expect(call).rejects.toMatchObject({ code: 'REDIS_UNAVAILABLE', message: "Redis is skipped for 1000 ms after a failure (pauseAfterFailureMs): check that Redis is running and reachable at your client's address." });
    await signedOut;
    expect(session.b.lost.count).toBe(1);
    expect(web.org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
    expect(await web.raw.exists(redisKeyOf(session.storageKey))).toBe(0);
    expect(await me(session.a, session.storageKey)).toBe('signed out');
    expect(session.b.told).toEqual([]);
  });

  it('signed out on A meanwhile, its own write made (split): B revokes its renewal and fails LOGIN_REQUIRED, nothing stored, one refresh grant', async () => {
    const session = await expiredOnB(true);
    const { call, signedOut } = await renewDuringSignOut(session);
    const { a, b, storageKey, renewing } = session;
    // Before: the renewal handed out (here a 401: A's revocation of the session's refresh token revoked its family).
    await expect(call).rejects.toMatchObject({ name: 'OktaSignInError', code: 'LOGIN_REQUIRED' });
    await signedOut;
    expect(b.lost.count).toBe(1);
    expect(web.org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
    expect(await web.raw.exists(redisKeyOf(storageKey))).toBe(0);
    expect(renewing.tokens).toBeUndefined();
    const [renewal] = b.obtained;
    expect(b.revoked).toEqual([renewal!.refresh_token, renewal!.access_token]);
    for (const token of [renewal!.access_token, renewal!.refresh_token]) expect((await a.client.introspect(token)).active).toBe(false);
    expect(await me(a, storageKey)).toBe('signed out');
    expect(b.told).toEqual([]);
  });

  it('no sign-out: B fails REDIS_UNAVAILABLE, but Redis ran the write: B\'s next call once Redis answers (its write confirmed) and A take that renewal, one refresh grant', async () => {
    const { a, b, storageKey, renewing } = await expiredOnB(false);
    await expect(createOktaFetch({ credential: renewing })('/api/v1/users/me')).rejects.toMatchObject({ code: 'REDIS_UNAVAILABLE' });
    expect(b.lost.count).toBe(1);
    // Stored by Redis, but held back by B (join140: no getter shows it) until a call confirms its write.
    expect(renewing.tokens).toBeUndefined();
    expect(JSON.parse((await a.storage.get(storageKey))!)).toMatchObject({ accessToken: b.obtained[0]!.access_token, refreshToken: b.obtained[0]!.refresh_token });
    // Not told while its write is unconfirmed.
    expect(b.told).toEqual([]);
    // pending138: not handed out while Redis is skipped (its write unconfirmed: a sign-out would have refused it).
    expect(await onceRedisAnswers(renewing)).toBe(200);
    expect(await me(a, storageKey)).toBe(200);
    expect(web.org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
    expect(b.revoked).toEqual([]);
    // held140: told once, when the write is confirmed (before: never told).
    expect(await createOktaFetch({ credential: renewing })('/api/v1/users/me').then((response) => response.status)).toBe(200);
    expect(b.told).toEqual([renewing.tokens!.accessToken.reveal()]);
  });

  it('no sign-out, its own write made (split): B writes its renewal over its own sign-in and hands it out, one refresh grant', async () => {
    const { a, b, storageKey, renewing } = await expiredOnB(true);
    expect(await createOktaFetch({ credential: renewing })('/api/v1/users/me').then((response) => response.status)).toBe(200);
    expect(b.lost.count).toBe(1);
    expect(web.org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
    expect(await a.storage.get(storageKey)).toBe(JSON.stringify(renewing.tokens!.toStorable()));
    expect(b.revoked).toEqual([]);
    expect(await me(a, storageKey)).toBe(200);
    // Written in the renewal's own call: told once, by it.
    expect(b.told).toEqual([renewing.tokens!.accessToken.reveal()]);
  });

  it('pending138: signed out meanwhile, B\'s own write failing too: B\'s next call once Redis answers does not get the renewal (LOGIN_REQUIRED, revoked), one refresh grant', async () => {
    const session = await expiredOnB(false);
    const { a, b, storageKey, renewing } = session;
    await expect(renewWhileRemoved(session)).rejects.toMatchObject({ code: 'REDIS_UNAVAILABLE' });
    // Before: 200, the renewal handed out (alive at Okta: the removal's revocation never reached it), storage empty, nothing revoked.
    expect(await onceRedisAnswers(renewing)).toMatchObject({ name: 'OktaSignInError', code: 'LOGIN_REQUIRED' });
    expect(b.lost.count).toBe(1);
    expect(web.org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
    expect(await web.raw.exists(redisKeyOf(storageKey))).toBe(0);
    expect(renewing.tokens).toBeUndefined();
    const [renewal] = b.obtained;
    await vi.waitFor(() => expect(b.revoked).toEqual([renewal!.refresh_token, renewal!.access_token]), { timeout: 10_000 });
    for (const token of [renewal!.access_token, renewal!.refresh_token]) expect((await a.client.introspect(token)).active).toBe(false);
    // Never told of the renewal it revoked, nor of a session it never had those tokens in (held140).
    expect(b.told).toEqual([]);
  });

  it('pending138: no sign-out, the compare-and-set never sent and B\'s own write failing too: B\'s next call once Redis answers writes the renewal and gets it, one refresh grant', async () => {
    const { a, b, storageKey, renewing } = await expiredOnB(false);
    b.lost.unsent = true;
    const signedIn = await a.storage.get(storageKey);
    await expect(createOktaFetch({ credential: renewing })('/api/v1/users/me')).rejects.toMatchObject({ code: 'REDIS_UNAVAILABLE' });
    expect(await a.storage.get(storageKey)).toBe(signedIn);
    // Before: 200 at once, the renewal never written (storage kept the tokens whose refresh token it spent).
    expect(await onceRedisAnswers(renewing)).toBe(200);
    expect(b.lost.count).toBe(1);
    expect(await a.storage.get(storageKey)).toBe(JSON.stringify(renewing.tokens!.toStorable()));
    expect(web.org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
    expect(b.revoked).toEqual([]);
    expect(await me(a, storageKey)).toBe(200);
    // held140: told once, when the write landed on that later call (before: never told).
    expect(b.told).toEqual([renewing.tokens!.accessToken.reveal()]);
  });
});
