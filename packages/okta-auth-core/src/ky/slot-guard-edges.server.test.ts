/**
 * The slot guard's edges (mutation testing, twenty-fourth round): your `beforeRetry` hook that
 * returns normally gives back nothing (the retry's slot, taken by ours before it, stays held until
 * the answer), and your `beforeError` hook that throws before any slot was taken (the credential
 * refused the first attempt) ends the call with your error, as itself.
 */
import ky, { type BeforeErrorHook, type BeforeRetryHook } from 'ky';
import { describe, expect, it } from 'vitest';
import { createInFlightLimit } from '../rate-limit/in-flight-limit.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { oktaKyHooks } from './hooks.js';

const org = useApiTokenOrg();
const path = 'api/v1/users?limit=1';

/** What a call ended with: its answer, or what it threw (ky runs init hooks before it returns). */
const settle = (call: () => Promise<unknown>): Promise<unknown> =>
  Promise.resolve()
    .then(call)
    .then(
      (value) => value,
      (error: unknown) => error,
    );

describe('oktaKyHooks with maxInFlight: the slot guard at its edges', () => {
  it("your beforeRetry hooks after ours that return normally keep the retry's slot until its answer", async () => {
    const limit = createInFlightLimit(1);
    const ours = oktaKyHooks({ credential: org.ssws(org.org.url), maxInFlight: limit, timeoutMs: 60_000 });
    org.org.injectFault({ path: '/api/v1/users', kind: 'drop', count: 1 });
    const seen: number[] = [];
    const quiet: BeforeRetryHook = () => undefined;
    const looking: BeforeRetryHook = () => {
      seen.push(limit.inFlight);
    };
    const api = ky.create({ baseUrl: `${org.org.url}/`, retry: { limit: 1, delay: () => 0 }, hooks: { ...ours, beforeRetry: [...ours.beforeRetry, quiet, looking] } });
    expect(((await settle(() => api(path))) as Response).status).toBe(200);
    // The retry's slot, taken by ours, is held when the last hook runs: a hook returning normally gave nothing back.
    expect(seen).toEqual([1]);
    expect(limit.inFlight).toBe(0);
  });

  it('your beforeError hook before ours that throws when the credential refused the first attempt (no slot taken): your error, as itself', async () => {
    const limit = createInFlightLimit(1);
    const refused = new Error('the credential refused');
    const ours = oktaKyHooks({ credential: { kind: 'ssws', origin: org.org.url, authorize: () => Promise.reject(refused) }, maxInFlight: limit, timeoutMs: 60_000 });
    const yours = new Error('your beforeError refused');
    const throwing: BeforeErrorHook = () => {
      throw yours;
    };
    const api = ky.create({ baseUrl: `${org.org.url}/`, retry: 0, hooks: { ...ours, beforeError: [throwing, ...ours.beforeError] } });
    expect(await settle(() => api(path))).toBe(yours);
    expect(limit.inFlight).toBe(0);
  });
});
