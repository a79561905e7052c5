import type { OktaStorage, SingleFlightOptions } from '../../token-cache/storage.js';
import type { SignInClient } from '../sign-in-client.js';
import { createSignInClient as createLeanSignInClient } from '../sign-in-lean.js';
import { createMemoryStorage } from '../storage.js';
import { signIn, tokensKeyOf, type SignInOrg } from './sign-in-org.js';

/** The `obtain` a storage's single flight is given. */
export type Obtain = () => Promise<{ readonly value: string; readonly expiresAt: number }>;

/** One call of a {@link fleetStorage}'s single flight. */
export interface Flight {
  readonly key: string;
  readonly options: SingleFlightOptions;
}

/**
 * A memory storage whose single flight is `flight` (a fleet's shared store, as a test writes it); its
 * writes and flights recorded.
 * @example
 * ```ts
 * const fleet = fleetStorage(async (memory, key, obtain) => (await obtain()).value);
 * ```
 * @see https://developer.okta.com/docs/guides/refresh-tokens/main/
 */
export function fleetStorage(flight: (storage: OktaStorage, key: string, obtain: Obtain, options: SingleFlightOptions) => Promise<string | undefined>) {
  const memory = createMemoryStorage();
  const sets: { key: string; expiresAt: number | undefined }[] = [];
  const flights: Flight[] = [];
  const storage: OktaStorage = {
    get: (key) => memory.get(key),
    set: (key, value, options) => {
      sets.push({ key, expiresAt: options?.expiresAt });
      return memory.set(key, value, options);
    },
    remove: (key) => memory.remove(key),
    singleFlight: (key, obtain, options) => {
      flights.push({ key, options });
      return flight(memory, key, obtain, options);
    },
  };
  return { storage, memory, sets, flights };
}

/**
 * A {@link fleetStorage} whose single flight takes a lock per key and honours `stored` and `fresh`, as a shared store's
 * (the Redis store's): nothing stored, nothing renewed; a fresh entry handed back; else `obtain`'s value stored and handed back.
 * @example
 * ```ts
 * const { storage, memory } = lockedFleet();
 * ```
 */
export function lockedFleet(): ReturnType<typeof fleetStorage> {
  let lock: Promise<unknown> = Promise.resolve();
  return fleetStorage((memory, key, obtain, { fresh }) => {
    const run = lock.then(async () => {
      const held = await memory.get(key);
      if (typeof held !== 'string') return undefined;
      if (fresh?.(held) === true) return held;
      const { value } = await obtain();
      await memory.set(key, value);
      return value;
    });
    lock = run.catch(() => undefined);
    return run;
  });
}

/**
 * `globalThis.fetch` (real HTTP) that records each refresh token a client sends (`sent`), in order.
 * @example
 * ```ts
 * const { fetch, sent } = refreshTokensSent();
 * const client = env.spa({ fetch }, 'rotate');
 * ```
 */
export function refreshTokensSent(): { readonly fetch: typeof globalThis.fetch; readonly sent: string[] } {
  const sent: string[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const token = new URLSearchParams(await request.clone().text()).get('refresh_token');
    if (token !== null) sent.push(token);
    return globalThis.fetch(request);
  };
  return { fetch, sent };
}

/**
 * A user signed in an hour ago on both clocks (the client's and `env`'s org), with `storage` given to
 * the credential: its next `getAccessToken` renews. `lean`: the credential of `@org/okta-oauth/sign-in`'s client;
 * `client`: the sign-in client to use, made on the given clock (a SPA with refresh-token rotation by default).
 * @example
 * ```ts
 * const { credential } = await expiredSignIn(env, fleet.storage);
 * ```
 * @see https://developer.okta.com/docs/guides/refresh-tokens/main/
 */
export async function expiredSignIn(env: SignInOrg, storage: OktaStorage, lean = false, made?: (now: () => number) => SignInClient) {
  const clock = { now: Date.now() };
  const now = () => clock.now;
  const client = made?.(now) ?? env.spa({ now }, 'rotate');
  const { tokens } = await signIn(client);
  const signInClient = lean ? createLeanSignInClient({ orgUrl: env.org.url, allowInsecureLoopback: true, clientId: client.clientId, redirectUri: 'http://127.0.0.1:5173/callback', scopes: ['openid', 'offline_access'], now }) : client;
  const storageKey = tokensKeyOf(client.clientId);
  const credential = signInClient.credential(tokens, { storage, storageKey });
  await credential.getAccessToken();
  clock.now += 3600_000;
  env.org.setClockOffset(3600);
  env.org.resetCounters();
  return { client, credential, tokens, storageKey };
}
