/**
 * The bounds of `coordinateRateLimits`' wait before an attempt (its TSDoc, `CoordinatedRateLimits.wait`): a
 * coordinator is asked at most 8 rounds per attempt (more only while its waits average 100 ms or more), and its waits add up to at most `maxWaitMs`
 * (a wait that would go past it is not taken). Counted by the asks, not timed. Mutation testing
 * (eighteenth session) found no test of either: without the round bound a coordinator answering
 * 1 ms was asked until `maxWaitMs` ran out, and a total counted down instead of up waited 8 times
 * `maxWaitMs`. And each call into a coordinator that declares no `timeoutMs` of its own is given up on 250 ms after it
 * started (docs/SECURITY.md, Bounds), on vitest's fake timers: still waiting at 249 ms, a timeout at 250 ms (a declared
 * bound: `coordinator-own-bound.test.ts`).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OktaCredential } from '../credential.js';
import { createOktaKy } from '../ky/create-okta-ky.js';
import { createOktaFetch } from '../request/okta-fetch.js';
import { coordinateRateLimits, type CoordinatedRateLimits } from './rate-limit-coordinator.js';

const url = new URL('https://acme.okta.com/api/v1/users');

afterEach(() => {
  vi.useRealTimers();
});

/** A coordinator that always asks for `ms`, and how often it was asked. */
function asking(ms: number) {
  const counted = { asked: 0 };
  const coordinator = coordinateRateLimits({
    reserve: () => {
      counted.asked += 1;
      return ms;
    },
    observe: () => undefined,
  });
  return { coordinator, counted };
}

describe("coordinateRateLimits' wait", () => {
  it('asks at most 8 rounds per attempt, however short the waits', async () => {
    const { coordinator, counted } = asking(1);
    await coordinator.wait(url, { maxWaitMs: 60_000, signal: undefined, logger: undefined });
    expect(counted.asked).toBe(8);
  });

  it("asks on past 8 rounds while its waits average 100 ms or more (a cold bucket's callers behind its probe, 250 ms at a time), until it says send", async () => {
    // Until probe164 the 9th round sent the attempt: a cold bucket's callers went after 8 waits of 50 ms, its probe's answer still out.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let asked = 0;
    const coordinator = coordinateRateLimits({ reserve: () => (++asked <= 12 ? 250 : 0), observe: () => undefined });
    const waited = coordinator.wait(url, { maxWaitMs: 65_000, signal: undefined, logger: undefined });
    await vi.advanceTimersByTimeAsync(3000);
    expect(await waited).toBe(true);
    expect(asked).toBe(13);
  });

  it('asks 8 rounds of waits averaging under 100 ms; of 100 ms, as many as maxWaitMs takes (at most 10 a second)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const short = asking(99);
    void short.coordinator.wait(url, { maxWaitMs: 60_000, signal: undefined, logger: undefined });
    const long = asking(100);
    const waited = long.coordinator.wait(url, { maxWaitMs: 2000, signal: undefined, logger: undefined });
    await vi.advanceTimersByTimeAsync(3000);
    expect(await waited).toBe(false); // the 21st wait would pass maxWaitMs: not taken
    expect([short.counted.asked, long.counted.asked]).toEqual([8, 21]);
  });

  it('with a budget of 0 ms (a bound spent: its half floored to 0), asks once and takes no wait: "send now" only', async () => {
    const none = asking(1);
    expect(await none.coordinator.wait(url, { maxWaitMs: 0, signal: undefined, logger: undefined })).toBe(false);
    expect(none.counted.asked).toBe(1);
    const now = asking(0);
    expect(await now.coordinator.wait(url, { maxWaitMs: 0, signal: undefined, logger: undefined })).toBe(true);
    expect(now.counted.asked).toBe(1);
  });

  it('takes waits up to maxWaitMs in total, a wait that would go past it not taken', async () => {
    // 50 + 50 = 100: taken; a third 50 would make 150.
    const { coordinator, counted } = asking(50);
    await coordinator.wait(url, { maxWaitMs: 100, signal: undefined, logger: undefined });
    expect(counted.asked).toBe(3);
  });

  it('skips a coordinator that fails or answers no wait for this attempt: asked once, logged once', async () => {
    const answers: [string, () => unknown][] = [
      ['throws', () => { throw new Error('coordinator down'); }],
      ['rejects', () => Promise.reject(new Error('coordinator down'))],
      ['answers nothing', () => undefined],
      ['answers NaN', () => Number.NaN],
      ['answers Infinity', () => Number.POSITIVE_INFINITY],
    ];
    for (const [name, reserve] of answers) {
      let asked = 0;
      const events: unknown[] = [];
      const coordinator = coordinateRateLimits({
        reserve: () => {
          asked += 1;
          return reserve() as number;
        },
        observe: () => undefined,
      });
      await coordinator.wait(url, { maxWaitMs: 60_000, signal: undefined, logger: (event) => void events.push(event) });
      expect(asked, name).toBe(1);
      expect(events.filter((event) => (event as { type?: unknown }).type === 'rate-limit-coordinator'), name).toHaveLength(['throws', 'rejects'].includes(name) ? 1 : 0);
    }
  });

  it("resolves false for a wait it did not take (past the budget, or no number of ms above 0): a 429's retry is then the driver's to wait out", async () => {
    const answers: [unknown, boolean][] = [
      [0, true],
      [50, true],
      [101, false],
      [Number.POSITIVE_INFINITY, false],
      [Number.NaN, false],
      [-1, false],
      ['50', false],
    ];
    for (const [answer, taken] of answers) {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      let asked = 0;
      const coordinator = coordinateRateLimits({ reserve: () => (asked++ === 0 ? (answer as number) : 0), observe: () => undefined });
      const waited = coordinator.wait(url, { maxWaitMs: 100, signal: undefined, logger: undefined });
      await vi.advanceTimersByTimeAsync(100);
      expect(await waited, String(answer)).toBe(taken);
      vi.useRealTimers();
    }
  });

  it('stops at once when the caller has aborted', async () => {
    const { coordinator, counted } = asking(1);
    const caller = new AbortController();
    caller.abort();
    await coordinator.wait(url, { maxWaitMs: 60_000, signal: caller.signal, logger: undefined });
    expect(counted.asked).toBe(0);
  });
});

