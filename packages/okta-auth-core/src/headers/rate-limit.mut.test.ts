import { afterEach, describe, expect, it } from 'vitest';
import { parseHttpDate, parseRateLimit, rateLimitWait } from './rate-limit.js';

/**
 * The rate-limit and HTTP-date readers at their edges (mutation testing, thirty-third round): the
 * 200-character bound of a rate-limit header, an HTTP-date only as a whole text, an asctime date
 * with a two-digit day, and an asctime date read in GMT whatever the process's time zone.
 */
/**
 * Whether this worker takes a time zone set at run time: a forked one (vitest's default pool) does,
 * and `Date.parse` then reads an asctime date five hours later; a worker thread (Stryker's runner)
 * keeps its zone, and the last test has nothing to prove there.
 */
const zoneTakes = ((): boolean => {
  const zone = process.env.TZ;
  process.env.TZ = 'America/New_York';
  const taken = Date.parse('Tue Dec  1 10:00:04 2026') === Date.UTC(2026, 11, 1, 15, 0, 4);
  if (zone === undefined) delete process.env.TZ;
  else process.env.TZ = zone;
  return taken;
})();

describe('rate-limit headers and HTTP-dates at their edges', () => {
  const zone = process.env.TZ;
  afterEach(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });

  it('reads a rate-limit header of 200 characters and ignores one of 201', () => {
    const at200 = `${'5,'.repeat(99)}77`;
    const at201 = `${'5,'.repeat(99)}777`;
    expect([at200.length, at201.length]).toEqual([200, 201]);
    expect(parseRateLimit(new Headers({ 'x-rate-limit-limit': at200 }))).toEqual({ limit: 77 });
    expect(parseRateLimit(new Headers({ 'x-rate-limit-limit': at201 }))).toEqual({});
  });

  it('takes an HTTP-date only as the whole text: a date after other words is none, though Date.parse reads it', () => {
    const prefixed = 'junk Tue, 01 Dec 2026 10:00:04 GMT';
    expect(Number.isFinite(Date.parse(prefixed))).toBe(true);
    expect(parseHttpDate(prefixed)).toBeNaN();
    expect(rateLimitWait(new Headers({ date: 'Tue, 01 Dec 2026 10:00:00 GMT', 'retry-after': prefixed }))).toBeUndefined();
  });

  it('reads an asctime date with a one- or two-digit day', () => {
    expect(parseHttpDate('Tue Dec  1 10:00:04 2026')).toBe(Date.UTC(2026, 11, 1, 10, 0, 4));
    expect(parseHttpDate('Fri Dec 11 10:00:04 2026')).toBe(Date.UTC(2026, 11, 11, 10, 0, 4));
  });

  it.runIf(zoneTakes)("reads an asctime date in GMT, not in the process's time zone (RFC 9110 §5.6.7)", () => {
    process.env.TZ = 'America/New_York';
    expect(parseHttpDate('Tue Dec  1 10:00:04 2026')).toBe(Date.UTC(2026, 11, 1, 10, 0, 4));
    expect(parseHttpDate('Tue, 01 Dec 2026 10:00:04 GMT')).toBe(Date.UTC(2026, 11, 1, 10, 0, 4));
  });
});
