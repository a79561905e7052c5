/**
 * One token per client across a fleet, with real parts: a real redis-server (own port, temp
 * dir), 16 Node.js worker processes, the emulator as the org. Counts, never wall-clock time.
 */
import { randomBytes } from 'node:crypto';
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { until } from '@org/okta-test-utils';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, total } from './fleet/fleet.mjs';
import { startRedisServer } from './fleet/redis-server.mjs';

const SIZE = 16;
const SCOPES = ['okta.users.read'];
const encryptionKey = randomBytes(32).toString('base64');

let org: OktaEmulator;
let redis: Awaited<ReturnType<typeof startRedisServer>>;
let fleet: Awaited<ReturnType<typeof startFleet>>;

beforeAll(async () => {
  redis = await startRedisServer();
  org = await startEmulator({ seed: { users: 2 }, rateLimits: { '/api/v1/users': 1_000_000, '/oauth2/v1/token': 1_000_000 } });
  fleet = await startFleet(SIZE);
}, 60_000);
afterAll(async () => {
  // Any of them may be missing when beforeAll failed (redis-server not installed, say).
  await (fleet as typeof fleet | undefined)?.close();
  await (org as typeof org | undefined)?.close();
  await (redis as typeof redis | undefined)?.stop();
});

function grants(): number {
  return org.counters().tokenRequests.client_credentials?.success ?? 0;
}

function nonceHandshakes(): number {
  return org.counters().tokenRequests.client_credentials?.use_dpop_nonce ?? 0;
}

type App = { kind: 'oin'; clientId: string; clientSecret: string } | { kind: 'service'; clientId: string; privateKeyPem: string; keyId: string; dpop: 'required' | 'off' };

function oinApp(): App {
  return { kind: 'oin', ...org.createOinApp({ scopes: SCOPES }) };
}

/**
 * Where Redis is healthy, a localhost command gets 5 s, not the default 500 ms, so a loaded 2-core machine
 * (every suite at once) does not turn the single flight's SET NX/EXISTS polling into Redis trouble
 * and an extra grant. The lock TTL and the wait stay below the credential's own 5 s bound on the
 * fleet single flight (`defaultFleetWaitMs` in okta-oauth), or a killed holder's lock outlives it and
 * every waiter asks Okta. The token cache bounds each store get/set at the store's own `timeoutMs`
 * (2 × `commandTimeoutMs`: 10 s here). The trouble tests set tight bounds of their own.
 */
const HEALTHY_REDIS = { lockTtlMs: 1500, maxWaitMs: 4000, commandTimeoutMs: 5000 };

function config(app: App, withRedis: boolean, extra: Record<string, unknown> = {}) {
  return { orgUrl: org.url, scopes: SCOPES, ...app, redisUrl: withRedis ? redis.url : undefined, encryptionKey, storeOptions: HEALTHY_REDIS, ...extra };
}

describe('cold start: 16 processes × 100 concurrent calls', () => {
  it('without the package: one grant per process', async () => {
    const app = oinApp();
    await fleet.setup(() => config(app, false));
    const before = grants();
    const result = total(await fleet.burst(100));
    expect(result.codes).toEqual([]);
    expect(grants() - before).toBe(SIZE);
  });

  it('with Redis: exactly one grant for the fleet, every call succeeds', async () => {
    const app = oinApp();
    await fleet.setup(() => config(app, true));
    const before = grants();
    const results = await fleet.burst(100);
    expect(total(results).codes).toEqual([]);
    expect(results.flatMap((r) => r.events)).toEqual([]);
    expect(grants() - before).toBe(1);
    expect(new Set(results.flatMap((r) => r.tokens)).size).toBe(1);
  });

  it('DPoP, per-process keys (the default): one grant and one nonce handshake per process', async () => {
    const app: App = { kind: 'service', ...org.createServiceApp({ scopes: SCOPES, requireDpop: true }), dpop: 'required' };
    await fleet.setup(() => config(app, true));
    const [g, n] = [grants(), nonceHandshakes()];
    expect(total(await fleet.burst(100)).codes).toEqual([]);
    expect(grants() - g).toBe(SIZE);
    expect(nonceHandshakes() - n).toBe(SIZE);
  });

  it('DPoP with the opt-in shared key: one grant and one nonce handshake for the fleet', async () => {
    const app: App = { kind: 'service', ...org.createServiceApp({ scopes: SCOPES, requireDpop: true }), dpop: 'required' };
    await fleet.setup(() => config(app, true, { sharedDpop: true }));
    const [g, n] = [grants(), nonceHandshakes()];
    expect(total(await fleet.burst(100)).codes).toEqual([]);
    expect(grants() - g).toBe(1);
    expect(nonceHandshakes() - n).toBe(1);
  });
});

