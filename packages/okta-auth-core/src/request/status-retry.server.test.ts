/**
 * The fetch driver's retry of a passing 5xx or 408 (core README, "Retries"): the statuses and
 * methods `createOktaKy` lets ky retry (`status-retry.ts`, one list for both drivers), at most twice
 * per call, apart from the 429 budget, after ky's backoff (0.3 s, then 0.6 s) bounded by
 * `retry.maxWaitMs` and the caller's signal; never a DELETE, POST or PATCH, never with
 * `retry: false` (`retry-off.server.test.ts`), nor for an answer handed back (`throwHttpErrors:
 * false`, as ky). The emulator counts what reached it.
 */
import { SEED_ADMIN_LOGIN, type FaultSpec } from '@org/okta-emulator';
import { describe } from 'vitest';
import { isOktaApiError } from '../errors/api-error.js';
import { isOktaAuthError } from '../errors/errors.js';
import type { OktaLogEvent } from '../config/logger.js';
import { executeOktaRequest } from './execute.js';
import { createOktaFetch, type OktaFetchOptions } from './okta-fetch.js';
import { paginate } from '../pagination/paginate.js';
import { itWithApiTokenOrg as it, type ApiTokenOrg } from '../test-helpers/api-token-org.js';

// Every test has its own org (the org fixture) and client: the tests of each block run at once.

/** One call to `org`; resolves with the answer's status, rejects with the typed error. */
type Send = (org: ApiTokenOrg, path: string, init: RequestInit, options?: Partial<OktaFetchOptions>) => Promise<number>;

const drivers: Record<string, Send> = {
  createOktaFetch: async (org, path, init, options) => (await createOktaFetch({ credential: org.ssws(org.org.url), ...options })(path, init)).status,
  executeOktaRequest: async (org, path, init, options) =>
    (await executeOktaRequest(() => Promise.resolve(new Request(`${org.org.url}${path}`, init)), { credential: org.ssws(org.org.url), ...options, signal: init.signal ?? undefined, origin: org.org.url })).status,
};

/** What reached the org. */
const received = (org: ApiTokenOrg): number => Object.values(org.org.counters().requests).reduce((sum, n) => sum + n, 0);

/** Arranges `fault` on `path` (`count` requests, 1 unless given), then makes the call; returns its outcome and what reached the org. */
async function faulted(org: ApiTokenOrg, send: Send, fault: Omit<FaultSpec, 'path'>, path: string, init: RequestInit = {}, options?: Partial<OktaFetchOptions>) {
  org.org.injectFault({ path, count: 1, ...fault });
  org.org.resetCounters();
  const outcome = await send(org, path, init, options).then(
    (status) => ({ status }),
    (error: unknown) => ({ error: isOktaApiError(error) ? [error.code, error.status] : isOktaAuthError(error) ? error.code : String(error) }),
  );
  return { ...outcome, received: received(org) };
}

const users = '/api/v1/users';

