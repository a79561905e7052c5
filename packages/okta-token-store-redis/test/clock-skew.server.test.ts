/**
 * A fleet whose processes' clocks disagree (a VM that drifted, a container without NTP). The
 * coordinator read each process's own `Date.now()` and stored resets on it: a process 30 s ahead
 * saw the window's reset passed and opened a new window for the whole fleet (its `used` back to 0)
 * while Okta still counted the old one; a process 30 s behind stored a reset that was already past
 * for the others. The bucket's clock is now Redis's (`TIME` in the scripts), and an observation
 * carries its reset as a time from now. On a real redis-server; `Date` faked per process, timers real.
 */
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { createRedisRateLimitCoordinator } from '../src/index.js';
import { startRedisServer, type RedisServer } from './fleet/redis-server.mjs';
import { commandTimeoutMs } from './redis-clients.js';

let server: RedisServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await (server as RedisServer | undefined)?.stop();
});
afterEach(() => {
  vi.useRealTimers();
});

/** Runs `step` as a process whose clock is `skewMs` off real time. */
async function skewed<T>(skewMs: number, step: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + skewMs });
  try {
    return await step();
  } finally {
    vi.useRealTimers();
  }
}

it.each([
  ['ahead of the one that saw the answer', 30_000, 0],
  ['behind the one that asks next', 0, 30_000],
])("a process 30 s %s neither ends the fleet's window early nor opens a new one", async (_, reserverSkew, observerSkew) => {
  const client = await createClient({ url: server.url }).connect();
  try {
    const prefix = `skew-${reserverSkew}:`;
    const coordinator = createRedisRateLimitCoordinator({ client, commandTimeoutMs, prefix, headroom: 0 });
    const scope = { origin: 'https://acme.okta.com', bucket: '/api/v1/users' };
    // Okta: 10 a window, none left, the window resets 20 s from now (on the observer's clock).
    await skewed(-observerSkew, async () => coordinator.observe(scope, { status: 200, limit: 10, remaining: 0, resetAt: Date.now() + 20_000 }));
    // Another process asks for a unit of the spent window: it must wait, not find a fresh window.
    const wait = await skewed(reserverSkew, async () => coordinator.reserve(scope));
    expect(wait).toBeGreaterThan(0);
    const [used] = await client.sendCommand<string[]>(['HMGET', (await client.keys(`${prefix}rl:v1:*`))[0]!, 'used']);
    expect(used).toBe('10');
  } finally {
    await client.quit();
  }
});
