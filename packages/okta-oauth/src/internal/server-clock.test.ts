import { describe, expect, it } from 'vitest';
import { ServerClock, dateOffsetMs } from './server-clock.js';

const at = (date: number) => new Response(null, { headers: { date: new Date(date).toUTCString() } });

describe('ServerClock', () => {
  it('follows an org clock minutes off, and ignores a Date more than a day off (broken or hostile)', () => {
    const local = Date.UTC(2026, 0, 1);
    const clock = new ServerClock(() => local);
    expect(clock.observe(at(local + 300_000))).toBe(300_000);
    expect(clock.nowSeconds()).toBe((local + 300_000) / 1000);
    expect(clock.observe(at(local + 50 * 365 * 86_400_000))).toBe(0);
    expect(clock.observe(at(local - 2 * 86_400_000))).toBe(0);
    expect(clock.nowSeconds()).toBe((local + 300_000) / 1000);
  });

  it("reads Date as core's rate-limit waits do: a text over 100 characters is ignored, even one Date.parse takes", () => {
    const local = Date.UTC(2026, 0, 1);
    const clock = new ServerClock(() => local);
    const long = `${new Date(local + 300_000).toUTCString()} (${'x'.repeat(80)})`;
    expect(Number.isFinite(Date.parse(long))).toBe(true);
    expect(clock.observe(new Response(null, { headers: { date: long } }))).toBe(0);
    expect(clock.nowSeconds()).toBe(local / 1000);
  });

  it('reads one answer\'s offset for the ID token checks: none without a usable Date, 0 within 2 s', () => {
    const local = Date.UTC(2026, 0, 1);
    expect(dateOffsetMs(new Response(null), local)).toBeUndefined();
    expect(dateOffsetMs(new Response(null, { headers: { date: 'yesterday' } }), local)).toBeUndefined();
    expect(dateOffsetMs(at(local + 86_400_000 + 1000), local)).toBeUndefined();
    expect(dateOffsetMs(at(local - 86_400_000), local)).toBe(-86_400_000);
    expect(dateOffsetMs(at(local + 1000), local)).toBe(0);
    expect(dateOffsetMs(at(local - 3 * 3600_000), local)).toBe(-3 * 3600_000);
  });

  // The exact threshold of a re-signed retry (docs/SECURITY.md, Bounds), both ways.
  it('earns a re-signed retry for a correction over 30 s, not for one of exactly 30 s', () => {
    const second = Date.UTC(2026, 0, 1);
    const corrections = [30_000, 30_001, -30_000, -30_001].map((moved) => {
      // Date has whole seconds: the local clock is set off by the milliseconds.
      const local = second - (moved % 1000);
      return new ServerClock(() => local).skewed(at(second - (moved % 1000) + moved));
    });
    expect(corrections).toEqual([false, true, false, true]);
  });
});
