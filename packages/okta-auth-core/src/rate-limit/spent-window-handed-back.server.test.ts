/**
 * A window Okta said is spent (an answer's `X-Rate-Limit-Remaining: 0`, read by a memory coordinator) fails a call
 * whose wait is past its budget with core's `RATE_LIMITED`, nothing sent, whatever `throwHttpErrors` says: no answer
 * came, so none can be handed back (as a network failure). Every driver and every place `throwHttpErrors: false` can
 * be given: the fetch driver's option, createOktaKy's call, `extend` and base instance, a ky instance with
 * `oktaKyHooks`. The error carries the spent window as `rateLimit` (remaining 0, the reset in this machine's clock), no `requestId`.
 * Counted at the emulator, never timed.
 */
import ky, { type KyInstance } from 'ky';
import { describe, expect, it } from 'vitest';
import { createOktaFetch } from '../request/okta-fetch.js';
import { createOktaKy } from '../ky/create-okta-ky.js';
import { oktaKyHooks } from '../ky/hooks.js';
import { isOktaApiError } from '../errors/api-error.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { createMemoryRateLimitCoordinator } from './memory-coordinator.js';

const org = useApiTokenOrg();
const path = 'api/v1/users?limit=1';
const retry = { limit: 2, maxWaitMs: 2000 };

/** Calls with `throwHttpErrors: false`, in each place a driver takes it. */
const handingBack: Record<string, (okta: KyInstance, options: Parameters<typeof createOktaKy>[0]) => Promise<unknown>> = {
  "createOktaKy, the call's option": (okta) => okta(path, { throwHttpErrors: false }),
  'createOktaKy, extend({ throwHttpErrors: false })': (okta) => okta.extend({ throwHttpErrors: false })(path),
  'createOktaKy, extend(() => ({ throwHttpErrors: false }))': (okta) => okta.extend(() => ({ throwHttpErrors: false }))(path),
  "createOktaKy, a base instance's": (_okta, options) => createOktaKy({ ...options, ky: ky.create({ throwHttpErrors: false }) })(path),
  'ky with oktaKyHooks': (_okta, options) => ky.create({ prefix: `${options.credential.origin}/`, hooks: oktaKyHooks(options), throwHttpErrors: false })(path),
};

describe('a window Okta said is spent, with throwHttpErrors: false', () => {
  it('fails every driver RATE_LIMITED, nothing sent, with the window in rateLimit', async () => {
    const emulator = org.org;
    // The org's clock a second into its minute: the window's reset is far past retry.maxWaitMs (2 s).
    const offset = 61 - (Math.floor(Date.now() / 1000) % 60);
    emulator.setClockOffset(offset);
    emulator.setRateLimit('/api/v1/users', 1);
    const rateLimitCoordinator = createMemoryRateLimitCoordinator({ headroom: 0 });
    const options = { credential: org.ssws(emulator.url), rateLimitCoordinator, retry };
    const spending = await createOktaFetch(options)(`/${path}`);
    expect(spending.headers.get('x-rate-limit-remaining')).toBe('0');
    const reset = Number(spending.headers.get('x-rate-limit-reset'));
    const sent = () => emulator.counters().requests['GET /api/v1/users'] ?? 0;
    const before = sent();
    const outcomes: Record<string, unknown> = {
      'createOktaFetch({ throwHttpErrors: false })': await createOktaFetch({ ...options, throwHttpErrors: false })(`/${path}`).catch((error: unknown) => error),
    };
    const okta = createOktaKy(options);
    for (const [name, call] of Object.entries(handingBack)) outcomes[name] = await call(okta, options).catch((error: unknown) => error);
    expect(sent()).toBe(before);
    for (const [name, outcome] of Object.entries(outcomes)) {
      expect(isOktaApiError(outcome), name).toBe(true);
      if (!isOktaApiError(outcome)) continue;
      expect(outcome.code, name).toBe('RATE_LIMITED');
      expect(outcome.message, name).toMatch(/^429 Too Many Requests \(GET 127\.0\.0\.1:\d+\/api\/v1\/users\): nothing was sent: the org's budget for GET \/api\/v1\/users is spent until its reset in \d+ s; its wait of \d+ ms for the reset is past the \d+ ms left of retry\.maxWaitMs; raise retry\.maxWaitMs$/);
      expect(outcome.requestId, name).toBeUndefined();
      expect(outcome.rateLimit.remaining, name).toBe(0);
      // The reset the answer that spent the window said, in this machine's clock (no answer came to read Okta's from):
      // Okta's reset less its clock's lead, within its whole seconds.
      expect(Math.abs((outcome.rateLimit.reset ?? 0) - (reset - offset)), name).toBeLessThanOrEqual(2);
    }
  }, 30_000);
});
