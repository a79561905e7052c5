/**
 * A failed call's `error` event carries the `X-Okta-Request-Id` of the answer it failed on, the
 * error's own `requestId`, so a support case can be opened from the log line alone: under
 * concurrent calls the `response` event before it cannot be told from another call's of the same
 * method, path and attempt. A call that failed with no answer (a timeout) has none. Every driver,
 * on a real org.
 */
import { describe } from 'vitest';
import { isOktaApiError } from '../errors/api-error.js';
import type { OktaLogEvent } from './logger.js';
import { drivers } from '../test-helpers/drivers.js';
import { itWithApiTokenOrg } from '../test-helpers/api-token-org.js';

describe.each(Object.entries(drivers))('the error event of a failed call (%s)', (_name, driver) => {
  itWithApiTokenOrg("names the failed answer's request id, the error's", async ({ org: tokenOrg, expect }) => {
    const { org } = tokenOrg;
    const events: OktaLogEvent[] = [];
    const client = driver({ credential: tokenOrg.ssws(org.url), logger: (event) => void events.push(event) });
    org.injectFault({ path: '/api/v1/groups', kind: 'status', status: 400, count: 1 });
    let error: unknown;
    try {
      await client.getJson('/api/v1/groups?q=jane%40example.com');
    } catch (caught) {
      error = caught;
    }
    if (!isOktaApiError(error) || error.requestId === undefined) throw new Error(`expected an OktaApiError with a request id, got ${String(error)}`);
    const response = events.find((event) => event.type === 'response');
    expect(response?.call).toEqual(expect.any(Number));
    expect(events.at(-1)).toEqual({ type: 'error', code: 'API_ERROR', requestId: error.requestId, call: response?.call, method: 'GET', url: `${org.url}/api/v1/groups?…`, attempt: 1 });
    expect(response).toMatchObject({ requestId: error.requestId });
  });

  itWithApiTokenOrg('names none for a call that got no answer', async ({ org: tokenOrg, expect }) => {
    const { org } = tokenOrg;
    const events: OktaLogEvent[] = [];
    const client = driver({ credential: tokenOrg.ssws(org.url), logger: (event) => void events.push(event), timeoutMs: 200, retry: false });
    org.injectFault({ path: '/api/v1/groups', kind: 'hold', count: 1, holdMs: 5_000 });
    await expect(client.getJson('/api/v1/groups')).rejects.toMatchObject({ code: 'TIMEOUT' });
    org.clearFaults();
    const last = events.at(-1);
    expect(last).toMatchObject({ type: 'error', code: 'TIMEOUT' });
    expect(last).toHaveProperty('requestId', undefined);
  });
});
