/**
 * A 429 that is not retried (its retries or its wait budget spent, or `retry: false`) with
 * `throwHttpErrors: false`: the core README says the fetch wrapper then returns the answer, and
 * only a status past 599 is the call's error "whatever throwHttpErrors says". The ky drivers
 * threw `RATE_LIMITED` instead (session 29 review), so a caller that handles its own non-2xx
 * answers (`throwHttpErrors: false`) got an exception for this one status through ky alone.
 * Through each driver against a scripted server on 127.0.0.1 (the harness of
 * `drivers-differential.server.test.ts`): the same outcome, the same attempts, the same log.
 */
import { json } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { driverNames, observe, type DriverName, type Observed } from '../test-helpers/observe.js';
import type { RetryOptions } from '../config/transport.js';
import { useScriptedServer } from '../test-helpers/scripted-server.js';

const okta = useScriptedServer();

/** A 429's headers: a reset `waitS` seconds ahead (no `Date`: on the local clock), or for 0 `Retry-After: 0` (a retry at once). */
const waitHeaders = (waitS: number): Record<string, string> =>
  waitS === 0 ? { 'retry-after': '0' } : { 'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + waitS) };
const tooMany = { errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit due to too many requests.' };

const rows: Record<string, { readonly retry: RetryOptions | false; readonly waitS: number; readonly expected: Partial<Observed> }> = {
  'retry: false (one attempt per call)': {
    retry: false,
    waitS: 0,
    expected: { sent: [[null, null]], events: ['request#1', 'response#1:429'] },
  },
  'its retries spent (retry.limit 1)': {
    retry: { limit: 1, maxWaitMs: 5000 },
    waitS: 0,
    expected: { sent: [[null, null], ['answer#1', '1']], events: ['request#1', 'response#1:429', 'backoff#1:0', 'retry#1:rate-limit', 'request#2', 'response#2:429'] },
  },
  'a wait past retry.maxWaitMs (not started)': {
    retry: { limit: 2, maxWaitMs: 5000 },
    waitS: 3600,
    expected: { sent: [[null, null]], events: ['request#1', 'response#1:429'] },
  },
};

describe.each(Object.keys(rows))('a 429 not retried, %s, with throwHttpErrors: false', (scenario) => {
  const row = rows[scenario]!;
  it('is handed back as the answer through createOktaFetch, createOktaKy and oktaKyHooks alike', async () => {
    const seen: Partial<Record<DriverName, Observed>> = {};
    for (const driver of driverNames) {
      okta.handle((_req, res) => {
        res.sendDate = false;
        json(res, 429, tooMany, { 'x-okta-request-id': `req-429-${okta.requests.length}`, ...waitHeaders(row.waitS) });
      });
      seen[driver] = await observe(driver, { path: '/api/v1/users' }, { credential: countingCredential(okta.origin), retry: row.retry, timeoutMs: 10_000, throwHttpErrors: false });
    }
    // The answer's own body, read by the caller (`.json()`), as with any other status handed back.
    expect(seen.fetch).toEqual({ outcome: { value: tooMany }, ...row.expected });
    for (const driver of driverNames) expect({ driver, ...seen[driver] }).toEqual({ driver, ...seen.fetch });
  });
});
