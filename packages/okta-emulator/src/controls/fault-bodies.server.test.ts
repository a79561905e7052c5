import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { ssws } from '../test-helpers/http.js';
import { basic, postToken } from '../test-helpers/oauth.js';

/**
 * The body of a `status` fault without `body`: Okta's answer for the status in the path's API.
 * `/api/v1/*`: Okta's error-code catalogue (EC, `error-codes.json`): 500 `E0000009`, 429 `E0000047`; no
 * generic 502, 503 or 504 there, so `E0000009` [I] (EC's one 503 not tied to a feature, `E0000010`, is a
 * read-only database's, which a fault does not mean: a SIEM feed told "read only mode" looks for the wrong cause). `/oauth2/*`: the OAuth catalogue's
 * `server_error` (CAT3, 500) for every 5xx, CAT3's generic error for a 4xx, as RFC 6749 JSON; 404 and
 * 405 on any path as the org answers an unknown path or a wrong method (FIDELITY.md, FA1–FA3).
 */
const serverError = {
  error: 'server_error',
  error_description: 'The authorization server encountered an unexpected condition that prevented it from fulfilling the request.',
};

describe('a status fault answers Okta’s error for its status and path', () => {
  const env = useApiTokenOrg({ seed: { users: 1 } });
  let auth: Record<string, string>;
  beforeAll(() => {
    const oin = env.org.createOinApp({ scopes: ['okta.users.read'] });
    auth = { Authorization: basic(oin.clientId, oin.clientSecret) };
  });
  beforeEach(() => env.org.clearFaults());

  const users = () => fetch(`${env.org.url}/api/v1/users`, { headers: ssws(env.token) });
  const token = () => postToken(env.org, { grant_type: 'client_credentials', scope: 'okta.users.read' }, auth);

  it.each([
    [500, 'E0000009', 'Internal Server Error'],
    [503, 'E0000009', 'Internal Server Error'],
    [502, 'E0000009', 'Internal Server Error'],
    [504, 'E0000009', 'Internal Server Error'],
  ])('a management path: %i is the Okta error body %s', async (status, errorCode, errorSummary) => {
    env.org.injectFault({ path: '/api/v1/users', kind: 'status', status, count: 1 });
    const res = await users();
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ errorCode, errorSummary, errorLink: errorCode, errorId: expect.stringMatching(/^oae\w+$/) as unknown, errorCauses: [] });
    expect((await users()).status).toBe(200);
  });

  it.each([
    [400, 'E0000001', 'Api validation failed'],
    [403, 'E0000006', 'You do not have permission to perform the requested action'],
    [406, 'E0000149', 'The HTTP request is not acceptable.'],
    [409, 'E0000195', 'Api validation failed due to conflict'],
    [410, 'E0000215', 'This endpoint has been deprecated.'],
    [412, 'E0000231', "ETag value doesn't match."],
    [415, 'E0000001', 'Api validation failed'],
    [422, 'E0000001', 'Api validation failed'],
  ])('a management path: a %i is EC’s entry for the status, %s, not a 500’s (FA5)', async (status, errorCode, errorSummary) => {
    env.org.injectFault({ path: '/api/v1/users', kind: 'status', status, count: 1 });
    const res = await users();
    expect(res.status).toBe(status);
    expect(res.headers.get('www-authenticate')).toBeNull();
    expect(await res.json()).toEqual({ errorCode, errorSummary, errorLink: errorCode, errorId: expect.stringMatching(/^oae\w+$/) as unknown, errorCauses: [] });
    expect((await users()).status).toBe(200);
  });

  /** Status, `WWW-Authenticate` and body (without its `errorId`, new each time) of an answer. */
  const shape = async (res: Response) => {
    const { errorId, ...body } = (await res.json()) as Record<string, unknown>;
    return { status: res.status, challenge: res.headers.get('www-authenticate'), body, errorId: typeof errorId };
  };

  it('a management path: a 401 is the org’s own refusal of a bad token, in the request’s scheme (FA5)', async () => {
    env.org.injectFault({ path: '/api/v1/users', kind: 'status', status: 401, count: 1 });
    const faulted = await shape(await users());
    expect(faulted).toEqual(await shape(await fetch(`${env.org.url}/api/v1/users`, { headers: ssws('00nope') })));
    expect(faulted).toMatchObject({ status: 401, challenge: null, body: { errorCode: 'E0000011', errorSummary: 'Invalid token provided', errorCauses: [] } });

    const { access_token } = (await (await token()).json()) as { access_token: string };
    env.org.injectFault({ path: '/api/v1/users', kind: 'status', status: 401, count: 1 });
    const bearer = await shape(await fetch(`${env.org.url}/api/v1/users`, { headers: { Authorization: `Bearer ${access_token}` } }));
    expect(bearer).toEqual(await shape(await fetch(`${env.org.url}/api/v1/users`, { headers: { Authorization: 'Bearer nope' } })));
    expect(bearer.challenge).toMatch(/^Bearer .*error="invalid_token", error_description="The access token is invalid\.", resource="\/api\/v1\/users"$/);
  });

  it.each([500, 502, 503, 504])('/oauth2/v1/token: %i is RFC 6749 JSON, server_error, not an Okta error body', async (status) => {
    env.org.injectFault({ path: '/oauth2/v1/token', kind: 'status', status, count: 1 });
    const res = await token();
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-okta-request-id')).toBeTruthy();
    expect(await res.json()).toEqual(serverError);
    expect((await token()).status).toBe(200);
  });

  it('a custom authorization server’s path is /oauth2/ too; the default status (503) likewise', async () => {
    env.org.injectFault({ path: '/oauth2/*', kind: 'status', count: 1 });
    const res = await fetch(`${env.org.url}/oauth2/default/v1/keys`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual(serverError);
  });

  it.each([
    [400, 'invalid_request', 'Invalid request'],
    [401, 'invalid_client', 'Client authentication failed. Either the client or the client credentials are invalid.'],
    [403, 'access_denied', 'The resource owner or authorization server denied the request.'],
    [409, 'invalid_request', 'Invalid request'],
  ])('/oauth2/v1/token: %i is RFC 6749 JSON, %s, not an Okta error body (FA3)', async (status, error, error_description) => {
    // CAT3's generic entry for the status: `invalid_request` 400, `invalid_client` 401, `access_denied` 403.
    env.org.injectFault({ path: '/oauth2/v1/token', kind: 'status', status, count: 1 });
    const res = await token();
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ error, error_description });
    expect((await token()).status).toBe(200);
  });

  it('a 404 or 405 is what the org answers an unknown path or a wrong method, on either path (FA3)', async () => {
    for (const path of ['/oauth2/v1/token', '/api/v1/users']) {
      env.org.injectFault({ path, kind: 'status', status: 404, count: 1 });
      env.org.injectFault({ path, kind: 'status', status: 405, count: 1 });
      const call = () => (path === '/api/v1/users' ? users() : token());
      const missing = await call();
      expect([missing.status, await missing.json()]).toEqual([404, expect.objectContaining({ errorCode: 'E0000007', errorSummary: `Not found: Resource not found: ${path} (Resource)` })]);
      const method = await call();
      expect([method.status, await method.json()]).toEqual([405, expect.objectContaining({ errorCode: 'E0000022', errorSummary: 'The endpoint does not support the provided HTTP method' })]);
    }
  });

  it('a 429 is the rate limit’s E0000047 on either path, as the org’s own rate limit answers', async () => {
    env.org.injectFault({ path: '/oauth2/v1/token', kind: 'status', status: 429, count: 1 });
    expect((await (await token()).json()).errorCode).toBe('E0000047');
    env.org.injectFault({ path: '/api/v1/users', kind: 'status', status: 429, count: 1 });
    expect((await (await users()).json()).errorCode).toBe('E0000047');
  });

  it("a fault's own body still wins, on either path", async () => {
    const mine = { error: 'temporarily_unavailable', error_description: 'Try again later.' };
    env.org.injectFault({ path: '/oauth2/v1/token', kind: 'status', status: 503, body: mine, count: 1 });
    expect(await (await token()).json()).toEqual(mine);
    const okta = { errorCode: 'E0000100', errorSummary: 'Unable to perform search query.' };
    env.org.injectFault({ path: '/api/v1/users', kind: 'status', status: 503, body: okta, count: 1 });
    expect(await (await users()).json()).toEqual(okta);
  });
});
