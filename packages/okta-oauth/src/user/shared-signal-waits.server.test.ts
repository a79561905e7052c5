/**
 * One caller's signal shared by every call of a sign-in client (a server's shutdown signal, sig166),
 * over real HTTP against @org/okta-emulator: 200 calls wait for one shared flight, held at its door
 * (the org's, a storage's, another tab's Web Lock) until the test has counted the listeners on it.
 *
 * Each waited through core's `waitFor`, which listened on the signal once per waiting call until the
 * flight settled: the discovery document, the JWKS, a sign-in callback finished twice (whose flight
 * also counted its callers by a listener each), a user credential's renewal through a storage's
 * `singleFlight` (the fleet's count too) and a second sign-out waiting for the first one's removal:
 * 200 or 400 listeners on main, and Node.js's leak warning. Each now follows it through core's
 * `anySignal`: one listener while they wait, none after. The wait for another tab's Web Lock had one
 * already (an `AttemptTimer` per wait). The signal's abort still ends every call at once, `ABORTED`
 * with its reason as `cause` (the lock's wait: with the reason itself, as before).
 */
import { fillSignInForm, until } from '@org/okta-test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { heldFetch, jobsRun, listeners, useWarnings } from '../test-helpers/shared-signal.js';
import type { OktaStorage } from '../token-cache/storage.js';
import { createJwksIdTokenVerifier } from './id-token-jwks.js';
import type { JsonWebKeySetJson } from './jwks.js';
import { createMemoryStorage } from './storage.js';
import { expiredSignIn, fleetStorage } from './test-helpers/fleet-storage.js';
import { gate } from './test-helpers/late-storage.js';
import { login, password, signIn, useSignInOrg, type SignInOrg } from './test-helpers/sign-in-org.js';
import { stubWebLocks } from './test-helpers/web-locks.js';

const env = useSignInOrg();
const warnings = useWarnings();

afterEach(() => {
  vi.unstubAllGlobals();
});

const calls = 200;

/** The calls' flight, held at its door. */
interface Held {
  /** One call on the shared signal. */
  readonly call: (signal: AbortSignal) => Promise<unknown>;
  /** Resolves once the flight is held (its request, or the lock's waiters, counted). */
  readonly reached: () => Promise<unknown>;
  readonly release: () => void;
  /** A call with no signal once the flight was released: it gets what the flight brought, as the callers that did not abort would. */
  readonly after?: (() => Promise<unknown>) | undefined;
}

interface Row {
  readonly hold: (env: SignInOrg) => Promise<Held>;
  /** What its abort gives each call: core's `ABORTED` with the reason as `cause`, unless said. */
  readonly aborted?: ((reason: Error) => unknown) | undefined;
}

/** A client whose requests for `path` are held from now on. */
function heldClient(env: SignInOrg, path: string) {
  const door = heldFetch();
  const client = env.spa({ fetch: door.fetch });
  return { client, held: () => door.hold(path) };
}

