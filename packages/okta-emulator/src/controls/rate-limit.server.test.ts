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

  // Okta limits a user got by id or login (2,000 a minute) and one updated or deleted (600) apart from the list (600): the
  // emulator folded every /api/v1/users path into one bucket, so a client that kept them apart was never tested (rev164b M1).
  it("keeps Okta's buckets apart: the users listed, a user got by id or login, a user updated; a sub-resource is the list's", async () => {
    org.setRateLimit('/api/v1/users', 1);
    expect((await users()).status).toBe(200);
    expect((await users()).status).toBe(429);
    const got = await fetch(`${org.url}/api/v1/users/user0001%40example.com`, { headers: h });
    expect([got.status, got.headers.get('x-rate-limit-limit'), got.headers.get('x-rate-limit-remaining')]).toEqual([200, '2000', '1999']);
    const { id } = (await got.json()) as { id: string };
    const updated = await fetch(`${org.url}/api/v1/users/${id}`, { method: 'POST', headers: { ...h, 'content-type': 'application/json' }, body: JSON.stringify({ profile: { title: 'x' } }) });
    expect([updated.status, updated.headers.get('x-rate-limit-limit'), updated.headers.get('x-rate-limit-remaining')]).toEqual([200, '600', '599']);
    // "/api/v1/users except /api/v1/users/{id} and /api/v1/users/{login}": a user's groups count against the list's bucket.
    expect((await fetch(`${org.url}/api/v1/users/${id}/groups`, { headers: h })).status).toBe(429);
    expect((await fetch(`${org.url}/api/v1/groups`, { headers: h })).status).toBe(200);
  });

  it('sets the limit of a split bucket by its name, and logs its violation under that name', async () => {
    org.setRateLimit('/api/v1/users/{idOrLogin}', 1);
    const me = () => fetch(`${org.url}/api/v1/users/me`, { headers: h });
    expect((await me()).status).toBe(200);
    const refused = await me();
    expect([refused.status, refused.headers.get('x-rate-limit-limit')]).toEqual([429, '1']);
    expect((await users()).status).toBe(200);
    const filter = encodeURIComponent('eventType eq "system.org.rate_limit.violation"');
    const violations = (await (await fetch(`${org.url}/api/v1/logs?filter=${filter}`, { headers: h })).json()) as { debugContext: { debugData: { rateLimitBucketUri: string } } }[];
    expect(violations.map((e) => e.debugContext.debugData.rateLimitBucketUri)).toEqual(['/api/v1/users/{idOrLogin}']);
  });

  it.each([
    ['GET', '/api/v1/users', '600'],
    ['GET', '/api/v1/users/me', '2000'],
    ['POST', '/api/v1/users/me', '600'],
    // (The list of groups is limited to 2 by this file's start options.)
    ['GET', '/api/v1/groups/00g1nothere', '1000'],
    ['GET', '/api/v1/apps', '100'],
    ['GET', '/api/v1/apps/0oa1nothere', '500'],
    ['GET', '/api/v1/logs', '120'],
    ['GET', '/api/v1/iam/resource-sets', '1200'],
    ['GET', '/oauth2/v1/clients/0oa1nothere', '100'],
  ])("%s %s: Okta's default limit for its bucket (%s a minute)", async (method, path, limit) => {
    const res = await fetch(`${org.url}${path}`, { method, headers: { ...h, 'content-type': 'application/json' }, ...(method === 'POST' ? { body: '{}' } : {}) });
    expect(res.headers.get('x-rate-limit-limit')).toBe(limit);
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
    ['/api/v1/users/me', /counts against '\/api\/v1\/users\/\{idOrLogin\}' \(GET\) or '\/api\/v1\/users\/\{id\}' \(POST, PUT, DELETE\)/],
    ['/api/v1/groups/00g1', /counts against '\/api\/v1\/groups\/\{id\}': give that/],
    ['/api/v1/iam', /counts against '\/api\/v1': give that/],
    ['/api/v1/users?limit=1', /a request path without its query/],
    ['api/v1/users', /a request path starting with \//],
    ['http://127.0.0.1:8080/api/v1/users', /a request path starting with \//],
    ['/.well-known/openid-configuration', /counts against '\/\.well-known'/],
    ['/oauth2/v1/clients/0oa1', /counts against '\/oauth2\/v1\/clients': give that/],
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
