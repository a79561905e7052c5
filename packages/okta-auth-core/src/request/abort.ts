import { OktaAuthError } from '../errors/errors.js';
import { transportFailure } from '../errors/failure.js';
import { guarded } from '../errors/guarded.js';
import { boundAnswer, lockBody } from '../errors/bounded-answer.js';
import { anySignal, releaseSignal } from './caller-signal.js';

/**
 * Waits for a shared promise on behalf of one caller: the caller's signal
 * abandons its wait (`ABORTED`, its reason as `cause`) without cancelling the shared work, so one
 * impatient caller never fails the others waiting on the same single flight. The signal is followed
 * by the wait's own controller, `own`, through {@link anySignal}, and left when the work settles: a
 * caller's signal shared by many waiters (an app's shutdown signal) holds one listener for them all
 * (until sig166, one per waiter). `own` aborts with the caller's reason: a flight that counts its
 * waiters (okta-oauth's sign-in callbacks) hears from it that this one left.
 * @internal
 */
export function waitFor<T>(shared: Promise<T>, signal: AbortSignal | undefined, own = new AbortController()): Promise<T> {
  if (signal === undefined) return shared;
  return new Promise<T>((resolve, reject) => {
    // Listened to before it follows: a signal that had fired rejects at once, and the shared work's failure still meets
    // the handler below, never an unhandled rejection (Node.js ends on one).
    own.signal.addEventListener('abort', () => {
      reject(abortError(own.signal));
    });
    anySignal(signal, own);
    // Left once the work settled (before this wait settles with it); the work's own rejection as itself (user code may reject with anything).
    const left = (): void => {
      releaseSignal(own);
    };
    shared.then(left, left);
    shared.then(resolve, reject);
  });
}

/**
 * Whether a fired signal's reason is an attempt's own timer's ({@link AttemptTimer}: its `timeoutMs`
 * ran out), the one test of it: any other reason is the caller's, an `AbortSignal.timeout` deadline
 * among them (`ABORTED`, as during a request; before page152 any `TimeoutError` was `TIMEOUT`).
 */
const ownTimeout = (reason: unknown): boolean | undefined => guarded(() => (reason as Error).message === 'timeoutMs' && (reason as Error).name === 'TimeoutError');

/**
 * The core error for a fired signal: `TIMEOUT` when it fired because an attempt's
 * `timeoutMs` ran out ({@link ownTimeout}), `ABORTED` when the caller aborted, its reason as `cause`
 * (an `AbortSignal.timeout` of the caller's included).
 * @internal
 */
export function abortError(signal: AbortSignal): OktaAuthError<'ABORTED' | 'TIMEOUT'> {
  const reason: unknown = signal.reason;
  const timedOut = ownTimeout(reason);
  // The one typing of these failures (failure.ts): TIMEOUT with the reason as cause, or ABORTED.
  return transportFailure(timedOut ? reason : undefined, 'The operation', timedOut ? undefined : signal, undefined, false) as OktaAuthError<'ABORTED' | 'TIMEOUT'>;
}

/** The longest delay setTimeout honours (2^31-1 ms, 24.8 days; a longer one fires at once): the one constant of it. @internal */
export const maxTimerMs = 2 ** 31 - 1;

/** The reason {@link settleWithin} ends its wait with: a value of this module's own, which no caller's signal can carry. */
const quietEnd = {};

/**
 * Sleeps `ms` milliseconds (at most about 24.8 days), or rejects with `ABORTED` (`TIMEOUT` for an
 * attempt timer's reason) as soon as the signal fires: the one timer-and-abort race in core
 * ({@link settleWithin} is built on it). The signal is followed by the sleep's own controller, `own`,
 * through {@link anySignal}, and left when the sleep ends: a caller's signal shared by many waiting
 * calls (an app's shutdown signal) holds one listener for them all, not one per wait (until sig165,
 * eleven waits on it had Node.js warn). `own` aborted with `quietEnd` as its reason ({@link settleWithin}'s
 * end of its race) stops the sleep without a rejection, which would be nobody's: no error built,
 * with its stack, once per bounded call that settled. @internal
 */
