import { brandError, OktaAuthError } from '../errors/errors.js';
import { abortError, maxTimerMs } from '../request/abort.js';
import { checkCount } from '../config/count.js';

/**
 * What a driver passes to {@link InFlightLimit.acquire} before sending an attempt.
 * @example
 * ```ts
 * const options: SlotWaitOptions = { maxWaitMs: 5_000, holdMs: 10_000, signal: undefined, what: () => 'GET https://acme.okta.com/api/v1/users' };
 * ```
 * @see https://developer.okta.com/docs/reference/rl2-concurrency
 */
export interface SlotWaitOptions {
  /** The most to wait for a slot, finite and not negative; past it, the attempt is not sent (`TIMEOUT`). */
  readonly maxWaitMs: number;
  /** The most a slot is held before it is given back whatever happens (the attempt's `timeoutMs`): finite and positive. */
  readonly holdMs: number;
  /** The attempt's signal: its abort takes the waiter out of the queue at once. */
  readonly signal: AbortSignal | undefined;
  /** Names the attempt for the `TIMEOUT` message (its secrets scrubbed). */
  readonly what: () => string;
  /**
   * The setting that bounds `maxWaitMs`, all the `TIMEOUT` tells the caller to raise beside the
   * limit (the drivers: `timeoutMs`, `retry.maxWaitMs` or both, whichever bounds the wait in that
   * configuration); any other value reads as the default, so the message never repeats a caller's
   * text. @default 'maxWaitMs'
   */
  readonly boundBy?: string | undefined;
}

/**
 * A cap on the attempts in flight at once, shared by every client given it as `maxInFlight`
 * (Okta's concurrency limit is per org: 75 requests processing at once, 35 on Integrator Free).
 * Made by {@link createInFlightLimit}. A slot is taken just before an attempt is sent and given
 * back when its answer's headers arrive (or it fails, or `timeoutMs` ends it); waiters are served
 * first come, first served.
 *
 * @example
 * ```ts
 * const limit: InFlightLimit = createInFlightLimit(10);
 * const okta = createOktaFetch({ credential, maxInFlight: limit });
 * ```
 * @see https://developer.okta.com/docs/reference/rl2-concurrency
 */
export interface InFlightLimit {
  /** The most attempts in flight at once. */
  readonly max: number;
  /** Attempts in flight now. */
  readonly inFlight: number;
  /** Attempts waiting for a slot now. */
  readonly waiting: number;
  /**
   * Takes a slot: at once when one is free and nobody waits, else when one comes free (first
   * come, first served). Resolves with the function that gives it back (calling it again does
   * nothing); rejects with `TIMEOUT` past `maxWaitMs`, or with `ABORTED`/`TIMEOUT` when `signal`
   * fires, taking no slot; with `INVALID_CONFIG` for a `maxWaitMs` or `holdMs` out of its range
   * (`NaN`, `Infinity`). The drivers call it; you need not.
   */
  acquire(options: SlotWaitOptions): (() => void) | Promise<() => void>;
}

/**
 * What a driver names as bounding a slot's wait (`waitBound`, `request/rate-limit-verdict.ts`): `retry.maxWaitMs`,
 * an attempt's bound (`timeoutMs`, or through the ky drivers a call's shorter ky bound: `attemptBound`,
 * `ky/bounds.ts`), or both (the type `SlotBoundName`, errors/failure.ts); the only `boundBy` a
 * `TIMEOUT` repeats. A literal, so an app without a limit bundles none of it. Tested on a string
 * only: `test` reads anything else as one (a Symbol throws in the timer, an object's `toString`
 * may answer a name once and a secret the next time).
 */
