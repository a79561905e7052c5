/**
 * The one bound of a wait before an attempt (`waitBound`, `request/rate-limit-verdict.ts`) and what a slot's
 * `TIMEOUT` advice names from it: only the setting that bounds the wait in that configuration
 * (`retry: false`: `timeoutMs` alone; a `retry.maxWaitMs` under half of `timeoutMs`: it alone; the
 * default, 65 s against half of 30 s: `timeoutMs`); through the ky drivers, a call's shorter ky
 * `timeout` or `totalTimeout` in `timeoutMs`' place (`attemptBound`); what remains of a bound
 * (`boundLeft`) on a stubbed clock. Pure: no timer.
 */
import { describe, expect, it, vi } from 'vitest';
import { createInFlightLimit } from '../rate-limit/in-flight-limit.js';
import type { SlotBoundName } from '../errors/failure.js';
import { attemptBound } from '../ky/bounds.js';
import { normalizeTransport, type OktaTransportOptions } from './transport.js';
import { boundLeft, waitBound } from '../request/rate-limit-verdict.js';

const bound = (options: OktaTransportOptions, slot?: boolean) => {
  const { retry, timeoutMs } = normalizeTransport(options);
  return waitBound(retry, timeoutMs, slot);
};
const byTimeout = 'timeoutMs';