export function abortableSleep(ms: number, signal?: AbortSignal, own = new AbortController()): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      releaseSignal(own);
      resolve();
    }, Math.min(ms, maxTimerMs));
    if (signal) anySignal(signal, own);
    // The rejection built before the timer is cleared: never a sleep left to end after the abort. `own`'s reason is the
    // caller's own (anySignal aborts it with it), so the error is the one the caller's signal would give.
    const onAbort = (): void => {
      if (own.signal.reason !== quietEnd) reject(abortError(own.signal));
      clearTimeout(timer);
    };
    if (own.signal.aborted) onAbort();
    else own.signal.addEventListener('abort', onAbort);
  });
}

/**
 * How one bounded call into user code ended: its value, its own error (`reason: 'error'`), or
 * `reason: 'timeout'` when it did not settle within `timeoutMs`. @internal
 */
export type Settled<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: 'error'; readonly error: unknown }
  | { readonly ok: false; readonly reason: 'timeout' };

/**
 * The one bounded wait for user code (a token store, an `onTokens` callback, a rate-limit
 * coordinator): settles within `timeoutMs` whatever the code does, and rejects with
 * `ABORTED`/`TIMEOUT` ({@link abortError}) as soon as the caller's signal fires. A hung call is
 * abandoned, not cancelled; its late answer is ignored. The user code is not called when the
 * signal has fired already. @internal
 */
export function settleWithin<T>(run: () => T | PromiseLike<T>, options: { readonly signal?: AbortSignal | undefined; readonly timeoutMs: number }): Promise<Settled<T>> {
  const { signal, timeoutMs } = options;
  if (signal?.aborted === true) return Promise.reject(abortError(signal));
  // The wait ends with the call: `settled` stops it, quietly (its reason `quietEnd`: no DOMException, no ABORTED).
  // A caller's abort just before rejects `wait` after the race, which took it (handled).
  const settled = new AbortController();
  const wait = abortableSleep(timeoutMs, signal, settled).then((): Settled<T> => ({ ok: false, reason: 'timeout' }));
  const call = (async (): Promise<Settled<T>> => {
    try {
      return { ok: true, value: await run() };
    } catch (error) {
      return { ok: false, reason: 'error', error };
    }
  })();
  return Promise.race([call, wait]).finally(() => {
    settled.abort(quietEnd);
  });
}

/**
 * Runs user code (an `onTokens` callback, a storage `get`/`set`/`remove`) and waits for it at
 * most until the caller's signal fires or `timeoutMs` passes: `TIMEOUT` (or `ABORTED`) naming
 * `what` (and ending with `fix`, what the caller should do about it), so a callback that never
 * settles cannot wedge a credential. The user code's own error reaches the caller as itself; a
 * hung call is abandoned, not cancelled.
 * @internal
 */
export async function boundUserCode<T>(
  what: string,
  run: () => T | PromiseLike<T>,
  options: { readonly signal?: AbortSignal | undefined; readonly timeoutMs: number; readonly fix?: string | undefined },
): Promise<T> {
  const fix = options.fix === undefined ? '' : ` ${options.fix}`;
  let outcome: Settled<T>;
  try {
    outcome = await settleWithin(run, options);
  } catch (error) {
    // The attempt's own timeout (its timer's reason) names the user code; the caller's abort (a deadline too) passes.
    const caller = options.signal;
    if (caller?.aborted === true && ownTimeout(caller.reason)) {
      throw new OktaAuthError('TIMEOUT', `${what} did not settle within the request's timeout (timeoutMs): it was abandoned.${fix}`, { cause: caller.reason });
    }
    throw error;
  }
  if (outcome.ok) return outcome.value;
  // User code's error as itself, even when it is not an Error (a store that throws a string).
  if (outcome.reason === 'error') throw outcome.error;
  throw new OktaAuthError('TIMEOUT', `${what} did not settle within ${options.timeoutMs} ms (timeoutMs): it was abandoned.${fix}`);
}

