/**
 * A DELETE is never sent again on its own, whatever `retry` says (core README, "Retries"): at Okta
 * a user's first DELETE deactivates and a second deletes for good, and a reset connection or a 5xx
 * does not say whether Okta acted. RFC 9110 calls DELETE idempotent, so ky's defaults and the fetch
 * wrapper's network retry did resend it. A 429 and the credential's challenge are still retried for
 * a DELETE (Okta refused before acting); a GET is still resent (the control that the test sees resends).
 */
import type { FaultSpec } from '@org/okta-emulator';
import ky, { type RetryOptions } from 'ky';
import { describe, expect, it, vi } from 'vitest';
import { isOktaApiError } from '../errors/api-error.js';
import type { OktaCredential } from '../credential.js';
import { isOktaAuthError } from '../errors/errors.js';
import { executeOktaRequest } from './execute.js';
import { createOktaKy } from '../ky/create-okta-ky.js';
import { oktaKyHooks, type OktaKyOptions } from '../ky/hooks.js';
import { createOktaFetch } from './okta-fetch.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';

const org = useApiTokenOrg();

type Method = 'GET' | 'DELETE' | 'POST';
/** One call with the driver's default options; resolves with the answer's status, rejects with the typed error. */
type Send = (credential: OktaCredential, path: string, method: Method) => Promise<number>;

const drivers: Record<string, Send> = {
  createOktaFetch: async (credential, path, method) => (await createOktaFetch({ credential })(path, { method })).status,
  executeOktaRequest: async (credential, path, method) => (await executeOktaRequest(() => Promise.resolve(new Request(`${org.org.url}${path}`, { method })), { credential, origin: org.org.url })).status,
  createOktaKy: async (credential, path, method) => (await createOktaKy({ credential })(path.slice(1), { method })).status,
};

/** What reached the org. */
const received = (): number => Object.values(org.org.counters().requests).reduce((sum, n) => sum + n, 0);

/** A fresh ACTIVE user: its path, and a reader of its status. */
function aUser() {
  const user = org.org.createUser({ login: `grace.${crypto.randomUUID()}@example.com`, password: 'Passw0rd!x' });
  const path = `/api/v1/users/${user.id}`;
  const status = async () => ((await (await createOktaFetch({ credential: org.ssws(org.org.url) })(path)).json()) as { status: string }).status;
  return { path, status };
}

/** Arranges `fault` on `path` for one request, then makes the call; returns its outcome and what reached the org. */
async function once(send: Send, fault: Omit<FaultSpec, 'path' | 'count'>, path: string, method: Method, credential = org.ssws(org.org.url)) {
  org.org.injectFault({ path, count: 1, ...fault });
  org.org.resetCounters();
  const outcome = await send(credential, path, method).then(
    (status) => ({ status }),
    (error: unknown) => ({ code: isOktaAuthError(error) ? [error.code, isOktaApiError(error) ? error.status : undefined] : String(error) }),
  );
  return { ...outcome, received: received() };
}

describe.each(Object.keys(drivers))('a DELETE through %s, default retry options', (name) => {
  const send = drivers[name]!;

  it('whose connection was reset before the answer is not sent again: NETWORK_ERROR, one request, the user untouched', async () => {
    const user = aUser();
    expect(await once(send, { kind: 'drop' }, user.path, 'DELETE')).toEqual({ code: ['NETWORK_ERROR', undefined], received: 1 });
    expect(await user.status()).toBe('ACTIVE');
  });

  it.each([408, 500, 502, 503, 504])('answered %i is not sent again: that API_ERROR, one request', async (status) => {
    const user = aUser();
    expect(await once(send, { kind: 'status', status }, user.path, 'DELETE')).toEqual({ code: ['API_ERROR', status], received: 1 });
  });

  it('answered 429 is retried after the wait (Okta refused it before acting): the user deactivated once', async () => {
    const user = aUser();
    const limited = { kind: 'status' as const, status: 429, headers: { 'X-Rate-Limit-Reset': 'none' } };
    expect(await once(send, limited, user.path, 'DELETE')).toEqual({ status: 204, received: 2 });
    expect(await user.status()).toBe('DEPROVISIONED');
  });

  it("answered 401 the credential's challenge can fix is retried once", async () => {
    const user = aUser();
    const credential: OktaCredential = { ...org.ssws(org.org.url), challenge: ({ response }) => Promise.resolve(response.headers.has('www-authenticate')) };
    const unauthorized = { kind: 'status' as const, status: 401, headers: { 'WWW-Authenticate': 'SSWS realm="okta", error="invalid_token"' } };
    expect(await once(send, unauthorized, user.path, 'DELETE', credential)).toEqual({ status: 204, received: 2 });
  });

  it('a GET whose connection was reset is still sent again (the resend this file would see)', async () => {
    const user = aUser();
    expect(await once(send, { kind: 'drop' }, user.path, 'GET')).toEqual({ status: 200, received: 2 });
  });
});

