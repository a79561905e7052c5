/**
 * The caller's abort, landing in each window of a call (no timing: aborted synchronously from
 * inside the window), is `ABORTED` with the signal's reason as `cause`, in `createOktaKy`, in
 * `oktaKyHooks` on a user's own instance and in `createOktaFetch` (for the windows it has): before the call, inside the credential's `authorize`,
 * in a user's `beforeRequest` hook, inside the fetch before it looks at the signal (after a garbage
 * collection too, on the first attempt and on a retry), in a 503's backoff (the base instance's
 * `delay`, a user's `beforeRetry`, the fetch that answered it), in a 429's wait, and in the
 * rate-limit coordinator's wait. A reason of the user's own (`abort(new MyError())`, a string) is
 * the `cause` too, never thrown as itself (the one typing, `transportFailure`, as the fetch driver's).
 * Before abort147, `createOktaKy` read the caller's abort off ky's Requests, clones whose signal
 * undici follows by a weak reference (nodejs/undici#4068): after a collection the caller got the raw
 * reason (the CI flake of `timeout-abort-error.server.test.ts`, under load) or a retry went out
 * despite the abort; and a reason that is no Error passed ky's `beforeError` hook by, as itself.
 * Until hooks149, `oktaKyHooks` read it off ky's Requests where its hooks decide (a retry sent after a
 * collection hid the abort was answered, its answer the caller's), and a string reason reached the caller as
 * itself wherever ky's own wait (its `delay`, a 429's in `createOktaKy` too) or the user's fetch rejected with it.
 * Until reason150, a reason that is an okta-auth error (a sibling call's `OktaApiError`) reached the caller as itself in every driver.
 */
import type { KyInstance } from 'ky';
import ky from 'ky';
import type { FaultSpec } from '@org/okta-emulator';
import { describe, expect, it } from 'vitest';
import type { OktaLogger } from '../config/logger.js';
import type { OktaCredential } from '../credential.js';
import { OktaAuthError } from '../errors/errors.js';
import { coordinateRateLimits, type CoordinatedRateLimits } from '../rate-limit/rate-limit-coordinator.js';
import { createOktaFetch } from '../request/okta-fetch.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { collectGarbage } from '../test-helpers/collecting.js';
import { createOktaKy } from './create-okta-ky.js';
import { oktaKyHooks } from './hooks.js';

const ctx = useApiTokenOrg();
const path = 'api/v1/users/me';

class MyError extends Error {}

/** Where the abort lands: each gets the abort to call, and gives the drivers' options. */
interface Window {
  readonly credential?: (abort: () => void) => OktaCredential;
  readonly fetch?: (abort: () => void) => typeof fetch;
  readonly ky?: (abort: () => void) => KyInstance;
  readonly call?: (abort: () => void) => object;
  readonly coordinator?: (abort: () => void) => CoordinatedRateLimits;
  readonly logger?: (abort: () => void) => OktaLogger;
  /** A fault first. */
  readonly fault?: Omit<FaultSpec, 'path'>;
  readonly before?: boolean;
  /** What reaches the org at most: a retry the caller aborted is not sent. */
  readonly received?: number;
  /** The fetch driver has it. */
  readonly fetchDriver?: boolean;
}

/** The emulator's fetch, checking the signal first as every runtime's fetch does; WebKit rejects with an AbortError of its own. */
const sharp =
  (own: boolean, before?: (abort: () => void) => unknown) =>
  (abort: () => void): typeof fetch =>
  async (input, init) => {
    await before?.(abort);
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    if (signal?.aborted) throw own ? new DOMException('Fetch is aborted', 'AbortError') : signal.reason;
    return globalThis.fetch(input, init);
  };

/** A 503 first (a GET's status retry). */
const unavailable: Omit<FaultSpec, 'path'> = { kind: 'status', status: 503 };

