/**
 * What `oktaKyHooks` and `createOktaKy` promise about their own setup (core README, "ky"): a
 * missing credential or hooks installed without their `init` are `INVALID_CONFIG` naming the fix,
 * not a raw `TypeError`, and nothing is sent; the coordinator's wait runs outside `timeoutMs` and ky's
 * timeout, within `retry.maxWaitMs` and half of ky's `totalTimeout` (in createOktaKy, of a call's own ky
 * `timeout` too: it encloses the instance's fetch); ky's wait for a 503's `Retry-After` within half of `timeoutMs` and the instance's own `maxRetryAfter`; a user
 * hook's own error reaches the caller as itself, without an `error` log event (those are for the
 * typed errors); a timeout of your own instance's ky `timeout` does not quote the hooks' `timeoutMs`.
 * Mutation testing (eighteenth session) found no test of these. The emulator counts what reached it.
 */
import type { FaultSpec } from '@org/okta-emulator';
import ky from 'ky';
import { describe, expect, it } from 'vitest';
import { isOktaApiError } from '../errors/api-error.js';
import { isOktaAuthError } from '../errors/errors.js';
import type { OktaLogEvent } from '../config/logger.js';
import { coordinateRateLimits } from '../rate-limit/rate-limit-coordinator.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { createOktaKy } from './create-okta-ky.js';
import { oktaKyHooks } from './hooks.js';

const org = useApiTokenOrg();
const users = '/api/v1/users';

/** Arranges `fault` on `path` once and resets the org's counters. */
function arrange(fault: Omit<FaultSpec, 'path'>, path = users): void {
  org.org.injectFault({ path, count: 1, ...fault });
  org.org.resetCounters();
}

/** What reached the org. */
const received = (): number => Object.values(org.org.counters().requests).reduce((sum, n) => sum + n, 0);

/** The call's answer status, or its error as [code, status?, message], or the untyped error itself. */
async function outcome(call: () => Promise<Response>): Promise<unknown> {
  return Promise.resolve()
    .then(call)
    .then(
      (response) => response.status,
      (error: unknown) => (isOktaApiError(error) ? [error.code, error.status] : isOktaAuthError(error) ? [error.code, error.message] : error),
    );
}

describe('a missing credential', () => {
  const token = '00sentinel-token-0123456789abcdefghijklmnopq';

  it.each([
    ['createOktaKy', (credential: unknown) => createOktaKy({ credential: credential as never })],
    ['oktaKyHooks', (credential: unknown) => oktaKyHooks({ credential: credential as never })],
  ] as const)('%s: INVALID_CONFIG naming the function and the fix, never quoting an API token given instead', (name, make) => {
    const refusal = { name: 'OktaAuthError', code: 'INVALID_CONFIG', message: `${name} needs a credential, such as createSswsCredential(…) from @org/okta-ssws.` };
    for (const credential of [undefined, token, { origin: org.org.url }]) expect(() => make(credential)).toThrow(expect.objectContaining(refusal) as Error);
  });
});

describe('oktaKyHooks installed without their init hook', () => {
  it('INVALID_CONFIG saying the hooks go together, not a raw TypeError; nothing sent', async () => {
    const { beforeRequest, beforeRetry, afterResponse, beforeError } = oktaKyHooks({ credential: org.ssws(org.org.url) });
    org.org.resetCounters();
    const api = ky.create({ baseUrl: `${org.org.url}/`, hooks: { beforeRequest, beforeRetry, afterResponse, beforeError } });
    expect(await outcome(() => api.get(users.slice(1)))).toEqual(['INVALID_CONFIG', 'The okta-auth ky hooks must be installed together (use every hook returned by oktaKyHooks; a call may add hooks, not remove them).']);
    expect(received()).toBe(0);
  });
});

