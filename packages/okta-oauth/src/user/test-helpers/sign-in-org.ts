/**
 * One emulated org per test for the sign-in client's server tests: an admin user who signs in
 * through the emulator's sign-in form (the shared robot), and clients for its sign-in apps.
 */
import { createHash } from 'node:crypto';
import { startEmulator, type EmulatorOptions, type OktaEmulator } from '@org/okta-emulator';
import { failure, fillSignInForm, startOrgForTest, useOrgPerTest } from '@org/okta-test-utils';
import type { TestContext } from 'vitest';
import { isOktaOAuthError } from '../../errors.js';
import type { OktaSignInError } from '../errors.js';
import { createSignInClient, type SignInClient, type SignInClientOptions } from '../sign-in-client.js';
import { createSignInClient as createLeanSignInClient } from '../sign-in-lean.js';
import type { SignInClientBase } from '../sign-in-options.js';

export const redirectUri = 'http://127.0.0.1:5173/callback';
export const postLogoutRedirectUri = 'http://127.0.0.1:5173/';
export const login = 'ada@example.com';
export const password = 'Correct-Horse-9';
export const scopes = ['openid', 'profile', 'offline_access', 'okta.users.read'];

/** Where a client keeps the transaction of `state`: under the state's SHA-256, never the state itself. */
export const transactionKeyOf = (clientId: string, state: string): string => `okta-oauth:${clientId}:transaction:${createHash('sha256').update(state).digest('base64url')}`;

/** Where a client lists its transactions (ids and start times). */
export const transactionListOf = (clientId: string): string => `okta-oauth:${clientId}:transactions`;

/** The storage key of a credential's tokens (written out here, so a test notices when the client's changes). */
export const tokensKeyOf = (clientId: string): string => `okta-oauth:${clientId}:tokens`;

/** The `BroadcastChannel` on which the tabs of an origin say which refresh token they spent (`user/spent-tokens.ts`). */
export const spentChannelOf = (orgUrl: string, clientId: string): string => `okta-oauth:${new URL(orgUrl).origin}:${clientId}:${tokensKeyOf(clientId)}:spent`;

/** The Web Lock a credential renews under (`user/web-lock.ts`). */
export const refreshLockOf = (orgUrl: string, clientId: string): string => `okta-oauth:${new URL(orgUrl).origin}:${clientId}:${tokensKeyOf(clientId)}:refresh`;

/**
 * `@org/okta-oauth/sign-in`'s `createSignInClient` taking the root entry's options, as a JavaScript caller
 * may pass them: what it refuses at run time is what these tests check.
 */
export const leanSignInClient = createLeanSignInClient as (options: SignInClientOptions) => SignInClientBase;

/** The package's two sign-in clients, for a `describe.each` over both: `@org/okta-oauth`'s and `@org/okta-oauth/sign-in`'s. */
export const signInEntries = [
  ['@org/okta-oauth', createSignInClient],
  ['@org/okta-oauth/sign-in', leanSignInClient],
] as const satisfies readonly (readonly [string, (options: SignInClientOptions) => SignInClientBase])[];

/** Each ID token corruption the emulator makes, and the `reason` the client must refuse it with. */
export const idTokenCorruptions = [
  ['signature', 'signature'],
  ['audience', 'audience'],
  ['nonce', 'nonce'],
  ['expired', 'expired'],
  ['issuer', 'issuer'],
  ['azp', 'audience'],
  ['future-iat', 'issued-in-future'],
  ['unknown-kid', 'signature'],
] as const;

export interface SignInOrg {
  /** The org of the running test. */
  readonly org: OktaEmulator;
  /** An Okta API the signed-in admin may call: their own user, by id (`/api/v1/users/me` answers with the token's user too, as at Okta). */
  readonly userPath: string;
  /** The admin's user id. */
  readonly userId: string;
  /** A sign-in client for `app` on the running test's org ({@link clientFor}). */
  readonly client: (app: { clientId: string; clientSecret?: string }, options?: Partial<SignInClientOptions>) => SignInClient;
  /** A new SPA on the running test's org and a client for it ({@link spaOf}). */
  readonly spa: (options?: Partial<SignInClientOptions>, rotation?: 'rotate' | 'static') => SignInClient;
}

