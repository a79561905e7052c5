import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { hold } from '../ui/entry.js';
import { USER_SCOPES } from './demo-org.js';
import { Skip, type Figures, type StepContext } from './steps.js';

/** The fleet harness of @org/okta-token-store-redis (worker processes, a real redis-server), as its tests and `pnpm bench` use it. */
interface FleetHarness {
  startFleet: (size: number) => Promise<{
    setup(configFor: (index: number) => Record<string, unknown>): Promise<void>;
    burst(n: number): Promise<{ ok: number; failed: number; tokens: string[] }[]>;
    close(): Promise<void>;
  }>;
}
interface RedisHarness {
  redisServerAvailable: () => boolean;
  startRedisServer: () => Promise<{ url: string; stop(): Promise<void> }>;
}

const harnessPath = 'packages/okta-token-store-redis/test/fleet/';

/** The harness folder: beside this checkout's packages, looked up from this file and from the working directory. */
function findHarness(): URL | undefined {
  const starts = [new URL('.', import.meta.url), pathToFileURL(`${process.cwd()}/`)];
  for (const start of starts) {
    for (let dir = start, i = 0; i < 8; i++, dir = new URL('..', dir)) {
      const candidate = new URL(harnessPath, dir);
      if (existsSync(new URL('fleet.mjs', candidate))) return candidate;
    }
  }
  return undefined;
}
/**
 * The `redis-server` the shell would run (Homebrew's is in /opt/homebrew/bin or /usr/local/bin),
 * for the harness, which looks at `REDIS_SERVER` or else /usr/bin/redis-server only.
 */
function redisServerOnPath(path: string | undefined): string | undefined {
  for (const dir of (path ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, 'redis-server');
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

const PROCESSES = 4;
const CALLS = 25;

/**
 * Step 5: a fleet of worker processes shares one token through Redis
 * (@org/okta-token-store-redis): one token grant for the fleet, not one per process.
 */
export async function fleetStep(ctx: StepContext): Promise<Figures> {
  const { ui, demo } = ctx;
  if (demo === undefined) throw new Skip('it runs on the emulated org only (pnpm demo without OKTA_CLIENT_ORGURL)');
  const harness = findHarness();
  if (harness === undefined) throw new Skip('the fleet harness of packages/okta-token-store-redis is not in this checkout');
  // The harness reads REDIS_SERVER when it loads (process.env would store undefined as "undefined").
  const onPath = process.env.REDIS_SERVER === undefined ? redisServerOnPath(process.env.PATH) : undefined;
  if (onPath !== undefined) process.env.REDIS_SERVER = onPath;
  const redisHarness = (await import(new URL('redis-server.mjs', harness).href)) as RedisHarness;
  if (!redisHarness.redisServerAvailable()) {
    throw new Skip('redis-server is not installed (not on PATH, nor named by REDIS_SERVER): apt-get install -y redis-server (Debian/Ubuntu) or brew install redis, then run pnpm demo again');
  }
  const { startFleet } = (await import(new URL('fleet.mjs', harness).href)) as FleetHarness;
  const starting = redisHarness.startRedisServer();
  // Stopped in `finally`, or first by a stop signal (runMain's one path): else an unauthenticated redis-server outlives
  // the tour, and its /tmp/okta-redis-* folder. Held from its start, so a signal while it starts waits for it, then stops it.
  const stopRedis = hold(async () => (await starting).stop());
  try {
    const redis = await starting;
    const app = demo.acme.createOinApp({ scopes: USER_SCOPES });
    const grants = () => demo.acme.counters().tokenRequests.client_credentials?.success ?? 0;
    const before = grants();
    const results = await ui.task(`${PROCESSES} worker processes × ${CALLS} concurrent calls, tokens shared through Redis`, async (progress) => {
      const fleet = await startFleet(PROCESSES);
      // Closed in `finally`, or first by a stop signal: its workers hold connections to redis-server.
      const closeFleet = hold(() => fleet.close());
      try {
        progress('processes started; each asks for a token at once');
        const encryptionKey = randomBytes(32).toString('base64');
        // Each Redis command bounded at 2 s, not the store's 500 ms default: the tour runs beside other work on a laptop or a CI
        // runner, where a command past 500 ms is a busy machine, not a Redis outage, and would send that process to Okta itself
        // (a second grant, as the store's README says for an outage). Size it to your Redis's latency in production.
        const storeOptions = { commandTimeoutMs: 2000 };
        await fleet.setup(() => ({ orgUrl: demo.acme.url, scopes: USER_SCOPES, kind: 'oin', ...app, redisUrl: redis.url, encryptionKey, storeOptions }));
        return await fleet.burst(CALLS);
      } finally {
        await closeFleet();
      }
    });
    const ok = results.reduce((n, r) => n + r.ok, 0);
    const failed = results.reduce((n, r) => n + r.failed, 0);
    const tokens = new Set(results.flatMap((r) => r.tokens)).size;
    const granted = grants() - before;
    ui.line(`One token request for the whole fleet (without Redis: one per process, ${PROCESSES}). Entries are AES-GCM encrypted in Redis; keys are hashes.`);
    ui.figures([
      ['processes', PROCESSES],
      ['calls ok', ok],
      ['calls failed', failed],
      ['token grants', granted],
      ['distinct tokens used', tokens],
    ]);
    return { processes: PROCESSES, ok, failed, grants: granted, tokens };
  } finally {
    await stopRedis();
  }
}