describe("the coordinator's wait before an attempt", () => {
  /** A coordinator asking `delay` ms first, then "send now"; `asked()` counts its asks. */
  function asking(delay: number) {
    let asked = 0;
    const rateLimitCoordinator = coordinateRateLimits({ reserve: () => (asked++ === 0 ? delay : 0), observe: () => undefined });
    return { rateLimitCoordinator, asked: () => asked };
  }

  it.each([
    ['createOktaKy', (options: object) => createOktaKy({ credential: org.ssws(org.org.url), timeoutMs: 2000, ...options })],
    ['oktaKyHooks on your own instance', (options: object) => ky.create({ baseUrl: `${org.org.url}/`, timeout: 2000, hooks: oktaKyHooks({ credential: org.ssws(org.org.url), timeoutMs: 2000, ...options }) })],
  ] as const)("%s: within retry.maxWaitMs, outside timeoutMs and ky's timeout (taken past both, then sent)", async (_name, make) => {
    // 2100 ms: past ky's timeout and timeoutMs (2 s), within retry.maxWaitMs: taken, then asked again ("send now"). The
    // bounds are 2 s, not 300 ms: the request sent after the wait must be answered within them, on a loaded machine too.
    const { rateLimitCoordinator, asked } = asking(2100);
    org.org.resetCounters();
    const api = make({ retry: { maxWaitMs: 5_000 }, rateLimitCoordinator });
    expect(await outcome(() => api.get(users.slice(1)))).toBe(200);
    expect({ asked: asked(), received: received() }).toEqual({ asked: 2, received: 1 });
  });

  it.each([
    ['past retry.maxWaitMs', { retry: { maxWaitMs: 100 } }, {}, {}],
    ["past half of ky's totalTimeout", { retry: { maxWaitMs: 60_000 } }, { totalTimeout: 60_000 }, {}],
    ["past half of a call's ky timeout (it encloses the instance's fetch)", { retry: { maxWaitMs: 60_000 } }, {}, { timeout: 60_000 }],
  ] as const)('createOktaKy: a wait %s is not taken, the coordinator asked once, the request sent', async (_name, options, base, call) => {
    // 45 s past half of a 60 s bound; 45 s past a 100 ms maxWaitMs. Taken, it outlasts the test.
    const { rateLimitCoordinator, asked } = asking(45_000);
    org.org.resetCounters();
    const api = createOktaKy({ credential: org.ssws(org.org.url), ky: ky.create(base), ...options, rateLimitCoordinator });
    expect(await outcome(() => api.get(users.slice(1), call))).toBe(200);
    expect({ asked: asked(), received: received() }).toEqual({ asked: 1, received: 1 });
  });

  it.each([
    ['past retry.maxWaitMs', { retry: { maxWaitMs: 100 } }, {}],
    ["past half of ky's totalTimeout", { retry: { maxWaitMs: 60_000 } }, { totalTimeout: 60_000 }],
  ] as const)('oktaKyHooks on your own instance: a wait %s is not taken, the coordinator asked once, the request sent', async (_name, options, instance) => {
    // 45 s past half of a 60 s totalTimeout; 45 s past a 100 ms maxWaitMs. Taken, it outlasts the test.
    const { rateLimitCoordinator, asked } = asking(45_000);
    org.org.resetCounters();
    const api = ky.create({ baseUrl: `${org.org.url}/`, ...instance, hooks: oktaKyHooks({ credential: org.ssws(org.org.url), ...options, rateLimitCoordinator }) });
    expect(await outcome(() => api.get(users.slice(1)))).toBe(200);
    expect({ asked: asked(), received: received() }).toEqual({ asked: 1, received: 1 });
  });
});

describe("oktaKyHooks on your own instance: ky's wait for a 503's Retry-After", () => {
  it("keeps the instance's own maxRetryAfter when it is below the hooks' bound", async () => {
    // The hooks' bound is half of timeoutMs (30 s, past the test's timeout); the instance's own 50 ms must stay.
    arrange({ kind: 'status', status: 503, headers: { 'Retry-After': '3600' } });
    const api = ky.create({ baseUrl: `${org.org.url}/`, retry: { limit: 2, maxRetryAfter: 50 }, hooks: oktaKyHooks({ credential: org.ssws(org.org.url), timeoutMs: 60_000 }) });
    expect(await outcome(() => api.get(users.slice(1)))).toBe(200);
    expect(received()).toBe(2);
  });
});

describe('what the caller and the log get', () => {
  it("a base instance's hook that throws after the answer: its error as itself, and no error event (those are for the typed errors)", async () => {
    const own = new Error('the app refused this answer');
    const events: string[] = [];
    const base = ky.create({
      hooks: {
        afterResponse: [
          () => {
            throw own;
          },
        ],
      },
    });
    const api = createOktaKy({ credential: org.ssws(org.org.url), ky: base, logger: (event: OktaLogEvent) => events.push(event.type) });
    expect(await outcome(() => api.get(users.slice(1)))).toBe(own);
    expect(events).toEqual(['request', 'response']);
  });

  it("your own instance's ky timeout is TIMEOUT naming ky's timeout, not the hooks' timeoutMs (ky's timeout ended it)", async () => {
    arrange({ kind: 'latency', latencyMs: 60_000 });
    const api = ky.create({ baseUrl: `${org.org.url}/`, timeout: 1_000, retry: 0, hooks: oktaKyHooks({ credential: org.ssws(org.org.url), timeoutMs: 54_321 }) });
    const got = await outcome(() => api.get(users.slice(1)));
    expect(got).toEqual(['TIMEOUT', expect.stringContaining("within 1000 ms (ky's timeout)")]);
    expect(String(got)).not.toContain('54321');
  });
});
