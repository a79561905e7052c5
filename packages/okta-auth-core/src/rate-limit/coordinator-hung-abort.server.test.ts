/**
 * The caller's abort while a call into the coordinator hangs (coord165), through every driver on the emulator: it ends
 * the wait at once, the call `ABORTED` with the signal's reason as `cause`, nothing sent, and no `rate-limit-coordinator`
 * event (an abort is the caller's, no failure of the coordinator's: as an abort during a wait the coordinator asked).
 * Until coord165 the hung call was waited out to its bound (a fixed 250 ms), then logged as the coordinator's `timeout`;
 * with a coordinator's own bound of up to 10 s that would hold an aborted call 10 s. The hung `reserve` aborts as it is
 * reached (no timing); the coordinator declares 10 s, so a wait to its bound would outlast the test's own timeout.
 */
import ky from 'ky';
import { describe, expect, it } from 'vitest';
import type { OktaLogEvent, OktaLogger } from '../config/logger.js';
import { OktaAuthError } from '../errors/errors.js';
import { createOktaKy } from '../ky/create-okta-ky.js';
import { oktaKyHooks } from '../ky/hooks.js';
import { createOktaFetch } from '../request/okta-fetch.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { coordinateRateLimits, type CoordinatedRateLimits } from './rate-limit-coordinator.js';

const ctx = useApiTokenOrg();
const path = 'api/v1/users/me';

/** One call through a driver with the coordinator, the logger and the caller's signal: what it settled with. */
type Call = (rateLimitCoordinator: CoordinatedRateLimits, logger: OktaLogger, signal: AbortSignal) => Promise<unknown>;

const settled = (call: Promise<unknown>): Promise<unknown> => call.then(() => 'resolved', (error: unknown) => error);

const drivers: Record<string, Call> = {
  createOktaFetch: (rateLimitCoordinator, logger, signal) => settled(createOktaFetch({ credential: ctx.ssws(ctx.org.url), rateLimitCoordinator, logger })(path, { signal })),
  createOktaKy: (rateLimitCoordinator, logger, signal) => settled(createOktaKy({ credential: ctx.ssws(ctx.org.url), rateLimitCoordinator, logger }).get(path, { signal })),
  oktaKyHooks: (rateLimitCoordinator, logger, signal) =>
    settled(ky.create({ baseUrl: `${ctx.org.url}/`, hooks: oktaKyHooks({ credential: ctx.ssws(ctx.org.url), rateLimitCoordinator, logger }) }).get(path, { signal })),
};

/** Where the hung call is: the wait before the first attempt, or the one before a 429's retry (asked once the 429 is in). */
const places = { 'before the first attempt': 0, "before a 429's retry": 1 } as const;

describe.each(Object.keys(drivers))('%s: the caller aborts while a call into the coordinator hangs', (name) => {
  it.each(Object.keys(places) as (keyof typeof places)[])('%s: ends the call at once as ABORTED, its reason the cause, no coordinator event', async (place) => {
    const sent = places[place];
    if (sent > 0) ctx.org.injectFault({ path: `/${path}`, kind: 'status', status: 429, count: 1 });
    const controller = new AbortController();
    const reason = new Error('the batch was cancelled');
    let reached = 0;
    const coordinator = coordinateRateLimits({
      reserve: () => {
        if (reached++ < sent) return 0;
        controller.abort(reason);
        return new Promise<number>(() => undefined);
      },
      observe: () => undefined,
      timeoutMs: 10_000,
    });
    // The wait's own end, awaited below: ky rejects an aborted call by itself, its hooks' wait going on unseen.
    const waits: Promise<boolean>[] = [];
    const wait = coordinator.wait.bind(coordinator);
    coordinator.wait = (...args) => {
      const waited = wait(...args);
      waits.push(waited);
      return waited;
    };
    const events: OktaLogEvent[] = [];
    ctx.org.resetCounters();
    const error = await drivers[name]!(coordinator, (event) => void events.push(event), controller.signal);
    await Promise.all(waits);
    expect(error).toBeInstanceOf(OktaAuthError);
    expect(error).toMatchObject({ code: 'ABORTED', cause: reason });
    expect({ reached, sent: Object.values(ctx.org.counters().requests).reduce((sum, n) => sum + n, 0) }).toEqual({ reached: sent + 1, sent });
    // Before: the hung call's `timeout`, logged as the coordinator's failure once its bound ran out.
    expect(events.filter((event) => event.type === 'rate-limit-coordinator')).toEqual([]);
  });
});
