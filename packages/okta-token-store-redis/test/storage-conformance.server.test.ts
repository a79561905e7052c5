/**
 * The Redis store against `@org/okta-emulator`'s `checkOktaStorage`, the contract of `OktaStorage`
 * users run on their own stores: on a real redis-server, the second handle a store of its own over
 * a second connection (another process), and the unreadable entry one sealed under another key
 * (a store that no longer holds it). Every rule is checked and kept.
 */
import { randomBytes } from 'node:crypto';
import { checkOktaStorage } from '@org/okta-emulator';
import type { OktaStorage } from '@org/okta-oauth';
import { createClient } from 'redis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRedisTokenStorage } from '../src/index.js';
import { startRedisServer, type RedisServer } from './fleet/redis-server.mjs';
import { commandTimeoutMs } from './redis-clients.js';

let server: RedisServer;
const clients: { quit(): Promise<unknown> }[] = [];
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.quit()));
  await (server as RedisServer | undefined)?.stop();
});

const key = (): string => randomBytes(32).toString('base64');

it('keeps every rule checkOktaStorage checks, across two connections', async () => {
  const [one, two] = await Promise.all([createClient({ url: server.url }).connect(), createClient({ url: server.url }).connect()]);
  clients.push(one, two);
  const encryption = { current: 'k1', keys: { k1: key() } };
  const foreign = { current: 'k9', keys: { k9: key() } };
  const prefix = 'conformance:';
  const report = await checkOktaStorage(() => createRedisTokenStorage({ client: one, encryption, prefix, commandTimeoutMs }), {
    secondHandle: () => createRedisTokenStorage({ client: two, encryption, prefix, commandTimeoutMs }),
    writeUnreadable: (_first: OktaStorage, at: string) => createRedisTokenStorage({ client: two, encryption: foreign, prefix, commandTimeoutMs }).set(at, 'sealed under a key the store does not hold'),
  });
  expect(report.violations).toEqual([]);
  // Declared bounds: the store declares timeoutMs only (no fleetWaitMs: okta-oauth's default wait).
  expect(report.skipped).toEqual([]);
  expect(report.passed).toHaveLength(18);
  // What the check wrote is gone (the fleet lock keys expire by themselves).
  expect((await one.keys(`${prefix}v1:*`)).filter((name) => !name.endsWith(':lock'))).toEqual([]);
});
