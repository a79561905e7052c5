/**
 * What judging each answer in ky (`ky/answer.ts`) promises that no test checked, against the
 * emulator: the log's `response` and `backoff` events name the answer's request id (what Okta
 * support asks for); a 429 is retried after the wait it names when no coordinator spreads the
 * retries, and without ky waiting again when one does (its own wait comes before the next
 * attempt); the credential's `challenge` gets the very attempt object its `authorize` was given
 * (`AnswerState.attempt`); a retry whose `authorize` fails was never sent, so its failure logs no
 * `error` event (as in the fetch driver); with `throwHttpErrors: false` the caller reads the error body core read, and a 304
 * (an `If-None-Match` of the caller's) is handed back without a body, not a raw `TypeError`.
 * The wait is checked on a fake `setTimeout` (the retry held for the wait less a millisecond, sent
 * at the wait), and the coordinator's case by the call's outcome within a `totalTimeout` far below
 * the 429's wait.
 * Mutation testing (nineteenth session) found no test of these.
 */
import { setImmediate as macrotask } from 'node:timers/promises';
import ky from 'ky';
import { describe, expect, it, vi } from 'vitest';
import type { OktaCredential, RequestAttempt } from '../credential.js';
import type { OktaLogEvent } from '../config/logger.js';
import { coordinateRateLimits } from '../rate-limit/rate-limit-coordinator.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { createOktaKy } from './create-okta-ky.js';
import { OktaAuthError } from '../errors/errors.js';
import { createOktaFetch } from '../request/okta-fetch.js';
import { oktaKyHooks } from './hooks.js';

const org = useApiTokenOrg();
const users = '/api/v1/users';

/** The log's events. */
function recording() {
  const events: OktaLogEvent[] = [];
  return { events, logger: (event: OktaLogEvent) => events.push(event) };
}

describe("the log's request id", () => {
  it.each(['createOktaKy', 'oktaKyHooks'] as const)("%s: the response and backoff events carry the answer's X-Okta-Request-Id", async (placement) => {
    org.org.injectFault({ path: users, kind: 'status', status: 429, count: 1, headers: { 'x-okta-request-id': 'rid-429', 'retry-after': '0', 'x-rate-limit-reset': '' } });
    org.org.injectFault({ path: users, kind: 'headers', count: 1, headers: { 'x-okta-request-id': 'rid-200' } });
    const { events, logger } = recording();
    const credential = org.ssws(org.org.url);
    const api = placement === 'createOktaKy' ? createOktaKy({ credential, logger }) : ky.create({ baseUrl: `${org.org.url}/`, retry: { limit: 3 }, hooks: oktaKyHooks({ credential, logger }) });
    expect((await api.get(users.slice(1))).status).toBe(200);
    const ids = events.filter((event) => event.type === 'response' || event.type === 'backoff').map((event) => [event.type, 'requestId' in event ? event.requestId : 'none']);
    expect(ids).toEqual([
      ['response', 'rid-429'],
      ['backoff', 'rid-429'],
      ['response', 'rid-200'],
    ]);
  });
});

describe("a 429's wait", () => {
  it('without a coordinator: the retry is sent once the wait the answer names is over, not before', async () => {
    // Retry-After: 1, no reset: a wait of 1000 ms, moved on a fake setTimeout (the HTTP exchange stays real).
    org.org.injectFault({ path: users, kind: 'status', status: 429, count: 1, headers: { 'retry-after': '1', 'x-rate-limit-reset': '' } });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldClearNativeTimers: true });
    try {
      let backedOff!: () => void;
      const backoff = new Promise<void>((resolve) => (backedOff = resolve));
      const { events, logger } = recording();
      const call = createOktaKy({
        credential: org.ssws(org.org.url),
        logger: (event) => {
          logger(event);
          if (event.type === 'backoff') backedOff();
        },
      }).get(users.slice(1));
      const sent = () => events.filter((event) => event.type === 'request').length;
      // From the backoff event to ky's wait, promise jobs only: after one turn of the event loop its timer is set.
      await backoff;
      await macrotask();
      expect(events.find((event) => event.type === 'backoff')).toMatchObject({ waitMs: 1000 });
      await vi.advanceTimersByTimeAsync(999);
      expect(sent()).toBe(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(sent()).toBe(2);
      expect((await call).status).toBe(200);
    } finally {
      vi.useRealTimers();
    }
  });

  it("with a coordinator: ky does not wait again (the coordinator's wait comes before the next attempt)", async () => {
    // An hour's wait named by the answer; the coordinator lets the retry go at once.
    org.org.injectFault({ path: users, kind: 'status', status: 429, count: 1, headers: { 'retry-after': '3600', 'x-rate-limit-reset': '' } });
    const rateLimitCoordinator = coordinateRateLimits({ reserve: () => 0, observe: () => undefined });
    const api = createOktaKy({ credential: org.ssws(org.org.url), rateLimitCoordinator, retry: { maxWaitMs: 7_200_000 } });
    // A wait of ky's own would outlast the call's totalTimeout by far.
    expect((await api.get(users.slice(1), { totalTimeout: 10_000 })).status).toBe(200);
  });
});

