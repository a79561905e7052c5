/**
 * The processes of a server-side web app sharing one Redis, as the okta-oauth README's "On several
 * processes" lays them out: each with its own Redis connection, store and sign-in client given that
 * store; each user's tokens under their session's own `storageKey`, a credential restored per request.
 * Shared by `web-fleet.server.test.ts`, `user-single-flight.server.test.ts`, `user-fleet-fallback.server.test.ts` and `user-fleet-lost-answer.server.test.ts`.
 */
import { createOktaFetch } from '@org/okta-auth-core';
import type { OktaEmulator } from '@org/okta-emulator';
import { createSignInClient, type OktaStorage, type SignInClient, type UserCredential } from '@org/okta-oauth';
import { fillSignInForm } from '@org/okta-test-utils';
import { startEmulator } from '@org/okta-emulator';
import { createHash, randomBytes } from 'node:crypto';
import { createClient, type RedisClientType } from 'redis';
import { afterAll, afterEach, beforeAll, expect, vi } from 'vitest';
import type { EncryptionKeys } from '../src/index.js';
import { createRedisTokenStorage } from '../src/index.js';
import { startRedisServer, type RedisServer } from './fleet/redis-server.mjs';
import { commandTimeoutMs } from './redis-clients.js';

export const password = 'Correct-Horse-9';
export const redirectUri = 'https://app.example.com/callback';
const tokenPath = '/oauth2/v1/token';
const revokePath = '/oauth2/v1/revoke';

/** The Redis key the store keeps a `storageKey`'s entry under (its default prefix), for a test's own connection to read or change. */
export const redisKeyOf = (storageKey: string): string => `okta:v1:${createHash('sha256').update(storageKey).digest('base64url')}`;

/** One process of the app. */
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

/** A connection of the test's own, to act as another process and read what Redis holds. */
export type RawRedis = RedisClientType;

/**
 * A file's org and redis-server for its processes: the user Ada, a web app rotating its refresh tokens at a grace period
 * of 0 (a reused refresh token revokes the family), a fresh encryption key, and the test's own connection (`raw`).
 * Closed by {@link stopWebFleet}.
 */
export async function startWebFleet(): Promise<{ fleet: WebFleet; redis: RedisServer; raw: RawRedis }> {
  const [org, redis] = await Promise.all([startEmulator(), startRedisServer()]);
  org.createUser({ login: 'ada@example.com', password, firstName: 'Ada', lastName: 'Lovelace' });
  const created = org.createSignInApp({ type: 'web', redirectUris: [redirectUri], scopes: ['okta.users.read.self'], refreshTokenRotation: 'rotate', refreshTokenLeewaySeconds: 0 });
  const app = { clientId: created.clientId, clientSecret: created.clientSecret! };
  const raw: RawRedis = await createClient({ url: redis.url }).connect();
  return { fleet: { org, app, encryption: { current: 'k1', keys: { k1: randomBytes(32).toString('base64') } }, connections: [raw] }, redis, raw };
}

/** A file's {@link startWebFleet}, read inside its tests; `expireTokens()` runs the org's clock an hour on (3,700 s) each time: every token expires. */
export interface UsedWebFleet {
  readonly fleet: WebFleet;
  readonly org: OktaEmulator;
  readonly redis: RedisServer;
  readonly raw: RawRedis;
  readonly expireTokens: () => void;
}

/** {@link startWebFleet} before the file's tests, the org's faults cleared after each, {@link stopWebFleet} after them all. */
export function useWebFleet(): UsedWebFleet {
  let started: Awaited<ReturnType<typeof startWebFleet>> | undefined;
  let offset = 0;
  beforeAll(async () => {
    started = await startWebFleet();
  });
  afterEach(() => {
    started?.fleet.org.clearFaults();
  });
  afterAll(async () => {
    if (started !== undefined) await stopWebFleet(started);
  });
  const running = () => {
    if (started === undefined) throw new Error('the web fleet is not running');
    return started;
  };
  return {
    get fleet() {
      return running().fleet;
    },
    get org() {
      return running().fleet.org;
    },
    get redis() {
      return running().redis;
    },
    get raw() {
      return running().raw;
    },
    expireTokens: () => running().fleet.org.setClockOffset((offset += 3700)),
  };
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

/** A process's `fetch` (real HTTP) that records what Okta's token endpoint gave (`obtained`) and each token sent to its revocation endpoint (`revoked`). */
export function watchedFetch(): { fetch: typeof fetch; obtained: { access_token: string; refresh_token: string }[]; revoked: string[] } {
  const obtained: { access_token: string; refresh_token: string }[] = [];
  const revoked: string[] = [];
  const watching: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const path = new URL(request.url).pathname;
    if (path === revokePath) revoked.push(new URLSearchParams(await request.clone().text()).get('token')!);
    const response = await fetch(request);
    if (path === tokenPath && response.ok) obtained.push(await response.clone().json());
    return response;
  };
  return { fetch: watching, obtained, revoked };
}

/** `renewing`'s request (`/api/v1/users/me`, its status), its refresh held at `org` (`hold`) until the test removes that fault. */
export async function heldRefresh(org: OktaEmulator, renewing: UserCredential): Promise<{ call: Promise<number>; hold: string }> {
  const hold = org.injectFault({ path: tokenPath, kind: 'hold' });
  const call = createOktaFetch({ credential: renewing })('/api/v1/users/me').then((response) => response.status);
  call.catch(() => undefined);
  await vi.waitFor(() => expect(org.heldAnswers(hold)).toBe(1), { timeout: 10_000 });
  return { call, hold };
}

/** A renewal on process B (`renewing`) while process A (`leaving`) signs the user out; `obtained`: what B's fetch saw Okta give ({@link watchedFetch}). */
export interface RenewalAndSignOut {
  readonly renewing: UserCredential;
  readonly leaving: UserCredential;
  readonly storageKey: string;
  readonly obtained: readonly unknown[];
}

/**
 * B's request, its refresh held at the org until A's sign-out removed the key from Redis (read on `raw`; A's revocation
 * held in turn, so B's refresh is answered first), then let go: B's write comes after A's removal.
 */
export async function renewWhileSigningOut(org: OktaEmulator, raw: RawRedis, { renewing, leaving, storageKey, obtained }: RenewalAndSignOut): Promise<{ call: Promise<number>; signedOut: Promise<unknown> }> {
  const { call, hold: tokenHold } = await heldRefresh(org, renewing);
  const revokeHold = org.injectFault({ path: revokePath, kind: 'hold' });
  const signedOut = leaving.signOut();
  await vi.waitFor(() => expect(org.heldAnswers(revokeHold)).toBe(1), { timeout: 10_000 });
  expect(await raw.exists(redisKeyOf(storageKey))).toBe(0);
  org.removeFault(tokenHold);
  await vi.waitFor(() => expect(obtained).toHaveLength(1), { timeout: 10_000 });
  org.removeFault(revokeHold);
  return { call, signedOut };
}
