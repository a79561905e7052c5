/**
 * The attempt loop of `executeOktaRequest` (`execute.ts`) over real HTTP, for what no other test
 * checked (mutation testing, fourth round, docs/security-history.md): a credential of another org is refused
 * before anything is sent; the builder gets each attempt's number and signal and is bounded by the
 * attempt's timeout; a 429's wait is taken (the caller's abort ends it, nothing resent) unless a
 * coordinator spreads the retries; a coordinator's wait stays within `retry.maxWaitMs` (its default
 * 65 s too), outside the attempt's timer (the attempt built afresh after it); a GET that timed out is not resent (only a reset connection is); a caller's
 * Accept is kept; the request a credential's challenge reads is the one sent; the log events; an
 * answer without a body (from a `fetch` option) handled as one with a body; the caller's own
 * `challenge` of an answer (a token request's nonce or clock retry) sends it again as the call's next attempt.
 */
import { failure, json, startScriptedServer } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import type { OktaCredential } from '../credential.js';
import { isOktaAuthError, OktaAuthError } from '../errors/errors.js';
import { executeOktaRequest } from './execute.js';
import type { AttemptContext, ExecuteOptions } from './execute-options.js';
import type { OktaLogEvent } from '../config/logger.js';
import { coordinateRateLimits } from '../rate-limit/rate-limit-coordinator.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';

const org = useApiTokenOrg();

/** What reached the org. */
const received = (): number => Object.values(org.org.counters().requests).reduce((sum, n) => sum + n, 0);

/** A GET of `path` on the org, the builder's contexts recorded; resolves with the status or the typed error's code. */
async function get(path: string, options: Partial<ExecuteOptions> = {}, contexts: AttemptContext[] = []) {
  org.org.resetCounters();
  const build = (context: AttemptContext) => {
    contexts.push(context);
    return Promise.resolve(new Request(`${org.org.url}${path}`));
  };
  const outcome = await executeOktaRequest(build, { origin: org.org.url, credential: org.ssws(org.org.url), ...options }).then(
    (response) => ({ status: response.status }),
    (error: unknown) => ({ code: isOktaAuthError(error) ? error.code : String(error), message: (error as Error).message }),
  );
  return { ...outcome, received: received() };
}

/** A logger that keeps the events' types (and a retry's reason). */
function recorder() {
  const events: string[] = [];
  const logger = (event: OktaLogEvent) => events.push(event.type === 'retry' ? `retry ${event.reason}` : event.type);
  return { events, logger };
}

const users = '/api/v1/users';

describe('executeOktaRequest before anything is sent', () => {
  it("refuses a credential of another org: ORIGIN_MISMATCH naming both origins, never the token, nothing sent", async () => {
    const outcome = await get(users, { credential: org.ssws('https://other.okta.com') });
    expect(outcome).toMatchObject({ code: 'ORIGIN_MISMATCH', received: 0 });
    const message = 'message' in outcome ? outcome.message : '';
    expect(message).toContain(`belongs to https://other.okta.com, not to ${org.org.url}`);
    expect(message).not.toContain(org.token);
  });

  it('bounds a builder that never settles by timeoutMs: TIMEOUT naming the build, nothing sent', async () => {
    org.org.resetCounters();
    const error: unknown = await failure(executeOktaRequest(() => new Promise<Request>(() => undefined), { origin: org.org.url, timeoutMs: 300 }));
    expect(isOktaAuthError(error) && error.code).toBe('TIMEOUT');
    expect((error as Error).message).toContain(`Building the request to ${org.org.url}`);
    expect(received()).toBe(0);
  });

  it('refuses a URL and init whose header cannot be sent: INVALID_CONFIG, nothing sent', async () => {
    org.org.resetCounters();
    const build = () => Promise.resolve({ url: new URL(`${org.org.url}${users}`), init: { headers: { 'x-note': 'a\nb' } } });
    const error: unknown = await failure(executeOktaRequest(build, { origin: org.org.url, credential: org.ssws(org.org.url) }));
    expect(isOktaAuthError(error) && [error.code, error.message]).toEqual(['INVALID_CONFIG', expect.stringContaining('Nothing was sent')]);
    expect(received()).toBe(0);
  });
});

