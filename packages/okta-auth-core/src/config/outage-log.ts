import { emit, type OktaLogger, type OktaLogEvent } from './logger.js';

/** At most one event of a failing part per this long, in ms, after the outage's first (30 s). */
export const outageReportMs = 30_000;

type PartEvent = Extract<OktaLogEvent, { type: 'rate-limit-coordinator' }>;

/**
 * The one bound on a failing part's events (a coordinator with a logger of its own): call it after each call with the
 * time the call started (`performance.now()`) and, if it failed, its event. It logs the outage's first failure at once,
 * then at most one failure every {@link outageReportMs} with `suppressed`, the count left out since the last one logged,
 * then one `recovered` event (the first one's `type` and `operation`, the count left out) at the first call that works.
 * A call sent before the outage's first failure, or before the recovery, says nothing of Redis now: it neither ends nor
 * starts an outage (a call in flight at a restart used to log a `recovered` in the middle of an outage). On the
 * monotonic clock (`performance.now()`). A dead Redis under 500 calls a second logs one line, not 1,000 a second.
 *
 * @example
 * ```ts
 * const report = outageLog((event) => console.warn(event));
 * const started = performance.now();
 * report(started, { type: 'rate-limit-coordinator', operation: 'acquire', outcome: 'error', code: 'REDIS_UNAVAILABLE' }); // logged
 * report(performance.now(), { type: 'rate-limit-coordinator', operation: 'observe', outcome: 'error' }); // left out: counted
 * report(performance.now()); // { type: 'rate-limit-coordinator', operation: 'acquire', outcome: 'recovered', suppressed: 1 }
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export function outageLog(logger: OktaLogger | undefined): (started: number, failed?: PartEvent) => void {
  let outage: { readonly first: PartEvent; readonly began: number; at: number; suppressed: number } | undefined;
  let recovered = Number.NEGATIVE_INFINITY;
  return (started, failed) => {
    const now = performance.now();
    if (failed === undefined) {
      if (outage === undefined || started < outage.began) return;
      emit(logger, { type: outage.first.type, operation: outage.first.operation, outcome: 'recovered', suppressed: outage.suppressed });
      outage = undefined;
      recovered = now;
    } else if (outage === undefined) {
      if (started < recovered) return;
      outage = { first: failed, began: now, at: now, suppressed: 0 };
      emit(logger, failed);
    } else if (now - outage.at < outageReportMs) {
      outage.suppressed++;
    } else {
      emit(logger, { ...failed, suppressed: outage.suppressed });
      outage.at = now;
      outage.suppressed = 0;
    }
  };
}
