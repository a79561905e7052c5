/**
 * One hostile customer org in a partner's fleet on Redis: the token store and the rate-limit
 * coordinator are shared by every tenant. A real redis-server, two emulated orgs; the hostile
 * org answers 429s with a reset years ahead and garbage limits. Its neighbour neither waits nor
 * shares a key with it, and nothing in Redis names an org, a client or a secret.
 */
import { randomBytes } from 'node:crypto';
import { createOktaFetch, type OktaLogEvent } from '@org/okta-auth-core';
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { createMultiOrgCredentials, createOinAppCredential } from '@org/okta-oauth';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisRateLimitCoordinator, createRedisTokenStorage, type RedisClientLike } from '../src/index.js';
import { startRedisServer } from './fleet/redis-server.mjs';
import { commandTimeoutMs } from './redis-clients.js';

let server: Awaited<ReturnType<typeof startRedisServer>>;
let client: RedisClientLike & { quit(): Promise<unknown> };
let a: OktaEmulator;
let b: OktaEmulator;
let raw: (args: string[]) => Promise<unknown>;

beforeAll(async () => {
  server = await startRedisServer();
  const connected = await createClient({ url: server.url }).connect();
  client = connected;
  raw = (args) => connected.sendCommand(args);
  [a, b] = await Promise.all([startEmulator({ seed: { users: 1 } }), startEmulator({ seed: { users: 2 } })]);
});
afterAll(async () => {
  await (client as typeof client | undefined)?.quit();
  await (a as OktaEmulator | undefined)?.close();
  await (b as OktaEmulator | undefined)?.close();
  await (server as typeof server | undefined)?.stop();
});

interface Tenant {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** One process of the partner's fleet: its own factory, Redis shared with every other process. */
function fleetProcess(prefix: string) {
  const events: OktaLogEvent[] = [];
  const logger = (event: OktaLogEvent) => void events.push(event);
  const tokenStore = createRedisTokenStorage({ commandTimeoutMs, client, prefix, encryption: { current: 'k1', keys: { k1: key } } });
  const rateLimitCoordinator = createRedisRateLimitCoordinator({ commandTimeoutMs, client, prefix });
  const orgs = createMultiOrgCredentials({
    create: (orgUrl, tenant: Tenant) => createOinAppCredential({ orgUrl, ...tenant, scopes: ['okta.users.read'], tokenStore, rateLimitCoordinator, logger, allowInsecureLoopback: true }),
  });
  const call = (org: OktaEmulator, tenant: Tenant) =>
    createOktaFetch({ credential: orgs.get(org.url, tenant), rateLimitCoordinator, logger, retry: { limit: 1, maxWaitMs: 2000 } })('/api/v1/users');
  return { events, call, rateLimitCoordinator };
}

const key = randomBytes(32).toString('base64');

describe('a hostile tenant in a fleet on Redis', () => {
  it("its 429s with a reset years ahead and garbage limits slow only itself; its neighbour's budget and token stay its own", async () => {
    const appA = a.createOinApp({ scopes: ['okta.users.read'] });
    const appB = b.createOinApp({ scopes: ['okta.users.read'] });
    const [one, two] = [fleetProcess('tenants:'), fleetProcess('tenants:')];
    expect((await one.call(b, appB)).status).toBe(200);
    a.injectFault({ path: '/api/v1/users', kind: 'status', status: 429, headers: { 'X-Rate-Limit-Reset': '999999999999999', 'X-Rate-Limit-Limit': '1', 'X-Rate-Limit-Remaining': '0' } });
    expect(await one.call(a, appA).catch((e: unknown) => e)).toMatchObject({ status: 429 });
    a.injectFault({ path: '/api/v1/users', kind: 'status', status: 429, headers: { 'X-Rate-Limit-Reset': 'x'.repeat(500), 'X-Rate-Limit-Limit': '9'.repeat(15), 'Date': 'garbage' } });
    expect(await two.call(a, appA).catch((e: unknown) => e)).toMatchObject({ status: 429 });

    // A's bucket is exhausted far ahead in the fleet's view; B's, in the same bucket path, is not.
    expect(await two.rateLimitCoordinator.reserve({ origin: a.url, bucket: 'GET /api/v1/users' })).toBeGreaterThan(60_000);
    expect(await two.rateLimitCoordinator.reserve({ origin: b.url, bucket: 'GET /api/v1/users' })).toBe(0);
    const before = two.events.length;
    expect((await two.call(b, appB)).status).toBe(200);
    expect(two.events.slice(before).filter((e) => e.type !== 'request' && e.type !== 'response')).toEqual([]);
    // The other process read B's token from Redis: one grant for B in the fleet.
    expect(b.counters().tokenRequests.client_credentials).toEqual({ success: 1 });

    // Redis names no org, client or secret: keys are hashes, values sealed.
    const keys = (await raw(['KEYS', 'tenants:*'])) as string[];
    expect(keys.length).toBeGreaterThanOrEqual(4);
    const values = await Promise.all(keys.map(async (k) => ((await raw(['TYPE', k])) === 'hash' ? raw(['HGETALL', k]) : raw(['GET', k]))));
    const stored = JSON.stringify([keys, values]);
    for (const text of [a.url, b.url, new URL(a.url).host, appA.clientId, appB.clientId, appA.clientSecret, appB.clientSecret]) expect(stored).not.toContain(text);
  });
});
