// @org/okta-token-store-redis on a real redis-server (the runner's), through the clients the repo
// depends on, node-redis (`redis`) and ioredis, where they run (Node.js, Bun, Deno), and through a
// minimal RESP client over Cloudflare's TCP sockets on workerd. The store is web standards only and
// takes any `sendCommand(args)`: the entry passes the clients (entry-cli.js, entry-worker.js).
// A browser (Chromium, Firefox, WebKit) has no TCP socket a page may open, so no Redis: this file is not in its bundle.
import { coordinateRateLimits, createOktaFetch } from '@org/okta-auth-core';
import { createServiceAppCredential } from '@org/okta-oauth';
import { createSswsCredential } from '@org/okta-ssws';
import { createRedisRateLimitCoordinator, createRedisTokenStorage, loadSharedDpopKeyPair } from '@org/okta-token-store-redis';
import { equal, notContains, ok } from '../assert.js';

/**
 * Two connections to the runner's redis-server over the clients the runner names for this runtime
 * (`fixture.redis.clients`: node-redis and ioredis; node-redis twice on Deno, where ioredis cannot
 * load; a socket client on workerd: see runner/runtimes.mjs), made by the entry's `connectClient`;
 * the first one's raw command; closed by `close`.
 */
async function connectTwo(fixture, connectClient) {
  // The runner could not start redis-server: its reason.
  if (fixture.redis.error !== undefined) throw new Error(fixture.redis.error);
  const { url, clients: names } = fixture.redis;
  const connections = [];
  const close = () => Promise.allSettled(connections.map((c) => c.close()));
  try {
    for (const name of [names[0], names[1] ?? names[0]]) connections.push(await connectClient(name, url));
  } catch (error) {
    await close();
    throw error;
  }
  return { clients: connections, raw: connections[0].raw, close };
}

// Each Redis command's bound, well past any load the machine may be under (within the suite's 20 s a case): the default (500 ms,
// 200 ms for the coordinator) treats a slower answer as Redis trouble and goes on without Redis,
// which would make a second token request, or an unshared budget, depend on the machine's load.
const commandTimeoutMs = 15_000;

async function clientCredentialsGrants(fixture) {
  const response = await fetch(`${fixture.orgUrl}/__emulator/counters`);
  ok(response.ok, `emulator counters: ${response.status}`);
  return (await response.json()).tokenRequests.client_credentials?.success ?? 0;
}

function encryptionOf(fixture) {
  return { current: 'k1', keys: { k1: fixture.redis.encryptionKey } };
}

/** Every Redis key under `prefix` with its value (a string key's; empty for a hash, a rate-limit bucket). */
async function entries(raw, prefix) {
  const keys = await raw(['KEYS', `${prefix}*`]);
  return Promise.all(keys.map(async (key) => ({ key, value: (await raw(['TYPE', key])) === 'string' ? await raw(['GET', key]) : '' })));
}

/**
 * The cases, over connections made by `connectClient(name, url)` (`{ client, raw(args), close() }`):
 * src/redis-node-clients.js on Node.js, Bun and Deno, src/redis-socket-client.js on workerd.
 */