describe('createOktaKy, a GET answered 503', () => {
  it('is still retried by ky (only DELETE left its retry methods)', async () => {
    const user = aUser();
    expect(await once(drivers.createOktaKy!, { kind: 'status', status: 503 }, user.path, 'GET')).toEqual({ status: 200, received: 2 });
  });
});

const bases = {
  // ky merges an extended instance's arrays by concatenation: the base's methods came before createOktaKy's.
  'whose own retry.methods list DELETE and POST': ky.create({ retry: { limit: 2, methods: ['get', 'post', 'delete'] } }),
  'whose retry is a number': ky.create({ retry: 2 }),
};

describe.each(Object.keys(bases) as (keyof typeof bases)[])('createOktaKy on a base instance %s', (name) => {
  const base = bases[name];
  const send: Send = async (credential, path, method) => (await createOktaKy({ credential, ky: base })(path.slice(1), { method })).status;

  it('does not send a DELETE again after a reset or a 503, nor a POST after a reset', async () => {
    const user = aUser();
    expect(await once(send, { kind: 'drop' }, user.path, 'DELETE')).toEqual({ code: ['NETWORK_ERROR', undefined], received: 1 });
    expect(await once(send, { kind: 'status', status: 503 }, user.path, 'DELETE')).toEqual({ code: ['API_ERROR', 503], received: 1 });
    expect(await user.status()).toBe('ACTIVE');
    expect(await once(send, { kind: 'drop' }, '/api/v1/users', 'POST')).toEqual({ code: ['NETWORK_ERROR', undefined], received: 1 });
  });

  it('still retries a GET answered 503', async () => {
    const user = aUser();
    expect(await once(send, { kind: 'status', status: 503 }, user.path, 'GET')).toEqual({ status: 200, received: 2 });
  });
});

