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
  const log = outageLog((event) => void events.push(event));
  const report = (event?: Parameters<typeof log>[1]) => log(performance.now(), event);
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

it('a call sent before the outage that answers during it, or one sent before the recovery that fails after, changes nothing', () => {
  vi.useFakeTimers({ toFake: ['performance'] });
  const events: OktaLogEvent[] = [];
  const log = outageLog((event) => void events.push(event));
  const sentBefore = performance.now();
  vi.advanceTimersByTime(100);
  log(performance.now(), failed(2));
  vi.advanceTimersByTime(100);
  // Sent before Redis failed, answered now: no recovery (before, a `recovered` mid-outage, then a new outage's event).
  log(sentBefore);
  log(performance.now(), failed(3));
  expect(events).toEqual([failed(2)]);
  const sentDuring = performance.now();
  vi.advanceTimersByTime(100);
  log(performance.now());
  vi.advanceTimersByTime(100);
  // Sent while Redis was down, failed after it answered again: no new outage.
  log(sentDuring, failed(4));
  expect(events).toEqual([failed(2), { type: 'rate-limit-coordinator', operation: 'acquire', outcome: 'recovered', suppressed: 1 }]);
});

it('without a logger, or with no failure before, logs nothing', () => {
  const events: OktaLogEvent[] = [];
  outageLog(undefined)(performance.now(), failed(1));
  outageLog((event) => void events.push(event))(performance.now());
  expect(events).toEqual([]);
});
