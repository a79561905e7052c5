import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator } from '../index.js';

/**
 * A `status` fault of 400, 401 or 403 given no `body` at `/userinfo` (FIDELITY FA4): Okta answers `/userinfo`'s
 * refusals as a resource server, RFC 6750 §3's challenge and no body (OAS, OBS3, SUP; M10, M11), so the fault
 * answers what the route itself answers: 401 an unknown token's `invalid_token`, 403 `insufficient_scope` with
 * `scope="openid"`. Before, FA3's `invalid_client` (an OAuth client's failure at `/token`) as JSON.
 */
describe('a 4xx status fault at /userinfo is the route’s own refusal', () => {
  let org: OktaEmulator;
  beforeAll(async () => {
    org = await startEmulator();
  });
  afterAll(() => org.close());
  beforeEach(() => org.clearFaults());

  const answer = async (res: Response) => ({ status: res.status, body: await res.text(), type: res.headers.get('content-type'), challenge: res.headers.get('www-authenticate') });
  const userinfo = (authorization = 'Bearer nope', path = '/oauth2/v1/userinfo') => fetch(`${org.url}${path}`, { headers: { Authorization: authorization } });
  const challenge = (scheme: string, error: string, description: string, scope?: string, resource = '/oauth2/v1/userinfo') =>
    `${scheme} ${scheme === 'DPoP' ? 'algs="RS256 RS384 RS512 ES256 ES384 ES512", ' : ''}authorization_uri="${org.url}/oauth2/v1/authorize", realm="${org.url}", ${scope === undefined ? '' : `scope="${scope}", `}error="${error}", error_description="${description}", resource="${resource}"`;

  it.each(['Bearer nope', 'DPoP nope'])('401 (%s): what the route answers an unknown token, no invalid_client JSON', async (authorization) => {
    const own = await answer(await userinfo(authorization));
    org.injectFault({ path: '/oauth2/v1/userinfo', kind: 'status', status: 401, count: 1 });
    const faulted = await answer(await userinfo(authorization));
    expect(faulted).toEqual(own);
    expect(faulted).toEqual({ status: 401, body: '', type: null, challenge: challenge(authorization.split(' ')[0]!, 'invalid_token', 'The access token is invalid.') });
  });

  it('403: the route’s insufficient_scope with scope="openid", no access_denied JSON', async () => {
    org.injectFault({ path: '/oauth2/v1/userinfo', kind: 'status', status: 403, count: 1 });
    expect(await answer(await userinfo())).toEqual({
      status: 403, body: '', type: null, challenge: challenge('Bearer', 'insufficient_scope', 'The access token provided does not contain the required scopes.', 'openid'),
    });
  });

  it('400: invalid_request in the challenge, no body', async () => {
    org.injectFault({ path: '/oauth2/v1/userinfo', kind: 'status', status: 400, count: 1 });
    expect(await answer(await userinfo())).toEqual({ status: 400, body: '', type: null, challenge: challenge('Bearer', 'invalid_request', 'Invalid request') });
  });

  it('a custom authorization server’s /userinfo likewise, its own path the resource', async () => {
    org.injectFault({ path: '/oauth2/default/v1/userinfo', kind: 'status', status: 401, count: 1 });
    const path = '/oauth2/default/v1/userinfo';
    expect(await answer(await userinfo('Bearer nope', path))).toEqual({ status: 401, body: '', type: null, challenge: challenge('Bearer', 'invalid_token', 'The access token is invalid.', undefined, path) });
  });

  it('a fault’s own body and headers still win; a 5xx stays server_error; /token keeps invalid_client', async () => {
    org.injectFault({ path: '/oauth2/v1/userinfo', kind: 'status', status: 401, body: { error: 'invalid_token' }, count: 1 });
    expect(await (await userinfo()).json()).toEqual({ error: 'invalid_token' });
    org.injectFault({ path: '/oauth2/v1/userinfo', kind: 'status', status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' }, count: 1 });
    expect((await answer(await userinfo())).challenge).toBe('Bearer error="invalid_token"');
    org.injectFault({ path: '/oauth2/v1/userinfo', kind: 'status', status: 500, count: 1 });
    expect(await (await userinfo()).json()).toMatchObject({ error: 'server_error' });
    org.injectFault({ path: '/oauth2/v1/token', kind: 'status', status: 401, count: 1 });
    expect(await (await fetch(`${org.url}/oauth2/v1/token`, { method: 'POST' })).json()).toMatchObject({ error: 'invalid_client' });
  });

  it('a fault’s header replaces the answer’s own of that name, not only the org’s (Cache-Control over /token’s no-store)', async () => {
    org.injectFault({ path: '/oauth2/v1/token', kind: 'status', status: 503, headers: { 'cache-control': 'max-age=5' }, count: 1 });
    const res = await fetch(`${org.url}/oauth2/v1/token`, { method: 'POST' });
    expect(res.headers.get('cache-control')).toBe('max-age=5');
    expect(await res.json()).toMatchObject({ error: 'server_error' });
  });
});
