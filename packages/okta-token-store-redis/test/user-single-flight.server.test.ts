/**
 * One renewal per user across processes: a user credential whose storage offers `singleFlight`
 * (the Redis store) renews under the store's fleet lock for its storage key, so of two processes
 * renewing one user at once, one sends the refresh grant and the other takes its stored answer.
 * @org/okta-emulator for the org (a web app rotating its refresh tokens with a grace period of 0:
 * a reused refresh token revokes the family), a real redis-server, two connections, two stores.
 */
import { createHash, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { createOktaFetch } from '@org/okta-auth-core';
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import type { UserCredential } from '@org/okta-oauth';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { startRedisServer, type RedisServer } from './fleet/redis-server.mjs';
import { me, password, redirectUri, signIn, startProcess, type WebFleet, type WebProcess } from './web-processes.js';

const tokenPath = '/oauth2/v1/token';
let fleet: WebFleet;
let org: OktaEmulator;
let redis: RedisServer;
/** The emulator's clock, run ahead an hour at a time: every test's tokens expire. */
let offset = 0;
const expireTokens = () => org.setClockOffset((offset += 3700));

beforeAll(async () => {
  [org, redis] = await Promise.all([startEmulator(), startRedisServer()]);
  org.createUser({ login: 'ada@example.com', password, firstName: 'Ada', lastName: 'Lovelace' });
  const created = org.createSignInApp({ type: 'web', redirectUris: [redirectUri], scopes: ['okta.users.read.self'], refreshTokenRotation: 'rotate', refreshTokenLeewaySeconds: 0 });
  fleet = { org, app: { clientId: created.clientId, clientSecret: created.clientSecret! }, encryption: { current: 'k1', keys: { k1: randomBytes(32).toString('base64') } }, connections: [] };
});
afterEach(() => {
  org.clearFaults();
});
afterAll(async () => {
  for (const connection of fleet.connections) connection.destroy();
  await org.close();
  await redis.stop();
});

/** Two processes, the user signed in on them under one session key, and a credential restored on each. */
async function signedInTwice(): Promise<{ processes: [WebProcess, WebProcess]; credentials: [UserCredential, UserCredential]; storageKey: string; secrets: string[] }> {
  const processes = await Promise.all([startProcess(fleet, redis.url), startProcess(fleet, redis.url)]);
  const [a, b] = processes;
  const storageKey = `session-${randomBytes(8).toString('hex')}`;
  const tokens = await signIn(a.client, b.client, b.storage, storageKey);
  const credentials = await Promise.all(processes.map(async ({ client, storage }) => (await client.restoreCredential({ storage, storageKey }))!));
  const secrets = [fleet.app.clientSecret, fleet.encryption.keys.k1 as string, tokens.accessToken.reveal(), tokens.refreshToken!.reveal()];
  return { processes: [a, b], credentials: [credentials[0]!, credentials[1]!], storageKey, secrets };
}

/** One API call of each credential, at once. */
const callBoth = (credentials: readonly UserCredential[]) =>
  Promise.allSettled(credentials.map(async (credential) => (await createOktaFetch({ credential })('/api/v1/users/me')).status));

it('two processes renewing one user at once make one refresh grant and both use its tokens: at a grace period of 0 the user stays signed in', async () => {
  const { processes, credentials, storageKey } = await signedInTwice();
  expireTokens();
  org.resetCounters();
  expect(await callBoth(credentials)).toEqual([
    { status: 'fulfilled', value: 200 },
    { status: 'fulfilled', value: 200 },
  ]);
  expect(org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
  const [renewedA, renewedB] = credentials.map((credential) => credential.tokens?.accessToken.reveal());
  expect(renewedA).toBeDefined();
  expect(renewedB).toBe(renewedA);
  // Stored as the credential's own write stores them: with the store's default expiry (7 days), not the access token's hour.
  const raw = await createClient({ url: redis.url }).connect();
  fleet.connections.push(raw);
  const redisKey = `okta:v1:${createHash('sha256').update(storageKey).digest('base64url')}`;
  expect(Number(await raw.sendCommand(['PTTL', redisKey]))).toBeGreaterThan(24 * 3_600_000);

  // Still signed in on both (no reuse detected), and an hour on, one renewal again for both.
  expect([await me(processes[0], storageKey), await me(processes[1], storageKey)]).toEqual([200, 200]);
  expireTokens();
  expect(await Promise.all([me(processes[0], storageKey), me(processes[1], storageKey)])).toEqual([200, 200]);
  expect(org.counters().tokenRequests.refresh_token).toEqual({ success: 2 });
});

// Process 0 or 1 signing out: the one renewing under the lock, or the one waiting for its answer.
it.each([0, 1])('a sign-out on process %i while the renewal of both is under way leaves no tokens in Redis', async (leaving) => {
  const { processes, credentials, storageKey } = await signedInTwice();
  expireTokens();
  const hold = org.injectFault({ path: tokenPath, kind: 'hold' });
  const calls = callBoth(credentials);
  await vi.waitFor(() => expect(org.heldAnswers(hold)).toBe(1), { timeout: 10_000 });
  const signedOut = credentials[leaving]!.signOut();
  org.removeFault(hold);
  await signedOut;
  await calls;
  expect(await processes[0].storage.get(storageKey)).toBeUndefined();
  expect(await me(processes[1], storageKey)).toBe('signed out');
});

it('Okta refusing the refresh token (invalid_grant) reaches both callers as LOGIN_REQUIRED, naming no secret, and leaves nothing stored', async () => {
  const { processes, credentials, storageKey, secrets } = await signedInTwice();
  expireTokens();
  const refusal = org.injectFault({ path: tokenPath, kind: 'status', status: 400, body: { error: 'invalid_grant', error_description: 'The refresh token is invalid or expired.' } });
  const outcomes = await callBoth(credentials);
  org.removeFault(refusal);
  for (const outcome of outcomes) {
    expect(outcome).toMatchObject({ status: 'rejected', reason: { name: 'OktaSignInError', code: 'LOGIN_REQUIRED' } });
    const shown = `${inspect((outcome as PromiseRejectedResult).reason, { depth: 5 })} ${JSON.stringify((outcome as PromiseRejectedResult).reason)}`;
    for (const secret of secrets) expect(shown).not.toContain(secret);
  }
  expect(await processes[1].storage.get(storageKey)).toBeUndefined();
});
