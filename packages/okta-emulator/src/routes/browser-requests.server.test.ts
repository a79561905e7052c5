/**
 * Okta's browser-request rules at /token (FIDELITY BR1–BR5): a request with an `Origin` other than
 * the org's own is a browser's. It may use only the authorization code (and refresh token) grant,
 * no client secret or assertion, and only from the origin of one of the app's redirect URIs; each
 * refusal is the catalogue's answer. `browserRules: false` treats it as a server's request.
 */
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../index.js';
import { Browser, pkce, signIn } from '../test-helpers/browser.js';
import { basic, clientAssertion, postToken } from '../test-helpers/oauth.js';
import { exchangeCode, REDIRECT, useSignInApps } from '../test-helpers/user-tokens.js';

const PAGE = new URL(REDIRECT).origin;
const STRANGER = 'http://127.0.0.1:6000';

const GRANT = { error: 'unauthorized_client', error_description: 'Browser requests to the token endpoint may only use the authorization_code grant_type.' };
const AUTH_METHOD = { error: 'invalid_client', error_description: 'Browser requests to the token endpoint must use Proof Key for Code Exchange.' };
const ORIGIN = { error: 'invalid_request', error_description: 'Browser requests to the token endpoint must be part of at least one whitelisted redirect_uri.' };

const answer = async (res: Response): Promise<[number, unknown]> => [res.status, await res.json()];

describe("the token endpoint's browser-request rules", () => {
  const env = useSignInApps();

  const code = async (clientId: string): Promise<{ code: string; verifier: string }> => {
    const { verifier, challenge } = pkce();
    const location = await signIn(env.org, new Browser(), { clientId, redirectUri: REDIRECT, challenge }, 'ada@example.com', 'Correct-Horse1');
    return { code: location.searchParams.get('code')!, verifier };
  };

  it('refuses client credentials from a page (unsupported_grant_type_browser_request), before the client is authenticated', async () => {
    const app = env.org.createServiceApp({ scopes: ['okta.users.read'], requireDpop: false });
    const params = { grant_type: 'client_credentials', scope: 'okta.users.read', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' };
    const fromPage = await postToken(env.org, { ...params, client_assertion: await clientAssertion(env.org, app) }, { Origin: PAGE });
    expect(await answer(fromPage)).toEqual([400, GRANT]);
    // A bad assertion gets the same answer: the page learns nothing of the credentials.
    expect(await answer(await postToken(env.org, { ...params, client_assertion: 'x.y.z' }, { Origin: PAGE }))).toEqual([400, GRANT]);
    // From a server (no Origin, an empty one, or the org's own page) it is issued.
    for (const headers of [{}, { Origin: '' }, { Origin: new URL(env.org.url).origin }]) {
      const res = await postToken(env.org, { ...params, client_assertion: await clientAssertion(env.org, app) }, headers);
      expect(res.status, JSON.stringify(headers)).toBe(200);
    }
  });

  it("refuses a confidential client's secret or assertion from a page (unsupported_auth_method_browser_request), right or wrong", async () => {
    const web = env.web;
    for (const [what, params, headers] of [
      ['client_secret_post', { client_id: web.clientId, client_secret: web.clientSecret! }, {}],
      ['client_secret_basic', {}, { Authorization: basic(web.clientId, web.clientSecret!) }],
      ['a wrong secret', { client_id: web.clientId, client_secret: 'wrong' }, {}],
    ] as const) {
      const { code: c } = await code(web.clientId);
      const res = await postToken(env.org, { grant_type: 'authorization_code', code: c, redirect_uri: REDIRECT, ...params }, { Origin: PAGE, ...headers });
      expect(await answer(res), what).toEqual([401, AUTH_METHOD]);
    }
    // The code was not spent: the server exchanges it.
    const { code: c, verifier } = await code(web.clientId);
    const exchange = { grant_type: 'authorization_code', code: c, redirect_uri: REDIRECT, code_verifier: verifier };
    const secret = { Authorization: basic(web.clientId, web.clientSecret!) };
    expect((await postToken(env.org, exchange, { Origin: PAGE, ...secret })).status).toBe(401);
    const server = await postToken(env.org, exchange, secret);
    expect(server.status).toBe(200);
  });

  it("refuses a public client's exchange from an origin none of its redirect URIs has (illegal_origin_browser_request), compared without case", async () => {
    const { code: c, verifier } = await code(env.spa.clientId);
    expect(await answer(await exchangeCode(env.org, env.spa.clientId, c, verifier, {}, { Origin: STRANGER }))).toEqual([400, ORIGIN]);
    expect(await answer(await exchangeCode(env.org, env.spa.clientId, c, verifier, {}, { Origin: 'null' }))).toEqual([400, ORIGIN]);
    // The code is still good from the page's origin (OKTA-516740: the host compared without case).
    const res = await exchangeCode(env.org, env.spa.clientId, c, verifier, {}, { Origin: 'http://LOCALHOST:5173' });
    const body = (await res.json()) as { refresh_token: string };
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://LOCALHOST:5173');
    // A page renews with its refresh token (Okta's SPA refresh tokens), from its own origin only.
    const refresh = { grant_type: 'refresh_token', refresh_token: body.refresh_token, client_id: env.spa.clientId };
    expect(await answer(await postToken(env.org, refresh, { Origin: STRANGER }))).toEqual([400, ORIGIN]);
    expect((await postToken(env.org, refresh, { Origin: PAGE })).status).toBe(200);
  });

  it("accepts the origin of any of the app's redirect URIs, and never an opaque one (a custom scheme's)", async () => {
    // An unknown code: past the origin check, the grant refuses it (invalid_grant); before it, the origin's refusal.
    const exchange = (clientId: string, origin: string) => postToken(env.org, { grant_type: 'authorization_code', code: 'unknown', redirect_uri: REDIRECT, client_id: clientId }, { Origin: origin });
    const two = env.org.createSignInApp({ type: 'spa', redirectUris: ['http://localhost:5173/callback', 'https://app.example.com/callback'] });
    for (const origin of ['http://localhost:5173', 'https://app.example.com']) expect(((await answer(await exchange(two.clientId, origin)))[1] as { error: string }).error, origin).toBe('invalid_grant');
    // A native app's custom-scheme redirect URI has an opaque origin ("null" to URL), and so has a browser
    // extension's page (Origin: chrome-extension://…): an opaque origin matches no redirect URI.
    const native = env.org.createSignInApp({ type: 'native', redirectUris: ['com.example.app:/callback'] });
    expect(await answer(await exchange(native.clientId, 'chrome-extension://abcdefghijklmnop'))).toEqual([400, ORIGIN]);
  });

  it('browserRules: false treats a browser request as a server request', async () => {
    const org = await startEmulator({ browserRules: false });
    try {
      const app = org.createServiceApp({ scopes: ['okta.users.read'], requireDpop: false });
      const params = { grant_type: 'client_credentials', scope: 'okta.users.read', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' };
      const res = await postToken(org, { ...params, client_assertion: await clientAssertion(org, app) }, { Origin: STRANGER });
      expect([res.status, res.headers.get('access-control-allow-origin')]).toEqual([200, STRANGER]);
    } finally {
      await org.close();
    }
  });
});
