/**
 * The Redis coordinator keeps its budgets by core's one bucket key (`RateLimitScope.bucket`), as the memory coordinator
 * does (core's `rate-limit/split-buckets.server.test.ts`): Okta's users list (600 a minute), a user got by id (2,000)
 * and a user updated (600) are three budgets. Folded into one, the answer of a user got by id (its own limit) reset the
 * list's spent window in Redis, and the next list call was sent for Okta's 429 (rev164b M1). A real redis-server, the
 * emulator, which splits the buckets as Okta does; counted at the emulator.
 */
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { createOktaFetch, isOktaApiError, type OktaCredential } from '@org/okta-auth-core';
import { createClient } from 'redis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRedisRateLimitCoordinator } from '../src/index.js';
import { startRedisServer, type RedisServer } from './fleet/redis-server.mjs';
import { commandTimeoutMs } from './redis-clients.js';

let server: RedisServer;
let org: OktaEmulator;
beforeAll(async () => {
  server = await startRedisServer();
  org = await startEmulator({ rateLimits: { '/api/v1/users': 1 } });
});
afterAll(async () => {
  await (org as OktaEmulator | undefined)?.close();
  await (server as RedisServer | undefined)?.stop();
});

it("a user got or updated by id answers its own bucket in Redis: the users' list, spent, stays spent, nothing sent", async () => {
  const client = await createClient({ url: server.url }).connect();
  try {
    const { token } = org.createApiToken();
    const credential: OktaCredential = { kind: 'ssws', origin: org.url, authorize: () => Promise.resolve({ authorization: `SSWS ${token}` }) };
    const rateLimitCoordinator = createRedisRateLimitCoordinator({ client, commandTimeoutMs, prefix: 'split:', headroom: 0 });
    const okta = createOktaFetch({ credential, rateLimitCoordinator, retry: { limit: 0, maxWaitMs: 1000 } });
    const listed = () => org.counters().requests['GET /api/v1/users'] ?? 0;
    const refused = async () => {
      const outcome = await okta('/api/v1/users?limit=1').catch((error: unknown) => error);
      expect(isOktaApiError(outcome) && outcome.code).toBe('RATE_LIMITED');
    };
    const [user] = (await (await okta('/api/v1/users?limit=1')).json()) as { id: string }[];
    await refused();
    expect((await okta(`/api/v1/users/${user!.id}`)).status).toBe(200);
    expect((await okta(`/api/v1/users/${user!.id}`, { method: 'POST', body: JSON.stringify({ profile: { title: 'x' } }) })).status).toBe(200);
    await refused();
    expect(listed()).toBe(1);
  } finally {
    await client.quit();
  }
});