describe('the attempts of one call', () => {
  it("gives the builder each attempt's number and signal", async () => {
    org.org.injectFault({ path: users, kind: 'status', status: 429, headers: { 'X-Rate-Limit-Reset': 'none' }, count: 1 });
    const contexts: AttemptContext[] = [];
    expect(await get(users, {}, contexts)).toEqual({ status: 200, received: 2 });
    expect(contexts.map(({ number, signal }) => [number, signal instanceof AbortSignal])).toEqual([
      [1, true],
      [2, true],
    ]);
  });

  it("waits out a 429 as Okta says; the caller's abort ends the wait: ABORTED, nothing resent", async () => {
    const controller = new AbortController();
    const { events, logger } = recorder();
    // Okta's reset is seconds away: the abort, armed when the wait is announced, comes first.
    const reset = String(Math.floor(Date.now() / 1000) + 5);
    org.org.injectFault({ path: users, kind: 'status', status: 429, headers: { 'X-Rate-Limit-Reset': reset }, count: 1 });
    const onEvent = (event: OktaLogEvent) => {
      logger(event);
      if (event.type === 'backoff') setTimeout(() => controller.abort(), 50);
    };
    expect(await get(users, { signal: controller.signal, logger: onEvent })).toMatchObject({ code: 'ABORTED', received: 1 });
    expect(events).toEqual(['request', 'response', 'backoff', 'error']);
  });

  it("leaves a 429's wait to the coordinator when there is one: one that says go resends at once", async () => {
    let asked = 0;
    const rateLimitCoordinator = coordinateRateLimits({ reserve: () => (asked++, 0), observe: () => undefined });
    const reset = String(Math.floor(Date.now() / 1000) + 30);
    org.org.injectFault({ path: users, kind: 'status', status: 429, headers: { 'X-Rate-Limit-Reset': reset }, count: 1 });
    const { events, logger } = recorder();
    expect(await get(users, { rateLimitCoordinator, logger })).toEqual({ status: 200, received: 2 });
    expect(asked).toBe(2);
    expect(events).toEqual(['request', 'response', 'backoff', 'retry rate-limit', 'request', 'response']);
  }, 15_000);

  it('takes no coordinator wait past retry.maxWaitMs, its default 65 s too (Okta decides)', async () => {
    // A wait taken would ask again after it (then 0: go), and outlast the test (70 s); one not taken sends at once.
    for (const [options, delay] of [
      [{ timeoutMs: 60_000, retry: { maxWaitMs: 100 } }, 500],
      [{}, 70_000],
    ] as const) {
      let asked = 0;
      const rateLimitCoordinator = coordinateRateLimits({ reserve: () => (asked++ === 0 ? delay : 0), observe: () => undefined });
      expect(await get(users, { ...options, rateLimitCoordinator })).toEqual({ status: 200, received: 1 });
      expect(asked).toBe(1);
    }
  });

  it("takes a coordinator wait within retry.maxWaitMs past timeoutMs: outside the attempt's timer, the attempt built afresh after it", async () => {
    // Under the old bound (half of timeoutMs) the 2100 ms wait was not taken; inside the attempt's timer it would end as TIMEOUT.
    // timeoutMs 2 s, not 300 ms: the GET after the wait must be answered within it, which a loaded machine's took longer than.
    let asked = 0;
    const contexts: AttemptContext[] = [];
    const rateLimitCoordinator = coordinateRateLimits({ reserve: () => (asked++ === 0 ? 2100 : 0), observe: () => undefined });
    expect(await get(users, { timeoutMs: 2000, retry: { maxWaitMs: 5_000 }, rateLimitCoordinator }, contexts)).toEqual({ status: 200, received: 1 });
    // Asked again after the wait (its "send now"), never after the restart; the build made again, as the same attempt.
    expect(asked).toBe(2);
    expect(contexts.map((context) => context.number)).toEqual([1, 1]);
  });

  it('does not resend a GET that timed out (only a reset connection is resent), and logs the resend of a reset one', async () => {
    org.org.injectFault({ path: users, kind: 'latency', latencyMs: 3_000, count: 1 });
    const timedOut = recorder();
    expect(await get(users, { timeoutMs: 500, logger: timedOut.logger })).toMatchObject({ code: 'TIMEOUT' });
    expect(timedOut.events).toEqual(['request', 'error']);
    org.org.injectFault({ path: users, kind: 'drop', count: 1 });
    const reset = recorder();
    expect(await get(users, { logger: reset.logger })).toEqual({ status: 200, received: 2 });
    expect(reset.events).toEqual(['request', 'retry network', 'request', 'response']);
  });
});

