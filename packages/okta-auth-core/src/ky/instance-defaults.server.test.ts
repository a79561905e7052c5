/**
 * What `createOktaKy`'s instance sets up and what every call through it goes through (core README,
 * "Retries" and "The ky drivers' retry budgets"), pinned by the tenth mutation round
 * (docs/security-history.md): JSON `accept` by default; ky's own retries of a 5xx for GET, PUT, HEAD and
 * OPTIONS, never POST, PATCH or DELETE; the base instance's `delay`, `shouldRetry` and numeric
 * `retry` kept; ky's own helpers handed on; every method's URL and options checked (typed
 * `INVALID_CONFIG`, nothing sent). The emulator counts what reached it.
 */
import type { FaultSpec } from '@org/okta-emulator';
import ky from 'ky';
import { describe, expect, it } from 'vitest';
import { isOktaApiError } from '../errors/api-error.js';
import { isOktaAuthError } from '../errors/errors.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { createOktaKy } from './create-okta-ky.js';

const org = useApiTokenOrg();
const users = '/api/v1/users';
const unavailable: Omit<FaultSpec, 'path'> = { kind: 'status', status: 503 };

/** Arranges `count` 503s on `path`, one request each. */
function unavailableFor(count: number, path = users): void {
  for (let i = 0; i < count; i += 1) org.org.injectFault({ path, count: 1, ...unavailable });
  org.org.resetCounters();
}

/** What reached the org. */
const received = (): number => Object.values(org.org.counters().requests).reduce((sum, n) => sum + n, 0);

/** The call's answer status, or its error as [code, status] (anything untyped as its string; refusals are thrown at once). */
async function outcome(call: () => unknown): Promise<{ result: unknown; received: number }> {
  const result = await Promise.resolve()
    .then(() => call() as Promise<Response>)
    .then(
      (response) => response.status,
      (error: unknown) => (isOktaApiError(error) ? [error.code, error.status] : isOktaAuthError(error) ? [error.code] : String(error)),
    );
  return { result, received: received() };
}

describe("createOktaKy's instance", () => {
  it('asks for JSON by default (accept: application/json), also on a call that reads no JSON', async () => {
    const accepted: (string | null)[] = [];
    const base = ky.create({ fetch: (input, init) => (accepted.push((input).headers.get('accept')), fetch(input, init)) });
    const okta = createOktaKy({ credential: org.ssws(org.org.url), ky: base });
    expect((await okta.get(users.slice(1))).status).toBe(200);
    expect(accepted).toEqual(['application/json']);
  });

  it("lets ky retry a 503 of GET, PUT, HEAD and OPTIONS (ky's own count), never of POST, PATCH or DELETE", async () => {
    const okta = createOktaKy({ credential: org.ssws(org.org.url), ky: ky.create({ retry: { limit: 2, delay: () => 0 } }) });
    for (const method of ['get', 'put', 'head', 'options']) {
      unavailableFor(3);
      expect(await outcome(() => okta(users.slice(1), { method, ...(method === 'put' && { json: {} }) })), method).toEqual({ result: ['API_ERROR', 503], received: 3 });
    }
    for (const method of ['post', 'patch', 'delete']) {
      unavailableFor(3);
      expect(await outcome(() => okta(users.slice(1), { method, ...(method !== 'delete' && { json: {} }) })), method).toEqual({ result: ['API_ERROR', 503], received: 1 });
      org.org.clearFaults();
    }
  });

  it("keeps the base instance's retry delay and shouldRetry (asked within ky's own budget)", async () => {
    const delays: number[] = [];
    const asked: number[] = [];
    const base = ky.create({
      retry: {
        limit: 2,
        delay: (attempt) => (delays.push(attempt), 0),
        shouldRetry: ({ retryCount }) => (asked.push(retryCount), retryCount < 2),
      },
    });
    const okta = createOktaKy({ credential: org.ssws(org.org.url), ky: base });
    unavailableFor(3);
    // The base's shouldRetry says no to the second retry, within ky's two.
    expect(await outcome(() => okta.get(users.slice(1)))).toEqual({ result: ['API_ERROR', 503], received: 2 });
    expect(asked).toEqual([1, 2]);
    expect(delays).toEqual([1]);
  });

  it("takes a base instance's retry given as a number as ky's own count (ky.create({ retry: 1 }): one retry, not ky's 2)", async () => {
    const okta = createOktaKy({ credential: org.ssws(org.org.url), ky: ky.create({ retry: 1 }) });
    unavailableFor(3);
    expect(await outcome(() => okta.get(users.slice(1)))).toEqual({ result: ['API_ERROR', 503], received: 2 });
  });

  it("takes a timeoutMs past what a timer holds (2^31 ms and more), as the other drivers do: ky's timeout at its most, not ky's RangeError on every call", async () => {
    for (const timeoutMs of [2 ** 31, 1e12]) {
      const okta = createOktaKy({ credential: org.ssws(org.org.url), timeoutMs });
      expect(await outcome(() => okta.get(users.slice(1)))).toEqual({ result: 200, received: 1 });
      org.org.resetCounters();
    }
  });

  it("hands on ky's own helpers (ky.retry for a hook, ky.stop) as they are", () => {
    const okta = createOktaKy({ credential: org.ssws(org.org.url) });
    expect(okta.retry).toBe(ky.retry);
    expect(okta.stop).toBe(ky.stop);
  });
});

describe('every call through the instance, by any of its methods', () => {
  const calls = (okta: ReturnType<typeof createOktaKy>): [string, (input: unknown, options?: unknown) => unknown][] => [
    ['the instance called', (input, options) => okta(input as string, options as never)],
    ...(['get', 'post', 'put', 'patch', 'delete', 'head'] as const).map((method): [string, (input: unknown, options?: unknown) => unknown] => [method, (input, options) => okta[method](input as string, options as never)]),
  ];

  it('refuses a URL with a user name or password: INVALID_CONFIG, nothing sent', async () => {
    const okta = createOktaKy({ credential: org.ssws(org.org.url) });
    const withUser = `${org.org.url.replace('://', '://ada:secret@')}${users}`;
    for (const [label, call] of calls(okta)) {
      expect(await outcome(() => call(withUser)), label).toEqual({ result: ['INVALID_CONFIG'], received: 0 });
    }
  });

  it("refuses options that are no object (a number, a string, null, an array): INVALID_CONFIG naming ky's options, nothing sent", async () => {
    const okta = createOktaKy({ credential: org.ssws(org.org.url) });
    const refusal = { name: 'OktaAuthError', code: 'INVALID_CONFIG', message: "The options passed to the Okta ky instance must be an object of ky's options, or nothing." };
    for (const options of [5, 'json', null, [], [['method', 'DELETE']]]) {
      for (const [label, call] of calls(okta)) {
        const thrown = await Promise.resolve()
          .then(() => call(users.slice(1), options))
          .then(() => undefined, (error: unknown) => error);
        expect(thrown, `${label} ${JSON.stringify(options)}`).toMatchObject(refusal);
      }
      expect(() => okta.extend(options as never), JSON.stringify(options)).toThrow(expect.objectContaining(refusal) as Error);
      expect(() => okta.extend(() => options as never), JSON.stringify(options)).toThrow(expect.objectContaining(refusal) as Error);
    }
    expect(received()).toBe(0);
  });
});
