/**
 * Client authentication is one check at the four endpoints that take it (OIDC reference: `/token`,
 * `/revoke`, `/introspect` and `/device/authorize` each "requires client authentication"; Okta's
 * OAuth error catalogue has one entry per failure, not one per endpoint): each failure gets the same
 * 401 `invalid_client` answer at all four, so a client's hint for it holds at every endpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator } from '../index.js';
import { basic, form } from '../test-helpers/oauth.js';
import { REDIRECT } from '../test-helpers/user-tokens.js';

let org: OktaEmulator;
let web: { clientId: string; clientSecret?: string };
let posted: { clientId: string; clientSecret?: string };

beforeAll(async () => {
  org = await startEmulator();
  web = org.createSignInApp({ type: 'web', redirectUris: [REDIRECT] });
  posted = org.createSignInApp({ type: 'web', redirectUris: [REDIRECT], tokenEndpointAuthMethod: 'client_secret_post' });
});
afterAll(() => org.close());

/** Each endpoint's own parameters, which a failed client authentication never reaches. */
const endpoints: Record<string, Record<string, string>> = {
  '/oauth2/v1/token': { grant_type: 'authorization_code', code: 'unknown', redirect_uri: REDIRECT },
  '/oauth2/v1/revoke': { token: 'unknown' },
  '/oauth2/v1/introspect': { token: 'unknown' },
  '/oauth2/v1/device/authorize': { scope: 'openid' },
};

async function answers(params: Record<string, string>, headers: Record<string, string> = {}): Promise<unknown[]> {
  return Promise.all(
    Object.entries(endpoints).map(async ([path, own]) => {
      const init = form({ ...own, ...params });
      const res = await fetch(`${org.url}${path}`, { ...init, headers: { ...init.headers, ...headers } });
      return { path, status: res.status, body: await res.json() };
    }),
  );
}

describe('client authentication: the same invalid_client at /token, /revoke, /introspect and /device/authorize', () => {
  const cases: [string, () => [Record<string, string>, Record<string, string>?], string][] = [
    ['a wrong secret', () => [{}, { Authorization: basic(web.clientId, 'not-the-secret') }], 'The client secret supplied for a confidential client is invalid.'],
    ["the other secret method than the app's", () => [{}, { Authorization: basic(posted.clientId, posted.clientSecret ?? '') }], 'Client authentication failed. Either the client or the client credentials are invalid.'],
    ['an unknown client id', () => [{ client_id: '0oa-not-an-app' }], "Invalid value for 'client_id' parameter."],
    ['a confidential client sending only its id', () => [{ client_id: web.clientId }], 'Client authentication failed. Either the client or the client credentials are invalid.'],
    ['no client credentials', () => [{}], 'No client credentials found.'],
  ];

  it.each(cases)('%s', async (_, request, description) => {
    const [params, headers] = request();
    expect(await answers(params, headers)).toEqual(Object.keys(endpoints).map((path) => ({ path, status: 401, body: { error: 'invalid_client', error_description: description } })));
  });
});