describe('one call into the coordinator', () => {
  it.each(['reserve', 'observe'] as const)('is given up on exactly 250 ms after it started by default (%s never settles), with a timeout event', async (hung) => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const never = () => new Promise<never>(() => undefined);
    const events: unknown[] = [];
    const logger = (event: unknown) => void events.push(event);
    const coordinator = coordinateRateLimits({ reserve: hung === 'reserve' ? never : () => 0, observe: hung === 'observe' ? never : () => undefined });
    let outcome: unknown = 'waiting';
    const call = hung === 'reserve' ? coordinator.wait(url, { maxWaitMs: 60_000, signal: undefined, logger }) : coordinator.report(url, new Response(null), logger);
    void call.then((value) => (outcome = value));
    await vi.advanceTimersByTimeAsync(249);
    expect({ outcome, events }).toEqual({ outcome: 'waiting', events: [] });
    await vi.advanceTimersByTimeAsync(1);
    expect({ outcome, events }).toEqual({ outcome: false, events: [{ type: 'rate-limit-coordinator', operation: hung === 'reserve' ? 'acquire' : 'observe', outcome: 'timeout' }] });
  });
});

/**
 * The bounds above hold only for a coordinator `coordinateRateLimits` wrapped: an object with a
 * `wait` and a `report` of its own would be awaited unbounded (one never settling held every
 * call past `timeoutMs`). Every driver refuses it as the option's error says, nothing sent.
 */
describe('a look-alike of a wrapped coordinator', () => {
  const credential: OktaCredential = { kind: 'ssws', origin: url.origin, authorize: () => Promise.resolve({ authorization: 'SSWS x' }) };
  const lookalike = { wait: () => new Promise<boolean>(() => undefined), report: () => Promise.resolve(true), reserve: () => 0, observe: () => undefined } as unknown as CoordinatedRateLimits;
  // Names no store's factory: each one (Redis, Durable Object) returns a wrapped coordinator, and naming one of them misled users of the other.
  const refusal = { code: 'INVALID_CONFIG', message: 'The rateLimitCoordinator option must be the coordinator coordinateRateLimits({ reserve, observe }) returned, not a copy.' };
  it.each([
    ['createOktaFetch', () => createOktaFetch({ credential, rateLimitCoordinator: lookalike })],
    ['createOktaKy', () => createOktaKy({ credential, rateLimitCoordinator: lookalike })],
  ])('%s refuses it (INVALID_CONFIG), and takes a wrapped one', (_, make) => {
    expect(make).toThrow(expect.objectContaining(refusal));
    expect(() => createOktaFetch({ credential, rateLimitCoordinator: asking(0).coordinator })).not.toThrow();
  });
});