describe("the credential's challenge", () => {
  it.each(['createOktaKy', 'oktaKyHooks'] as const)('%s: gets the same attempt object its authorize was given', async (placement) => {
    const authorized: RequestAttempt[] = [];
    const challenged: RequestAttempt[] = [];
    const credential: OktaCredential = {
      ...org.ssws(org.org.url),
      authorize: (attempt) => {
        authorized.push(attempt);
        return Promise.resolve({ authorization: `SSWS ${org.token}` });
      },
      challenge: ({ attempt }) => {
        challenged.push(attempt);
        return Promise.resolve(false);
      },
    };
    org.org.injectFault({ path: users, kind: 'status', status: 401, count: 1 });
    const api = placement === 'createOktaKy' ? createOktaKy({ credential, retry: false }) : ky.create({ baseUrl: `${org.org.url}/`, retry: 0, hooks: oktaKyHooks({ credential, retry: false }) });
    expect((await api.get(users.slice(1), { throwHttpErrors: false })).status).toBe(401);
    expect(authorized).toHaveLength(1);
    expect(challenged).toHaveLength(1);
    expect(challenged[0]).toBe(authorized[0]);
  });
});

describe('a retry whose authorize fails', () => {
  it.each(['createOktaFetch', 'createOktaKy', 'oktaKyHooks'] as const)('%s: its failure as itself, and no error event (nothing was sent)', async (placement) => {
    const refusal = new OktaAuthError('INVALID_CONFIG', 'The vault is sealed.');
    let calls = 0;
    const credential: OktaCredential = {
      ...org.ssws(org.org.url),
      authorize: () => (++calls === 1 ? Promise.resolve({ authorization: `SSWS ${org.token}` }) : Promise.reject(refusal)),
    };
    org.org.injectFault({ path: users, kind: 'status', status: 429, count: 1, headers: { 'retry-after': '0', 'x-rate-limit-reset': '' } });
    const { events, logger } = recording();
    const call =
      placement === 'createOktaFetch'
        ? () => createOktaFetch({ credential, logger })(users)
        : placement === 'createOktaKy'
          ? () => createOktaKy({ credential, logger }).get(users.slice(1))
          : () => ky.create({ baseUrl: `${org.org.url}/`, retry: { limit: 3 }, hooks: oktaKyHooks({ credential, logger }) }).get(users.slice(1));
    await expect(call()).rejects.toBe(refusal);
    expect(events.map((event) => event.type)).toEqual(['request', 'response', 'backoff', 'retry']);
  });
});

describe('with throwHttpErrors: false', () => {
  it('the caller reads the error body of a 400, and gets a 304 without a body', async () => {
    const api = createOktaKy({ credential: org.ssws(org.org.url), retry: false });
    org.org.injectFault({ path: users, kind: 'status', status: 400, count: 1, body: { errorCode: 'E0000001', errorSummary: 'Api validation failed: login' } });
    const refused = await api.get(users.slice(1), { throwHttpErrors: false });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ errorCode: 'E0000001', errorSummary: 'Api validation failed: login' });
    org.org.injectFault({ path: users, kind: 'status', status: 304, count: 1 });
    const unchanged = await api.get(users.slice(1), { throwHttpErrors: false, headers: { 'if-none-match': '"v1"' } });
    expect(unchanged.status).toBe(304);
    expect(unchanged.body).toBeNull();
  });
});
