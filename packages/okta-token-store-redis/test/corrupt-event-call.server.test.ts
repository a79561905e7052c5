/**
 * The `corrupt` event the Redis token storage raises itself (an entry that does not decrypt: sealed
 * under an encryption key this process does not hold) carries the `call` whose credential read it, as
 * okta-oauth's own `token-store` events do: the storage is handed the call (`get`'s and
 * `singleFlight`'s options). Before (events140) it carried none, so a log grouped by call lost it.
 * @org/okta-emulator for the org, a real redis-server, createOktaFetch for the calls.
 */
import { randomBytes } from 'node:crypto';
import { createOktaFetch, type OktaLogEvent } from '@org/okta-auth-core';
import { startEmulator } from '@org/okta-emulator';
import { createServiceAppCredential } from '@org/okta-oauth';
import { expect, it } from 'vitest';
import { createRedisTokenStorage } from '../src/index.js';
import { commandTimeoutMs, useRedisClients } from './redis-clients.js';

const clients = useRedisClients();
const sealedUnder = () => ({ current: 'k1', keys: { k1: randomBytes(32).toString('base64') } });

it.each(clients.slice(0, 2))('with %s, a corrupt entry read for a call is logged with that call', async (name, connect) => {
  const org = await startEmulator({ seed: { users: 1 } });
  const connection = await connect();
  try {
    const prefix = `corrupt-call-${name}:`;
    const app = org.createServiceApp({ keyType: 'EC', requireDpop: false, scopes: ['okta.users.read'] });
    const list = (encryption: ReturnType<typeof sealedUnder>, logger?: (event: OktaLogEvent) => void) => {
      const tokenStore = createRedisTokenStorage({ commandTimeoutMs, client: connection.client, encryption, prefix, logger });
      const credential = createServiceAppCredential({ orgUrl: org.url, clientId: app.clientId, privateKey: app.privateKeyPem, keyId: app.keyId, scopes: ['okta.users.read'], dpop: 'off', tokenStore, allowInsecureLoopback: true, logger });
      return createOktaFetch({ credential, logger })('/api/v1/users');
    };
    // Another process, another encryption key: its token entry is one this process cannot read.
    expect((await list(sealedUnder())).status).toBe(200);
    const events: OktaLogEvent[] = [];
    expect((await list(sealedUnder(), (event) => events.push(event))).status).toBe(200);
    const request = events.find((event) => event.type === 'request' && event.url.endsWith('/api/v1/users'));
    const call = request?.type === 'request' ? request.call : undefined;
    const corrupt = events.filter((event) => event.type === 'token-store');
    expect(call).toEqual(expect.any(Number));
    expect(corrupt.length).toBeGreaterThan(0);
    expect(corrupt).toEqual(corrupt.map(() => ({ type: 'token-store', operation: 'get', outcome: 'corrupt', call })));
  } finally {
    await Promise.all([connection.close(), org.close()]);
  }
});
