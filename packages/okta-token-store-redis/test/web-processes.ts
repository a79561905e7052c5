/**
 * The processes of a server-side web app sharing one Redis, as the okta-oauth README's "On several
 * processes" lays them out: each with its own Redis connection, store and sign-in client given that
 * store; each user's tokens under their session's own `storageKey`, a credential restored per request.
 * Shared by `web-fleet.server.test.ts`, `user-single-flight.server.test.ts`, `user-fleet-fallback.server.test.ts` and `user-fleet-lost-answer.server.test.ts`.
 */
import { createOktaFetch } from '@org/okta-auth-core';
import type { OktaEmulator } from '@org/okta-emulator';
import { createSignInClient, type OktaStorage, type SignInClient } from '@org/okta-oauth';
import { fillSignInForm } from '@org/okta-test-utils';
import { startEmulator } from '@org/okta-emulator';
import { createHash, randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import type { EncryptionKeys } from '../src/index.js';
import { createRedisTokenStorage } from '../src/index.js';
import { startRedisServer, type RedisServer } from './fleet/redis-server.mjs';
import { commandTimeoutMs } from './redis-clients.js';

export const password = 'Correct-Horse-9';
export const redirectUri = 'https://app.example.com/callback';

/** One process of the app. */
/** The Redis key the store keeps a `storageKey`'s entry under (its default prefix), for a test's own connection to read or change. */
export const redisKeyOf = (storageKey: string): string => `okta:v1:${createHash('sha256').update(storageKey).digest('base64url')}`;

export interface WebProcess {
  readonly client: SignInClient;
  readonly storage: OktaStorage;
}

/** What every process of one test file shares: the org, its web app, the fleet's encryption key, and the connections to close. */
export interface WebFleet {
  readonly org: OktaEmulator;
  readonly app: { readonly clientId: string; readonly clientSecret: string };
  readonly encryption: EncryptionKeys;
  readonly connections: { destroy(): void }[];
}

/**
 * A file's org and redis-server for its processes: the user Ada, a web app rotating its refresh tokens at a grace period
 * of 0 (a reused refresh token revokes the family), a fresh encryption key. Closed by {@link stopWebFleet}.
 */
export async function startWebFleet(): Promise<{ fleet: WebFleet; redis: RedisServer }> {
  const [org, redis] = await Promise.all([startEmulator(), startRedisServer()]);
  org.createUser({ login: 'ada@example.com', password, firstName: 'Ada', lastName: 'Lovelace' });
  const created = org.createSignInApp({ type: 'web', redirectUris: [redirectUri], scopes: ['okta.users.read.self'], refreshTokenRotation: 'rotate', refreshTokenLeewaySeconds: 0 });
  const app = { clientId: created.clientId, clientSecret: created.clientSecret! };
  return { fleet: { org, app, encryption: { current: 'k1', keys: { k1: randomBytes(32).toString('base64') } }, connections: [] }, redis };
}

/** Closes what {@link startWebFleet} started, and every connection its processes opened. */
export async function stopWebFleet({ fleet, redis }: { fleet: WebFleet; redis: RedisServer }): Promise<void> {
  for (const connection of fleet.connections) connection.destroy();
  await fleet.org.close();
  await redis.stop();
}

/** One process: its own Redis connection (to `url`), store (its `maxWaitMs` for another's renewal, and `lockTtlMs` below it) and sign-in client (on `options.fetch`: a test watching its requests). */
export async function startProcess(fleet: WebFleet, url: string, options: { commandTimeoutMs?: number; connected?: boolean; fetch?: typeof fetch; maxWaitMs?: number; lockTtlMs?: number } = {}): Promise<WebProcess> {
  const connection = createClient({ url, socket: { reconnectStrategy: 50 } }).on('error', () => undefined);
  fleet.connections.push(connection);
  if (options.connected === false) connection.connect().catch(() => undefined);
  else await connection.connect();
  const storage = createRedisTokenStorage({ client: connection, encryption: fleet.encryption, commandTimeoutMs: options.commandTimeoutMs ?? commandTimeoutMs, maxWaitMs: options.maxWaitMs, lockTtlMs: options.lockTtlMs });
  const client = createSignInClient({
    orgUrl: fleet.org.url,
    allowInsecureLoopback: true,
    clientId: fleet.app.clientId,
    clientSecret: fleet.app.clientSecret,
    redirectUri,
    scopes: ['openid', 'profile', 'offline_access', 'okta.users.read.self'],
    storage,
    fetch: options.fetch,
  });
  return { client, storage };
}

/** `/login` on `first`, the callback on `second`, the tokens stored under the session's key. */
export async function signIn(first: SignInClient, second: SignInClient, storage: OktaStorage, storageKey: string) {
  const { url, transaction } = await first.startSignIn(); // the transaction goes into the session
  const callback = await fillSignInForm(url, 'ada@example.com', password);
  const { tokens } = await second.finishSignIn(callback, transaction);
  await second.credential(tokens, { storage, storageKey }).getAccessToken(); // stored before the callback answers
  return tokens;
}

/** One request of a process: the user's credential restored from Redis, `/api/v1/users/me`. */
export async function me(process: WebProcess, storageKey: string): Promise<number | 'signed out'> {
  const credential = await process.client.restoreCredential({ storage: process.storage, storageKey });
  if (credential === undefined) return 'signed out';
  return (await createOktaFetch({ credential })('/api/v1/users/me')).status;
}
