import { describe, expect, it } from 'vitest';
import { answerClock, parseHttpDate, parseRateLimit, rateLimitWait } from './rate-limit.js';

const date = 'Tue, 01 Dec 2026 10:00:00 GMT';
const dateSeconds = Date.parse(date) / 1000;

describe('rate limits', () => {
  it('reads the three headers', () => {
    const headers = new Headers({ 'x-rate-limit-limit': '600', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(dateSeconds + 30) });
    expect(parseRateLimit(headers)).toEqual({ limit: 600, remaining: 0, reset: dateSeconds + 30 });
    expect(parseRateLimit(new Headers())).toEqual({});
  });

  it("waits until the reset by Okta's clock (the Date header), plus one second, whatever the local clock says", () => {
    const headers = new Headers({ date, 'x-rate-limit-reset': String(dateSeconds + 12) });
    const localClockAnHourAhead = Date.parse(date) + 3_600_000;
    expect(rateLimitWait(headers, localClockAnHourAhead)).toBe(13_000);
    expect(rateLimitWait(headers, Date.parse(date) - 3_600_000)).toBe(13_000);
  });

  it('uses the largest of duplicated or comma-joined reset values', () => {
    const headers = new Headers({ date, 'x-rate-limit-reset': `${dateSeconds + 5}, ${dateSeconds + 9}` });
    expect(rateLimitWait(headers)).toBe(10_000);
    const appended = new Headers({ date });
    appended.append('x-rate-limit-reset', String(dateSeconds + 3));
    appended.append('x-rate-limit-reset', String(dateSeconds + 2));
    expect(rateLimitWait(appended)).toBe(4_000);
  });

  it('never waits less than one second, even when the reset is past', () => {
    expect(rateLimitWait(new Headers({ date, 'x-rate-limit-reset': String(dateSeconds - 100) }))).toBe(1_000);
  });

  it('falls back to the local clock without Date, then to Retry-After, then to nothing', () => {
    const now = 1_800_000_000_000;
    expect(rateLimitWait(new Headers({ 'x-rate-limit-reset': String(now / 1000 + 2) }), now)).toBe(3_000);
    expect(rateLimitWait(new Headers({ 'retry-after': '7' }))).toBe(7_000);
    // Several digits are seconds too, never read as a date (`Date.parse('120')` is the year 120: no wait at all).
    expect(rateLimitWait(new Headers({ date, 'retry-after': '120' }))).toBe(120_000);
    expect(rateLimitWait(new Headers({ date, 'retry-after': 'Tue, 01 Dec 2026 10:00:04 GMT' }))).toBe(4_000);
    expect(rateLimitWait(new Headers())).toBeUndefined();
    expect(rateLimitWait(new Headers({ 'x-rate-limit-reset': 'soon' }))).toBeUndefined();
    expect(parseRateLimit(new Headers({ 'x-rate-limit-remaining': '-1', 'x-rate-limit-limit': '1e3' }))).toEqual({});
  });

  it('reads every HTTP-date through parseHttpDate: a text over 100 characters is no date, even one Date.parse takes', () => {
    const long = `Tue, 01 Dec 2026 10:00:04 GMT (${'x'.repeat(80)})`;
    expect(Number.isFinite(Date.parse(long))).toBe(true);
    expect(parseHttpDate(long)).toBeNaN();
    expect(parseHttpDate(null)).toBeNaN();
    expect(parseHttpDate(undefined)).toBeNaN();
    expect(parseHttpDate('Tue, 01 Dec 2026 10:00:04 GMT')).toBe(Date.UTC(2026, 11, 1, 10, 0, 4));
    const now = 1_800_000_000_000;
    expect(answerClock(new Headers({ date: long }), now)).toBe(now);
    expect(rateLimitWait(new Headers({ date, 'retry-after': long }))).toBeUndefined();
  });
});
