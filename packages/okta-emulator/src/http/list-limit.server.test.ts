/**
 * `limit` out of range on the lists, read by one reader (`pagination.ts` `readLimit`) for the Users
 * API and the System Log alike: above the list's maximum is the maximum (a System Log `limit` over
 * 1000 answers 1000 events and links its next page with `limit=1000`), anything but digits is the
 * default. FIDELITY, "`limit` out of range".
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { parseLinks, ssws } from '../test-helpers/http.js';

describe('limit out of range', () => {
  const env = useApiTokenOrg({ seed: { users: 205 } });

  beforeAll(() => {
    for (let n = 0; n < 1001; n++) env.org.recordLogEvent({ eventType: 'test.limit', displayMessage: `n${n}` });
  });

  const page = async (path: string) => {
    const res = await fetch(`${env.org.url}${path}`, { headers: ssws(env.token) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as unknown[];
    return { length: body.length, next: parseLinks(res.headers.get('link')).next };
  };
  const logs = (limit: string) => page(`/api/v1/logs?${new URLSearchParams({ filter: 'eventType eq "test.limit"', since: new Date(Date.now() - 3600_000).toISOString(), limit }).toString()}`);

  it.each(['1001', '5000', '99999999999999999999999'])('System Log: limit=%s answers 1000 events, and its next link asks for 1000', async (limit) => {
    const first = await logs(limit);
    expect(first.length).toBe(1000);
    expect(new URL(first.next!).searchParams.get('limit')).toBe('1000');
    expect((await page(new URL(first.next!).pathname + new URL(first.next!).search)).length).toBe(1);
  });

  it.each(['1e3', '10abc', '-5', '2.5', ''])('System Log: limit=%o is not a number of events: the default, 100', async (limit) => {
    expect((await logs(limit)).length).toBe(100);
  });

  it.each(['1001', '5000', '99999999999999999999999'])('Users: limit=%s answers 200, the maximum', async (limit) => {
    const first = await page(`/api/v1/users?limit=${limit}`);
    expect(first.length).toBe(200);
    expect(new URL(first.next!).searchParams.get('limit')).toBe('200');
  });

  it.each(['1e3', '10abc', '-5', '2.5', '0'])('Users: limit=%o is read as the System Log reads it: the default, 200', async (limit) => {
    expect((await page(`/api/v1/users?limit=${limit}`)).length).toBe(200);
  });
});
