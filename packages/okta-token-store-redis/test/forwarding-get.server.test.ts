/**
 * An `OktaStorage` of your own over a Redis client, its `get` the client's own (`redis.get.bind(redis)`,
 * which forwards every argument to Redis): okta-oauth calls it with the key alone, so three credentials
 * of one service app share one token. Before (storageget141) okta-oauth handed `get` a second argument
 * (`{ call }`, events140): ioredis sent `GET key [object Object]`, Redis answered `ERR wrong number of
 * arguments`, and every read failed (3 token requests, 3 `token-store` `get` `error` events).
 * @org/okta-emulator for the org, a real redis-server, ioredis.
 */
import { type OktaLogEvent } from '@org/okta-auth-core';
import { startEmulator } from '@org/okta-emulator';
import { createServiceAppCredential, type OktaStorage } from '@org/okta-oauth';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from './fleet/redis-server.mjs';

let server: RedisServer | undefined;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(() => server?.stop());

it("a storage whose get is ioredis's own (bound) shares one token across three credentials", async () => {
  const org = await startEmulator();
  const redis = new Redis(server?.port ?? 0, '127.0.0.1');
  try {
    const tokenStore: OktaStorage = { get: redis.get.bind(redis), set: (key, value) => redis.set(key, value).then(() => undefined), remove: (key) => redis.del(key).then(() => undefined) };
    const app = org.createServiceApp({ keyType: 'EC', requireDpop: false, scopes: ['okta.users.read'] });
    const events: OktaLogEvent[] = [];
    org.resetCounters();
    for (let i = 0; i < 3; i++) {
      const credential = createServiceAppCredential({ orgUrl: org.url, clientId: app.clientId, privateKey: app.privateKeyPem, keyId: app.keyId, scopes: ['okta.users.read'], dpop: 'off', tokenStore, allowInsecureLoopback: true, logger: (event) => events.push(event) });
      await credential.authorize({ method: 'GET', url: new URL('/api/v1/users', org.url) });
    }
    expect(events.filter((event) => event.type === 'token-store')).toEqual([]);
    expect(org.counters().requests['POST /oauth2/v1/token']).toBe(1);
  } finally {
    redis.disconnect();
    await org.close();
  }
});
