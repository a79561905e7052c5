/**
 * Which of a call's time bounds a wait counts against (`attemptBound`) and which one fired
 * (`firedBound`), at their edges (mutation testing, twenty-eighth round): a ky `totalTimeout` longer
 * than the attempt's bound, no ky `timeout` of the call's own, ky's `timeout` off, equal bounds, and
 * a call that has run exactly its `totalTimeout` (on a stubbed `performance.now()`), and what
 * remains of a `totalTimeout` (`totalLeft`, a retry's `attemptBound`). Pure: no timer.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { attemptBound, firedBound, totalLeft } from './bounds.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('attemptBound', () => {
  it("keeps timeoutMs against a longer ky totalTimeout, and ky's timeout against a longer one", () => {
    expect(attemptBound({ totalTimeout: 60_000 }, 1_000)).toEqual({ ms: 1_000, name: 'timeoutMs' });
    expect(attemptBound({ timeout: 500, totalTimeout: 600 }, 1_000)).toEqual({ ms: 500, name: "ky's timeout" });
    expect(attemptBound(undefined, 1_000)).toEqual({ ms: 1_000, name: 'timeoutMs' });
  });

  it("on a retry, what remains of ky's totalTimeout (whole ms, none below 0), where it is the shorter", () => {
    vi.spyOn(performance, 'now').mockReturnValue(13_000.6);
    // Started at 10 s: 3000.6 ms run, 999.4 left of 4 s.
    expect(attemptBound({ totalTimeout: 4_000 }, 30_000, 10_000)).toEqual({ ms: 999, name: "ky's totalTimeout" });
    expect(attemptBound({ timeout: 2_000, totalTimeout: 4_000 }, 30_000, 10_000)).toEqual({ ms: 999, name: "ky's totalTimeout" });
    // What remains is the same as the attempt's bound: ky's totalTimeout, as firedBound names it.
    expect(attemptBound({ totalTimeout: 4_000 }, 999, 10_000)).toEqual({ ms: 999, name: "ky's totalTimeout" });
    // Longer than what remains: the attempt's own bound.
    expect(attemptBound({ timeout: 500, totalTimeout: 4_000 }, 30_000, 10_000)).toEqual({ ms: 500, name: "ky's timeout" });
    expect(attemptBound({ totalTimeout: 4_000 }, 998, 10_000)).toEqual({ ms: 998, name: 'timeoutMs' });
    // Run out: none left.
    expect(attemptBound({ totalTimeout: 2_000 }, 30_000, 10_000)).toEqual({ ms: 0, name: "ky's totalTimeout" });
    // A first attempt (no start given): the whole totalTimeout; ky's totalTimeout off: no remainder.
    expect(attemptBound({ totalTimeout: 4_000 }, 30_000)).toEqual({ ms: 4_000, name: "ky's totalTimeout" });
    expect(attemptBound({ timeout: 2_000, totalTimeout: false }, 30_000, 10_000)).toEqual({ ms: 2_000, name: "ky's timeout" });
  });

  it("with the attempt's start, what remains of its own bound too (a first attempt's waits as a retry's)", () => {
    vi.spyOn(performance, 'now').mockReturnValue(13_000.6);
    // The attempt began at 12 s: 1000.6 ms of ky's timeout run, 999 left.
    expect(attemptBound({ timeout: 2_000 }, 30_000, undefined, 12_000)).toEqual({ ms: 999, name: "ky's timeout" });
    expect(attemptBound(undefined, 1_000, undefined, 12_000)).toEqual({ ms: 0, name: 'timeoutMs' });
    // The call began at 10 s: what remains of its totalTimeout (999) is the same as the attempt's: ky's totalTimeout.
    expect(attemptBound({ timeout: 2_000, totalTimeout: 4_000 }, 30_000, 10_000, 12_000)).toEqual({ ms: 999, name: "ky's totalTimeout" });
    expect(attemptBound({ timeout: 2_000, totalTimeout: 4_000 }, 30_000, 10_000, 12_500)).toEqual({ ms: 999, name: "ky's totalTimeout" });
    expect(attemptBound({ timeout: 2_000, totalTimeout: 4_000 }, 30_000, 10_000, 11_500)).toEqual({ ms: 499, name: "ky's timeout" });
  });
});

describe('totalLeft', () => {
  it("is what remains of ky's totalTimeout in whole ms, none below 0; Infinity without one or without a start", () => {
    vi.spyOn(performance, 'now').mockReturnValue(13_000.6);
    expect(totalLeft({ totalTimeout: 4_000 }, 10_000)).toBe(999);
    expect(totalLeft({ totalTimeout: 3_000 }, 10_000)).toBe(0);
    expect(totalLeft({ totalTimeout: 2_000 }, 10_000)).toBe(0);
    expect(totalLeft({ timeout: 2_000, totalTimeout: false }, 10_000)).toBe(Infinity);
    expect(totalLeft({ totalTimeout: 4_000 }, undefined)).toBe(Infinity);
    expect(totalLeft(undefined, 10_000)).toBe(Infinity);
  });
});

describe('firedBound', () => {
  const at = (now: number) => vi.spyOn(performance, 'now').mockReturnValue(now);

  it('is timeoutMs for a call without bounds of its own', () => {
    expect(firedBound(undefined, 0, 1_000)).toBe(1_000);
  });

  it("without a ky timeout of the call's own, the attempt's is timeoutMs: a longer totalTimeout not yet run out did not fire", () => {
    at(10_000);
    expect(firedBound({ totalTimeout: 5_000 }, 10_000, 1_000)).toBe(1_000);
    expect(firedBound({ timeout: undefined, totalTimeout: 5_000 }, 10_000, 1_000)).toBe(1_000);
  });

  it("with ky's timeout off, what fired is its totalTimeout", () => {
    at(10_000);
    expect(firedBound({ timeout: false, totalTimeout: 5_000 }, 10_000, 1_000)).toEqual({ ms: 5_000, name: "ky's totalTimeout" });
  });

  it("a totalTimeout the same as ky's timeout is what fired", () => {
    at(10_000);
    expect(firedBound({ timeout: 2_000, totalTimeout: 2_000 }, 10_000, 1_000)).toEqual({ ms: 2_000, name: "ky's totalTimeout" });
  });

  it("a longer totalTimeout fired once the call has run that long to within 50 ms (ky's timer runs on the event loop's lagging clock), not before", () => {
    at(15_000);
    expect(firedBound({ timeout: 1_000, totalTimeout: 5_000 }, 10_000, 30_000)).toEqual({ ms: 5_000, name: "ky's totalTimeout" });
    // Run 4,951 ms by performance.now(): a total timer armed on a clock 49 ms behind it.
    expect(firedBound({ timeout: 1_000, totalTimeout: 5_000 }, 10_049, 30_000)).toEqual({ ms: 5_000, name: "ky's totalTimeout" });
    expect(firedBound({ timeout: 1_000, totalTimeout: 5_000 }, 10_050, 30_000)).toEqual({ ms: 1_000, name: "ky's timeout" });
    expect(firedBound({ timeout: 1_000, totalTimeout: 5_000 }, undefined, 30_000)).toEqual({ ms: 1_000, name: "ky's timeout" });
  });
});
