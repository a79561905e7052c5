/**
 * A server-side web app on two processes sharing one Redis, as the okta-oauth README's "On several
 * processes" lays it out: every process's sign-in client given the fleet's Redis storage, each
 * user's tokens in it under their session's own `storageKey`, a credential restored from it per
 * request. @org/okta-emulator for the org (a web app rotating its refresh tokens), a real
 * redis-server, two connections, two stores, two sign-in clients: the processes share only Redis.
 */
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { createOktaFetch } from '@org/okta-auth-core';
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from './fleet/redis-server.mjs';
import { me, password, redirectUri, signIn, startProcess as startWebProcess, type WebFleet } from './web-processes.js';

const encryption = { current: 'k1', keys: { k1: randomBytes(32).toString('base64') } };
let org: OktaEmulator;
let redis: RedisServer;
let app: { clientId: string; clientSecret: string };
const connections: { destroy(): void }[] = [];

beforeAll(async () => {
  [org, redis] = await Promise.all([startEmulator(), startRedisServer()]);
  org.createUser({ login: 'ada@example.com', password, firstName: 'Ada', lastName: 'Lovelace' });
  const created = org.createSignInApp({ type: 'web', redirectUris: [redirectUri], scopes: ['okta.users.read.self'], refreshTokenRotation: 'rotate' });
  app = { clientId: created.clientId, clientSecret: created.clientSecret! };
});
afterAll(async () => {
  for (const connection of connections) connection.destroy();
  await org.close();
  await redis.stop();
});

/** One process of this file's app (web-processes.ts). */
const startProcess = (url = redis.url, options: { commandTimeoutMs?: number; connected?: boolean } = {}) => startWebProcess({ org, app, encryption, connections } satisfies WebFleet, url, options);

it('both processes renewing at once keep the user signed in: rotation never reuses a spent refresh token past its grace period', async () => {
  const [a, b] = await Promise.all([startProcess(), startProcess()]);
  const storageKey = `session-${randomBytes(8).toString('hex')}`;
  await signIn(a.client, b.client, b.storage, storageKey);
  expect([await me(a, storageKey), await me(b, storageKey)]).toEqual([200, 200]);

  org.setClockOffset(3700); // an hour on: the access token has expired
  org.resetCounters();
  expect(await Promise.all([me(a, storageKey), me(b, storageKey)])).toEqual([200, 200]);
  // One renewal for both: the user credential renews under the store's fleet lock (user-single-flight.server.test.ts).
  const renewals = org.counters().tokenRequests.refresh_token?.success ?? 0;
  expect(renewals).toBe(1);
  // The renewal stored last is what both read next: no further refresh.
  expect([await me(a, storageKey), await me(b, storageKey)]).toEqual([200, 200]);
  expect(org.counters().tokenRequests.refresh_token?.success).toBe(renewals);

  // Past the grace period, the stored refresh token is the one Okta has not spent: no reuse detected.
  org.setClockOffset(7400);
  expect([await me(b, storageKey), await me(a, storageKey)]).toEqual([200, 200]);
  expect(org.counters().tokenRequests.refresh_token).toEqual({ success: renewals + 1 });
});

it('a sign-out on one process leaves the other nothing to call with: the next request finds no tokens and the old access token is refused', async () => {
  const [a, b] = await Promise.all([startProcess(), startProcess()]);
  const storageKey = `session-${randomBytes(8).toString('hex')}`;
  const tokens = await signIn(a.client, a.client, a.storage, storageKey);
  expect(await me(b, storageKey)).toBe(200);

  const credential = await a.client.restoreCredential({ storage: a.storage, storageKey });
  const { revoked } = await credential!.signOut();
  expect(revoked).toEqual(['refresh_token', 'access_token']);
  expect(await me(b, storageKey)).toBe('signed out');
  const old = await fetch(new URL('/api/v1/users/me', org.url), { headers: { authorization: `Bearer ${tokens.accessToken.reveal()}` } });
  expect(old.status).toBe(401);
});

it('Redis down (a wrong URL at start, or stopped mid-session) is REDIS_UNAVAILABLE saying what to check, never that the call went on, and holds no secret', async () => {
  // Nothing listens there: the connection is started, not awaited, as the store's README says to start without Redis.
  const closed = await startRedisServer();
  await closed.stop();
  const down = await startProcess(closed.url, { commandTimeoutMs: 300, connected: false });
  const refusals: unknown[] = [];
  await down.client.startSignIn().catch((error: unknown) => refusals.push(error));
  await down.client.restoreCredential({ storage: down.storage, storageKey: 'session-x' }).catch((error: unknown) => refusals.push(error));

  // Mid-session: signed in, then Redis stops while the access token has expired.
  const own = await startRedisServer();
  // A bound a healthy Redis always meets, even on a busy CI machine (the sign-in must not time out),
  // and short enough that the refusals after the kill come soon.
  const [a, b] = await Promise.all([startProcess(own.url, { commandTimeoutMs: 2000 }), startProcess(own.url, { commandTimeoutMs: 2000 })]);
  const storageKey = `session-${randomBytes(8).toString('hex')}`;
  const tokens = await signIn(a.client, b.client, a.storage, storageKey);
  const credential = await b.client.restoreCredential({ storage: b.storage, storageKey });
  await own.kill();
  org.setClockOffset(3 * 3700); // past both earlier tests' offsets
  await createOktaFetch({ credential: credential! })('/api/v1/users/me').catch((error: unknown) => refusals.push(error));
  await b.client.restoreCredential({ storage: b.storage, storageKey }).catch((error: unknown) => refusals.push(error));

  expect(refusals).toHaveLength(4);
  const secrets = [app.clientSecret, encryption.keys.k1, tokens.accessToken.reveal(), tokens.refreshToken!.reveal()];
  for (const refusal of refusals) {
    expect(refusal).toMatchObject({ name: 'OktaRedisStoreError', code: 'REDIS_UNAVAILABLE', message: expect.stringMatching(/check that Redis is running and reachable/) });
    expect((refusal as Error).message).not.toMatch(/continuing|going on/);
    const shown = `${inspect(refusal, { depth: 5 })} ${JSON.stringify(refusal)}`;
    for (const secret of secrets) expect(shown).not.toContain(secret);
  }
});