describe('waitBound', () => {
  it.each<[string, OktaTransportOptions, number, string]>([
    ['retry: false', { retry: false, timeoutMs: 10_000 }, 5_000, byTimeout],
    ['the default (retry.maxWaitMs 65 s, timeoutMs 30 s)', {}, 15_000, byTimeout],
    ['retry.maxWaitMs under half of timeoutMs', { retry: { maxWaitMs: 1_000 }, timeoutMs: 10_000 }, 1_000, 'retry.maxWaitMs'],
    ['retry.maxWaitMs 0', { retry: { maxWaitMs: 0 } }, 0, 'retry.maxWaitMs'],
    ['retry.maxWaitMs over half of timeoutMs', { retry: { limit: 1, maxWaitMs: 9_000 }, timeoutMs: 10_000 }, 5_000, byTimeout],
    ['retry.maxWaitMs exactly half of timeoutMs', { retry: { maxWaitMs: 5_000 }, timeoutMs: 10_000 }, 5_000, 'retry.maxWaitMs and timeoutMs'],
    // An odd bound's half in whole ms, floored (never past the bound): a message never reads "742.5 ms".
    ['retry: false and an odd timeoutMs', { retry: false, timeoutMs: 1_485 }, 742, byTimeout],
    ['retry.maxWaitMs the floored half of an odd timeoutMs', { retry: { maxWaitMs: 742 }, timeoutMs: 1_485 }, 742, 'retry.maxWaitMs and timeoutMs'],
  ])("a slot's wait under %s: its bound and the settings its advice names", (_, options, maxWaitMs, boundBy) => {
    expect(bound(options, true)).toEqual({ maxWaitMs, boundBy });
  });

  it("never names retry.maxWaitMs for a slot under retry: false, whatever timeoutMs is", () => {
    for (const timeoutMs of [1, 400, 30_000, 600_000]) expect(bound({ retry: false, timeoutMs }, true).boundBy).toBe(byTimeout);
  });

  it("bounds the coordinator's wait by retry.maxWaitMs, at most half of timeoutMs: none under retry: false", () => {
    expect(bound({ retry: false }).maxWaitMs).toBe(0);
    expect(bound({}).maxWaitMs).toBe(15_000);
    expect(bound({ retry: { maxWaitMs: 2_000 } }).maxWaitMs).toBe(2_000);
  });

  const ky = (bounds: { timeout?: number | false; totalTimeout?: number | false }, options: OktaTransportOptions = {}, slot = true) => {
    const { retry, timeoutMs } = normalizeTransport(options);
    const { ms, name } = attemptBound(bounds, timeoutMs);
    return waitBound(retry, ms, slot, name);
  };
  // The ky drivers' bound (`attemptBound`, ky/bounds.ts) in timeoutMs' place.
  it.each<[string, { timeout?: number | false; totalTimeout?: number | false }, OktaTransportOptions, number, string]>([
    ["ky's timeout under timeoutMs", { timeout: 1_000 }, {}, 500, "ky's timeout"],
    ["ky's totalTimeout under timeoutMs", { totalTimeout: 1_000 }, {}, 500, "ky's totalTimeout"],
    ["ky's totalTimeout under ky's timeout", { timeout: 3_000, totalTimeout: 1_000 }, {}, 500, "ky's totalTimeout"],
    ["ky's totalTimeout the same as ky's timeout (totalTimeout, as a TIMEOUT of ky's names it)", { timeout: 1_000, totalTimeout: 1_000 }, {}, 500, "ky's totalTimeout"],
    ["ky's timeout the same as timeoutMs (timeoutMs, as a TIMEOUT of ky's names it)", { timeout: 1_000 }, { timeoutMs: 1_000 }, 500, byTimeout],
    ["ky's timeout and totalTimeout off", { timeout: false, totalTimeout: false }, { timeoutMs: 1_000 }, 500, byTimeout],
    ["ky's timeout over timeoutMs", { timeout: 60_000 }, { timeoutMs: 1_000 }, 500, byTimeout],
    ["retry.maxWaitMs under ky's timeout", { timeout: 1_000 }, { retry: { maxWaitMs: 300 } }, 300, 'retry.maxWaitMs'],
    ["retry.maxWaitMs the same as half of ky's timeout", { timeout: 1_000 }, { retry: { maxWaitMs: 500 } }, 500, "retry.maxWaitMs and ky's timeout"],
    ["ky's timeout under retry: false", { timeout: 1_000 }, { retry: false }, 500, "ky's timeout"],
  ])("a slot's wait under %s: at most half of the smallest bound, which its advice names", (_, bounds, options, maxWaitMs, boundBy) => {
    expect(ky(bounds, options)).toEqual({ maxWaitMs, boundBy });
  });

  it('halves what remains of a bound since it began (boundLeft: whole ms, none below 0)', () => {
    // On a stubbed clock: 3000.6 ms have run since 10 s.
    vi.spyOn(performance, 'now').mockReturnValue(13_000.6);
    const { retry } = normalizeTransport({ retry: false });
    expect(boundLeft(4_000, 10_000)).toBe(999);
    expect(waitBound(retry, boundLeft(4_002, 10_000), true)).toEqual({ maxWaitMs: 500, boundBy: byTimeout });
    expect(boundLeft(3_000, 10_000)).toBe(0);
    expect(boundLeft(2_000, 10_000)).toBe(0);
    vi.restoreAllMocks();
  });

  it("bounds the coordinator's wait by ky's bounds too", () => {
    expect(ky({ timeout: 1_000 }, {}, false).maxWaitMs).toBe(500);
    expect(ky({ totalTimeout: 1_000 }, { retry: false }, false).maxWaitMs).toBe(0);
  });

  it("every setting a driver names is the one a slot's TIMEOUT repeats (the limit's list of them kept with the drivers' names)", async () => {
    const named = new Set<string>();
    for (const options of [{ retry: false }, {}, { retry: { maxWaitMs: 1 } }, { retry: { maxWaitMs: 250 } }, { retry: { maxWaitMs: 500 } }] satisfies OktaTransportOptions[]) {
      for (const bounds of [{}, { timeout: 1_000 }, { totalTimeout: 1_000 }, { timeout: 500, totalTimeout: 500 }]) named.add(ky(bounds, { ...options, timeoutMs: 1_000 }).boundBy);
      named.add(ky({ timeout: 500 }, options).boundBy);
      named.add(ky({ totalTimeout: 500 }, options).boundBy);
    }
    // Every name the type allows, listed once: a name added to SlotBoundName fails to compile here until listed.
    const allowed = { timeoutMs: 1, "ky's timeout": 1, "ky's totalTimeout": 1, 'retry.maxWaitMs': 1, 'retry.maxWaitMs and timeoutMs': 1, "retry.maxWaitMs and ky's timeout": 1, "retry.maxWaitMs and ky's totalTimeout": 1 } satisfies Record<SlotBoundName, 1>;
    expect([...named].sort()).toEqual(Object.keys(allowed).sort());
    const limit = createInFlightLimit(1);
    const held = limit.acquire({ maxWaitMs: 0, holdMs: 60_000, signal: undefined, what: () => 'GET /held' });
    for (const boundBy of named) {
      const error = await Promise.resolve(limit.acquire({ maxWaitMs: 0, holdMs: 1_000, signal: undefined, what: () => 'GET /users', boundBy })).then(() => undefined, (reason: unknown) => reason);
      expect((error as Error).message).toMatch(new RegExp(`or raise the limit or ${boundBy.replaceAll('.', '\\.')}\\.$`));
    }
    (await held)();
  });
});
