/**
 * `createOktaKy` never resends an attempt that timed out (`TIMEOUT`, as the fetch driver): it may
 * have reached Okta. ky resends one of an idempotent method when the base instance says
 * `retry.retryOnTimeout: true` or its `shouldRetry` says yes, a retry `ownRetries` did not count
 * (a `TimeoutError` does not say which call it is): up to the instance's whole limit (6 attempts).
 * A POST or DELETE is never resent (ky's methods are the instance's, without them) whatever the
 * base instance says. And `extend` given a function is checked for ky's `retry` option as one
 * given an object is. Each fault never answers within the test (a 60 s latency). The instance's
 * fetch counts the attempts it sends: the emulator counts only those that reached it before the
 * timeout, and on a loaded machine a 300 ms timeout can end the attempt before it arrives (a run
 * with three busy cores saw none of a PUT arrive), so a resend is seen in what was sent.
 */
import type { FaultSpec } from '@org/okta-emulator';
import ky, { type KyInstance } from 'ky';
import { describe, expect, it } from 'vitest';
import { isOktaAuthError } from '../errors/errors.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { createOktaKy } from './create-okta-ky.js';

const org = useApiTokenOrg();
const stalled: Omit<FaultSpec, 'path'> = { kind: 'latency', latencyMs: 60_000 };
/** Every method ky knows, retried at once on a timeout (the base's wish). */
const methods = ['get', 'put', 'post', 'patch', 'delete', 'head'];
const bases: [string, KyInstance][] = [
  ['retry.retryOnTimeout: true', ky.create({ retry: { retryOnTimeout: true, methods, delay: () => 0 } })],
  ['a shouldRetry that says yes', ky.create({ retry: { shouldRetry: () => true, methods, delay: () => 0 } })],
];

/** A user whose path stalls for its next `times` requests; the counters reset. */
function stalledUser(times = 8): string {
  const user = org.org.createUser({ login: `ada.${crypto.randomUUID()}@example.com`, password: 'Passw0rd!x' });
  const path = `/api/v1/users/${user.id}`;
  for (let i = 0; i < times; i++) org.org.injectFault({ path, count: 1, ...stalled });
  org.org.resetCounters();
  return path.slice(1);
}

/** Attempts the instances below handed their fetch: what they sent, whether it arrived before the timeout or not. */
let sent = 0;
const countingFetch: typeof fetch = (input, init) => {
  sent++;
  return fetch(input, init);
};

/** The call's error code (anything untyped as its string) and the attempts it sent; what reached the org is never more. */
async function outcome(call: () => Promise<Response>): Promise<{ result: unknown; sent: number }> {
  sent = 0;
  const result = await Promise.resolve().then(call).then(
    (response) => response.status,
    (error: unknown) => (isOktaAuthError(error) ? error.code : String(error)),
  );
  expect(Object.values(org.org.counters().requests).reduce((sum, n) => sum + n, 0), 'requests that reached the org').toBeLessThanOrEqual(sent);
  return { result, sent };
}

describe.each(bases)('createOktaKy over a base instance with %s', (_, base) => {
  // 300 ms: every attempt must time out (the org never answers within the test).
  const okta = () => createOktaKy({ credential: org.ssws(org.org.url), timeoutMs: 300, retry: { limit: 2 }, ky: base, fetch: countingFetch });

  it.each(['get', 'put'] as const)('a timed-out %s is not sent again: TIMEOUT after one request', async (method) => {
    const path = stalledUser();
    expect(await outcome(() => okta()[method](path, method === 'put' ? { json: { profile: {} } } : undefined))).toEqual({ result: 'TIMEOUT', sent: 1 });
  });

  it.each(['post', 'delete'] as const)('a timed-out %s is not sent again (ky never resent one: not in the instance\'s methods)', async (method) => {
    const path = stalledUser();
    expect(await outcome(() => okta()[method](path, method === 'post' ? { json: { profile: {} } } : undefined))).toEqual({ result: 'TIMEOUT', sent: 1 });
  });
});

describe("createOktaKy: extend given a function is checked for ky's retry option", () => {
  it('refuses a function that returns retry, and takes one that returns other options (given the instance\'s)', async () => {
    const okta = createOktaKy({ credential: org.ssws(org.org.url), timeoutMs: 300, fetch: countingFetch });
    expect(() => okta.extend(() => ({ retry: 5 }))).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }) as Error);
    expect(() => okta.extend((parent) => ({ ...parent, retry: { ...(parent.retry as object), retryOnTimeout: true } }))).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }) as Error);
    // Other options extend it, the instance's own retry handed back among them, and the instance's policy stays (a stalled GET is one request).
    const extended = okta.extend((parent) => ({ ...parent, headers: { 'x-test': String(parent.timeout) } }));
    expect(await outcome(() => extended.get(stalledUser()))).toEqual({ result: 'TIMEOUT', sent: 1 });
  });
});
