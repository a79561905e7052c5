/**
 * The ky drivers' retry budgets (core README, "Retries"). Through `createOktaKy` each is its own:
 * the 429 retries count against `retry.limit`, the credential's challenge is one, and ky's own
 * retries (network failures, 408/5xx of idempotent methods) count against ky's limit (the base
 * instance's, else ky's 2). ky's `retry` option on a call or an `extend` of the instance is
 * refused (`INVALID_CONFIG`, nothing sent): it would replace those budgets unseen. On your own
 * instance with `oktaKyHooks`, every retry shares your instance's limit, a call's own included,
 * and past it the answer is the call's typed error; ky's wait for a 503's Retry-After or X-Rate-Limit-Reset is at most
 * `retry.maxWaitMs` (and half of `timeoutMs`). The emulator counts what reached it.
 */
import type { FaultSpec } from '@org/okta-emulator';
import ky from 'ky';
import { describe, expect, it } from 'vitest';
import { isOktaApiError } from '../errors/api-error.js';
import { isOktaAuthError } from '../errors/errors.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { createOktaKy } from './create-okta-ky.js';
import { oktaKyHooks } from './hooks.js';

const org = useApiTokenOrg();
const users = '/api/v1/users';
const limited: Omit<FaultSpec, 'path'> = { kind: 'status', status: 429, headers: { 'X-Rate-Limit-Reset': 'none', 'Retry-After': '0' } };
const unavailable: Omit<FaultSpec, 'path'> = { kind: 'status', status: 503 };
/** ky's own retries without ky's backoff (0.3 s, 0.6 s, …): the budgets are counted, not timed. */
const quick = (limit: number) => ky.create({ retry: { limit, delay: () => 0 } });

/** Arranges the faults on `path`, in order, one request each. */
function arrange(path: string, ...faults: Omit<FaultSpec, 'path'>[]): void {
  for (const fault of faults) org.org.injectFault({ path, count: 1, ...fault });
  org.org.resetCounters();
}

/** What reached the org. */
const received = (): number => Object.values(org.org.counters().requests).reduce((sum, n) => sum + n, 0);

/** The call's answer status, or its error as [code, status] (anything untyped as its string; the refusals are thrown at once). */
async function outcome(call: () => Promise<Response>): Promise<{ result: unknown; received: number }> {
  const result = await Promise.resolve().then(call).then(
    (response) => response.status,
    (error: unknown) => (isOktaApiError(error) ? [error.code, error.status] : isOktaAuthError(error) ? [error.code] : String(error)),
  );
  return { result, received: received() };
}

describe('createOktaKy: the 429 retries, the challenge and ky\'s own retries are separate budgets', () => {
  it('503, 503, then 429, then 200: the answer (ky\'s two own retries, one 429 retry)', async () => {
    arrange(users, unavailable, unavailable, limited);
    const okta = createOktaKy({ credential: org.ssws(org.org.url) });
    expect(await outcome(() => okta.get(users.slice(1)))).toEqual({ result: 200, received: 4 });
  });

  it('ky\'s own retries by the base instance\'s limit leave retry.limit\'s 429 retry whole', async () => {
    // Four 503s (the base's limit 4), then a 429 (retry.limit 1): one ky limit of 1 + 3 refused that 429's retry.
    arrange(users, unavailable, unavailable, unavailable, unavailable, limited);
    const okta = createOktaKy({ credential: org.ssws(org.org.url), retry: { limit: 1 }, ky: quick(4) });
    expect(await outcome(() => okta.get(users.slice(1)))).toEqual({ result: 200, received: 6 });
  });

  it('ky\'s own retries stop at ky\'s count, whatever retry.limit: the third 503 is the call\'s', async () => {
    arrange(users, unavailable, unavailable, unavailable);
    const okta = createOktaKy({ credential: org.ssws(org.org.url), retry: { limit: 5 }, ky: quick(2) });
    expect(await outcome(() => okta.get(users.slice(1)))).toEqual({ result: ['API_ERROR', 503], received: 3 });
  });

  it('a reset connection counts against ky\'s own retries too: the third is the call\'s NETWORK_ERROR', async () => {
    arrange(users, { kind: 'drop' }, { kind: 'drop' }, { kind: 'drop' });
    const okta = createOktaKy({ credential: org.ssws(org.org.url), retry: { limit: 5 }, ky: quick(2) });
    expect(await outcome(() => okta.get(users.slice(1)))).toEqual({ result: ['NETWORK_ERROR'], received: 3 });
  });

  it('a challenge after ky\'s own retries is still made', async () => {
    arrange(users, unavailable, unavailable, { kind: 'status', status: 401, body: { errorCode: 'E0000011' } });
    const okta = createOktaKy({ credential: { ...org.ssws(org.org.url), challenge: () => Promise.resolve(true) }, retry: { limit: 0 }, ky: quick(2) });
    expect(await outcome(() => okta.get(users.slice(1)))).toEqual({ result: 200, received: 4 });
  });

  it('a base instance listing DELETE in retry.methods does not make ky send a DELETE again', async () => {
    const user = org.org.createUser({ login: `grace.${crypto.randomUUID()}@example.com`, password: 'Passw0rd!x' });
    arrange(`${users}/${user.id}`, unavailable);
    const okta = createOktaKy({ credential: org.ssws(org.org.url), ky: ky.create({ retry: { methods: ['get', 'delete'], delay: () => 0 } }) });
    expect(await outcome(() => okta.delete(`${users.slice(1)}/${user.id}`))).toEqual({ result: ['API_ERROR', 503], received: 1 });
  });
});

