/**
 * `retry: false` is one attempt per call, in every driver (core README, "Retries"): no wait after a
 * 429, no resend of a GET or PUT whose connection was reset (never a DELETE: `delete-not-resent.server.test.ts`),
 * no retry of a 408 or 5xx by ky.
 * The one exception is the credential's challenge retry (a DPoP nonce, a revoked token), a protocol
 * step (okta-oauth's `retry-off.server.test.ts` runs a real DPoP nonce challenge). The emulator counts
 * what reached it. `retry: { limit: 0 }` keeps its meaning: no 429 retry, the rest as by default.
 */
import type { FaultSpec } from '@org/okta-emulator';
import ky from 'ky';
import { describe, expect, it } from 'vitest';
import { isOktaApiError } from '../errors/api-error.js';
import type { OktaCredential } from '../credential.js';
import { isOktaAuthError } from '../errors/errors.js';
import { executeOktaRequest } from './execute.js';
import { createOktaKy } from '../ky/create-okta-ky.js';
import { oktaKyHooks } from '../ky/hooks.js';
import { createOktaFetch } from './okta-fetch.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import type { RetryOptions } from '../config/transport.js';

const org = useApiTokenOrg();

type Method = 'GET' | 'PUT' | 'DELETE';
interface Options {
  readonly credential: OktaCredential;
  readonly retry: RetryOptions | false;
}
/** One call through each driver; resolves with the answer's status, rejects with the typed error. */
type Send = (options: Options, path: string, method: Method) => Promise<number>;

const json = JSON.stringify({ profile: { firstName: 'Ada' } });
const body = (method: Method) => (method === 'PUT' ? { body: json } : {});
const drivers: Record<string, Send> = {
  createOktaFetch: async (options, path, method) => (await createOktaFetch(options)(path, { method, ...body(method) })).status,
  executeOktaRequest: async (options, path, method) =>
    (await executeOktaRequest(() => Promise.resolve(new Request(`${org.org.url}${path}`, { method, ...body(method), headers: { 'content-type': 'application/json' } })), { ...options, origin: org.org.url })).status,
  createOktaKy: async (options, path, method) => (await createOktaKy(options)(path.slice(1), { method, ...body(method) })).status,
  // Your own instance's retries are its own: the README's one-attempt instance (1: the challenge's retry).
  'oktaKyHooks on your own instance': async (options, path, method) =>
    (await ky.create({ baseUrl: `${org.org.url}/`, retry: { limit: 1, methods: [] }, hooks: oktaKyHooks(options) })(path.slice(1), { method, ...body(method) })).status,
};

/** What reached the org. */
const received = (): number => Object.values(org.org.counters().requests).reduce((sum, n) => sum + n, 0);

/** A call's answer status or error, and how many requests reached the org. */
interface Outcome {
  readonly status?: number;
  readonly error?: unknown;
  readonly received: number;
}

/** Arranges `fault` on `path` for one request, then makes the call; returns its error and what reached the org. */
async function once(send: Send, fault: Omit<FaultSpec, 'path' | 'count'>, path: string, method: Method, options: Partial<Options> = {}): Promise<Outcome> {
  org.org.injectFault({ path, count: 1, ...fault });
  org.org.resetCounters();
  const outcome: Omit<Outcome, 'received'> = await send({ credential: org.ssws(org.org.url), retry: false, ...options }, path, method).then(
    (status) => ({ status }),
    (error: unknown) => ({ error }),
  );
  return { ...outcome, received: received() };
}

const users = '/api/v1/users';

describe.each(Object.keys(drivers))('retry: false through %s', (name) => {
  const send = drivers[name]!;

  it.each([408, 500, 503])('a %i once, then the answer: one attempt, the OktaApiError', async (status) => {
    const { error, received } = await once(send, { kind: 'status', status }, users, 'GET');
    expect({ error: isOktaApiError(error) && [error.code, error.status], received }).toEqual({ error: ['API_ERROR', status], received: 1 });
  });

  it('a 429 once, then the answer: one attempt, RATE_LIMITED', async () => {
    const { error, received } = await once(send, { kind: 'status', status: 429, headers: { 'X-Rate-Limit-Reset': 'none', 'Retry-After': '0' } }, users, 'GET');
    expect({ code: isOktaApiError(error) && error.code, received }).toEqual({ code: 'RATE_LIMITED', received: 1 });
  });

  it.each(['GET', 'PUT', 'DELETE'] as const)('a connection reset before the answer of a %s, once: one attempt, NETWORK_ERROR', async (method) => {
    const user = org.org.createUser({ login: `ada.${method.toLowerCase()}@example.com`, password: 'Passw0rd!x' });
    const path = method === 'GET' ? users : `/api/v1/users/${user.id}`;
    const { error, received } = await once(send, { kind: 'drop' }, path, method);
    expect({ code: isOktaAuthError(error) && error.code, received }).toEqual({ code: 'NETWORK_ERROR', received: 1 });
    // Nothing was sent again: a DELETE resent would have deactivated the user (a second one deletes it, at Okta).
    const after = await createOktaFetch({ credential: org.ssws(org.org.url) })(`/api/v1/users/${user.id}`);
    expect(((await after.json()) as { status: string }).status).toBe('ACTIVE');
  });

  it("still answers the credential's challenge: a 401 it can fix is retried once, and the call succeeds", async () => {
    const credential: OktaCredential = { ...org.ssws(org.org.url), challenge: ({ response }) => Promise.resolve(response.headers.has('www-authenticate')) };
    const unauthorized = { kind: 'status' as const, status: 401, headers: { 'WWW-Authenticate': 'SSWS realm="okta", error="invalid_token"' } };
    expect(await once(send, unauthorized, users, 'GET', { credential })).toEqual({ status: 200, received: 2 });
  });
});