const windows: Record<string, Window> = {
  'a signal aborted before the call': { before: true, fetchDriver: true },
  "inside the credential's authorize": {
    credential: (abort) => {
      const ssws = ctx.ssws(ctx.org.url);
      return { kind: 'custom', origin: ctx.org.url, authorize: (attempt) => (abort(), ssws.authorize(attempt)) };
    },
    fetchDriver: true,
  },
  // A retry's: ky's Request is its clone (undici's weak reference to its controller).
  "inside the credential's authorize on a retry, after a garbage collection": {
    fault: unavailable,
    received: 1,
    credential: (abort) => {
      const ssws = ctx.ssws(ctx.org.url);
      let attempts = 0;
      return {
        kind: 'custom',
        origin: ctx.org.url,
        authorize: async (attempt) => {
          if (++attempts === 2) {
            await new Promise((resolve) => setImmediate(resolve));
            collectGarbage();
            abort();
          }
          return ssws.authorize(attempt);
        },
      };
    },
    fetchDriver: true,
  },
  "in a user's beforeRequest hook": { call: (abort) => ({ hooks: { beforeRequest: [
          () => {
            abort();
          },
        ] } }) },
  'inside the fetch, before it looks at the signal (its reason)': { fetch: sharp(false, (abort) => abort()), fetchDriver: true },
  'inside the fetch, before it looks at the signal (its own AbortError)': { fetch: sharp(true, (abort) => abort()), fetchDriver: true },
  // The job left (a WeakRef made in it is kept until then), every object nothing holds collected, then the abort.
  'inside the fetch, after a garbage collection': {
    fetch: sharp(true, async (abort) => {
      await new Promise((resolve) => setImmediate(resolve));
      collectGarbage();
      abort();
    }),
    fetchDriver: true,
  },
  "in a 503's backoff (the base instance's delay)": { fault: unavailable, ky: (abort) => ky.create({ retry: { delay: () => (abort(), 100) } }) },
  // The second: its attempt's Request is ky's clone (undici's weak reference to its controller).
  "in a second 503's backoff, after a garbage collection (the base instance's delay)": {
    fault: { ...unavailable, count: 2 },
    ky: (abort) => ky.create({ retry: { delay: (n) => (n === 2 && (collectGarbage(), abort()), 100) } }),
  },
  "inside the retry's fetch, after a garbage collection": {
    fault: unavailable,
    fetch: (abort) => {
      let attempts = 0;
      return sharp(true, async () => {
        if (++attempts === 1) return;
        await new Promise((resolve) => setImmediate(resolve));
        collectGarbage();
        abort();
      })(abort);
    },
    fetchDriver: true,
  },
  "in a 503's backoff (a user's beforeRetry hook)": { fault: unavailable, call: (abort) => ({ hooks: { beforeRetry: [
          () => {
            abort();
          },
        ] } }) },
  "in a 503's backoff (the fetch that answered it)": {
    fault: unavailable,
    fetchDriver: true,
    fetch: (abort) => async (input, init) => {
      const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
      if (signal?.aborted) throw signal.reason;
      const response = await globalThis.fetch(input, init);
      if (response.status === 503) abort();
      return response;
    },
  },
  "in a 429's wait (the logger's backoff event)": {
    fault: { kind: 'status', status: 429, headers: { 'X-Rate-Limit-Reset': 'none' } },
    logger: (abort) => (event) => {
      if (event.type === 'backoff') abort();
    },
    fetchDriver: true,
  },
  "in the rate-limit coordinator's wait": {
    fetchDriver: true,
    // Its reserve asks a wait of 5 s, aborting as it answers: the wait begins on a fired signal.
    coordinator: (abort) => coordinateRateLimits({ reserve: () => (abort(), 5_000), observe: () => undefined }),
  },
};

/** A sibling call's failure (a 404 naming another user), the reason of a fail-fast `controller.abort(firstError)`. */
async function sibling(): Promise<unknown> {
  const error = await createOktaFetch({ credential: ctx.ssws(ctx.org.url) })('api/v1/users/00uGONE').then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toMatchObject({ name: 'OktaApiError', status: 404 });
  return error;
}

const reasons: Record<string, () => unknown> = {
  "abort()'s AbortError": () => undefined,
  "the user's own error": () => new MyError('the batch was cancelled'),
  'a string': () => 'cancelled',
  // Until reason150, an okta-auth error as the reason reached the caller as itself (the sibling's 404 as this call's).
  "a sibling call's OktaApiError": sibling,
  'an OktaAuthError': () => new OktaAuthError('TIMEOUT', 'a sibling call timed out'),
};

