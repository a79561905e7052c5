/**
 * `createOktaKy` over a base instance whose `retry.shouldRetry` says yes to everything (a common
 * way to write "retry up to n times"): the README keeps the base's `shouldRetry`, asked within ky's
 * own budget, for ky's own retries (network failures, 408/5xx). What core itself ended the call with
 * is no such failure and is never ky's to resend: ky asked the base's `shouldRetry` about it too
 * (session 29 review), so a 429 past `retry.limit` was sent again up to ky's whole limit (more
 * requests to an org that is limiting them), a redirect was sent again with the credential, and a
 * credential's own error asked the credential again. Against the emulator, counting what the
 * instance's fetch was handed and what reached the org.
 */
import type { FaultSpec } from '@org/okta-emulator';
import ky from 'ky';
import { describe, expect, it } from 'vitest';
import type { OktaCredential } from '../credential.js';
import { isOktaAuthError } from '../errors/errors.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { createOktaKy } from './create-okta-ky.js';

const org = useApiTokenOrg();
/** Retries anything, at once, within ky's budget: the base's wish. */
const yesBase = ky.create({ retry: { shouldRetry: () => true, delay: () => 0 } });
const users = 'api/v1/users';

/** The call's error code and what was handed to fetch (what reached the org is never more). */
async function outcome(credential: OktaCredential, fault?: Omit<FaultSpec, 'path'>): Promise<{ result: unknown; sent: number }> {
  if (fault) org.org.injectFault({ path: `/${users}`, ...fault });
  org.org.resetCounters();
  let sent = 0;
  const counting: typeof fetch = (input, init) => {
    sent++;
    return fetch(input, init);
  };
  const okta = createOktaKy({ credential, ky: yesBase, fetch: counting, retry: { limit: 2, maxWaitMs: 5000 } });
  const result = await okta.get(users).then(
    (response) => response.status,
    (error: unknown) => (isOktaAuthError(error) ? error.code : String(error)),
  );
  expect(Object.values(org.org.counters().requests).reduce((sum, n) => sum + n, 0), 'requests that reached the org').toBeLessThanOrEqual(sent);
  return { result, sent };
}

describe("createOktaKy over a base instance whose shouldRetry says yes: what core ended the call with is not ky's to resend", () => {
  it('a 429 answered every time: retry.limit 429 retries (3 attempts), then RATE_LIMITED', async () => {
    const fault = { kind: 'status', status: 429, headers: { 'retry-after': '0', 'x-rate-limit-reset': '' } } as const;
    expect(await outcome(org.ssws(org.org.url), fault)).toEqual({ result: 'RATE_LIMITED', sent: 3 });
  });

  it('a redirect: REDIRECT_BLOCKED after one attempt, the credential not sent again', async () => {
    expect(await outcome(org.ssws(org.org.url), { kind: 'redirect', status: 302, location: `${org.org.url}/api/v1/groups` })).toEqual({ result: 'REDIRECT_BLOCKED', sent: 1 });
  });

  it("the credential's own error: reaches the caller as itself, authorize asked once", async () => {
    let asked = 0;
    const failing: OktaCredential = {
      kind: 'vault',
      origin: org.org.url,
      authorize: () => {
        asked++;
        return Promise.reject(new RangeError('the vault is sealed'));
      },
    };
    expect(await outcome(failing)).toEqual({ result: 'RangeError: the vault is sealed', sent: 0 });
    expect(asked).toBe(1);
  });
});

// ky acts on a shouldRetry's exact true or false only, else on its own rules (a 400/404/413 not retried): a base answering
// 1, 'yes', null or 0 resent them up to ky's limit through createOktaKy (waitsum142's reading, any non-undefined a yes).
describe("createOktaKy over a base whose shouldRetry answers no boolean: ky's own rules, as ky itself", () => {
  it.each([1, 'yes', null, 0])('%j: a 400, 404 or 413 is sent once', async (verdict) => {
    const base = ky.create({ retry: { limit: 3, shouldRetry: () => verdict as unknown as boolean, delay: () => 0 } });
    for (const status of [400, 404, 413]) {
      const fault = org.org.injectFault({ path: `/${users}`, kind: 'status', status });
      let sent = 0;
      const counting: typeof fetch = (input, init) => {
        sent++;
        return fetch(input, init);
      };
      const okta = createOktaKy({ credential: org.ssws(org.org.url), ky: base, fetch: counting, retry: { maxWaitMs: 5000 } });
      await okta.get(users).catch(() => undefined);
      org.org.removeFault(fault);
      expect({ status, sent }).toEqual({ status, sent: 1 });
    }
  });
});
