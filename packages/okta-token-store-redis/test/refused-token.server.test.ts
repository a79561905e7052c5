/**
 * A service app token Okta refused, dropped from the Redis storage, end to end: @org/okta-emulator
 * for the org, a real redis-server, two processes (two store instances, two connections) sharing
 * the key. A fresh token the other process stores between this process's read of the refused
 * token and its removal stays (the removal is `removeIfEqual`'s script), and this process's retry
 * uses it instead of asking Okta again.
 */
import { randomBytes } from 'node:crypto';
import { createOktaFetch } from '@org/okta-auth-core';
import { startEmulator } from '@org/okta-emulator';
import { createServiceAppCredential, type OktaStorage } from '@org/okta-oauth';
import { expect, it } from 'vitest';
import { createRedisTokenStorage, type RedisClientLike } from '../src/index.js';
import { commandTimeoutMs, useRedisClients } from './redis-clients.js';

const clients = useRedisClients();
const encryption = { current: 'k1', keys: { k1: randomBytes(32).toString('base64') } };

it.each(clients)("a refused token's removal with %s leaves the fresh token another process stored meanwhile", async (name, connect) => {
  const org = await startEmulator({ seed: { users: 1 } });
  const [mine, other] = await Promise.all([connect(), connect()]);
  try {
    const prefix = `refused-${name}:`;
    const app = org.createServiceApp({ keyType: 'EC', requireDpop: false, scopes: ['okta.users.read'] });
    const okta = (tokenStore: OktaStorage) =>
      createOktaFetch({
        credential: createServiceAppCredential({ orgUrl: org.url, clientId: app.clientId, privateKey: app.privateKeyPem, keyId: app.keyId, scopes: ['okta.users.read'], dpop: 'off', tokenStore, allowInsecureLoopback: true }),
      });
    const otherProcess = okta(createRedisTokenStorage({ commandTimeoutMs, client: other.client, encryption, prefix }));
    let armed = false;
    const racing: RedisClientLike = {
      async sendCommand(args: string[]) {
        // Just before the removal of the token entry (the script, or a DEL; not a lock's release):
        // the other process's call is refused too, and it stores the fresh token it obtains.
        const removal = args[0] === 'DEL' || (args[0] === 'EVAL' && args[1]?.includes("'DEL'") === true && args[3]?.endsWith(':lock') === false);
        if (removal && armed) {
          armed = false;
          expect((await otherProcess('/api/v1/users')).status).toBe(200);
        }
        return mine.raw(args);
      },
    };
    // The other process's calls run inside the removal's command: a bound that a loaded machine does not reach.
    const thisProcess = okta(createRedisTokenStorage({ client: racing, encryption, prefix, commandTimeoutMs }));
    expect((await thisProcess('/api/v1/users')).status).toBe(200);
    org.revokeAccessTokens();
    armed = true;
    expect((await thisProcess('/api/v1/users')).status).toBe(200);
    expect(armed).toBe(false);
    // This process's first token, and the other process's fresh one, which this process's retry used.
    expect(org.counters().tokenRequests.client_credentials).toEqual({ success: 2 });
  } finally {
    await Promise.all([mine.close(), other.close(), org.close()]);
  }
});