/**
 * An attempt's controller ({@link AttemptTimer}): whatever aborts it (the timer's expiry, the caller's signal through
 * {@link anySignal}, ky's through {@link followCall}) also rejects the work pending {@link AttemptTimer.within}, with the
 * signal's reason (the caller's, when the caller aborted first): user code that ignores its signal (an `authorize`, a
 * `fetch` option that drops it) cannot outlive either, and no listener is added for it.
 */
class AttemptController extends AbortController {
  /** Rejects the work pending {@link AttemptTimer.within}, if any. */
  declare stop: ((reason: unknown) => void) | undefined;

  override abort(reason?: unknown): void {
    super.abort(reason);
    this.stop?.(this.signal.reason);
  }
}

/**
 * One attempt's signal: one AbortController and one timer (cheaper than `AbortSignal.timeout`,
 * and cleared as soon as the attempt is over, for an answer handed on with its body when the caller's
 * read of that body ends ({@link AttemptTimer.handOn}); `unref`'d where the runtime has it, so it never
 * keeps a process alive). Its reason is a `TimeoutError` whose message is `timeoutMs`, which tells it from a
 * caller's `AbortSignal.timeout` ({@link ownTimeout}).
 * Used by both drivers (`execute.ts`; `ky/ky-fetch.ts` and `ky/hooks.ts`, which follow ky's signal with {@link followCall}); one object per attempt, its methods on the prototype. Its `request` keeps the `Request` given to fetch reachable until the answer: undici
 * follows that Request's signal through a weak reference, so once the caller holds only the
 * Response, a garbage collection would cut the abort off from the body it must stop. An answer
 * handed on with its body ({@link AttemptTimer.handOn}) keeps it from then on, for as long as the
 * body is reachable: not until the timer fires, its headers (a credential) and form (a refresh
 * token) kept up to `timeoutMs` after the call.
 */
export class AttemptTimer {
  readonly controller = new AttemptController();
  /** The Request given to fetch, kept reachable until the timer fires or is cleared. */
  request: Request | undefined;
  // Set in the constructor (declared only: no field definitions in the bundle).
  /** Fires on the caller's abort or this attempt's timeout. */
  declare readonly signal: AbortSignal;
  declare readonly timer: unknown;

  constructor(userSignal: AbortSignal | null | undefined, timeoutMs: number) {
    // A module function given the timer as argument: no closure per attempt.
    this.timer = setTimeout(expire, Math.min(timeoutMs, maxTimerMs), this);
    (this.timer as { unref?: () => void }).unref?.();
    // No signal: none, undefined or null (a walk's `signal: null`, which the checks take as none).
    this.signal = userSignal == null ? this.controller.signal : anySignal(userSignal, this.controller);
  }

  /**
   * Settles as `work` (user code: a credential's `authorize`, the `fetch` option's send, a read of the answer's body), or
   * rejects with the signal's reason when it fires (the timer, the caller's abort, ky's; one that fired before, when the
   * timer runs out), whether or not the code heeds the signal. A promise and its functions: no listener on the signal (on
   * Node.js 20 one costs over 10 kB per attempt); the controller's own abort rejects it ({@link AttemptController}).
   */
  within<T>(work: PromiseLike<T>): Promise<T> {
    const { controller } = this;
    return new Promise<T>((resolve, reject) => {
      controller.stop = reject;
      work.then(resolve, reject);
    });
  }

  /**
   * The answer is handed on with its body, read within the timer and bounded ({@link keepWithBody}):
   * the timer stays armed until the caller's read of the body ends (read to its end, cancelled, or
   * failed: the bounded answer clears it then), else until `timeoutMs` runs out (a body not read to
   * its end, or an answer handed on unbounded); the Request moves to the body, reachable while the body
   * is, the abort's chain with it. Answers whether there is a body left to read; without one (none, or one
   * read already), the caller clears the timer.
   */
  handOn(response: Response): boolean {
    const { request } = this;
    // The send's wait is over: the timer, armed on, holds nothing of it (its answer).
    this.controller.stop = undefined;
    this.request = undefined;
    // Weakly, as fetch holds it: the timer keeps no answer the caller let go. Where the runtime has WeakRef (workerd from
    // its 2025-05-05 compatibility date; as multi-org.ts's `weakly`): only Node.js 20's fetch needs the lock.
    this.answer = typeof WeakRef === 'function' ? new WeakRef(response) : undefined;
    return keepWithBody(response, request, this);
  }

