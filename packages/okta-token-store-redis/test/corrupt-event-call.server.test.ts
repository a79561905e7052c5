/**
 * The `corrupt` event the Redis token storage raises itself (an entry that does not decrypt: sealed
 * under an encryption key this process does not hold) carries the `call` whose credential renews the
 * token when its single flight reads the entry (`SingleFlightOptions.call`), as okta-oauth's own
 * `token-store` events do. Before (events140) it carried none, so a log grouped by call lost it.
 * The credential's plain `get` before it is called with the key alone (storageget141: a storage's
 * `get` may be a client's own, which forwards every argument), so that read's event carries no call.
 * A flight logs its `corrupt` event once, however often it reads the entry while it waits for another
 * process (lock164: one event per poll, 31 in a 3 s wait); a plain `get` logs each read.
 * @org/okta-emulator for the org, a real redis-server, createOktaFetch for the calls.
 */
import { randomBytes } from 'node:crypto';
import { createOktaFetch, type OktaLogEvent } from '@org/okta-auth-core';
import { startEmulator } from '@org/okta-emulator';
import { createServiceAppCredential } from '@org/okta-oauth';
import { expect, it } from 'vitest';
import { createRedisTokenStorage, type RedisClientLike } from '../src/index.js';
import { flightHoldingLock, gate } from './gate.js';
import { commandTimeoutMs, useRedisClients } from './redis-clients.js';

const clients = useRedisClients();
const sealedUnder = () => ({ current: 'k1', keys: { k1: randomBytes(32).toString('base64') } });

it.each(clients.slice(0, 2))('with %s, a corrupt entry its single flight reads for a call is logged with that call', async (name, connect) => {
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
    // The plain `get`'s, then the single flight's read under the lock, with the call.
    expect(corrupt).toEqual([
      { type: 'token-store', operation: 'get', outcome: 'corrupt', call: undefined },
      { type: 'token-store', operation: 'get', outcome: 'corrupt', call },
    ]);
  } finally {
    await Promise.all([connection.close(), org.close()]);
  }
});

it.each(clients.slice(0, 2))('with %s, a flight waiting on another process logs a corrupt entry once, not once a poll; each plain get logs its own', async (name, connect) => {
  const [holder, waiter] = await Promise.all([connect(), connect()]);
  try {
    const prefix = `corrupt-once-${name}:`;
    const encryption = sealedUnder();
    // An entry sealed under another encryption key: corrupt to this fleet.
    await createRedisTokenStorage({ commandTimeoutMs, client: holder.client, encryption: sealedUnder(), prefix }).set('k', "another fleet's token");
    const events: OktaLogEvent[] = [];
    const polls = { n: 0, enough: gate() };
    const watching: RedisClientLike = { sendCommand: (args: string[]) => (args[0] === 'EXISTS' && ++polls.n === 10 && polls.enough.open(), waiter.raw(args)) };
    const store = createRedisTokenStorage({ commandTimeoutMs, client: watching, encryption, prefix, logger: (event) => void events.push(event) });
    expect([await store.get('k'), await store.get('k')]).toEqual([undefined, undefined]);
    expect(events).toEqual(Array.from({ length: 2 }, () => ({ type: 'token-store', operation: 'get', outcome: 'corrupt', call: undefined })));
    events.length = 0;
    // Another process holds the lock until this one has polled it 10 times, each poll a read of the corrupt entry.
    const { held } = await flightHoldingLock(createRedisTokenStorage({ commandTimeoutMs, client: holder.client, encryption, prefix }), 'k', async () => {
      await polls.enough.opened;
      return { value: 'token', expiresAt: Date.now() + 60_000 };
    });
    const waiting = store.singleFlight!('k', () => Promise.resolve({ value: 'not asked', expiresAt: Date.now() + 60_000 }), { call: 7 });
    void waiting.then(
      () => polls.enough.open(),
      () => polls.enough.open(),
    );
    expect([await held, await waiting]).toEqual(['token', 'token']);
    expect(polls.n).toBeGreaterThanOrEqual(10);
    // Before: one event a poll (here 10 or more).
    expect(events).toEqual([{ type: 'token-store', operation: 'get', outcome: 'corrupt', call: 7 }]);
  } finally {
    await Promise.all([holder.close(), waiter.close()]);
  }
});