describe('what an attempt carries', () => {
  it("keeps the caller's Accept, and asks for JSON otherwise", async () => {
    const okta = await startScriptedServer((_req, res) => json(res, 200, {}));
    try {
      for (const headers of [{ accept: 'application/octet-stream' }, {}]) {
        await executeOktaRequest(() => Promise.resolve(new Request(`${okta.origin}/api/v1/logs`, { headers })), { origin: okta.origin });
      }
      expect(okta.requests.map((request) => request.headers.accept)).toEqual(['application/octet-stream', 'application/json']);
    } finally {
      await okta.close();
    }
  });

  it("shows a credential's challenge the request as sent (a URL and init: its method and headers), and logs the retry", async () => {
    const user = org.org.createUser({ login: `ada.${crypto.randomUUID()}@example.com`, password: 'Passw0rd!x' });
    const seen: string[] = [];
    const credential: OktaCredential = {
      ...org.ssws(org.org.url),
      challenge: ({ request }) => (seen.push(`${request.method} ${request.headers.get('authorization')}`), Promise.resolve(true)),
    };
    org.org.injectFault({ path: `${users}/${user.id}`, kind: 'status', status: 401, headers: { 'WWW-Authenticate': 'SSWS realm="okta", error="invalid_token"' }, count: 1 });
    org.org.resetCounters();
    const { events, logger } = recorder();
    const build = () => Promise.resolve({ url: new URL(`${org.org.url}${users}/${user.id}`), init: { method: 'DELETE' } });
    expect((await executeOktaRequest(build, { origin: org.org.url, credential, logger })).status).toBe(204);
    expect({ seen, received: received() }).toEqual({ seen: [`DELETE SSWS ${org.token}`], received: 2 });
    expect(events).toEqual(['request', 'response', 'retry challenge', 'request', 'response']);
  });

  it("names no credential as 'none' in the request event, and ends with an error event only for a typed failure", async () => {
    const kinds: string[] = [];
    await executeOktaRequest(() => Promise.resolve(new Request(`${org.org.url}/oauth2/v1/keys`)), { origin: org.org.url, logger: (event) => event.type === 'request' && kinds.push(event.credential) });
    expect(kinds).toEqual(['none']);
    // What a credential's own code throws is its own: it reaches the caller as itself, with no error event.
    const credential: OktaCredential = { ...org.ssws(org.org.url), challenge: () => Promise.reject(new RangeError('the credential broke')) };
    org.org.injectFault({ path: users, kind: 'status', status: 401, count: 1 });
    const { events, logger } = recorder();
    expect(await get(users, { credential, logger })).toMatchObject({ code: 'RangeError: the credential broke', received: 1 });
    expect(events).toEqual(['request', 'response']);
  });
});

describe('answers without a body, from a fetch option (a runtime or wrapper that gives null for an empty body)', () => {
  /** The real fetch, its answer handed on without a body. */
  const bodiless: typeof fetch = async (input, init) => {
    const answer = await fetch(input, init);
    await answer.body?.cancel();
    return new Response(null, { status: answer.status, headers: answer.headers });
  };

  it('retries a 429 and a challenged 401, and refuses a redirect, as with a body (never a TypeError)', async () => {
    const credential: OktaCredential = { ...org.ssws(org.org.url), challenge: () => Promise.resolve(true) };
    org.org.injectFault({ path: users, kind: 'status', status: 429, headers: { 'X-Rate-Limit-Reset': 'none' }, count: 1 });
    expect(await get(users, { fetch: bodiless })).toEqual({ status: 200, received: 2 });
    org.org.injectFault({ path: users, kind: 'status', status: 401, count: 1 });
    expect(await get(users, { fetch: bodiless, credential })).toEqual({ status: 200, received: 2 });
    org.org.injectFault({ path: users, kind: 'redirect', location: 'https://elsewhere.example.com/', count: 1 });
    expect(await get(users, { fetch: bodiless })).toMatchObject({ code: 'REDIRECT_BLOCKED', received: 1 });
  });
});

describe("the caller's own challenge of an answer (a token request's nonce or clock retry)", () => {
  it('sends again while it answers true: the next attempts of the one call, each logged as a challenge retry', async () => {
    const { events, logger } = recorder();
    const contexts: AttemptContext[] = [];
    let asked = 0;
    const challenge = async (response: Response) => {
      await response.text();
      return ++asked < 3;
    };
    expect(await get(users, { logger, throwHttpErrors: false, challenge }, contexts)).toEqual({ status: 200, received: 3 });
    expect(contexts.map((context) => context.number)).toEqual([1, 2, 3]);
    expect(events).toEqual(['request', 'response', 'retry challenge', 'request', 'response', 'retry challenge', 'request', 'response']);
  });

  it('what it throws reaches the caller, a typed error ending the attempt log; it reads no answer the loop throws for', async () => {
    const { events, logger } = recorder();
    const challenge = () => Promise.reject(new OktaAuthError('INVALID_RESPONSE', 'The answer was refused.'));
    expect(await get(users, { logger, throwHttpErrors: false, challenge })).toMatchObject({ code: 'INVALID_RESPONSE', received: 1 });
    expect(events).toEqual(['request', 'response', 'error']);
    org.org.injectFault({ path: users, kind: 'status', status: 503, count: 3 });
    expect(await get(users, { retry: false, challenge })).toMatchObject({ code: 'API_ERROR', received: 1 });
  });
});
