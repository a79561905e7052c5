// One process of a fleet (forked by fleet.mjs): builds a credential from the parent's setup
// message (per-process memory cache, or Redis), then runs bursts of concurrent API calls on
// request and reports counts: calls ok/failed, error codes, the tokens it sent (hashed), time.
import { createHash } from 'node:crypto';
import { createOktaFetch } from '@org/okta-auth-core';
import { createOinAppCredential, createServiceAppCredential } from '@org/okta-oauth';
import { createClient } from 'redis';
import * as redisStore from '../../dist/index.js';

// The fleet's clock: real time plus an offset the parent moves (a `clock` message) together with
// the emulator's org clock, so tokens pass their renewal point without anyone waiting for it. Set
// before any credential exists (the credentials read Date.now); 0 unless a test moves it.
const realNow = Date.now;
let clockOffsetMs = 0;
Date.now = () => realNow() + clockOffsetMs;

let okta;
let redis;
let tokens = new Set();
let tooMany = 0;
const events = [];

// A connection pool of 16 per process, as a production HTTP agent would have: 100 concurrent
// callers on the credential, at most 16 sockets to the org (1,600 at once overflow the
// emulator's accept backlog on a small machine).
const maxSockets = 16;
let inFlight = 0;
const queue = [];
async function pooled(run) {
  if (inFlight >= maxSockets) await new Promise((resolve) => queue.push(resolve));
  inFlight++;
  try {
    return await run();
  } finally {
    inFlight--;
    queue.shift()?.();
  }
}

const hash = (text) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/**
 * A connection the org reset before any answer: a keep-alive one the emulator closed after 5 s idle
 * as this process reused it (on a loaded machine the emulator runs that timer before it reads what
 * came in, so the request never reached it). Browsers, Bun and Deno send such a request again
 * themselves; Node.js's fetch does not, and core resends no POST: a token request lost so failed
 * each of its process's 100 calls (NETWORK_ERROR × 300 in 1 run of 3 at load 20). Sent again once.
 */
const resetBeforeAnswer = (error) => ['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE'].includes(error?.cause?.code);

async function setup(config) {
  tokens = new Set();
  await redis?.quit().catch(() => undefined);
  redis = undefined;
  let tokenStore;
  let dpopKeyPair;
  let rateLimitCoordinator;
  const logger = (event) => {
    if (event.type === 'token-store' || event.type === 'rate-limit-coordinator') events.push(`${event.type}:${event.operation}:${event.outcome}`);
  };
  if (config.redisUrl !== undefined) {
    redis = createClient({ url: config.redisUrl, socket: { connectTimeout: 1000, reconnectStrategy: (n) => Math.min(50 * n, 500) } });
    redis.on('error', () => undefined);
    await redis.connect();
    const encryption = { current: 'k1', keys: { k1: config.encryptionKey } };
    tokenStore = redisStore.createRedisTokenStorage({ client: redis, encryption, logger, ...config.storeOptions });
    // The store's command bound for the shared key and the coordinator too, not their defaults (500 ms, 200 ms), which 16
    // processes at once on a loaded machine can pass: the process then uses a key of its own (a grant and a nonce handshake
    // more than the test counts), or skips the coordinator for a second.
    const { commandTimeoutMs } = config.storeOptions ?? {};
    if (config.sharedDpop) dpopKeyPair = await redisStore.loadSharedDpopKeyPair({ client: redis, encryption, name: config.clientId, commandTimeoutMs });
    if (config.coordinateRateLimits) rateLimitCoordinator = redisStore.createRedisRateLimitCoordinator({ client: redis, commandTimeoutMs, ...config.coordinatorOptions });
  }
  const fetch = (input, init) => {
    const request = new Request(input, init);
    const authorization = request.headers.get('authorization');
    if (authorization !== null && !request.url.includes('/oauth2/')) tokens.add(hash(authorization.replace(/^\S+ /, '')));
    return pooled(async () => {
      const again = request.clone();
      const response = await globalThis.fetch(request).catch((error) => {
        if (!resetBeforeAnswer(error)) throw error;
        return globalThis.fetch(again);
      });
      if (response.status === 429) tooMany++;
      // Read the body inside the pool slot, as a socket is busy until then.
      const body = await response.arrayBuffer();
      return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    });
  };
  // Every call must succeed: an attempt's timer runs while the call waits for one of the 16 sockets,
  // so a burst's last calls waited out 30 s under load (174 TIMEOUTs of 1,600 DPoP calls). Past the
  // test's own 60 s: a burst that slow fails by the test's timeout, not by a call's.
  const transport = { fetch, logger, timeoutMs: 120_000, retry: config.retry ?? { limit: 2, maxWaitMs: 30_000 }, rateLimitCoordinator };
  const common = { orgUrl: config.orgUrl, clientId: config.clientId, scopes: config.scopes, tokenStore, allowInsecureLoopback: true, ...transport };
  const credential =
    config.kind === 'oin'
      ? createOinAppCredential({ ...common, clientSecret: config.clientSecret })
      : createServiceAppCredential({ ...common, privateKey: config.privateKeyPem, keyId: config.keyId, dpop: config.dpop ?? 'off', dpopKeyPair });
  okta = createOktaFetch({ credential, ...transport });
  // Warm this process's HTTP stack on an unauthenticated path (not counted as an API call).
  await (await globalThis.fetch(`${config.orgUrl}/.well-known/openid-configuration`)).body?.cancel();
}

async function burst(n, path) {
  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: n }, async () => {
      const t = performance.now();
      try {
        const response = await okta(path);
        await response.body?.cancel();
        return { ok: true, ms: performance.now() - t };
      } catch (error) {
        return { ok: false, code: error?.code ?? String(error), ms: performance.now() - t };
      }
    }),
  );
  return {
    ok: results.filter((r) => r.ok).length,
    failed: results.filter((r) => !r.ok).length,
    codes: results.filter((r) => !r.ok).map((r) => r.code),
    callMs: results.reduce((sum, r) => sum + r.ms, 0),
    wallMs: performance.now() - started,
  };
}

process.on('message', async (message) => {
  try {
    if (message.type === 'setup') {
      await setup(message.config);
      process.send({ id: message.id, ok: true });
    } else if (message.type === 'burst') {
      const result = await burst(message.n, message.path ?? '/api/v1/users?limit=1');
      process.send({ id: message.id, ok: true, result: { ...result, tokens: [...tokens], events: events.splice(0), tooMany } });
      tooMany = 0;
    } else if (message.type === 'clock') {
      clockOffsetMs = message.offsetMs;
      process.send({ id: message.id, ok: true });
    } else if (message.type === 'close') {
      await redis?.quit().catch(() => undefined);
      process.send({ id: message.id, ok: true });
      process.exit(0);
    }
  } catch (error) {
    process.send({ id: message.id, ok: false, error: String(error?.stack ?? error) });
  }
});
process.send({ type: 'started' });