describe.each(['createOktaFetch', 'executeOktaRequest', 'createOktaKy'])('retry: { limit: 0 } through %s', (name) => {
  const send = drivers[name]!;

  it('stops 429 retries only, as before: a reset GET is still sent again', async () => {
    const limited = await once(send, { kind: 'status', status: 429, headers: { 'X-Rate-Limit-Reset': 'none' } }, users, 'GET', { retry: { limit: 0 } });
    expect(isOktaApiError(limited.error) && [limited.error.code, limited.received]).toEqual(['RATE_LIMITED', 1]);
    expect(await once(send, { kind: 'drop' }, users, 'GET', { retry: { limit: 0 } })).toEqual({ status: 200, received: 2 });
  });
});

describe('oktaKyHooks on an instance whose ky retry limit is spent (retry: 0)', () => {
  // ky refuses a retry past its limit by throwing the ForceRetryError the hook asked for: the answer is final instead.
  const spent = (credential: OktaCredential) => ky.create({ baseUrl: `${org.org.url}/`, retry: 0, hooks: oktaKyHooks({ credential }) });

  it('a 429 is the typed RATE_LIMITED of that answer, not ky\'s "Forced retry"', async () => {
    const { error, received } = await once((options, path) => spent(options.credential).get(path.slice(1)).then((r) => r.status), { kind: 'status', status: 429, headers: { 'X-Rate-Limit-Reset': 'none' } }, users, 'GET');
    expect({ error: isOktaApiError(error) ? [error.code, error.status, error.errorCode] : String(error), received }).toEqual({ error: ['RATE_LIMITED', 429, 'E0000047'], received: 1 });
  });

  it("a 401 the credential's challenge would fix is that answer's OktaApiError; the credential still learns from it", async () => {
    let asked = 0;
    // Asked all the same: what a challenge learns (a DPoP nonce, a refused token dropped) serves the next call.
    const credential: OktaCredential = { ...org.ssws(org.org.url), challenge: () => Promise.resolve(++asked > 0) };
    const { error, received } = await once((_options, path) => spent(credential).get(path.slice(1)).then((r) => r.status), { kind: 'status', status: 401, body: { errorCode: 'E0000011', errorSummary: 'Invalid token provided' } }, users, 'GET');
    expect({ error: isOktaApiError(error) ? [error.code, error.status, error.errorCode] : String(error), received }).toEqual({ error: ['API_ERROR', 401, 'E0000011'], received: 1 });
    expect(asked).toBe(1);
  });
});

describe("createOktaKy, after ky's own retries", () => {
  // ky's own retries have their own budget (ky's 2; ky/retry-budget.server.test.ts): they no longer spend the challenge's.
  it("a challenge after them is still made; a third 500 is that answer's OktaApiError, not ky's \"Forced retry\"", async () => {
    org.org.injectFault({ path: users, kind: 'status', status: 500, count: 2 });
    const credential: OktaCredential = { ...org.ssws(org.org.url), challenge: () => Promise.resolve(true) };
    const challenged = await once(drivers.createOktaKy!, { kind: 'status', status: 401, body: { errorCode: 'E0000011' } }, users, 'GET', { credential, retry: { limit: 0 } });
    expect(challenged).toEqual({ status: 200, received: 4 });
    org.org.injectFault({ path: users, kind: 'status', status: 500, count: 2 });
    const { error, received } = await once(drivers.createOktaKy!, { kind: 'status', status: 500 }, users, 'GET', { credential, retry: { limit: 0 } });
    expect({ error: isOktaApiError(error) ? [error.code, error.status] : String(error), received }).toEqual({ error: ['API_ERROR', 500], received: 3 });
  });
});
