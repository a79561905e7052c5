/**
 * A fleet with one DPoP key pair (`loadSharedDpopKeyPair`) where one process's service-app
 * credential says `dpop: 'required'` and another's `'auto'`, on an app Okta answers with Bearer
 * tokens. In one process the two modes never share a token flight (okta-oauth's `flightKey`); across
 * the fleet they share the Redis lock of their one cache key. The `required` process waiting on the
 * `auto` one's token request was handed its Bearer token, refused it (no silent downgrade), logged a
 * `token-store` event (`corrupt`, then `token-type`) and asked Okta outside the lock. Now the fleet's
 * wait takes only what the waiting credential can use (a Bearer entry is not fresh to `required`):
 * it takes the lock once the `auto` request is done and asks Okta itself, handed nothing, logging
 * nothing. @org/okta-emulator for the org, a real redis-server, two store instances on two
 * connections for the two processes.
 */
import { randomBytes } from 'node:crypto';
import type { OktaLogEvent, RequestAttempt } from '@org/okta-auth-core';
import { startEmulator } from '@org/okta-emulator';
import { createServiceAppCredential, generateDpopKeyPair, isOktaOAuthError, type OktaStorage } from '@org/okta-oauth';
import { expect, it } from 'vitest';
import { createRedisTokenStorage, type RedisClientLike } from '../src/index.js';
import { commandTimeoutMs, useRedisClients } from './redis-clients.js';
import { gate } from './gate.js';

const clients = useRedisClients();
const encryption = { current: 'k1', keys: { k1: randomBytes(32).toString('base64') } };

it.each(clients.slice(0, 2))("a 'required' process waiting on an 'auto' process's token request in the %s single flight is not handed its Bearer token: it asks Okta itself under the lock, logging nothing", async (name, connect) => {
  const org = await startEmulator({ seed: { users: 1 } });
  const [autoConnection, requiredConnection] = await Promise.all([connect(), connect()]);
  try {
    const prefix = `dpop-required-${name}:`;
    const app = org.createServiceApp({ keyType: 'EC', requireDpop: false, scopes: ['okta.users.read'] });
    const dpopKeyPair = await generateDpopKeyPair('ES256');
    const credential = (dpop: 'auto' | 'required', tokenStore: OktaStorage, extra: object) =>
      createServiceAppCredential({ orgUrl: org.url, clientId: app.clientId, privateKey: app.privateKeyPem, keyId: app.keyId, scopes: ['okta.users.read'], dpop, dpopKeyPair, tokenStore, allowInsecureLoopback: true, ...extra });
    const attempt = (): RequestAttempt => ({ method: 'GET', url: new URL('/api/v1/users', org.url) });

    // The `auto` process's token request waits until the `required` process found the lock taken.
    const autoAsking = gate();
    const requiredWaiting = gate();
    const auto = credential('auto', createRedisTokenStorage({ commandTimeoutMs, client: autoConnection.client, encryption, prefix }), {
      async fetch(input: RequestInfo | URL, init?: RequestInit) {
        if (String(input instanceof Request ? input.url : input).endsWith('/oauth2/v1/token')) {
          autoAsking.open();
          await requiredWaiting.opened;
        }
        return fetch(input, init);
      },
    });
    const lockReplies: unknown[] = [];
    const requiredClient: RedisClientLike = {
      async sendCommand(args: string[]) {
        const reply = await requiredConnection.raw(args);
        if (args[0] === 'SET' && args.includes('NX') && args[1]?.endsWith(':lock') === true) {
          lockReplies.push(reply);
          requiredWaiting.open();
        }
        return reply;
      },
    };
    const events: OktaLogEvent[] = [];
    const required = credential('required', createRedisTokenStorage({ commandTimeoutMs, client: requiredClient, encryption, prefix }), { logger: (event: OktaLogEvent) => events.push(event) });

    const autoCall = auto.authorize(attempt());
    await autoAsking.opened;
    const requiredCall = required.authorize(attempt()).then(
      () => 'authorized',
      (error: unknown) => (isOktaOAuthError(error) ? error.code : `not ours: ${String(error)}`),
    );
    expect((await autoCall).authorization).toMatch(/^Bearer /);
    // Okta answers this app with Bearer tokens: `required` asked it itself and refused its answer too.
    expect(await requiredCall).toBe('DPOP_NOT_BOUND');
    expect(org.counters().tokenRequests.client_credentials?.success).toBe(2);
    // It found the lock taken, then took it itself once the `auto` request was done.
    expect(lockReplies.at(0)).not.toBe('OK');
    expect(lockReplies.at(-1)).toBe('OK');
    // Handed nothing it cannot use: no `token-type` (nor `corrupt`) event from the fleet.
    expect(events.filter((event) => event.type === 'token-store')).toEqual([]);
  } finally {
    await Promise.all([autoConnection.close(), requiredConnection.close(), org.close()]);
  }
});
