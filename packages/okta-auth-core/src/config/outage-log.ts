import { emit, type OktaLogger, type OktaLogEvent } from './logger.js';

/** At most one event of a failing part per this long, in ms, after the outage's first (30 s). */
export const outageReportMs = 30_000;

type PartEvent = Extract<OktaLogEvent, { type: 'rate-limit-coordinator' }>;

/**
 * The one bound on a failing part's events (a coordinator with a logger of its own): call it with each failed
 * call's event, and with nothing after each call that worked. It logs the outage's first failure at once, then at
 * most one failure every {@link outageReportMs} with `suppressed`, the count left out since the last one logged,
 * then one `recovered` event (the first one's `type` and `operation`, the count left out) at the first call that
 * works. On the monotonic clock (`performance.now()`). A dead Redis under 500 calls a second logs one line, not 1,000 a second.
 *
 * @example
 * ```ts
 * const report = outageLog((event) => console.warn(event));
 * report({ type: 'rate-limit-coordinator', operation: 'acquire', outcome: 'error', code: 'REDIS_UNAVAILABLE' }); // logged
 * report({ type: 'rate-limit-coordinator', operation: 'observe', outcome: 'error' }); // left out: counted
 * report(); // { type: 'rate-limit-coordinator', operation: 'acquire', outcome: 'recovered', suppressed: 1 }
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export function outageLog(logger: OktaLogger | undefined): (failed?: PartEvent) => void {
  let outage: { readonly first: PartEvent; at: number; suppressed: number } | undefined;
  return (failed) => {
    if (failed === undefined) {
      if (outage) emit(logger, { type: outage.first.type, operation: outage.first.operation, outcome: 'recovered', suppressed: outage.suppressed });
      outage = undefined;
    } else if (outage === undefined) {
      outage = { first: failed, at: performance.now(), suppressed: 0 };
      emit(logger, failed);
    } else if (performance.now() - outage.at < outageReportMs) {
      outage.suppressed++;
    } else {
      emit(logger, { ...failed, suppressed: outage.suppressed });
      outage.at = performance.now();
      outage.suppressed = 0;
    }
  };
}