describe("oktaKyHooks on your own instance with ky's default retry (its methods list DELETE)", () => {
  // ra155: the hooks let ky resend a DELETE whose send failed, three times in all; a 429 is still ours to retry.
  // del160: ky's own retry of a DELETE is refused before ky waits out the 503's Retry-After or X-Rate-Limit-Reset
  // (capped at retry.maxWaitMs and half of timeoutMs: 15 s by default), not after that wait.
  const on =
    (retry: RetryOptions = {}, options: Omit<OktaKyOptions, 'credential'> = {}, asRequest = false): Send =>
    async (credential, path, method) => {
      const api = ky.create({ baseUrl: `${org.org.url}/`, retry: { limit: 3, delay: () => 0, ...retry }, hooks: oktaKyHooks({ credential, ...options }) });
      // A Request input carries the method, with no method option.
      return (await (asRequest ? api(new Request(`${org.org.url}${path}`, { method })) : api(path.slice(1), { method }))).status;
    };
  const send = on();

  it('does not send a DELETE again after a reset or a 503: one request, the user untouched', async () => {
    const user = aUser();
    expect(await once(send, { kind: 'drop' }, user.path, 'DELETE')).toEqual({ code: ['NETWORK_ERROR', undefined], received: 1 });
    expect(await once(send, { kind: 'status', status: 503 }, user.path, 'DELETE')).toEqual({ code: ['API_ERROR', 503], received: 1 });
    expect(await user.status()).toBe('ACTIVE');
  });

  it.each([false, true])("refuses a DELETE answered 503 before ky's wait, however far its Retry-After and however long the bounds: the same error, one request (a Request input: %s)", async (asRequest) => {
    const user = aUser();
    const patient = on({}, { timeoutMs: 7_200_000, retry: { maxWaitMs: 3_600_000 } }, asRequest);
    const far = { kind: 'status' as const, status: 503, headers: { 'Retry-After': '3600' } };
    expect(await once(patient, far, user.path, 'DELETE')).toEqual({ code: ['API_ERROR', 503], received: 1 });
    expect(await user.status()).toBe('ACTIVE');
  });

  it("still refuses it in beforeRetry when an init hook of yours after ours replaced retry (ours' shouldRetry gone)", async () => {
    const user = aUser();
    const send: Send = async (credential, path, method) => {
      const hooks = oktaKyHooks({ credential });
      const init = [...hooks.init, (options: { retry?: unknown }) => void (options.retry = { limit: 3, delay: () => 0 })];
      return (await ky.create({ baseUrl: `${org.org.url}/`, hooks: { ...hooks, init } })(path.slice(1), { method })).status;
    };
    const now = { kind: 'status' as const, status: 503, headers: { 'Retry-After': '0' } };
    expect(await once(send, now, user.path, 'DELETE')).toEqual({ code: ['API_ERROR', 503], received: 1 });
    expect(await user.status()).toBe('ACTIVE');
  });

  it('refuses it before any beforeRetry hook runs: one of yours before ours that returns a Request is not asked', async () => {
    const user = aUser();
    const yours = vi.fn(({ request }: { request: Request }) => new Request(request));
    const send: Send = async (credential, path, method) => {
      const hooks = oktaKyHooks({ credential });
      return (await ky.create({ baseUrl: `${org.org.url}/`, hooks: { ...hooks, beforeRetry: [yours, ...hooks.beforeRetry] } })(path.slice(1), { method })).status;
    };
    expect(await once(send, { kind: 'status', status: 503, headers: { 'Retry-After': '0' } }, user.path, 'DELETE')).toEqual({ code: ['API_ERROR', 503], received: 1 });
    expect(yours).not.toHaveBeenCalled();
    expect(await user.status()).toBe('ACTIVE');
  });

  it('still retries a DELETE answered 429 (Okta refused it before acting), and a GET whose connection was reset', async () => {
    const user = aUser();
    const limited = { kind: 'status' as const, status: 429, headers: { 'X-Rate-Limit-Reset': 'none' } };
    expect(await once(send, { kind: 'drop' }, user.path, 'GET')).toEqual({ status: 200, received: 2 });
    expect(await once(send, limited, user.path, 'DELETE')).toEqual({ status: 204, received: 2 });
    expect(await user.status()).toBe('DEPROVISIONED');
  });

  it('asks your own retry.shouldRetry of a GET (its false honoured), never of a DELETE; a 429 skips it', async () => {
    const user = aUser();
    const shouldRetry = vi.fn(() => false);
    const yours = on({ shouldRetry });
    expect(await once(yours, { kind: 'status', status: 503 }, user.path, 'GET')).toEqual({ code: ['API_ERROR', 503], received: 1 });
    expect(shouldRetry).toHaveBeenCalledOnce();
    shouldRetry.mockClear();
    expect(await once(yours, { kind: 'status', status: 503 }, user.path, 'DELETE')).toEqual({ code: ['API_ERROR', 503], received: 1 });
    const limited = { kind: 'status' as const, status: 429, headers: { 'X-Rate-Limit-Reset': 'none' } };
    expect(await once(yours, limited, user.path, 'DELETE')).toEqual({ status: 204, received: 2 });
    expect(shouldRetry).not.toHaveBeenCalled();
  });

  // rev160: ours wrapped a JavaScript caller's shouldRetry that is no function, which ky then never saw: a GET's 503 became
  // "retry?.shouldRetry is not a function", and null passed. ky refuses it when the call starts, nothing sent, as without our hooks.
  it.each([['a string', 'x'], ['null', null]] as const)('leaves a shouldRetry that is no function (%s) for ky to refuse when the call starts: nothing sent', async (_name, value) => {
    for (const method of ['GET', 'DELETE'] as const) {
      const user = aUser();
      const outcome = await once(on({ shouldRetry: value as unknown as RetryOptions['shouldRetry'] }), { kind: 'status', status: 503 }, user.path, method);
      expect(outcome).toEqual({ code: expect.stringContaining('retry.shouldRetry') as unknown, received: 0 });
    }
  });
});
