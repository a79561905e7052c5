import { failure } from '@org/okta-test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator } from '../index.js';
import { ssws } from '../test-helpers/http.js';
import { basic, postToken } from '../test-helpers/oauth.js';

describe('rate limits', () => {
  let org: OktaEmulator;
  let h: Record<string, string>;
  beforeEach(async () => {
    org = await startEmulator({ seed: { users: 2 }, rateLimits: { '/api/v1/groups': 2 } });
    h = ssws(org.createApiToken().token);
  });
  afterEach(() => org.close());

  const users = () => fetch(`${org.url}/api/v1/users`, { headers: h });

  it('counts down X-Rate-Limit-Remaining and answers 429 E0000047 past the limit', async () => {
    org.setRateLimit('/api/v1/users', 3);
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await users();
      expect(res.status).toBe(200);
      expect(res.headers.get('x-rate-limit-limit')).toBe('3');
      remaining.push(res.headers.get('x-rate-limit-remaining')!);
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const limited = await users();
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({
      errorCode: 'E0000047',
      errorSummary: 'API call exceeded rate limit due to too many requests.',
      errorLink: 'E0000047',
      errorCauses: [],
    });
    expect(limited.headers.get('x-rate-limit-remaining')).toBe('0');
    const reset = Number(limited.headers.get('x-rate-limit-reset'));
    const date = Date.parse(limited.headers.get('date')!) / 1000;
    expect(reset - date).toBeGreaterThan(0);
    expect(reset - date).toBeLessThanOrEqual(61);
    expect(limited.headers.get('x-okta-request-id')).toBeTruthy();
  });

  it('keeps buckets separate, and a user lookup shares the /api/v1/users bucket', async () => {
    org.setRateLimit('/api/v1/users', 1);
    expect((await users()).status).toBe(200);
    const first = await fetch(`${org.url}/api/v1/users/user0001%40example.com`, { headers: h });
    expect(first.status).toBe(429);
    expect((await fetch(`${org.url}/api/v1/groups`, { headers: h })).status).toBe(200);
  });

  it('takes per-bucket limits from the start options', async () => {
    expect((await fetch(`${org.url}/api/v1/groups`, { headers: h })).status).toBe(200);
    expect((await fetch(`${org.url}/api/v1/groups`, { headers: h })).status).toBe(200);
    expect((await fetch(`${org.url}/api/v1/groups`, { headers: h })).status).toBe(429);
  });

  it('opens a new window a minute later on the org clock', async () => {
    org.setRateLimit('/api/v1/users', 1);
    expect((await users()).status).toBe(200);
    expect((await users()).status).toBe(429);
    org.setClockOffset(61);
    const res = await users();
    expect(res.status).toBe(200);
    expect(res.headers.get('x-rate-limit-remaining')).toBe('0');
  });

  it('limits the token endpoint with the Okta 429 body', async () => {
    org.setRateLimit('/oauth2/v1/token', 1);
    const oin = org.createOinApp({ scopes: ['okta.users.read'] });
    const auth = { Authorization: basic(oin.clientId, oin.clientSecret) };
    expect((await postToken(org, { grant_type: 'client_credentials', scope: 'okta.users.read' }, auth)).status).toBe(200);
    const res = await postToken(org, { grant_type: 'client_credentials', scope: 'okta.users.read' }, auth);
    expect(res.status).toBe(429);
    expect((await res.json()).errorCode).toBe('E0000047');
  });

  // A team's test that limits what is no bucket (a user's path, a query, the org URL) was never limited:
  // its 429 never came, and nothing said why.
  it.each([
    ['/api/v1/users/me', /counts against '\/api\/v1\/users': give that/],
    ['/api/v1/users?limit=1', /a request path without its query/],
    ['api/v1/users', /a request path starting with \//],
    ['http://127.0.0.1:8080/api/v1/users', /a request path starting with \//],
    ['/.well-known/openid-configuration', /counts against '\/\.well-known'/],
  ])('refuses %s, which is no bucket, naming the bucket it counts against', (bucket, what) => {
    expect(() => org.setRateLimit(bucket, 1)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', option: 'bucket', message: expect.stringMatching(what) }));
  });

  it('admin route sets a limit', async () => {
    const r = await fetch(`${org.url}/__emulator/rate-limits`, { method: 'POST', body: JSON.stringify({ bucket: '/api/v1/users', perMinute: 1 }) });
    expect(r.status).toBe(204);
    await users();
    expect((await users()).status).toBe(429);
  });

  it('the concurrency limit answers 429 with Limit and Remaining 0 while requests are in flight', async () => {
    org.setConcurrencyLimit(1);
    org.injectFault({ path: '/api/v1/users', kind: 'latency', latencyMs: 30_000, count: 1 });
    const abort = new AbortController();
    const slow = failure(fetch(`${org.url}/api/v1/users`, { headers: h, signal: abort.signal }));
    while ((org.counters().requests['GET /api/v1/users'] ?? 0) < 1) await new Promise((r) => setTimeout(r, 5));
    const rejected = await users();
    expect(rejected.status).toBe(429);
    expect(rejected.headers.get('x-rate-limit-limit')).toBe('0');
    expect(rejected.headers.get('x-rate-limit-remaining')).toBe('0');
    expect((await rejected.json()).errorCode).toBe('E0000047');
    abort.abort();
    expect(await slow).toBeInstanceOf(Error);
    org.setConcurrencyLimit(undefined);
    expect((await users()).status).toBe(200);
  });

  it("with Okta's per-principal share (0.5), one API token gets half a bucket and another token the rest", async () => {
    org.setRateLimit('/api/v1/users', 4);
    org.setPrincipalRateLimitShare(0.5);
    const other = ssws(org.createApiToken().token);
    expect((await users()).status).toBe(200);
    expect((await users()).status).toBe(200);
    const third = await users();
    expect(third.status).toBe(429);
    expect(third.headers.get('x-rate-limit-limit')).toBe('2');
    expect((await third.json()).errorCode).toBe('E0000047');
    const fromOther = await fetch(`${org.url}/api/v1/users`, { headers: other });
    expect(fromOther.status).toBe(200);
    expect(fromOther.headers.get('x-rate-limit-remaining')).toBe('1');
    org.setPrincipalRateLimitShare(undefined);
    expect((await users()).status).toBe(200);
    expect(() => org.setPrincipalRateLimitShare(0)).toThrow(expect.objectContaining({ name: 'OktaEmulatorError', code: 'INVALID_OPTION', option: 'share' }));
  });
});