describe('churn through several token lifetimes', () => {
  it('grants = lifetimes with Redis, lifetimes × processes without; 0 failed calls', async () => {
    const bursts = 12;
    // Hour-long tokens are renewed 54 minutes in: between bursts the org's and the fleet's clocks move
    // 55 minutes, so each burst crosses one renewal however long it takes, and no token expires in
    // the 5 minutes left (tokens of 2 s and real waits of 0.5 s crossed more on a loaded machine, and
    // a slow call's token expired on its way: API_ERROR).
    org.setTokenLifetime(3600);
    let offset = 0;
    const moveClocks = async (seconds: number) => {
      offset = seconds;
      org.setClockOffset(offset);
      await fleet.setClockOffset(offset);
    };
    try {
      const counts: Record<string, number> = {};
      for (const withRedis of [true, false]) {
        const app = oinApp();
        await fleet.setup(() => config(app, withRedis));
        const before = grants();
        const codes: string[] = [];
        for (let i = 0; i < bursts; i++) {
          codes.push(...total(await fleet.burst(10)).codes);
          await moveClocks(offset + 55 * 60);
        }
        expect(codes).toEqual([]);
        counts[withRedis ? 'redis' : 'local'] = grants() - before;
      }
      console.log(`churn, ${bursts} token lifetimes: grants with Redis ${counts.redis}, without ${counts.local} (${SIZE} processes)`);
      // Without Redis every process renews each lifetime itself; with it, one grant a lifetime
      // serves the fleet (a second one at most, when a lock holder stalls on a loaded machine).
      expect(counts.local).toBe(SIZE * bursts);
      expect(counts.redis).toBeGreaterThanOrEqual(bursts);
      expect(counts.redis! * 8).toBeLessThanOrEqual(counts.local!);
    } finally {
      await moveClocks(0);
    }
  });
});

describe('Redis trouble never breaks Okta calls, and no token crosses clients', () => {
  /**
   * Two clients on one Redis: half the fleet each. Commands bounded at 300 ms where Redis is made to fail (killed,
   * paused); at the healthy bound where it answers and the test needs what was written (on a loaded machine a write
   * could take past 300 ms, and the process then skips Redis for a while).
   */
  async function twoClients(storeOptions: Record<string, number> = { lockTtlMs: 1500, maxWaitMs: 3000, commandTimeoutMs: 300 }) {
    const a = oinApp();
    const b = oinApp();
    await fleet.setup((i) => config(i % 2 === 0 ? a : b, true, { storeOptions }));
  }

  function noCrossing(results: { tokens: string[] }[]): void {
    const even = new Set(results.filter((_, i) => i % 2 === 0).flatMap((r) => r.tokens));
    const odd = new Set(results.filter((_, i) => i % 2 === 1).flatMap((r) => r.tokens));
    expect([...even].filter((t) => odd.has(t))).toEqual([]);
  }

  it('Redis killed mid-run, then restarted: 0 failed calls', async () => {
    await twoClients();
    const running = fleet.burst(50);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await redis.kill();
    const during = await running;
    const down = await fleet.burst(20);
    await redis.restart();
    await new Promise((resolve) => setTimeout(resolve, 600));
    const after = await fleet.burst(20);
    const all = [...during, ...down, ...after];
    expect(total(all).failed).toBe(0);
    noCrossing(all);
  });

  it('Redis made slow (no answer for 1.5 s): 0 failed calls', async () => {
    await twoClients();
    const slow = redis.pause(1500);
    const results = await fleet.burst(30);
    await slow;
    const after = await fleet.burst(10);
    expect(total([...results, ...after]).failed).toBe(0);
    noCrossing([...results, ...after]);
  });

  it('corrupted and swapped entries: never served, 0 failed calls', async () => {
    await twoClients(HEALTHY_REDIS);
    const first = await fleet.burst(5);
    const client = createClient({ url: redis.url });
    await client.connect();
    const keys = (await client.keys('okta:v1:*')).filter((k) => !k.endsWith(':lock'));
    expect(keys.length).toBeGreaterThanOrEqual(2);
    // Swap the two clients' encrypted entries, and corrupt any others.
    const values = await Promise.all(keys.map((k) => client.get(k)));
    await client.set(keys[0]!, values[1]!);
    await client.set(keys[1]!, values[0]!);
    for (const k of keys.slice(2)) await client.set(k, 'v1.k1.garbage.garbage');
    await client.quit();
    const results = await fleet.burst(20);
    expect(total([...first, ...results]).failed).toBe(0);
    noCrossing([...first, ...results]);
  });

  it('a lock holder that died (lock left in Redis): another process takes over, 0 failed calls', async () => {
    const app = oinApp();
    await fleet.setup(() => config(app, true));
    await fleet.burst(1);
    const client = createClient({ url: redis.url });
    await client.connect();
    const keys = (await client.keys('okta:v1:*')).filter((k) => !k.endsWith(':lock'));
    // The entry is gone and a dead holder's lock (1.5 s expiry) is in place.
    for (const k of keys) {
      await client.del(k);
      await client.sendCommand(['SET', `${k}:lock`, 'dead-holder', 'PX', '1500']);
    }
    await client.quit();
    const before = grants();
    // Fresh processes (no in-process copy) all need a token at once.
    await fleet.setup(() => config(app, true));
    const results = await fleet.burst(20);
    expect(total(results).failed).toBe(0);
    expect(grants() - before).toBeLessThanOrEqual(2);
  });
});