const rows: Record<string, Row> = {
  "startSignIn, the discovery document's fetch": {
    hold: (env) => {
      const { client, held } = heldClient(env, '/.well-known/openid-configuration');
      const door = held();
      return Promise.resolve({ call: (signal) => client.startSignIn({ signal }), reached: () => door.reached, release: door.release, after: () => client.startSignIn() });
    },
  },
  "an ID token's signature check, the JWKS fetch": {
    hold: async (env) => {
      const { idToken } = (await signIn(env.spa())).tokens;
      const door = heldFetch();
      const held = door.hold('/oauth2/v1/keys');
      const fetchKeys = async () => (await door.fetch(new URL('/oauth2/v1/keys', env.org.url))).json() as Promise<JsonWebKeySetJson>;
      const verifier = createJwksIdTokenVerifier();
      const check = (signal: AbortSignal | undefined) => verifier(idToken?.reveal() ?? '', { algorithms: ['RS256'], fetchKeys, signal });
      return { call: check, reached: () => held.reached, release: held.release, after: () => check(undefined) };
    },
  },
  'finishSignIn of one callback (a double submit), the code exchange': {
    hold: async (env) => {
      const { client, held } = heldClient(env, '/oauth2/v1/token');
      const { url, transaction } = await client.startSignIn();
      const callback = await fillSignInForm(url, login, password);
      const door = held();
      return { call: (signal) => client.finishSignIn(callback, transaction, { signal }), reached: () => door.reached, release: door.release };
    },
  },
  "getAccessToken over a storage's singleFlight, the refresh": {
    hold: async (env) => {
      const door = heldFetch();
      const fleet = fleetStorage(async (_memory, _key, obtain) => (await obtain()).value);
      const { credential } = await expiredSignIn(env, fleet.storage, false, (now) => env.spa({ now, fetch: door.fetch }, 'rotate'));
      const held = door.hold('/oauth2/v1/token');
      return { call: (signal) => credential.getAccessToken({ signal }), reached: () => held.reached, release: held.release, after: () => credential.getAccessToken() };
    },
  },
  "signOut once signed out, the first sign-out's removal from storage": {
    hold: async (env) => {
      const client = env.spa();
      const { tokens } = await signIn(client);
      const memory = createMemoryStorage();
      const removal = gate();
      const storage: OktaStorage = {
        get: (key) => memory.get(key),
        set: (key, value, options) => memory.set(key, value, options),
        remove: async (key) => {
          removal.reach();
          await removal.opened;
          await memory.remove(key);
        },
      };
      const credential = client.credential(tokens, { storage });
      await credential.getAccessToken();
      const first = credential.signOut();
      return { call: (signal) => credential.signOut({ signal }), reached: () => removal.reached, release: removal.open, after: () => first };
    },
  },
  "startSignIn, another tab's Web Lock on the transactions' list": {
    hold: async (env) => {
      const client = env.spa();
      const locks = stubWebLocks();
      // The discovery document fetched, and the lock's name learnt.
      await client.startSignIn();
      const release = locks.hold([...locks.names][0] ?? '');
      return { call: (signal) => client.startSignIn({ signal }), reached: () => until(() => locks.waiting.length === calls, 'every call waiting for the lock'), release, after: () => client.startSignIn() };
    },
    // The lock's wait rejects with the reason itself (`underWebLockWithin`), as before.
    aborted: (reason) => reason,
  },
};

describe.each(Object.keys(rows))("%s: many calls waiting on one caller's signal", (name) => {
  const { hold, aborted = (reason: Error) => expect.objectContaining({ code: 'ABORTED', cause: reason }) } = rows[name]!;

  it(`${calls} calls hold one listener on it while they wait and none once settled, nor a warning`, async () => {
    const held = await hold(env);
    const shutdown = new AbortController();
    const outcomes = Array.from({ length: calls }, () => held.call(shutdown.signal).then(() => 'settled', (error: unknown) => error));
    await held.reached();
    await jobsRun();
    expect(listeners(shutdown.signal)).toBe(1);
    held.release();
    expect(new Set(await Promise.all(outcomes))).toEqual(new Set(['settled']));
    expect(listeners(shutdown.signal)).toBe(0);
    await held.after?.();
    expect(warnings.about(shutdown.signal)).toEqual([]);
  });

  it(`its abort ends all ${calls} calls at once, with its reason, and leaves no listener`, async () => {
    const held = await hold(env);
    const shutdown = new AbortController();
    const outcomes = Array.from({ length: calls }, () => held.call(shutdown.signal).then(() => 'settled', (error: unknown) => error));
    await held.reached();
    await jobsRun();
    const reason = new Error('shutting down');
    shutdown.abort(reason);
    // Ended by the abort itself: the flight is still held.
    for (const outcome of await Promise.all(outcomes)) expect(outcome).toEqual(aborted(reason));
    expect(listeners(shutdown.signal)).toBe(0);
    held.release();
    await held.after?.();
    expect(warnings.about(shutdown.signal)).toEqual([]);
  });
});
