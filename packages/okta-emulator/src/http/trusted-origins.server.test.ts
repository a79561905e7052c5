import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator } from '../index.js';
import { serviceToken } from '../test-helpers/oauth.js';

// Trusted Origins (CORS scope), the `trustedOrigins` option (FIDELITY CO1–CO4). A browser's call from an
// origin the org does not trust gets no CORS headers (its fetch rejects); /token refuses it with
// Okta's catalogue answer; the keys and discovery documents stay open; unset, any origin is answered.
// A page calls /api/v1 with an access token (Bearer): an API token (SSWS) from a page is refused
// whatever its origin (SUP2, FIDELITY CO5), tested at the end.
const trusted = 'http://127.0.0.1:5173';
const stranger = 'http://127.0.0.1:6000';

describe('trustedOrigins', () => {
  let org: OktaEmulator;
  let open: OktaEmulator;
  let bearer: string;
  let openBearer: string;
  let apiToken: string;
  beforeAll(async () => {
    org = await startEmulator({ trustedOrigins: [trusted, 'https://app.example.com'] });
    open = await startEmulator();
    bearer = (await serviceToken(org, org.createServiceApp({ scopes: ['okta.users.read'], requireDpop: false }), 'okta.users.read')).access_token;
    openBearer = (await serviceToken(open, open.createServiceApp({ scopes: ['okta.users.read'], requireDpop: false }), 'okta.users.read')).access_token;
    apiToken = org.createApiToken().token;
  });
  afterAll(async () => {
    await org.close();
    await open.close();
  });

  const users = (at: OktaEmulator, origin: string | undefined, authorization = `Bearer ${at === org ? bearer : openBearer}`) =>
    fetch(`${at.url}/api/v1/users?limit=1`, { headers: { Authorization: authorization, ...(origin === undefined ? {} : { Origin: origin }) } });
  const preflight = (at: OktaEmulator, path: string, origin: string) =>
    fetch(`${at.url}${path}`, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' } });

  it('answers CORS for a Trusted Origin, and for none other at /api/v1 (preflight and call)', async () => {
    const fromTrusted = await users(org, trusted);
    expect([fromTrusted.status, fromTrusted.headers.get('access-control-allow-origin')]).toEqual([200, trusted]);
    const fromStranger = await users(org, stranger);
    // The answer is what Okta would send a server (the browser hides it): no CORS headers.
    expect([fromStranger.status, fromStranger.headers.get('access-control-allow-origin'), fromStranger.headers.get('access-control-expose-headers')]).toEqual([200, null, null]);
    const refusedPreflight = await preflight(org, '/api/v1/users', stranger);
    expect([refusedPreflight.headers.get('access-control-allow-origin'), refusedPreflight.headers.get('access-control-allow-methods')]).toEqual([null, null]);
    const allowedPreflight = await preflight(org, '/api/v1/users', trusted);
    expect(allowedPreflight.headers.get('access-control-allow-origin')).toBe(trusted);
  });

  it("refuses a token request from an untrusted origin with Okta's catalogue answer, without CORS headers", async () => {
    const body = new URLSearchParams({ grant_type: 'client_credentials', scope: 'okta.users.read' });
    const res = await fetch(`${org.url}/oauth2/v1/token`, { method: 'POST', body, headers: { Origin: stranger } });
    expect(res.status).toBe(400);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(await res.json()).toEqual({
      error: 'invalid_request',
      error_description: 'Browser requests to the token endpoint must be made from one of the registered Trusted Origins.',
    });
    // From a Trusted Origin the request goes on to the browser-request rules (BR2: no client credentials
    // from a page); without an Origin (a server), or with an empty one (no browser's: OKTA-449621), to the
    // client's authentication.
    for (const [origin, next] of [[trusted, 'unauthorized_client'], [undefined, 'invalid_client'], ['', 'invalid_client']] as const) {
      const on = await fetch(`${org.url}/oauth2/v1/token`, { method: 'POST', body, headers: origin === undefined ? {} : { Origin: origin } });
      expect(((await on.json()) as { error: string }).error, String(origin)).toBe(next);
    }
  });

  it("keeps the keys and discovery documents open to any origin, and the org's own origin trusted", async () => {
    for (const path of ['/oauth2/v1/keys', '/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
      const res = await fetch(`${org.url}${path}`, { headers: { Origin: stranger } });
      expect([res.status, res.headers.get('access-control-allow-origin')], path).toEqual([200, stranger]);
    }
    const own = new URL(org.url).origin;
    expect((await users(org, own)).headers.get('access-control-allow-origin')).toBe(own);
  });

  it('answers any origin when the option is unset (the default), and none without an Origin', async () => {
    expect((await users(open, stranger)).headers.get('access-control-allow-origin')).toBe(stranger);
    expect((await preflight(open, '/api/v1/users', stranger)).headers.get('access-control-allow-methods')).toContain('GET');
    expect((await users(org, undefined)).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses an API token (SSWS) from a page whatever its origin: no CORS headers on the answer (SUP2, CO5)', async () => {
    const ssws = `SSWS ${apiToken}`;
    const noCors = (res: Response) => [res.status, res.headers.get('access-control-allow-origin'), res.headers.get('access-control-expose-headers')];
    // From a Trusted Origin, and from any origin when the option is unset: the answer a server would get, hidden from the page.
    expect(noCors(await users(org, trusted, ssws))).toEqual([200, null, null]);
    expect(noCors(await users(org, 'null', ssws))).toEqual([200, null, null]);
    const openToken = open.createApiToken().token;
    expect(noCors(await users(open, stranger, `ssws  ${openToken}`))).toEqual([200, null, null]);
    // A preflight carries the header's name, never its value: it is answered by origin alone (CO1).
    expect((await preflight(org, '/api/v1/users', trusted)).headers.get('access-control-allow-origin')).toBe(trusted);
    // Not a page's call: no Origin, an empty one, the org's own origin.
    const own = new URL(org.url).origin;
    expect((await users(org, own, ssws)).headers.get('access-control-allow-origin')).toBe(own);
    expect((await users(org, '', ssws)).headers.get('access-control-allow-origin')).toBeNull();
    expect((await users(org, undefined, ssws)).status).toBe(200);
  });

  it('answers a page with an API token when browserRules is false (server code run in a page, as the runtime matrix does)', async () => {
    const serverInPage = await startEmulator({ browserRules: false });
    try {
      const res = await fetch(`${serverInPage.url}/api/v1/users?limit=1`, { headers: { Authorization: `SSWS ${serverInPage.createApiToken().token}`, Origin: stranger } });
      expect([res.status, res.headers.get('access-control-allow-origin')]).toEqual([200, stranger]);
    } finally {
      await serverInPage.close();
    }
  });
});
