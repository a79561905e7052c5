/**
 * The `hold` fault at its edges: `holdMs` and `releaseHeld`'s `count` refused with what to fix, an
 * unknown fault id released, a removed fault's held requests let go, the org's bound on held requests given back as each one goes, and a
 * held request let go when its client leaves.
 */
import { failure, until } from '@org/okta-test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator } from '../index.js';
import { HOLD_BOUNDS } from './faults.js';
import { ssws } from '../test-helpers/http.js';

describe('the hold fault at its edges', () => {
  let org: OktaEmulator;
  let h: Record<string, string>;
  beforeEach(async () => {
    org = await startEmulator({ seed: { users: 1 } });
    h = ssws(org.createApiToken().token);
  });
  afterEach(() => org.close());

  const users = (signal?: AbortSignal) => fetch(`${org.url}/api/v1/users`, { headers: h, ...(signal === undefined ? {} : { signal }) });

  it('takes holdMs from 1 to maxHoldMs whole, and says what to fix otherwise', () => {
    const refusal = (holdMs: number, kind: 'hold' | 'status' = 'hold') => {
      try {
        org.injectFault({ path: '/api/v1/users', kind, holdMs });
      } catch (error) {
        return error;
      }
      return undefined;
    };
    for (const holdMs of [0, 1.5, HOLD_BOUNDS.maxHoldMs + 1]) {
      expect(refusal(holdMs)).toMatchObject({
        code: 'INVALID_OPTION',
        option: 'fault.holdMs',
        message: expect.stringContaining(`must be a whole number of milliseconds from 1 to ${HOLD_BOUNDS.maxHoldMs}, such as 5000, or unset for ${HOLD_BOUNDS.defaultHoldMs}, not ${String(holdMs)}.`),
      });
    }
    expect(refusal(1)).toBeUndefined();
    expect(refusal(HOLD_BOUNDS.maxHoldMs)).toBeUndefined();
    expect(refusal(10, 'status')).toMatchObject({ option: 'fault.holdMs', message: expect.stringContaining('applies to kind "hold" only: use kind \'hold\', or leave holdMs unset.') });
    org.clearFaults();
  });

  it("refuses a releaseHeld count that is not a whole number from 1, saying so, and releases nothing of an unknown fault", () => {
    for (const count of [0, 1.5, '1']) {
      expect(() => org.releaseHeld('flt-unknown', count as number)).toThrow(
        expect.objectContaining({ code: 'INVALID_OPTION', option: 'count', message: expect.stringContaining('must be a whole number of held requests from 1, or unset for all of them, not ') }),
      );
    }
    expect(org.releaseHeld('flt-unknown')).toBe(0);
    expect(org.releaseHeld('flt-unknown', 1)).toBe(0);
  });

  it('gives the bound back as each held request goes: with maxHeld 1, a request released makes room for the next', async () => {
    const saved = HOLD_BOUNDS.maxHeld;
    HOLD_BOUNDS.maxHeld = 1;
    try {
      const id = org.injectFault({ path: '/api/v1/users', kind: 'hold' });
      for (let round = 1; round <= 3; round++) {
        const held = users();
        await until(() => org.heldAnswers(id) === 1, `request ${String(round)} held`);
        expect(org.releaseHeld(id)).toBe(1);
        expect((await held).status).toBe(200);
        expect(org.heldAnswers(id)).toBe(0);
      }
    } finally {
      HOLD_BOUNDS.maxHeld = saved;
      org.clearFaults();
    }
  });

  it('lets the requests a removed hold fault holds go, and holds no later one', async () => {
    const id = org.injectFault({ path: '/api/v1/users', kind: 'hold', holdMs: HOLD_BOUNDS.maxHoldMs });
    const held = users();
    await until(() => org.heldAnswers(id) === 1, 'the request held');
    expect(org.removeFault(id)).toBe(true);
    expect((await held).status).toBe(200);
    expect(org.heldAnswers(id)).toBe(0);
    expect((await users()).status).toBe(200);
  });

  it('lets a held request go when its client leaves: no longer held, nothing left to release', async () => {
    const id = org.injectFault({ path: '/api/v1/users', kind: 'hold', holdMs: HOLD_BOUNDS.maxHoldMs });
    const leaving = new AbortController();
    const held = failure(users(leaving.signal));
    await until(() => org.heldAnswers(id) === 1, 'the request held');
    leaving.abort();
    expect(await held).toMatchObject({ name: 'AbortError' });
    await until(() => org.heldAnswers(id) === 0, 'the request let go');
    expect(org.releaseHeld(id)).toBe(0);
  });
});
