/**
 * With default settings a call waits out one Okta rate-limit window: a 429 early in the org's
 * one-minute window (the emulator's `setRateLimit`, Okta's headers: the reset is the window's end
 * rounded up to a whole second, `Date` is rounded down) asks `X-Rate-Limit-Reset` − `Date` + 1 s,
 * up to 62 s, which the default `retry.maxWaitMs` (65 s) covers. Before, the default was 60 s, so
 * such a 429 was `RATE_LIMITED` at once, no `backoff` event. The test does not wait the minute:
 * the wait is seen begun (its `backoff` event), then the call's signal ends it (`ABORTED`, never
 * `RATE_LIMITED`), in every driver.
 */
import { failure } from '@org/okta-test-utils';
import { describe } from 'vitest';
import type { OktaLogEvent } from '../config/logger.js';
import { isOktaAuthError } from '../errors/errors.js';
import { itWithApiTokenOrg as it } from '../test-helpers/api-token-org.js';
import { drivers } from '../test-helpers/drivers.js';

describe.concurrent('a 429 early in the window, default settings', () => {
  for (const [name, driver] of Object.entries(drivers)) {
    it(`waits for the reset (${name})`, async ({ org, expect }) => {
      org.org.setRateLimit('/api/v1/users', 1);
      const controller = new AbortController();
      const waits: number[] = [];
      const logger = (event: OktaLogEvent): void => {
        if (event.type !== 'backoff') return;
        waits.push(event.waitMs);
        // Aborted once the wait began, as a caller tired of waiting would.
        setTimeout(() => controller.abort(), 50);
      };
      const okta = driver({ credential: org.ssws(org.org.url), logger });
      await okta.getJson('/api/v1/users?limit=1');
      const pages = okta.pages('/api/v1/users?limit=1', { signal: controller.signal });
      expect((await failure(pages, isOktaAuthError)).code).toBe('ABORTED');
      expect(waits).toHaveLength(1);
      // The window began with the first call, well within a second: 60 s to its end, rounded, and 1 s more.
      expect(waits[0]).toBeGreaterThanOrEqual(60_000);
      expect(waits[0]).toBeLessThanOrEqual(62_000);
      expect(org.org.counters().requests['GET /api/v1/users']).toBe(2);
    });
  }
});

describe.concurrent('a 429 not retried says why, and what to raise', () => {
  const cases = [
    ['a wait past retry.maxWaitMs', { maxWaitMs: 30_000 }, /: not waited for: its wait of 6[0-2]\d{3} ms for the reset is past the 30000 ms left of retry\.maxWaitMs; raise retry\.maxWaitMs$/],
    ['retry.limit spent', { limit: 0 }, /: not retried: retry\.limit \(0\) spent; raise retry\.limit$/],
    ['retry: false', false, /: not retried \(retry: false\)$/],
  ] as const;
  for (const [name, driver] of Object.entries(drivers)) {
    for (const [what, retry, says] of cases) {
      it(`${what} (${name})`, async ({ org, expect }) => {
        org.org.setRateLimit('/api/v1/users', 1);
        const okta = driver({ credential: org.ssws(org.org.url), retry });
        await okta.getJson('/api/v1/users?limit=1');
        const error = await failure(okta.getJson('/api/v1/users?limit=1'), isOktaAuthError);
        expect(error.code).toBe('RATE_LIMITED');
        expect(error.message).toMatch(/^429 E0000047 API call exceeded rate limit due to too many requests\. \(GET 127\.0\.0\.1:\d+\/api\/v1\/users, request id [^)]+\)/);
        expect(error.message).toMatch(says);
      });
    }
  }
});
