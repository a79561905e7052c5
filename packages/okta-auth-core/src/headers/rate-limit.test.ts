import { describe, expect, it } from 'vitest';
import { answerClock, orgClockOffsetMs, parseHttpDate, parseRateLimit, rateLimitWait } from './rate-limit.js';

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

  it('ignores a Retry-After that is neither whole seconds nor an HTTP-date (`Date.parse` reads `1.5` as 2001: no wait at all)', () => {
    expect(Number.isFinite(Date.parse('1.5'))).toBe(true);
    for (const value of ['1.5', '-5', '1e3', '0x10', '2026-12-01T10:00:04Z', 'soon', ' ']) {
      expect(rateLimitWait(new Headers({ date, 'retry-after': value })), value).toBeUndefined();
    }
    // The three forms of RFC 9110 §5.6.7 are dates; the obsolete ones too.
    expect(rateLimitWait(new Headers({ date, 'retry-after': 'Tuesday, 01-Dec-26 10:00:04 GMT' }))).toBe(4_000);
    expect(rateLimitWait(new Headers({ date, 'retry-after': 'Tue Dec  1 10:00:04 2026' }))).toBe(4_000);
  });
});

describe("orgClockOffsetMs: the one reading of the org's clock, believed as far as its use allows", () => {
  const local = Date.UTC(2026, 0, 1);
  const day = 86_400_000;
  const at = (ms: number) => new Headers({ date: new Date(ms).toUTCString() });

  it("for a 429's wait, any distance: a device two days (or years) off still waits what Okta means", () => {
    expect(orgClockOffsetMs(at(local + 2 * day), local)).toBe(2 * day);
    expect(orgClockOffsetMs(at(local - 50 * 365 * day), local)).toBe(-50 * 365 * day);
    expect(orgClockOffsetMs(at(local + 1000), local)).toBe(1000);
    // The org two days ahead, its window resetting in 5 s of its time: 6 s, not two days.
    const reset = String((local + 2 * day) / 1000 + 5);
    expect(rateLimitWait(new Headers({ date: new Date(local + 2 * day).toUTCString(), 'x-rate-limit-reset': reset }), local)).toBe(6_000);
    expect(answerClock(at(local - 2 * day), local)).toBe(local - 2 * day);
  });

  it("within a bound (the claims' day), none past it", () => {
    expect(orgClockOffsetMs(at(local + day + 1000), local, day)).toBeUndefined();
    expect(orgClockOffsetMs(at(local - 2 * day), local, day)).toBeUndefined();
    expect(orgClockOffsetMs(at(local - day), local, day)).toBe(-day);
    expect(orgClockOffsetMs(at(local + 20 * 3600_000), local, day)).toBe(20 * 3600_000);
  });

  it('none without a Date that parses (absent, malformed, over 100 characters)', () => {
    for (const headers of [new Headers(), new Headers({ date: 'yesterday' }), new Headers({ date: `${new Date(local).toUTCString()} (${'x'.repeat(80)})` })]) {
      expect(orgClockOffsetMs(headers, local)).toBeUndefined();
      expect(orgClockOffsetMs(headers, local, day)).toBeUndefined();
    }
  });
});