const driverBound = /^(retry\.maxWaitMs|(retry\.maxWaitMs and )?(timeoutMs|ky's (timeout|totalTimeout)))$/;

/** `INVALID_CONFIG` for a wait or hold no timer can keep (a user's own `acquire` call: the drivers' are finite), else `undefined`. */
function badBound(maxWaitMs: unknown, holdMs: unknown): OktaAuthError | undefined {
  const ok = (value: unknown, least: number) => typeof value === 'number' && Number.isFinite(value) && value >= least;
  if (!ok(maxWaitMs, 0)) return new OktaAuthError('INVALID_CONFIG', 'acquire(options): maxWaitMs takes a non-negative, finite number of milliseconds.');
  if (!ok(holdMs, Number.MIN_VALUE)) return new OktaAuthError('INVALID_CONFIG', 'acquire(options): holdMs takes a positive, finite number of milliseconds (the attempt\'s timeoutMs).');
  return undefined;
}

/**
 * Makes an {@link InFlightLimit}: at most `max` attempts (1 to 1000) in flight at once, across
 * every client given it as their `maxInFlight` option (an SSWS client and an OAuth one of the
 * same org, two ky instances…). Without one, nothing of it is bundled.
 *
 * @example
 * ```ts
 * import { createInFlightLimit, createOktaFetch, type OktaCredential } from '@org/okta-auth-core';
 *
 * declare const credential: OktaCredential;
 * const maxInFlight = createInFlightLimit(10); // well under Okta's 75
 * const okta = createOktaFetch({ credential, maxInFlight });
 * const ids = ['00u1', '00u2', '00u3'];
 * await Promise.all(ids.map((id) => okta(`/api/v1/users/${id}`))); // at most 10 at once
 * ```
 * @see https://developer.okta.com/docs/reference/rl2-concurrency
 */
export function createInFlightLimit(max: number): InFlightLimit {
  // Required: a fallback of NaN refuses nothing given as it refuses a wrong value.
  checkCount(max, 'createInFlightLimit(max)', Number.NaN, [1, 1000], undefined, 'Okta allows 75 requests in flight per org, 35 on Integrator Free');
  let inFlight = 0;
  // The waiters: a waiter that gives up leaves at once. Their order is `queue`'s, read from `head`,
  // a waiter gone skipped: a Set's first entry is found by skipping every entry deleted before it,
  // so serving n waiters from the Set itself cost n²/2 steps (300,000: a minute, the event loop held).
  const waiters = new Set<() => void>();
  let queue: (() => void)[] = [];
  let head = 0;
  const next = (): void => {
    while (inFlight < max && head < queue.length) {
      const first = queue[head++] as () => void;
      if (waiters.has(first)) first();
    }
  };
  // Once most of `queue` is served or gone, it keeps only those waiting: each copied once on average.
  const tidy = (): void => {
    if (queue.length > 64 && queue.length > 2 * waiters.size) {
      queue = queue.filter((waiter) => waiters.has(waiter));
      head = 0;
    }
  };
  const slot = (holdMs: number): (() => void) => {
    inFlight++;
    let held = true;
    const release = (): void => {
      if (!held) return;
      held = false;
      clearTimeout(timer);
      inFlight--;
      next();
    };
    // Given back at the latest when the attempt's timeoutMs ends, whatever the driver saw.
    const timer = setTimeout(release, Math.min(holdMs, maxTimerMs));
    (timer as { unref?: () => void }).unref?.();
    return release;
  };
  const limit: InFlightLimit = {
    max,
    get inFlight() {
      return inFlight;
    },
    get waiting() {
      return waiters.size;
    },
    acquire({ maxWaitMs, holdMs, signal, what, boundBy }) {
      const bad = badBound(maxWaitMs, holdMs);
      if (bad !== undefined) return Promise.reject(bad);
      if (signal?.aborted === true) return Promise.reject(abortError(signal));
      if (inFlight < max && waiters.size === 0) return slot(holdMs);
      return new Promise<() => void>((resolve, reject) => {
        const leave = (): void => {
          waiters.delete(waiter);
          tidy();
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
        };
        const waiter = (): void => {
          leave();
          resolve(slot(holdMs));
        };
        const onAbort = (): void => {
          leave();
          if (signal !== undefined) reject(abortError(signal));
        };
        const timer = setTimeout(() => {
          leave();
          reject(new OktaAuthError('TIMEOUT', `${what()} waited ${maxWaitMs} ms for a slot of its in-flight limit (maxInFlight, ${max} at once) and was not sent: send fewer calls at once, or raise the limit or ${typeof boundBy === 'string' && driverBound.test(boundBy) ? boundBy : 'maxWaitMs'}.`));
        }, Math.min(maxWaitMs, maxTimerMs));
        (timer as { unref?: () => void }).unref?.();
        waiters.add(waiter);
        queue.push(waiter);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
  // The drivers take only a limit made here (bounded waits and holds), never an object with an acquire of its own.
  brandError(limit, inFlightLimitBrand);
  return limit;
}

/** The brand of a limit {@link createInFlightLimit} made, which `normalizeTransport` requires. @internal */
export const inFlightLimitBrand = '@org/okta-auth-core/limit';