export const redisStoreCases = (connectClient) => [
  {
    name: "redis: two credentials of one service app, each on its own Redis connection, share one token and one DPoP key, sealed in Redis",
    async run(fixture) {
      const { ec, scopes } = fixture.oauth.serviceApp;
      const prefix = `${fixture.redis.prefix}token:`;
      const encryption = encryptionOf(fixture);
      const redis = await connectTwo(fixture, connectClient);
      try {
        const before = await clientCredentialsGrants(fixture);
        const tokens = [];
        // One after the other: the second finds the first's DPoP key and token in Redis.
        for (const { client } of redis.clients) {
          const events = [];
          const logger = (event) => void events.push(event);
          const dpopKeyPair = await loadSharedDpopKeyPair({ client, encryption, name: ec.clientId, prefix, logger, commandTimeoutMs });
          const tokenStore = createRedisTokenStorage({ client, encryption, prefix, logger, commandTimeoutMs });
          const credential = createServiceAppCredential({
            orgUrl: fixture.orgUrl, clientId: ec.clientId, privateKey: ec.privateJwk, keyId: ec.keyId, scopes, dpop: 'required', allowInsecureLoopback: true,
            dpopKeyPair, tokenStore, logger,
          });
          const response = await createOktaFetch({ credential })('/api/v1/users?limit=1');
          equal(response.status, 200, 'a resource call with the shared token');
          await response.body?.cancel();
          const headers = await credential.authorize({ method: 'GET', url: new URL('/api/v1/users', fixture.orgUrl) });
          tokens.push(headers.authorization.replace(/^DPoP /, ''));
          // No Redis trouble (error, timeout) and no corrupt entry on either client: every token-store event is one.
          equal(JSON.stringify(events.filter((e) => e.type === 'token-store')), '[]', 'token-store events');
        }
        // Compared, never printed: a failure message must not show a token.
        ok(tokens[1] === tokens[0], 'the second credential uses a token of its own, not the first one\'s');
        equal((await clientCredentialsGrants(fixture)) - before, 1, 'token requests to the org for both credentials');
        // What anyone reading Redis sees: hashed keys, sealed values.
        const stored = await entries(redis.raw, prefix);
        ok(stored.filter((e) => e.value !== '').length >= 2, `a sealed token and a sealed DPoP key in Redis, got ${stored.length} keys`);
        const texts = stored.flatMap((e) => [e.key, e.value]);
        notContains(texts, tokens[0], 'Redis holds the access token in clear');
        const claims = tokens[0].split('.')[1];
        if (claims !== undefined) notContains(texts, claims, 'Redis holds the access token\'s claims in clear');
        notContains(texts, ec.privateJwk.d, 'Redis holds the client\'s private key');
        notContains(texts, ec.clientId, 'Redis shows the client id');
        notContains(texts, fixture.redis.encryptionKey, 'Redis holds the encryption key');
        notContains(texts, '"crv":"P-256"', 'Redis holds the DPoP key as a JWK in clear');
      } finally {
        await redis.close();
      }
    },
  },
  {
    name: "redis: the rate-limit coordinator shares what Okta's X-Rate-Limit headers said between two Redis connections",
    async run(fixture) {
      const prefix = `${fixture.redis.prefix}rl:`;
      const redis = await connectTwo(fixture, connectClient);
      try {
        const [viaFirst, viaSecond] = redis.clients.map(({ client }) => createRedisRateLimitCoordinator({ client, prefix, commandTimeoutMs }));
        // The client reports an answer without holding the answer back, and core bounds each report
        // (250 ms, then goes on): observations kept through core's own wrapper, to await the Redis write itself.
        const observations = [];
        const watched = coordinateRateLimits({
          reserve: (scope) => viaFirst.reserve(scope),
          observe: (scope, observation) => {
            const observed = viaFirst.observe(scope, observation);
            observations.push(observed);
            return observed;
          },
        });
        // A bucket no other case calls (GET /api/v1/apps), so its budget is this case's alone whatever else the matrix sent.
        const scope = { origin: new URL(fixture.orgUrl).origin, bucket: 'GET /api/v1/apps' };
        const credential = createSswsCredential({ orgUrl: fixture.orgUrl, token: fixture.ssws.token, allowInsecureLoopback: true });
        const response = await createOktaFetch({ credential, rateLimitCoordinator: watched })('/api/v1/apps?limit=1');
        equal(response.status, 200, 'the call through the coordinator');
        await response.body?.cancel();
        equal(observations.length, 1, 'answers reported to the coordinator');
        await Promise.all(observations);
        const limit = Number(response.headers.get('x-rate-limit-limit'));
        ok(limit > 0, 'the org sent X-Rate-Limit-Limit');
        // One bucket in Redis, holding the limit the org sent (the first client's observation).
        const stored = (await entries(redis.raw, prefix)).map((e) => e.key);
        equal(stored.length, 1, 'rate-limit buckets in Redis');
        equal(Number(await redis.raw(['HGET', stored[0], 'limit'])), limit, 'the limit Redis holds');
        // The second client's coordinator knows the budget: no probe of a cold bucket (a second cold reserve waits 50 ms), none to wait.
        equal(await viaSecond.reserve(scope), 0, 'a reserve in a known budget');
        equal(await viaSecond.reserve(scope), 0, 'a second reserve in a known budget');
        // A 429 seen through the second client holds the first one's callers back until Okta's reset.
        await viaSecond.observe(scope, { status: 429, limit, remaining: 0, resetAt: Date.now() + 60_000 });
        const wait = await viaFirst.reserve(scope);
        ok(wait > 0, `the first client's caller waits after the second one's 429, reserved ${wait}`);
      } finally {
        await redis.close();
      }
    },
  },
];
