import { describe, expect, it } from 'vitest';
import { startEmulator } from '../index.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { rawRequest, ssws } from '../test-helpers/http.js';

describe('server basics', () => {
  const env = useApiTokenOrg({ seed: { users: 3 } });

  it('listens on 127.0.0.1 with an issuer-style URL', () => {
    expect(env.org.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('sends X-Okta-Request-Id, Date and rate-limit headers on every response', async () => {
    for (const path of ['/api/v1/users', '/api/v1/nope', '/.well-known/openid-configuration']) {
      const res = await fetch(`${env.org.url}${path}`, { headers: ssws(env.token) });
      expect(res.headers.get('x-okta-request-id')).toMatch(/^[A-Za-z0-9]{10,}$/);
      expect(res.headers.get('date')).not.toBeNull();
      expect(Number(res.headers.get('x-rate-limit-limit'))).toBeGreaterThan(0);
      expect(res.headers.get('x-rate-limit-remaining')).not.toBeNull();
      expect(Number(res.headers.get('x-rate-limit-reset'))).toBeGreaterThan(1_600_000_000);
    }
  });

  it('gives each response its own request id', async () => {
    const a = await fetch(`${env.org.url}/api/v1/users`, { headers: ssws(env.token) });
    const b = await fetch(`${env.org.url}/api/v1/users`, { headers: ssws(env.token) });
    expect(a.headers.get('x-okta-request-id')).not.toBe(b.headers.get('x-okta-request-id'));
  });

  it('answers unknown paths with Okta 404 E0000007 and wrong methods with 405 E0000022', async () => {
    const res = await fetch(`${env.org.url}/api/v1/nothing-here`, { headers: ssws(env.token) });
    expect(res.status).toBe(404);
    const body = await res.json();
    expect(body).toMatchObject({ errorCode: 'E0000007', errorLink: 'E0000007', errorCauses: [] });
    expect(typeof body.errorId).toBe('string');
    expect(typeof body.errorSummary).toBe('string');
    const put = await fetch(`${env.org.url}/api/v1/groups`, { method: 'PATCH', headers: ssws(env.token) });
    expect(put.status).toBe(405);
    expect((await put.json()).errorCode).toBe('E0000022');
  });

  it('the Date header follows the clock offset', async () => {
    env.org.setClockOffset(86_400 * 10);
    try {
      // Bracketed by the clock read before and after the request (the Date header in whole seconds).
      const before = Date.now();
      const res = await fetch(`${env.org.url}/api/v1/users`, { headers: ssws(env.token) });
      const after = Date.now();
      const serverDate = Date.parse(res.headers.get('date')!);
      expect(serverDate).toBeGreaterThan(before + 86_400 * 10 * 1000 - 1000);
      expect(serverDate).toBeLessThanOrEqual(after + 86_400 * 10 * 1000);
    } finally {
      env.org.setClockOffset(0);
    }
  });

  describe('CORS', () => {
    it('answers preflights with the allowed headers', async () => {
      const res = await rawRequest(`${env.org.url}/api/v1/users`, {
        method: 'OPTIONS',
        headers: {
          Origin: 'http://localhost:5173',
          'Access-Control-Request-Method': 'GET',
          'Access-Control-Request-Headers': 'authorization, dpop',
        },
      });
      expect(res.status).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe('http://localhost:5173');
      expect(res.headers['access-control-allow-headers']).toBe(
        'authorization, dpop, content-type, accept, x-okta-user-agent-extended',
      );
      expect(res.headers['access-control-allow-methods']).toContain('POST');
    });

    it('echoes the origin and exposes Okta headers on real responses', async () => {
      // A page's call with an access token (here none: Okta's 403 is read by the page all the same).
      const res = await fetch(`${env.org.url}/api/v1/users`, { headers: { Origin: 'http://localhost:3000' } });
      expect([res.status, res.headers.get('access-control-allow-origin')]).toEqual([403, 'http://localhost:3000']);
      const exposed = res.headers.get('access-control-expose-headers')!;
      for (const h of ['link', 'x-okta-request-id', 'x-rate-limit-limit', 'x-rate-limit-remaining', 'x-rate-limit-reset', 'dpop-nonce', 'www-authenticate', 'date']) {
        expect(exposed).toContain(h);
      }
      // An API token (SSWS) from a page gets none: Okta refuses it from any origin (FIDELITY CO5).
      const fromPage = await fetch(`${env.org.url}/api/v1/users`, { headers: { ...ssws(env.token), Origin: 'http://localhost:3000' } });
      expect([fromPage.status, fromPage.headers.get('access-control-allow-origin')]).toEqual([200, null]);
    });

    it('sends no CORS headers without an Origin', async () => {
      const res = await fetch(`${env.org.url}/api/v1/users`, { headers: ssws(env.token) });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  describe('counters', () => {
    it('counts requests per endpoint template', async () => {
      env.org.resetCounters();
      await fetch(`${env.org.url}/api/v1/users`, { headers: ssws(env.token) });
      await fetch(`${env.org.url}/api/v1/users?limit=1`, { headers: ssws(env.token) });
      await fetch(`${env.org.url}/api/v1/users/user0001%40example.com`, { headers: ssws(env.token) });
      const c = env.org.counters();
      expect(c.requests['GET /api/v1/users']).toBe(2);
      expect(c.requests['GET /api/v1/users/:id']).toBe(1);
      expect(c.origins).toEqual({});
      env.org.resetCounters();
      expect(env.org.counters()).toEqual({ requests: {}, tokenRequests: {}, origins: {}, maxInFlight: 0, concurrencyLimited: 0 });
    });

    it("counts the requests that carried an Origin, per origin (a page's, or a server runtime that sends one)", async () => {
      env.org.resetCounters();
      const page = 'http://localhost:5173';
      await fetch(`${env.org.url}/api/v1/users`, { headers: { ...ssws(env.token), Origin: page } });
      await fetch(`${env.org.url}/api/v1/users`, { method: 'OPTIONS', headers: { Origin: page, 'Access-Control-Request-Method': 'GET' } });
      await fetch(`${env.org.url}/oauth2/v1/keys`, { headers: { Origin: 'null' } });
      await fetch(`${env.org.url}/oauth2/v1/keys`, { headers: { Origin: '' } });
      await fetch(`${env.org.url}/oauth2/v1/keys`);
      expect(env.org.counters().origins).toEqual({ [page]: 2, null: 1 });
      env.org.resetCounters();
      expect(env.org.counters().origins).toEqual({});
    });
  });

  it('runs several orgs at once without sharing state', async () => {
    const other = await startEmulator();
    try {
      expect(other.url).not.toBe(env.org.url);
      const res = await fetch(`${other.url}/api/v1/users`, { headers: ssws(env.token) });
      expect(res.status).toBe(401);
    } finally {
      await other.close();
    }
  });
});
