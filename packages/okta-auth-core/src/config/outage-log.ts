import { emit, type OktaLogger, type OktaLogEvent } from './logger.js';

/** At most one event of a failing part per this long, in ms, after the first of a quiet period (30 s). */
export const outageReportMs = 30_000;

type PartEvent = Extract<OktaLogEvent, { type: 'rate-limit-coordinator' }>;

/**
 * The one bound on a failing part's events (a coordinator with a logger of its own): call it after each call with the
 * time the call started (`performance.now()`) and, if it failed, its event. It logs a failure at once when no event was
 * logged in the last {@link outageReportMs}; after any event, the next one waits that long, whatever its kind. Then a
 * failing call logs its event with `suppressed`, the failures left out since the last event, and a call that works,
 * after failures, logs one `recovered` (the first failure's `type` and `operation`, the count left out). A part failing
 * on and off is one outage: a failure within 30 s of a `recovered` is counted, not logged (ra149: each one after a
 * success was logged at once, 200 events for 200 calls). The cost: a recovery within 30 s of the last event is logged
 * at the first call that works past them. A call sent before the outage's first failure, or before the recovery, says
 * nothing of Redis now: it neither ends nor starts an outage (a call in flight at a restart used to log a `recovered`
 * in the middle of an outage). On the monotonic clock (`performance.now()`). A dead Redis under 500 calls a second logs
 * one line, not 1,000 a second.
 *
 * @example
 * ```ts
 * const report = outageLog((event) => console.warn(event));
 * const started = performance.now();
 * report(started, { type: 'rate-limit-coordinator', operation: 'acquire', outcome: 'error', code: 'REDIS_UNAVAILABLE' }); // logged
 * report(performance.now(), { type: 'rate-limit-coordinator', operation: 'observe', outcome: 'error' }); // left out: counted
 * report(performance.now()); // 30 s after the first: { type: 'rate-limit-coordinator', operation: 'acquire', outcome: 'recovered', suppressed: 1 }
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export function outageLog(logger: OktaLogger | undefined): (started: number, failed?: PartEvent) => void {
  // `first`: the first failure not yet closed by a logged `recovered`; `began`: when the failing run now began (none: up);
  // `up`: when it last ended; `last`: when an event was last logged; `suppressed`: the failures left out since.
  let first: PartEvent | undefined;
  let began: number | undefined;
  let up = Number.NEGATIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  let suppressed = 0;
  return (started, failed) => {
    const now = performance.now();
    if (failed === undefined) {
      if (began !== undefined) {
        if (started < began) return;
        began = undefined;
        up = now;
      }
      if (first === undefined || now - last < outageReportMs) return;
      emit(logger, { type: first.type, operation: first.operation, outcome: 'recovered', suppressed });
      first = undefined;
    } else {
      if (began === undefined) {
        if (started < up) return;
        began = now;
      }
      first ??= failed;
      if (now - last < outageReportMs) {
        suppressed++;
        return;
      }
      emit(logger, first === failed ? failed : { ...failed, suppressed });
    }
    last = now;
    suppressed = 0;
  };
}
