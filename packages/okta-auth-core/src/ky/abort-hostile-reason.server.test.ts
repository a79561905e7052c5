/**
 * A caller's abort reason that cannot be read (a Proxy whose `getPrototypeOf` throws, an Error whose
 * `name` and `message` getters throw, a revoked Proxy) is `ABORTED` with that reason as `cause` (as
 * itself, never read here: compared by identity) in each driver, whether the abort lands while the
 * attempt is in flight (held by the org), waits for a `maxInFlight` slot or is in a 503's backoff; nothing is sent after the abort,
 * and nothing is thrown out of band. Until reason153, core read such a reason unguarded inside abort
 * listeners: ky's typed signal (`instanceof Error`) and `abortableSleep`'s (`abortError` read its
 * `message` and `name` after clearing the timer), an uncaught exception that ends a Node.js process, and
 * a backoff that never settled (`oktaKyHooks`) or whose retry was sent after the abort (the other two drivers).
 * Out-of-band exceptions (uncaught, or rejections nobody handled) are collected for each test by
 * `useUnhandledRejections({ uncaughtExceptions: true })`, and asserted empty.
 */
import ky from 'ky';
import { useUnhandledRejections } from '@org/okta-test-utils';
import { describe, expect, it, vi } from 'vitest';
import { OktaAuthError } from '../errors/errors.js';
import { createInFlightLimit, type InFlightLimit } from '../rate-limit/in-flight-limit.js';
import { createOktaFetch } from '../request/okta-fetch.js';
import { statusRetryWaitMs } from '../request/status-retry.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { createOktaKy } from './create-okta-ky.js';
import { oktaKyHooks } from './hooks.js';

const ctx = useApiTokenOrg();
const path = 'api/v1/users/me';

const reasons: Record<string, () => unknown> = {
  'a Proxy whose getPrototypeOf throws': () =>
    new Proxy(
      {},
      {
        getPrototypeOf() {
          throw new Error('trap: getPrototypeOf');
        },
        get(_, key) {
          if (key === 'then') return undefined;
          throw new Error(`trap: get ${String(key)}`);
        },
      },
    ),
  "an Error whose name and message getters throw": () => {
    const error = new Error('x');
    for (const key of ['name', 'message']) {
      Object.defineProperty(error, key, {
        get() {
          throw new Error(`getter ${key}`);
        },
      });
    }
    return error;
  },
  'a revoked Proxy': () => {
    const { proxy, revoke } = Proxy.revocable(new Error('draft'), {});
    revoke();
    return proxy;
  },
};

/** The org's fetch; `seen` is told of each answer. */
const orgFetch =
  (seen: (response: Response) => void): typeof fetch =>
  async (input, init) => {
    const response = await globalThis.fetch(input, init);
    seen(response);
    return response;
  };

type Driver = (signal: AbortSignal, fetch: typeof globalThis.fetch, maxInFlight?: InFlightLimit) => Promise<unknown>;

const settled = (call: Promise<unknown>): Promise<unknown> =>
  call.then(
    () => 'resolved',
    (error: unknown) => error,
  );

const drivers: Record<string, Driver> = {
  createOktaFetch: (signal, fetch, maxInFlight) => settled(createOktaFetch({ credential: ctx.ssws(ctx.org.url), fetch, maxInFlight })(path, { signal })),
  createOktaKy: (signal, fetch, maxInFlight) => settled(createOktaKy({ credential: ctx.ssws(ctx.org.url), fetch, maxInFlight }).get(path, { signal })),
  oktaKyHooks: (signal, fetch, maxInFlight) =>
    settled(
      ky
        .extend({ baseUrl: `${ctx.org.url}/`, retry: { limit: 3, methods: ['get'], afterStatusCodes: [] }, fetch, hooks: oktaKyHooks({ credential: ctx.ssws(ctx.org.url), maxInFlight }) })
        .get(path, { signal }),
    ),
};

const outOfBand = useUnhandledRejections({ uncaughtExceptions: true });

/** How many requests reached the org (every path). */
const received = (): number => Object.values(ctx.org.counters().requests).reduce((sum, n) => sum + n, 0);

/** How every window's call must end, once a turn of the event loop has passed: ABORTED, `reason` as cause, nothing out of band, one request at the org. */
async function expectAbortedQuietly(error: unknown, reason: unknown): Promise<void> {
  const seen = await outOfBand.settled();
  expect(error).toBeInstanceOf(OktaAuthError);
  expect((error as OktaAuthError).code).toBe('ABORTED');
  expect((error as OktaAuthError).cause).toBe(reason);
  expect(seen).toEqual([]);
  expect(received()).toBe(1);
}

describe.each(Object.keys(drivers))('%s: a reason that cannot be read', (driverName) => {
  const driver = drivers[driverName]!;
  describe.each(Object.keys(reasons))('%s', (reasonName) => {
    it('in flight (the org holds the attempt): ABORTED, the reason as cause, nothing out of band', async () => {
      const reason = reasons[reasonName]!();
      const controller = new AbortController();
      const hold = ctx.org.injectFault({ path: `/${path}`, kind: 'hold', count: 1 });
      ctx.org.resetCounters();
      const call = driver(controller.signal, orgFetch(() => undefined));
      // The abort once the org holds the attempt (no timing: the org says so).
      while (ctx.org.heldAnswers(hold) === 0) await new Promise((resolve) => setImmediate(resolve));
      controller.abort(reason);
      await expectAbortedQuietly(await call, reason);
    });

    it('waiting for a maxInFlight slot another call holds: ABORTED, the reason as cause, nothing out of band', async () => {
      const reason = reasons[reasonName]!();
      const controller = new AbortController();
      const limit = createInFlightLimit(1);
      const hold = ctx.org.injectFault({ path: `/${path}`, kind: 'hold', count: 1 });
      ctx.org.resetCounters();
      const other = createOktaFetch({ credential: ctx.ssws(ctx.org.url), maxInFlight: limit })(path);
      while (ctx.org.heldAnswers(hold) === 0) await new Promise((resolve) => setImmediate(resolve));
      const call = driver(controller.signal, globalThis.fetch, limit);
      while (limit.waiting === 0) await new Promise((resolve) => setImmediate(resolve));
      controller.abort(reason);
      await expectAbortedQuietly(await call, reason);
      ctx.org.releaseHeld(hold);
      expect((await other).status).toBe(200);
    });

    it("in a 503's backoff: ABORTED, the reason as cause, no retry sent, nothing out of band", async () => {
      const reason = reasons[reasonName]!();
      const controller = new AbortController();
      ctx.org.injectFault({ path: `/${path}`, kind: 'status', status: 503, count: 1 });
      ctx.org.resetCounters();
      // The abort as the backoff's timer is set (every driver's first: 300 ms), once its listener is on the signal.
      let answered = false;
      const setTimer = globalThis.setTimeout;
      vi.spyOn(globalThis, 'setTimeout').mockImplementation(((handler: () => void, ms?: number, ...args: unknown[]) => {
        if (answered && ms === statusRetryWaitMs(1)) {
          answered = false;
          queueMicrotask(() => {
            controller.abort(reason);
          });
        }
        return setTimer(handler, ms, ...args);
      }) as typeof setTimeout);
      const error = await driver(
        controller.signal,
        orgFetch((response) => {
          if (response.status === 503) answered = true;
        }),
      );
      vi.restoreAllMocks();
      expect(controller.signal.aborted).toBe(true);
      await expectAbortedQuietly(error, reason);
    });
  });
});