describe("createOktaKy refuses ky's retry option on a call or an extend", () => {
  const refused = { result: ['INVALID_CONFIG'], received: 0 };

  it('a lower limit on a call: refused, where a 429 past it was ky\'s raw "Forced retry"', async () => {
    arrange(users, unavailable, limited);
    const okta = createOktaKy({ credential: org.ssws(org.org.url) });
    expect(await outcome(() => okta.get(users.slice(1), { retry: { limit: 1 } }))).toEqual(refused);
    arrange(users, limited);
    expect(await outcome(() => okta(users.slice(1), { retry: 0 }))).toEqual(refused);
  });

  it('a number on a DELETE: refused, where it brought back ky\'s methods and the DELETE was sent again', async () => {
    const user = org.org.createUser({ login: `ada.${crypto.randomUUID()}@example.com`, password: 'Passw0rd!x' });
    arrange(`${users}/${user.id}`, unavailable);
    const okta = createOktaKy({ credential: org.ssws(org.org.url) });
    expect(await outcome(() => okta.delete(`${users.slice(1)}/${user.id}`, { retry: 2 }))).toEqual(refused);
  });

  it('a number on a call of a retry: false instance: refused, where ky retried a 503', async () => {
    arrange(users, unavailable);
    const okta = createOktaKy({ credential: org.ssws(org.org.url), retry: false });
    expect(await outcome(() => okta.get(users.slice(1), { retry: 1 }))).toEqual(refused);
  });

  it('on extend: refused when extending', () => {
    const okta = createOktaKy({ credential: org.ssws(org.org.url) });
    expect(() => okta.extend({ retry: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }) as Error);
    // Other options still extend it.
    expect(typeof okta.extend({ timeout: 5_000 })).toBe('function');
  });
});

describe('oktaKyHooks on your own instance: one limit for every retry, a call\'s own included', () => {
  // maxWaitMs 50: ky would wait for a 503's X-Rate-Limit-Reset (the emulator's window, up to a minute).
  const mine = (credential = org.ssws(org.org.url)) => ky.create({ baseUrl: `${org.org.url}/`, retry: { limit: 3, delay: () => 0 }, hooks: oktaKyHooks({ credential, retry: { maxWaitMs: 50 } }) });

  it('a call\'s retry: 0, then a 429: RATE_LIMITED', async () => {
    arrange(users, limited);
    expect(await outcome(() => mine().get(users.slice(1), { retry: 0 }))).toEqual({ result: ['RATE_LIMITED', 429], received: 1 });
  });

  it('a call\'s limit 1 spent by ky\'s retry of a 503, then a 429: RATE_LIMITED', async () => {
    arrange(users, unavailable, limited);
    expect(await outcome(() => mine().get(users.slice(1), { retry: { limit: 1 } }))).toEqual({ result: ['RATE_LIMITED', 429], received: 2 });
  });

  it('a call\'s limit 1 spent by ky\'s retry of a 503, then a challenge: the 401\'s OktaApiError', async () => {
    arrange(users, unavailable, { kind: 'status', status: 401, body: { errorCode: 'E0000011' } });
    const api = mine({ ...org.ssws(org.org.url), challenge: () => Promise.resolve(true) });
    expect(await outcome(() => api.get(users.slice(1), { retry: { limit: 1 } }))).toEqual({ result: ['API_ERROR', 401], received: 2 });
  });

  it("a 503 whose X-Rate-Limit-Reset (on every Okta answer) is an hour ahead: ky's retry waits at most maxWaitMs, not for the window", async () => {
    arrange(users, { ...unavailable, headers: { 'X-Rate-Limit-Reset': String(Math.floor(Date.now() / 1000) + 3600) } });
    const api = ky.create({ baseUrl: `${org.org.url}/`, retry: { limit: 2 }, hooks: oktaKyHooks({ credential: org.ssws(org.org.url), retry: { maxWaitMs: 50 } }) });
    expect(await outcome(() => api.get(users.slice(1)))).toEqual({ result: 200, received: 2 });
    // A call's own retry option too (a number: ky's defaults, which honour the header on a 503).
    arrange(users, { ...unavailable, headers: { 'Retry-After': '3600' } });
    expect(await outcome(() => api.get(users.slice(1), { retry: 1 }))).toEqual({ result: 200, received: 2 });
  });
});
