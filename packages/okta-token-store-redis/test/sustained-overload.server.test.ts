/**
 * Sustained overload through createRedisRateLimitCoordinator on a real redis-server, against the emulator:
 * four clients of one org, each with a coordinator of its own on one Redis (as a fleet's processes), call far
 * past a window of 10 a minute with a retry budget (2 s) far shorter than the window's reset. Each call past
 * the budget used to be declined and sent anyway, its place kept in the queue (every later wait longer): a
 * 429 for each call past the 10. Now a declined wait keeps no place, and once Okta's answers said the window
 * is spent (remaining 0), a call whose wait is past its budget fails RATE_LIMITED without being sent.
 * Counts of what reached the org and of its 429s, never time.
 */
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { createOktaFetch, isOktaApiError, type OktaCredential } from '@org/okta-auth-core';
import { createClient } from 'redis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRedisRateLimitCoordinator } from '../src/index.js';
import { startRedisServer, type RedisServer } from './fleet/redis-server.mjs';
import { commandTimeoutMs } from './redis-clients.js';

const LIMIT = 10;
const CLIENTS = 4;
const WAVES = 10;
const path = '/api/v1/users?limit=1';
let server: RedisServer;
let org: OktaEmulator;
beforeAll(async () => {
  server = await startRedisServer();
  org = await startEmulator({ rateLimits: { '/api/v1/users': LIMIT } });
});
afterAll(async () => {
  await (org as OktaEmulator | undefined)?.close();
  await (server as RedisServer | undefined)?.stop();
});

it('four clients sharing one Redis bucket send at most one 429 each once the window is spent; the rest fail RATE_LIMITED, nothing sent', async () => {
  const connections = await Promise.all(Array.from({ length: CLIENTS }, () => createClient({ url: server.url }).connect()));
  try {
    let tooMany = 0;
    const counting: typeof fetch = async (input, init) => {
      const answer = await globalThis.fetch(input, init);
      if (answer.status === 429) tooMany++;
      return answer;
    };
    const clients = connections.map((client) => {
      const { token } = org.createApiToken();
      const credential: OktaCredential = { kind: 'ssws', origin: org.url, authorize: () => Promise.resolve({ authorization: `SSWS ${token}` }) };
      const rateLimitCoordinator = createRedisRateLimitCoordinator({ client, commandTimeoutMs, prefix: 'overload:', headroom: 0 });
      return createOktaFetch({ credential, fetch: counting, rateLimitCoordinator, retry: { limit: 2, maxWaitMs: 2000 } });
    });
    const outcomes: unknown[] = [];
    for (let wave = 0; wave < WAVES; wave++) outcomes.push(...(await Promise.all(clients.map((okta) => okta(path).then((answer) => answer.status, (error: unknown) => error)))));
    const sent = org.counters().requests['GET /api/v1/users'] ?? 0;
    const ok = outcomes.filter((outcome) => outcome === 200).length;
    const local = outcomes.filter((outcome) => isOktaApiError(outcome) && outcome.code === 'RATE_LIMITED' && outcome.message.includes(': nothing was sent: '));
    console.log(`Redis: ${CLIENTS} clients × ${WAVES} calls, limit ${LIMIT}/min: sent ${sent}, 200s ${ok}, 429s from the org ${tooMany}, failed locally ${local.length}`);
    // A cold bucket's probes aside, the window's 10 answered 200.
    expect(ok).toBe(LIMIT);
    expect(tooMany).toBeLessThanOrEqual(CLIENTS);
    expect(sent).toBe(ok + tooMany);
    expect(local.length).toBeGreaterThanOrEqual(CLIENTS * WAVES - LIMIT - CLIENTS);
    expect(outcomes.every((outcome) => outcome === 200 || (isOktaApiError(outcome) && outcome.code === 'RATE_LIMITED'))).toBe(true);
  } finally {
    await Promise.all(connections.map((client) => client.quit()));
  }
}, 30_000);