/** The driver's call: what it rejected with. */
type Driver = (window: Window, signal: AbortSignal, abort: () => void) => Promise<unknown>;

/** What the call rejected with ('resolved' when it did not). */
const settled = (call: Promise<unknown>): Promise<unknown> =>
  call.then(
    () => 'resolved',
    (error: unknown) => error,
  );

/** The window's options that every driver takes: its credential (the org's SSWS one when it has none), logger and coordinator. */
const coreOptions = (window: Window, abort: () => void) => ({
  credential: window.credential?.(abort) ?? ctx.ssws(ctx.org.url),
  logger: window.logger?.(abort),
  rateLimitCoordinator: window.coordinator?.(abort),
});

/** The window's fetch, or the emulator's checking the signal first. */
const fetchOf = (window: Window, abort: () => void): typeof fetch => window.fetch?.(abort) ?? sharp(false)(abort);

const drivers: Record<string, Driver> = {
  createOktaKy: (window, signal, abort) =>
    settled(createOktaKy({ ...coreOptions(window, abort), fetch: fetchOf(window, abort), ky: window.ky?.(abort) }).get(path, { signal, ...window.call?.(abort) })),
  createOktaFetch: (window, signal, abort) => settled(createOktaFetch({ ...coreOptions(window, abort), fetch: fetchOf(window, abort) })(path, { signal })),
  // The hooks on the user's own instance (the core README's way: ky.create/extend with hooks), its fetch the window's.
  oktaKyHooks: (window, signal, abort) =>
    settled(
      (window.ky?.(abort) ?? ky)
        .extend({
          baseUrl: `${ctx.org.url}/`,
          // ky's backoff by its delay, not the emulator's X-Rate-Limit-Reset (on every answer).
          retry: { limit: 3, methods: ['get'], afterStatusCodes: [] },
          fetch: fetchOf(window, abort),
          hooks: oktaKyHooks(coreOptions(window, abort)),
        })
        .get(path, { signal, ...window.call?.(abort) }),
    ),
};

describe.each(Object.keys(drivers))("%s: the caller's abort in each window", (driverName) => {
  const driver = drivers[driverName]!;
  const names = Object.keys(windows).filter((name) => driverName !== 'createOktaFetch' || windows[name]!.fetchDriver);
  describe.each(Object.keys(reasons))('reason: %s', (reasonName) => {
    it.each(names)('%s: ABORTED, the reason as cause', async (name) => {
      const window = windows[name]!;
      const reason = await reasons[reasonName]!();
      if (window.fault) ctx.org.injectFault({ path: `/${path}`, count: 1, ...window.fault });
      ctx.org.resetCounters();
      const controller = new AbortController();
      const abort = () => controller.abort(reason);
      if (window.before) abort();
      const error = await driver(window, controller.signal, abort);
      expect(controller.signal.aborted).toBe(true);
      expect(error).toBeInstanceOf(OktaAuthError);
      expect(error).toMatchObject({ code: 'ABORTED', cause: controller.signal.reason });
      expect(error).not.toBe(reason);
      if (window.received !== undefined) expect(Object.values(ctx.org.counters().requests).reduce((sum, n) => sum + n, 0)).toBe(window.received);
    });
  });
});

// The pass-through kept: an okta-auth error the credential throws, with no abort, reaches the caller as itself.
describe.each(Object.keys(drivers))('%s: an okta-auth error, the caller not aborting', (driverName) => {
  it('reaches the caller as itself, an abort signal given', async () => {
    const own = new OktaAuthError('INVALID_CONFIG', 'the vault refused');
    const controller = new AbortController();
    const window: Window = { credential: () => ({ kind: 'custom', origin: ctx.org.url, authorize: () => Promise.reject(own) }) };
    expect(await drivers[driverName]!(window, controller.signal, () => controller.abort())).toBe(own);
    expect(controller.signal.aborted).toBe(false);
  });
});
