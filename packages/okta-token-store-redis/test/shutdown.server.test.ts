/**
 * The README's "Shutting down": one `AbortSignal` for every call of a worker, aborted on SIGTERM. Calls
 * waiting out a 429 or the fleet coordinator's wait (up to `retry.maxWaitMs`, 65 s) held a worker's
 * default drain for about a minute (fleet143), past Kubernetes' 30 s grace. With the shared signal
 * aborted, each call waiting ends `ABORTED` at once, nothing more is sent to Okta, and the Redis client
 * can then be closed (`quit()`). 13 calls waiting on one signal keep one `abort` listener on it (core's, sig165), so Node.js
 * prints no leak warning and no `setMaxListeners` is needed. @org/okta-emulator over HTTP and a real redis-server.
 */
import { randomBytes } from 'node:crypto';
import { createOktaFetch, type OktaLogEvent } from '@org/okta-auth-core';
import { startEmulator } from '@org/okta-emulator';
import { createServiceAppCredential } from '@org/okta-oauth';
import { abortListeners, useSignalWarnings } from '@org/okta-test-utils';
import { createClient } from 'redis';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createRedisRateLimitCoordinator, createRedisTokenStorage } from '../src/index.js';
import { startRedisServer, type RedisServer } from './fleet/redis-server.mjs';
import { commandTimeoutMs } from './redis-clients.js';

/** Node.js's leak warnings while the test runs (MaxListenersExceededWarning, on any target): none. */
const warnings = useSignalWarnings();
let server: RedisServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await (server as RedisServer | undefined)?.stop();
});

it('one shared signal aborted ends every call waiting on a 429 or the coordinator ABORTED, and the client then closes', async () => {
  const org = await startEmulator({ seed: { users: 1 } });
  const client = await createClient({ url: server.url }).connect();
  try {
    const app = org.createServiceApp({ keyType: 'EC', requireDpop: false, scopes: ['okta.users.read'] });
    const encryption = { current: 'k1', keys: { k1: randomBytes(32).toString('base64') } };
    const tokenStore = createRedisTokenStorage({ client, encryption, commandTimeoutMs, prefix: 'shutdown:' });
    const rateLimitCoordinator = createRedisRateLimitCoordinator({ client, commandTimeoutMs, prefix: 'shutdown:', spreadMs: 0 });
    const events: OktaLogEvent[] = [];
    const credential = createServiceAppCredential({ orgUrl: org.url, clientId: app.clientId, privateKey: app.privateKeyPem, keyId: app.keyId, scopes: ['okta.users.read'], tokenStore, rateLimitCoordinator, allowInsecureLoopback: true });
    const okta = createOktaFetch({ credential, rateLimitCoordinator, logger: (event) => void events.push(event) });
    // No setMaxListeners: the calls share one listener on it, so Node.js's limit of 10 is never reached.
    const shutdown = new AbortController();

    // One request a minute on /api/v1/users: the first call spends it. Then a client without the coordinator
    // gets a 429 and waits it out (a minute), and the coordinated calls wait on the fleet's budget (all until
    // the reset, `spreadMs: 0`: spread a minute apart, all but the first would pass `retry.maxWaitMs` and go to Okta).
    org.setRateLimit('/api/v1/users', 1);
    expect((await okta('/api/v1/users', { signal: shutdown.signal })).status).toBe(200);
    const alone = createOktaFetch({ credential, logger: (event) => void events.push(event) });
    const calls = [alone, ...Array.from({ length: 12 }, () => okta)].map((call) => call('/api/v1/users', { signal: shutdown.signal }).then(() => 'answered', (error: unknown) => error));
    const waits = () => events.filter((event) => event.type === 'backoff');
    await vi.waitFor(() => expect(waits()).toHaveLength(13), { timeout: 30_000 });
    expect(waits().filter((event) => event.bucket === 'GET /api/v1/users')).toHaveLength(12);
    // Thirteen calls waiting, one listener: one per call (as before sig165) would pass Node.js's 10 and warn.
    expect(abortListeners(shutdown.signal)).toBe(1);

    shutdown.abort();
    const outcomes = await Promise.all(calls);
    expect(outcomes).toEqual(Array.from({ length: 13 }, () => expect.objectContaining({ code: 'ABORTED' }) as unknown));
    // Nothing more was sent: each waiting call ended where it waited.
    expect(org.counters().requests['GET /api/v1/users']).toBe(2);
    expect(await client.quit()).toBe('OK');
    expect(warnings.all()).toEqual([]);
  } finally {
    if (client.isOpen) await client.quit();
    await org.close();
  }
});
