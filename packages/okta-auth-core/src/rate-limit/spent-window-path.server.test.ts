/**
 * A spent window is the path's whose answer said so: core folded every `/api/v1/users/*` path into one bucket, while Okta
 * limits endpoints apart (`/api/v1/users/me` has its own limit; since bucket164 core's keys split them too, and the
 * flag is still the path's: split-buckets.server.test.ts). An answer of `/api/v1/users/me` saying none is left
 * (coord143) failed, unsent, every later `/api/v1/users…` call whose wait for the reset was past its budget, though Okta's
 * limit for it had room (and, never sent, no answer ever told the coordinator). Now the bucket keeps the path (its
 * SHA-256) beside the flag: that path's calls fail `RATE_LIMITED` unsent, another path's is sent and Okta decides.
 * Counted at the emulator.
 */
import { expect, it } from 'vitest';
import { createOktaFetch } from '../request/okta-fetch.js';
import { isOktaApiError } from '../errors/api-error.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { createMemoryRateLimitCoordinator } from './memory-coordinator.js';

const org = useApiTokenOrg();

it("a window /api/v1/users/me said is spent fails only /api/v1/users/me's calls, not another path of the bucket", async () => {
  const emulator = org.org;
  const reset = String(Math.floor(Date.now() / 1000) + 50);
  emulator.injectFault({ path: '/api/v1/users/me', kind: 'status', status: 200, body: {}, headers: { 'x-rate-limit-limit': '10', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': reset, date: new Date().toUTCString() } });
  const okta = createOktaFetch({ credential: org.ssws(emulator.url), rateLimitCoordinator: createMemoryRateLimitCoordinator(), retry: { limit: 2, maxWaitMs: 2000 } });
  expect((await okta('/api/v1/users/me')).status).toBe(200);
  const sent = () => Object.values(emulator.counters().requests).reduce((sum, n) => sum + n, 0);
  const before = sent();
  const again = await okta('/api/v1/users/me').catch((error: unknown) => error);
  expect(isOktaApiError(again) && again.code).toBe('RATE_LIMITED');
  expect(sent()).toBe(before);
  // The bucket's wait is past retry.maxWaitMs (2 s): not taken, the call sent, Okta's answer decides.
  expect((await okta('/api/v1/users?limit=1')).status).toBe(200);
  expect(sent()).toBe(before + 1);
});