describe.concurrent.each(Object.keys(drivers))('a passing 5xx or 408 through %s, default retry options', (name) => {
  const send = drivers[name]!;

  it.for([408, 500, 502, 503, 504])('a GET answered %i once, then 200: retried, two requests', async (status, { org, expect }) => {
    expect(await faulted(org, send, { kind: 'status', status }, users)).toEqual({ status: 200, received: 2 });
  });

  it('a GET answered 503 three times: the third answer\'s OktaApiError, after three requests', async ({ org, expect }) => {
    expect(await faulted(org, send, { kind: 'status', status: 503, count: 3 }, users)).toEqual({ error: ['API_ERROR', 503], received: 3 });
  });

  it('a 503 twice, then 200: retried twice, and logged as the ky driver logs it (retry, reason status, no backoff event)', async ({ org, expect }) => {
    const events: string[] = [];
    const logger = (event: OktaLogEvent) => events.push(event.type === 'retry' ? `retry#${event.attempt}:${event.reason}` : event.type === 'response' ? `response:${event.status}` : event.type);
    expect(await faulted(org, send, { kind: 'status', status: 503, count: 2 }, users, {}, { logger })).toEqual({ status: 200, received: 3 });
    expect(events).toEqual(['request', 'response:503', 'retry#1:status', 'request', 'response:503', 'retry#2:status', 'request', 'response:200']);
  });

  it.for(['POST', 'PATCH'])('a %s answered 503 is not sent again: one request', async (method, { org, expect }) => {
    const init = { method, body: JSON.stringify({ profile: {} }), headers: { 'content-type': 'application/json' } };
    expect(await faulted(org, send, { kind: 'status', status: 503 }, users, init)).toEqual({ error: ['API_ERROR', 503], received: 1 });
  });

  it.for(['HEAD', 'OPTIONS', 'PUT'])('a %s answered 503 once: sent again, two requests', async (method, { org, expect }) => {
    const init = method === 'PUT' ? { method, body: JSON.stringify({ profile: {} }), headers: { 'content-type': 'application/json' } } : { method };
    expect((await faulted(org, send, { kind: 'status', status: 503 }, users, init)).received).toBe(2);
  });

  it('a GET answered 501 (not a passing failure) is not sent again', async ({ org, expect }) => {
    expect(await faulted(org, send, { kind: 'status', status: 501 }, users)).toEqual({ error: ['API_ERROR', 501], received: 1 });
  });

  it('an answer handed back (throwHttpErrors: false) is not retried, as ky does not retry what it does not throw', async ({ org, expect }) => {
    expect(await faulted(org, send, { kind: 'status', status: 503 }, users, {}, { throwHttpErrors: false })).toEqual({ status: 503, received: 1 });
  });

  it("the 429 budget is apart: retry: { limit: 0 } still retries a 503", async ({ org, expect }) => {
    expect(await faulted(org, send, { kind: 'status', status: 503 }, users, {}, { retry: { limit: 0 } })).toEqual({ status: 200, received: 2 });
  });

  it("the caller's abort during the backoff ends the call: ABORTED, nothing resent", async ({ org, expect }) => {
    const controller = new AbortController();
    // Armed when the 503 is logged, before the backoff's own timer (0.3 s): timers fire in deadline order.
    const events: string[] = [];
    const logger = (event: OktaLogEvent) => {
      events.push(event.type);
      if (event.type === 'response') setTimeout(() => controller.abort(), 0);
    };
    expect(await faulted(org, send, { kind: 'status', status: 503 }, users, { signal: controller.signal }, { logger })).toEqual({ error: 'ABORTED', received: 1 });
    // The wait itself ended: no retry announced after it.
    expect(events).toEqual(['request', 'response', 'error']);
  });
});

describe.concurrent('createOktaFetch, a PUT whose body is a stream', () => {
  // The driver keeps a copy of a body read once (a tee of the stream, cloned per attempt), as ky
  // does: a PUT answered 503 is sent again whole, as after a 429 or a reset connection.
  it.for([
    ['answered 503', { kind: 'status', status: 503 }],
    ['whose connection was reset', { kind: 'drop' }],
  ] as const)('%s once is sent again with the same body: two requests, the profile updated', async ([, fault], { org, expect }) => {
    const user = org.org.createUser({ login: 'ada@example.com', password: 'Passw0rd!x' });
    const body = new Blob([JSON.stringify({ profile: { firstName: 'Streamed', lastName: 'Body', email: 'ada@example.com', login: 'ada@example.com' } })]).stream();
    const path = `/api/v1/users/${user.id}`;
    org.org.injectFault({ path, count: 1, ...fault });
    org.org.resetCounters();
    const okta = createOktaFetch({ credential: org.ssws(org.org.url) });
    const answer = await okta(path, { method: 'PUT', body, duplex: 'half', headers: { 'content-type': 'application/json' } } as RequestInit);
    expect([answer.status, received(org)]).toEqual([200, 2]);
    expect(((await answer.json()) as { profile: { firstName: string } }).profile.firstName).toBe('Streamed');
  });
});

describe.concurrent('paginate over createOktaFetch', () => {
  it('continues across a 503 on page 2', async ({ org, expect }) => {
    for (const n of [1, 2, 3]) org.org.createUser({ login: `user${n}@example.com`, password: 'Passw0rd!x' });
    const okta = createOktaFetch({ credential: org.ssws(org.org.url) });
    const logins: string[] = [];
    for await (const user of paginate<{ profile: { login: string } }>(okta, `${users}?limit=1`)) {
      logins.push(user.profile.login);
      // Page 2's first request is answered 503.
      if (logins.length === 1) org.org.injectFault({ path: users, kind: 'status', status: 503, count: 1 });
    }
    expect(logins.sort()).toEqual([SEED_ADMIN_LOGIN, 'user1@example.com', 'user2@example.com', 'user3@example.com']); // and the org's seeded super admin
  });
});
