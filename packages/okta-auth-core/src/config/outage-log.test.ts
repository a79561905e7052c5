/**
 * The one bound on a failing part's events (`outageLog`): during an outage a coordinator with a
 * logger of its own (the Redis coordinator's `logger`) used to log each failing call, about two
 * events a call (fleetlog147: 1,000 lines a second for 500 calls a second). Now: the first failure,
 * then at most one a `outageReportMs` (30 s) with the count of those left out, then one `recovered`.
 * On the monotonic clock, faked here (`performance.now`).
 */
import { afterEach, expect, it, vi } from 'vitest';
import type { OktaLogEvent } from './logger.js';
import { outageLog } from './outage-log.js';

afterEach(() => {
  vi.useRealTimers();
});

const failed = (call: number) => ({ type: 'rate-limit-coordinator', operation: 'acquire', outcome: 'error', code: 'REDIS_UNAVAILABLE', call }) as const;

it('logs the first failure of an outage, then one an interval with the count left out, then one recovered', () => {
  vi.useFakeTimers({ toFake: ['performance'] });
  const events: OktaLogEvent[] = [];
  const report = outageLog((event) => void events.push(event));
  for (let call = 1; call <= 100; call++) report(failed(call));
  expect(events).toEqual([failed(1)]);
  vi.advanceTimersByTime(29_999);
  report(failed(101));
  expect(events).toHaveLength(1);
  vi.advanceTimersByTime(1);
  report(failed(102));
  expect(events).toEqual([failed(1), { ...failed(102), suppressed: 100 }]);
  report(failed(103));
  report({ type: 'rate-limit-coordinator', operation: 'observe', outcome: 'timeout', call: 104 });
  report();
  report();
  expect(events.slice(2)).toEqual([{ type: 'rate-limit-coordinator', operation: 'acquire', outcome: 'recovered', suppressed: 2 }]);
  // The next outage is a new one: its first failure is logged at once.
  report(failed(105));
  expect(events.slice(3)).toEqual([failed(105)]);
});

it('without a logger, or with no failure before, logs nothing', () => {
  const events: OktaLogEvent[] = [];
  outageLog(undefined)(failed(1));
  const report = outageLog((event) => void events.push(event));
  report();
  expect(events).toEqual([]);
});