/** What every test's org is seeded with: the admin, who signs in through the sign-in form. */
function createAdmin(org: OktaEmulator): Pick<SignInOrg, 'userId' | 'userPath'> {
  const { id } = org.createUser({ login, password, admin: true, firstName: 'Ada', lastName: 'Admin' });
  return { userId: id, userPath: `/api/v1/users/${id}` };
}

/** Clients for the apps of `org()`, read when called: a file may take them apart at its top (`const { client } = env`). */
const clientsOf = (org: () => OktaEmulator): Pick<SignInOrg, 'client' | 'spa'> => ({
  client: (app, options = {}) => clientFor(org(), app, options),
  spa: (options = {}, rotation) => spaOf(org(), options, rotation),
});

/** Starts an org (`options` for `startEmulator`) with the admin before each test and closes it after (the shared `useOrgPerTest`); read the fields inside tests. */
export function useSignInOrg(options: EmulatorOptions = {}): SignInOrg {
  const env = useOrgPerTest(() => startEmulator(options), createAdmin, 'useSignInOrg');
  return {
    get org() {
      return env.org;
    },
    get userId() {
      return env.userId;
    },
    get userPath() {
      return env.userPath;
    },
    ...clientsOf(() => env.org),
  };
}

/**
 * An org of the calling test's own, as {@link useSignInOrg} gives one: started now, closed when the
 * test ends (the test context's `onTestFinished`, through the shared `startOrgForTest`). For tests
 * that run concurrently (`it.concurrent`), each on its own org (its clock, counters and faults),
 * where `useSignInOrg`'s one org at a time would be shared.
 */
export async function startSignInOrg(test: Pick<TestContext, 'onTestFinished'>, options: EmulatorOptions = {}): Promise<SignInOrg> {
  const made = await startOrgForTest(test, () => startEmulator(options), createAdmin);
  return { ...made, ...clientsOf(() => made.org) };
}

/**
 * The options of a test that runs at once with others of its file (`it.concurrent`, each on its own
 * {@link startSignInOrg}): 60 s, not the package's 20 s, as it also waits behind their work on the
 * same cores (their sign-ins; and an org's first signing key: the emulator's key pool makes pairs
 * on the thread pool once the process has taken one of that type, but its first of a type, or one
 * taken while several orgs have emptied the pool, is made synchronously: 0.3 to 2.8 s each at
 * load 8 to 23 on 2 cores), and all of it behind every other file at once in CI.
 */
export const concurrentTest = { timeout: 60_000 } as const;

/**
 * The `timeoutMs` of the sign-ins {@link signIn} makes for a client given a shorter one: far past
 * what the org takes to answer on a loaded machine (a token answer took over 3 s at load 14–30 on
 * 2 cores), so a test's short `timeoutMs` bounds only the calls the test is about.
 */
export const signInTimeoutMs = 60_000;

/**
 * The `fetch` of a client whose short `timeoutMs` is meant for its storage calls (the user code a
 * test holds past it), not for its requests to the org (`timeoutMs` is one option for both; a
 * renewal's token answer took over 3 s on a loaded machine): each request waits for the org's
 * answer up to {@link signInTimeoutMs}. It still stops at the caller's abort, any but the client's
 * own timeout (core's attempt timer aborts with `DOMException('timeoutMs', 'TimeoutError')`).
 * Since hang167 core waits for a `fetch` option within the attempt's timer (one that drops the signal
 * can no longer hold a call), so a request slower than the client's `timeoutMs` is `TIMEOUT` all the
 * same: this only keeps the request itself running; a test's `timeoutMs` must outlast the org's answer.
 */
