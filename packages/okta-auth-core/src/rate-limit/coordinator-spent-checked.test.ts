/**
 * A spent window your coordinator answers ({@link RateLimitSpent}) is read inside the bounded call and checked
 * (ra144): its `wait` and `resetIn` finite numbers, each at most a year (the cap on any duration). Before, a
 * `{ wait: Infinity, resetIn: 1e308 }` failed the call "reset in 1e+305 s; wait of Infinity ms", and a
 * throwing getter escaped `wait` (documented never to throw) with its raw Error, no event logged.
 */
import { describe, expect, it } from 'vitest';
import type { OktaLogEvent } from '../config/logger.js';
import { rateLimitReason } from '../request/rate-limit-verdict.js';
import { spentWindow } from './coordinated-wait.js';
import type { BudgetWaitOptions } from './coordinated-wait.js';
import { coordinateRateLimits, type RateLimitSpent } from './rate-limit-coordinator.js';

const url = new URL('https://acme.okta.com/api/v1/users');

async function waitOn(spent: RateLimitSpent) {
  const events: OktaLogEvent[] = [];
  const options: BudgetWaitOptions = { maxWaitMs: 2000, signal: undefined, logger: (event) => void events.push(event) };
  const coordinator = coordinateRateLimits({ reserve: () => spent, observe: () => undefined });
  const reserved = await coordinator.wait(url, options);
  const answer = spentWindow(options);
  return { reserved, reason: answer && rateLimitReason(answer), events };
}

describe("a coordinator's spent window", () => {
  it.for([
    { wait: Infinity, resetIn: 1e308 },
    { wait: 3000, resetIn: Number.NaN },
    { wait: '3000', resetIn: 1000 },
  ])('%o is none: no call failed with it', async (spent) => {
    expect(await waitOn(spent as unknown as RateLimitSpent)).toEqual({ reserved: false, reason: undefined, events: [] });
  });

  it('a wait and reset past a year count as a year', async () => {
    const { reason } = await waitOn({ wait: 1e308, resetIn: 1e308 });
    expect(reason).toBe(`nothing was sent: the org's budget for GET /api/v1/users is spent until its reset in 31536000 s; ${reason?.split('; ').slice(1).join('; ')}`);
    expect(reason).not.toMatch(/e\+|Infinity/);
  });

  it('a throwing getter is a failed call: false, logged as any coordinator failure, its message nowhere', async () => {
    const spent = {
      get wait(): number {
        throw new Error('getter secret123');
      },
      resetIn: 1,
    };
    const { reserved, reason, events } = await waitOn(spent);
    expect({ reserved, reason, events }).toEqual({ reserved: false, reason: undefined, events: [{ type: 'rate-limit-coordinator', operation: 'acquire', outcome: 'error', call: undefined }] });
    expect(JSON.stringify(events)).not.toContain('secret123');
  });
});
