// Benchmark 7: a fleet on Redis (@org/okta-token-store-redis) against the per-process default.
// 16 worker processes on one emulated org and a real redis-server (its own port and temp
// dir): token grants at cold start and through churn, 429s at twice an endpoint's limit,
// and the latency per call that Redis adds on the warm path. Counts, plus per-call means.
import { randomBytes } from 'node:crypto';
import { startEmulator } from '@org/okta-emulator';
import { startFleet, total } from '../../packages/okta-token-store-redis/test/fleet/fleet.mjs';
import { redisServerAvailable, startRedisServer } from '../../packages/okta-token-store-redis/test/fleet/redis-server.mjs';

const SCOPES = ['okta.users.read'];

export async function fleetBench({ size = 16, calls = 100, churnBursts = 12, warmRounds = 5 } = {}) {
  if (!redisServerAvailable()) return { skipped: 'redis-server is not installed (apt-get install -y redis-server)' };
  const redis = await startRedisServer();
  const org = await startEmulator({ seed: { users: 2 }, rateLimits: { '/api/v1/users': 1_000_000, '/oauth2/v1/token': 1_000_000 } });
  const fleet = await startFleet(size);
  const encryptionKey = randomBytes(32).toString('base64');
  const grants = () => org.counters().tokenRequests.client_credentials?.success ?? 0;
  const config = (app, withRedis, extra = {}) => ({
    orgUrl: org.url,
    scopes: SCOPES,
    kind: 'oin',
    ...app,
    redisUrl: withRedis ? redis.url : undefined,
    encryptionKey,
    storeOptions: { commandTimeoutMs: 1000 },
    ...extra,
  });
  const modes = [
    ['per-process (default)', false, {}],
    ['Redis token store', true, {}],
    ['Redis store + rate-limit coordinator', true, { coordinateRateLimits: true }],
  ];
  const rows = [];
  try {
    for (const [label, withRedis, extra] of modes) {
      const row = { label };
      // Cold start.
      let app = org.createOinApp({ scopes: SCOPES });
      await fleet.setup(() => config(app, withRedis, extra));
      let before = grants();
      const cold = total(await fleet.burst(calls));
      row.coldGrants = grants() - before;
      row.coldFailed = cold.failed;
      // Warm path: the same processes, token cached; mean time of one call at a time per process.
      let warmMs = 0;
      let warmCalls = 0;
      for (let i = 0; i < warmRounds * 10; i++) {
        const warm = total(await fleet.burst(1));
        warmMs += warm.callMs;
        warmCalls += warm.ok + warm.failed;
      }
      row.warmMsPerCall = warmMs / warmCalls;
      // Churn: 2 s tokens, a burst every 0.5 s.
      org.setTokenLifetime(2);
      app = org.createOinApp({ scopes: SCOPES });
      await fleet.setup(() => config(app, withRedis, extra));
      before = grants();
      let churnFailed = 0;
      for (let i = 0; i < churnBursts; i++) {
        churnFailed += total(await fleet.burst(10)).failed;
        await new Promise((r) => setTimeout(r, 500));
      }
      org.setTokenLifetime(3600);
      row.churnGrants = grants() - before;
      row.churnFailed = churnFailed;
      rows.push(row);
    }
    // 429s at twice the limit: 40/min, 16 × 5 calls, in a window that ends ~3 s in.
    const limits = [];
    let offset = 0;
    for (const coordinate of [false, true]) {
      const app = org.createOinApp({ scopes: SCOPES });
      org.setRateLimit('/api/v1/users', 40);
      await fleet.setup(() => config(app, false));
      await fleet.burstOne(0, 1);
      offset += 57;
      org.setClockOffset(offset);
      await fleet.setup(() => config(app, true, { coordinateRateLimits: coordinate, coordinatorOptions: { spreadMs: 2000, headroom: 0 }, retry: { limit: 3, maxWaitMs: 9000 } }));
      const results = await fleet.burst(5);
      const sum = total(results);
      limits.push({ label: coordinate ? 'coordinated on Redis' : 'each process on its own', tooMany: results.reduce((n, r) => n + r.tooMany, 0), failed: sum.failed, ok: sum.ok });
    }
    return { size, calls, rows, limits };
  } finally {
    await fleet.close();
    await org.close();
    await redis.stop();
  }
}

/** The report section (bench/src/report.mjs calls it). */
export function fleetSection(data) {
  if (data === undefined) return [];
  if (data.skipped || data.error) return ['## 7. Fleet on Redis', '', data.skipped ?? `failed: ${String(data.error).split('\n')[0]}`, ''];
  const fmt = (n) => (Number.isInteger(n) ? String(n) : n.toFixed(2));
  const base = data.rows[0];
  return [
    '## 7. Fleet on Redis',
    '',
    `${data.size} Node.js processes on one emulated org and a real redis-server. Cold start: ${data.size} × ${data.calls} concurrent calls on a cold cache. Churn: 2 s tokens, 12 bursts of ${data.size} × 10 calls, 0.5 s apart. Warm: mean time of a call (one at a time per process, all processes at once) with the token cached; the latency Redis adds is the difference from the first row: the token store answers from the in-process copy, the rate-limit coordinator adds a Redis round trip before each call.`,
    '',
    '| Mode | Cold-start grants | Cold-start failed | Churn grants | Churn failed | Warm ms/call | Added ms/call |',
    '|---|---|---|---|---|---|---|',
    ...data.rows.map((r) => `| ${r.label} | ${r.coldGrants} | ${r.coldFailed} | ${r.churnGrants} | ${r.churnFailed} | ${fmt(r.warmMsPerCall)} | ${fmt(r.warmMsPerCall - base.warmMsPerCall)} |`),
    '',
    `Twice an endpoint's limit (40 per minute, ${data.size} × 5 calls, retries up to 9 s):`,
    '',
    '| Fleet | 429s seen | Calls ok | Calls failed |',
    '|---|---|---|---|',
    ...data.limits.map((l) => `| ${l.label} | ${l.tooMany} | ${l.ok} | ${l.failed} |`),
    '',
  ];
}