describe('fleet rate limits: 16 processes at twice an endpoint limit', () => {
  const LIMIT = 40;
  let offset = 0;
  /** When the current window opened, on the org's clock (this process runs the org): at or just before. */
  let windowStart = 0;

  /** A fresh window of LIMIT per minute, opened by one call. */
  async function openWindow(app: App): Promise<void> {
    org.setRateLimit('/api/v1/users', LIMIT);
    await fleet.setup(() => config(app, false));
    windowStart = Date.now() + offset * 1000;
    await fleet.burstOne(0, 1);
  }

  /**
   * Moves the org clock so the window ends 3 s from now (a little later at most), right before the
   * burst. Measured from when the window opened: a fixed step of 57 s let the fleet's setup in
   * between (over 3 s on a loaded machine) close the window before the burst, whose calls then met a
   * new window resetting a minute later, past the retry budget, coordinated or not.
   */
  function endWindowSoon(): void {
    offset = (windowStart + 57_000 - Date.now()) / 1000;
    org.setClockOffset(offset);
  }

  it('429s per window: coordinated on Redis versus each process on its own', async () => {
    const seen: Record<string, { tooMany: number; failed: number; ok: number }> = {};
    for (const coordinate of [false, true]) {
      const app = oinApp();
      await openWindow(app);
      await fleet.setup(() =>
        config(app, true, {
          coordinateRateLimits: coordinate,
          coordinatorOptions: { spreadMs: 2000, headroom: 0 },
          retry: { limit: 3, maxWaitMs: 9000 },
        }),
      );
      endWindowSoon();
      const results = await fleet.burst(LIMIT / 8, '/api/v1/users?limit=1');
      const sum = total(results);
      seen[coordinate ? 'redis' : 'local'] = { tooMany: results.reduce((n, r) => n + r.tooMany, 0), failed: sum.failed, ok: sum.ok };
    }
    console.log(`rate limits, ${SIZE} processes × ${LIMIT / 8} calls (limit ${LIMIT}/min): 429s without coordination ${seen.local!.tooMany} (failed ${seen.local!.failed}), with Redis ${seen.redis!.tooMany} (failed ${seen.redis!.failed})`);
    expect(seen.local!.tooMany).toBeGreaterThanOrEqual(LIMIT / 2);
    expect(seen.redis!.tooMany * 4).toBeLessThanOrEqual(seen.local!.tooMany);
    org.setRateLimit('/api/v1/users', 1_000_000);
  });
});

describe('a lock holder killed while it asks Okta', () => {
  // Last in this file: it leaves the fleet one process short.
  it('its lock expires, another process takes over: 0 failed calls in the rest of the fleet', async () => {
    const app = oinApp();
    await fleet.setup(() => config(app, true));
    // Okta never answers the holder within the test (the latency ends when its connection does).
    org.injectFault({ path: '/oauth2/v1/token', kind: 'latency', latencyMs: 60_000, count: 1 });
    const client = createClient({ url: redis.url });
    await client.connect();
    try {
      const asked = () => org.counters().requests['POST /oauth2/v1/token'] ?? 0;
      const askedBefore = asked();
      const holder = fleet.burstOne(0, 1).catch(() => undefined);
      // Wait until process 0's token request is at the org (it holds the fleet lock while it asks): a
      // holder killed before its request arrived would leave the latency to the process taking over.
      await until(() => asked() > askedBefore, "process 0's token request");
      const locks = await client.keys('okta:v1:*:lock');
      expect(locks).toHaveLength(1);
      await fleet.kill(0);
      await holder;
      const before = grants();
      const results = await fleet.burst(20);
      expect(results).toHaveLength(SIZE - 1);
      expect(total(results).codes).toEqual([]);
      // One process took over (the dead holder's request is never answered; a second grant at most, from a waiter past its bound on a loaded machine).
      expect(grants() - before).toBeLessThanOrEqual(2);
    } finally {
      await client.quit();
    }
  });
});
