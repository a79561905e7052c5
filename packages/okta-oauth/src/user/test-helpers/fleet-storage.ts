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