export const orgPacedFetch: typeof fetch = (input, init) => {
  const given = init?.signal ?? (input instanceof Request ? input.signal : undefined);
  const caller = new AbortController();
  const follow = (): void => {
    const reason: unknown = given?.reason;
    if (!(reason instanceof DOMException && reason.name === 'TimeoutError' && reason.message === 'timeoutMs')) caller.abort(reason);
  };
  if (given?.aborted) follow();
  else given?.addEventListener('abort', follow, { once: true });
  return fetch(input, { ...init, signal: AbortSignal.any([caller.signal, AbortSignal.timeout(signInTimeoutMs)]) });
};

/** For each client with a `timeoutMs` under {@link signInTimeoutMs}: its app's client for {@link signIn}. */
const signInClients = new WeakMap<SignInClientBase, () => SignInClientBase>();

/**
 * A sign-in client for `app` on `org`, with the test's redirect URIs and scopes. Given a
 * `timeoutMs` under {@link signInTimeoutMs}, {@link signIn} signs in through a client of the same
 * app and options with `signInTimeoutMs` instead: the short one is for the calls under test.
 */
export function clientFor<C extends SignInClientBase = SignInClient>(
  org: OktaEmulator,
  app: { clientId: string; clientSecret?: string },
  options: Partial<SignInClientOptions> = {},
  create: (options: SignInClientOptions) => C = createSignInClient as unknown as (options: SignInClientOptions) => C,
): C {
  const all = {
    orgUrl: org.url,
    allowInsecureLoopback: true,
    clientId: app.clientId,
    ...(app.clientSecret === undefined ? {} : { clientSecret: app.clientSecret }),
    redirectUri,
    postLogoutRedirectUri,
    scopes,
    ...options,
  };
  const client = create(all);
  if (all.timeoutMs !== undefined && all.timeoutMs < signInTimeoutMs) signInClients.set(client, () => create({ ...all, timeoutMs: signInTimeoutMs }));
  return client;
}

/** A new SPA (public client, PKCE) on `org` and a client for it. */
export function spaOf<C extends SignInClientBase = SignInClient>(
  org: OktaEmulator,
  options: Partial<SignInClientOptions> = {},
  rotation?: 'rotate' | 'static',
  create?: (options: SignInClientOptions) => C,
): C {
  const app = org.createSignInApp({
    type: 'spa',
    redirectUris: [redirectUri],
    postLogoutRedirectUris: [postLogoutRedirectUri],
    scopes: ['okta.users.read'],
    ...(rotation ? { refreshTokenRotation: rotation } : {}),
  });
  return clientFor(org, app, options, create);
}

/**
 * The admin signs in through the sign-in form, with `client`'s app and options; for a client whose
 * `timeoutMs` is under {@link signInTimeoutMs}, through a client with that one instead ({@link clientFor}).
 */
export async function signIn(client: SignInClientBase): Promise<Awaited<ReturnType<SignInClient['finishSignIn']>>> {
  const through = signInClients.get(client)?.() ?? client;
  const { url, transaction } = await through.startSignIn();
  return through.finishSignIn(await fillSignInForm(url, login, password), transaction);
}

/**
 * A SPA signed in on the calling test's own org ({@link startSignInOrg}), its `timeoutMs` (3 s unless `options` gives
 * another) meant for its storage calls: its requests to the org wait up to {@link signInTimeoutMs} ({@link orgPacedFetch}).
 */
export async function storageBoundSignIn(test: Pick<TestContext, 'onTestFinished'>, options: Partial<SignInClientOptions> = {}): Promise<{ env: SignInOrg; client: SignInClient; tokens: Awaited<ReturnType<typeof signIn>>['tokens'] }> {
  const env = await startSignInOrg(test);
  const client = spaOf(env.org, { timeoutMs: 3000, fetch: orgPacedFetch, ...options });
  const { tokens } = await signIn(client);
  return { env, client, tokens };
}

/** The error of work that must fail with the package's error (sign-in errors share its guard). */
export async function signInFailure(work: Promise<unknown>): Promise<OktaSignInError> {
  return (await failure(work, isOktaOAuthError)) as unknown as OktaSignInError;
}
