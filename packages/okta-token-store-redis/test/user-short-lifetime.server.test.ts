/**
 * One renewal per user across processes when Okta's tokens live shorter than the credential's
 * `renewBeforeSeconds` (60 s by default): the renewal another process just stored is taken, not
 * renewed again, and no process sends a refresh token another one already spent (ru154, renew2).
 * @org/okta-emulator (8-second tokens, rotation with a grace period of 0), a real redis-server, three processes.
 */
import { randomBytes } from 'node:crypto';
import { createOktaFetch } from '@org/okta-auth-core';
import type { OktaEmulator } from '@org/okta-emulator';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { RedisServer } from './fleet/redis-server.mjs';
import { signIn, startProcess, startWebFleet, stopWebFleet, type WebFleet } from './web-processes.js';

let fleet: WebFleet;
let org: OktaEmulator;
let redis: RedisServer;

beforeAll(async () => {
  ({ fleet, redis } = await startWebFleet());
  org = fleet.org;
});
afterEach(() => org.setTokenLifetime(3600));
afterAll(() => stopWebFleet({ fleet, redis }));

it('three processes renewing one user of 8-second tokens at once make one refresh grant, and the user stays signed in', async () => {
  org.setTokenLifetime(8);
  // Each refresh token a process sends, and the error of each refused grant.
  const sent: string[] = [];
  const refused: string[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const token = new URLSearchParams(await request.clone().text()).get('refresh_token');
    if (token !== null) sent.push(token);
    const response = await globalThis.fetch(request);
    if (token !== null && !response.ok) refused.push(((await response.clone().json()) as { error: string }).error);
    return response;
  };
  const processes = await Promise.all([0, 1, 2].map(() => startProcess(fleet, redis.url, { fetch })));
  const storageKey = `session-${randomBytes(8).toString('hex')}`;
  await signIn(processes[0]!.client, processes[1]!.client, processes[1]!.storage, storageKey);
  // Restored from Redis: their lifetime unknown, 8 s left is within the 60-s floor, so each renews on its first call.
  const credentials = await Promise.all(processes.map(async ({ client, storage }) => (await client.restoreCredential({ storage, storageKey }))!));
  org.resetCounters();
  const outcomes = await Promise.allSettled(credentials.map(async (credential) => (await createOktaFetch({ credential })('/api/v1/users/me')).status));
  expect(outcomes).toEqual(credentials.map(() => ({ status: 'fulfilled', value: 200 })));
  // One grant, never a spent refresh token sent again: the emulator takes it back within the second it was rotated
  // out in (its leeway of 0), Okta's grace period of 0 would refuse it (invalid_grant, the family revoked).
  expect(sent).toHaveLength(1);
  expect(refused).toEqual([]);
  expect(org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
  const renewed = credentials.map((credential) => credential.tokens?.accessToken.reveal());
  expect(new Set(renewed).size).toBe(1);
});