  /** The answer handed on ({@link AttemptTimer.handOn}), whose body the timer bounds. */
  declare answer: WeakRef<Response> | undefined;

  /** Disarms the timer (the attempt is over) and lets the Request go. */
  clear(): void {
    clearTimeout(this.timer as ReturnType<typeof setTimeout>);
    this.request = undefined;
    this.controller.stop = undefined;
    releaseSignal(this.controller);
  }
}

/** Each answer body handed on, to the Request it answers ({@link keepWithBody}): let go with the body. */
const sentFor = new WeakMap<ReadableStream<Uint8Array>, Request>();

/**
 * The one hand-on of an answer with a body to the caller ({@link AttemptTimer.handOn} for the
 * drivers; `oktaKyHooks` for the answer it passes on, with no timer: its own is cleared once the
 * attempt is authorized): what the caller reads of its body bounded in place (`boundAnswer`: 32 MiB),
 * the attempt's `timer`, if any, cleared when that read ends (read to its end, cancelled, or failed;
 * an answer cloned keeps it until it fires), and the attempt's `Request` kept by that body, for as long as the
 * body is reachable (a caller may keep the body alone, to pipe it), and no longer (its headers hold a
 * credential). Not in this map: the timer, which its `setTimeout` holds until it is cleared or fires, would
 * keep the Request of an answer dropped unread that long. Answers whether there is a body left to read.
 */
export function keepWithBody(response: Response, request: Request | undefined, timer?: AttemptTimer): boolean {
  const { body } = response;
  // None, or read already (a token request's `challenge` read it: locked, none of it left to the caller): nothing to bound.
  if (body === null || body.locked) return false;
  if (request !== undefined) sentFor.set(body, request);
  boundAnswer(response, body, timer);
  return true;
}

function expire(timer: AttemptTimer): void {
  // Node.js 20's fetch cancels a cloned answer's unread body on the abort (ky clones one for each afterResponse hook of
  // yours, then cancels the clone) and rethrows that cancel's rejection, unhandled: it ended the process `timeoutMs` after
  // a call that succeeded. Locked meanwhile, the body is not cancelled, and still fails with the abort's reason.
  const release = guarded(() => lockBody(timer.answer?.deref()));
  timer.controller.abort(new DOMException('timeoutMs', 'TimeoutError'));
  release?.();
  timer.request = undefined;
}

/**
 * Makes `timer` follow a signal that belongs to one call, ky's (its timeout, the caller's abort),
 * by one listener instead of `AbortSignal.any`, which allocates a signal, a WeakRef and its
 * bookkeeping per attempt (about 3 kB of a ky call's garbage on Node.js 20). ky makes that signal
 * per call (`#createManagedSignal`) and each `Request` follows it with its own, so listeners
 * cannot pile up on it (one per attempt, within ky's retry limit) and go with it. A caller's own
 * signal, which many calls may share, is given to the timer's constructor instead. A function,
 * not a method: the fetch driver's bundles leave it out. Also ky's typed signal's one listener
 * (`typedSignal`, a controller of its own, `reason` its reason of the signal's). Answers the
 * controller's signal.
 */
export function followCall(timer: { readonly controller: AbortController }, signal: AbortSignal, reason?: (of: AbortSignal) => unknown): AbortSignal {
  const abort = (): void => {
    timer.controller.abort(reason ? reason(signal) : signal.reason);
  };
  if (signal.aborted) abort();
  else signal.addEventListener('abort', abort);
  return timer.controller.signal;
}
