/**
 * `oktaKyHooks` on your own instance: the slot of the `maxInFlight` limit an attempt holds is given
 * back when the call ends, also when it ends in one of YOUR hooks, which ky runs with none of ours
 * after it: a `beforeRetry` that throws (ky hands its error to no `beforeError`) or returns ky's
 * `stop`, a `beforeError` placed before ours that throws. A limit of 1 with a `timeoutMs` of a
 * minute: a slot kept would keep the next call out for that minute (it is checked at once).
 */
import ky, { type BeforeErrorHook, type BeforeRetryHook, type Hooks } from 'ky';
import { describe, expect, it } from 'vitest';
import { createInFlightLimit } from '../rate-limit/in-flight-limit.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { oktaKyHooks } from './hooks.js';

const org = useApiTokenOrg();
const path = 'api/v1/users?limit=1';
const received = (): number => Object.values(org.org.counters().requests).reduce((sum, n) => sum + n, 0);

/** A call whose first attempt gets no answer (the org drops the connection), then goes through the user's hooks. */
async function endsInUserHook(userHooks: (ours: ReturnType<typeof oktaKyHooks>) => Hooks, retryLimit = 3): Promise<{ outcome: unknown; inFlight: number }> {
  const limit = createInFlightLimit(1);
  const ours = oktaKyHooks({ credential: org.ssws(org.org.url), maxInFlight: limit, timeoutMs: 60_000 });
  org.org.injectFault({ path: '/api/v1/users', kind: 'drop', count: 1 });
  const api = ky.create({ baseUrl: `${org.org.url}/`, retry: { limit: retryLimit, delay: () => 0 }, hooks: userHooks(ours) });
  // ky runs init hooks before it returns: a refusal there is thrown at once.
  const outcome = await Promise.resolve()
    .then(() => api(path))
    .then(
      (value) => value,
      (error: unknown) => error,
    );
  const inFlight = limit.inFlight;
  // The next caller of the same limit reaches the org.
  org.org.clearFaults();
  const before = received();
  const next = ky.create({ baseUrl: `${org.org.url}/`, hooks: oktaKyHooks({ credential: org.ssws(org.org.url), maxInFlight: limit, timeoutMs: 60_000 }) });
  if (inFlight === 0) {
    expect((await next(path)).status).toBe(200);
    expect(received()).toBe(before + 1);
  }
  return { outcome, inFlight };
}

const yours = new Error('your beforeRetry refused');
const throwing: BeforeRetryHook = () => {
  throw yours;
};
const stopping: BeforeRetryHook = () => ky.stop;
const throwingOnError: BeforeErrorHook = () => {
  throw yours;
};

describe('oktaKyHooks: the slot given back when your hook ends the call', () => {
  it.each([
    ['throws, placed before ours', (o: ReturnType<typeof oktaKyHooks>) => ({ ...o, beforeRetry: [throwing, ...o.beforeRetry] })],
    ['throws, placed after ours (the next slot taken)', (o: ReturnType<typeof oktaKyHooks>) => ({ ...o, beforeRetry: [...o.beforeRetry, throwing] })],
  ])('a beforeRetry that %s: your error, as itself, and no slot kept', async (_, hooks) => {
    const { outcome, inFlight } = await endsInUserHook(hooks);
    expect(outcome).toBe(yours);
    expect(inFlight).toBe(0);
  });

  it.each([
    ['placed before ours', (o: ReturnType<typeof oktaKyHooks>) => ({ ...o, beforeRetry: [stopping, ...o.beforeRetry] })],
    ['placed after ours (the next slot taken)', (o: ReturnType<typeof oktaKyHooks>) => ({ ...o, beforeRetry: [...o.beforeRetry, stopping] })],
  ])('a beforeRetry returning ky.stop, %s: the call resolves with undefined, no slot kept', async (_, hooks) => {
    const { outcome, inFlight } = await endsInUserHook(hooks);
    expect(outcome).toBeUndefined();
    expect(inFlight).toBe(0);
  });

  it('a beforeError placed before ours that throws (no retry left): your error, as itself, and no slot kept', async () => {
    const { outcome, inFlight } = await endsInUserHook((o) => ({ ...o, beforeError: [throwingOnError, ...o.beforeError] }), 0);
    expect(outcome).toBe(yours);
    expect(inFlight).toBe(0);
  });

  it('a second oktaKyHooks on the instance after one with maxInFlight (an extend): refused by its init (one set per instance), no slot kept', async () => {
    // ky's extend joins the hooks of both sets, as here; the first set's init ran (and guarded the call's hooks) before the second's.
    const second = oktaKyHooks({ credential: org.ssws(org.org.url), timeoutMs: 60_000 });
    const { outcome, inFlight } = await endsInUserHook((o) => Object.fromEntries(Object.entries(o).map(([name, hooks]) => [name, [...hooks, ...second[name as keyof typeof second]]])));
    expect(outcome).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(/^One set of okta-auth ky hooks per ky instance/) });
    expect(inFlight).toBe(0);
  });
});
