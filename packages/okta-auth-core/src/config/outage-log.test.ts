/**
 * The one bound on a failing part's events (`outageLog`): during an outage a coordinator with a
 * logger of its own (the Redis coordinator's `logger`) used to log each failing call, about two
 * events a call (fleetlog147: 1,000 lines a second for 500 calls a second), and a part failing on and off
 * logged each failure after a success at once (ra149). Now: the first failure of a quiet period, then at
 * most one event of any kind a `outageReportMs` (30 s), with the count of failures left out.
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
  // Within 30 s of the last event, the recovery waits for the first call that works past them (ra149: a flapping part).
  expect(events).toHaveLength(2);
  vi.advanceTimersByTime(30_000);
  report();
  report();
  expect(events.slice(2)).toEqual([{ type: 'rate-limit-coordinator', operation: 'acquire', outcome: 'recovered', suppressed: 2 }]);
  // The next outage, 30 s after that event, is a new one: its first failure is logged at once.
  vi.advanceTimersByTime(30_000);
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
  // Sent while Redis was down, failed after it answered again: no new outage (its recovery is logged 30 s after the failure).
  log(sentDuring, failed(4));
  vi.advanceTimersByTime(30_000);
  log(performance.now());
  expect(events).toEqual([failed(2), { type: 'rate-limit-coordinator', operation: 'acquire', outcome: 'recovered', suppressed: 1 }]);
});

it('without a logger, or with no failure before, logs nothing', () => {
  const events: OktaLogEvent[] = [];
  outageLog(undefined)(performance.now(), failed(1));
  outageLog((event) => void events.push(event))(performance.now());
  expect(events).toEqual([]);
});

it('a dependency failing every other call for 60 s logs three events, then one recovered 30 s after the last', () => {
  vi.useFakeTimers({ toFake: ['performance'] });
  const events: OktaLogEvent[] = [];
  const log = outageLog((event) => void events.push(event));
  const recovered = (suppressed: number) => ({ type: 'rate-limit-coordinator', operation: 'acquire', outcome: 'recovered', suppressed });
  // ra149: each success ended the outage and the next failure began a new one, logged at once (240 events here).
  for (let call = 1; call <= 241; call++) {
    log(performance.now(), call % 2 ? failed(call) : undefined);
    vi.advanceTimersByTime(250);
  }
  // 121 failures in 60 s of fake time: 3 logged (0 s, 30 s, 60 s), the 118 others counted.
  expect(events).toEqual([failed(1), { ...failed(121), suppressed: 59 }, { ...failed(241), suppressed: 59 }]);
  // It answers again: its recovery is logged at the first call that works 30 s after the last event, not before.
  vi.advanceTimersByTime(29_500);
  log(performance.now());
  expect(events).toHaveLength(3);
  vi.advanceTimersByTime(250);
  log(performance.now());
  expect(events.slice(3)).toEqual([recovered(0)]);
  // A failure within 30 s of that event is counted, and told at the next call past them, here one that works.
  log(performance.now(), failed(242));
  vi.advanceTimersByTime(30_000);
  log(performance.now());
  expect(events.slice(4)).toEqual([recovered(1)]);
  // The first failure of a quiet period is logged at once.
  vi.advanceTimersByTime(30_000);
  log(performance.now(), failed(243));
  expect(events.slice(5)).toEqual([failed(243)]);
});
