/**
 * A deactivated app at each OAuth endpoint (FIDELITY C17): Okta answers its client as one it does
 * not know, `invalid_client` "Invalid value for 'client_id' parameter." (the error page at
 * `/authorize`, 401 where the client authenticates), and its tokens are invalidated for good
 * (OIDC reference: "Reactivating the client doesn't make the token valid again").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator } from '../index.js';
import { authorizeUrl, Browser, hiddenInputs, pkce, signIn } from '../test-helpers/browser.js';
import { basic, form, postToken } from '../test-helpers/oauth.js';
import { exchangeCode, REDIRECT, userTokens } from '../test-helpers/user-tokens.js';

let org: OktaEmulator;
beforeAll(async () => {
  org = await startEmulator();
  org.createUser({ login: 'ada@example.com', password: 'Correct-Horse1' });
});
afterAll(() => org.close());

const UNKNOWN = "Invalid value for 'client_id' parameter.";
const refusedClient = { error: 'invalid_client', error_description: UNKNOWN };
const post = (path: string, params: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> => {
  const init = form(params);
  return fetch(`${org.url}${path}`, { ...init, headers: { ...init.headers, ...headers } });
};
const answer = async (response: Response): Promise<[number, unknown]> => [response.status, await response.json()];

describe('a deactivated app, endpoint by endpoint', () => {
  it("/authorize: Okta's error page for an unknown client, no redirect, no code, signed in or not; a sign-in begun before gets no code; activated, it signs in again", async () => {
    const native = org.createSignInApp({ type: 'native', redirectUris: [REDIRECT] });
    const browser = new Browser();
    await signIn(org, browser, { clientId: native.clientId, redirectUri: REDIRECT, challenge: pkce().challenge }, 'ada@example.com', 'Correct-Horse1');
    const begun = await new Browser().get(authorizeUrl(org, { clientId: native.clientId, redirectUri: REDIRECT, challenge: pkce().challenge }));
    expect(begun.status).toBe(200);
    const fields = hiddenInputs(await begun.text());

    org.deactivateApp(native.clientId);
    for (const who of [browser, new Browser()]) {
      const page = await who.get(authorizeUrl(org, { clientId: native.clientId, redirectUri: REDIRECT, challenge: pkce().challenge }));
      expect([page.status, page.headers.get('location')]).toEqual([400, null]);
      expect(await page.text()).toContain(`<p>${UNKNOWN.replaceAll("'", '&#39;')}</p>`);
    }
    const late = await new Browser().post(`${org.url}/login/sign-in`, { ...fields, username: 'ada@example.com', password: 'Correct-Horse1' });
    expect([late.status, late.headers.get('location')]).toEqual([400, null]);
    expect(await late.text()).toContain(`<p>${UNKNOWN.replaceAll("'", '&#39;')}</p>`);

    org.activateApp(native.clientId);
    const again = await signIn(org, new Browser(), { clientId: native.clientId, redirectUri: REDIRECT, challenge: pkce().challenge }, 'ada@example.com', 'Correct-Horse1');
    expect(again.searchParams.get('code')).toEqual(expect.any(String));
  });

  it('/device/authorize, /token with a refresh token, /introspect, /revoke: 401 invalid_client as for an unknown client; activated, its tokens stay invalid', async () => {
    const native = org.createSignInApp({ type: 'native', redirectUris: [REDIRECT] });
    const tokens = await userTokens(org, native.clientId, 'ada@example.com', 'Correct-Horse1');
    const refresh = tokens.refresh_token ?? '';
    const client = { client_id: native.clientId };

    org.deactivateApp(native.clientId);
    expect(await answer(await post('/oauth2/v1/device/authorize', { ...client, scope: 'openid offline_access' }))).toEqual([401, refusedClient]);
    expect(await answer(await postToken(org, { ...client, grant_type: 'refresh_token', refresh_token: refresh }))).toEqual([401, refusedClient]);
    expect(await answer(await post('/oauth2/v1/introspect', { ...client, token: tokens.access_token }))).toEqual([401, refusedClient]);
    expect(await answer(await post('/oauth2/v1/revoke', { ...client, token: refresh }))).toEqual([401, refusedClient]);

    org.activateApp(native.clientId);
    expect(await answer(await post('/oauth2/v1/introspect', { ...client, token: tokens.access_token }))).toEqual([200, { active: false }]);
    expect(await answer(await post('/oauth2/v1/introspect', { ...client, token: refresh, token_type_hint: 'refresh_token' }))).toEqual([200, { active: false }]);
    expect((await postToken(org, { ...client, grant_type: 'refresh_token', refresh_token: refresh })).status).toBe(400);
  });

  it('a confidential web app: its code, refresh and introspection with its right secret, and the code of a sign-in just done, all refused the same way', async () => {
    const web = org.createSignInApp({ type: 'web', redirectUris: [REDIRECT] });
    const secret = { Authorization: basic(web.clientId, web.clientSecret ?? '') };
    const { verifier, challenge } = pkce();
    const location = await signIn(org, new Browser(), { clientId: web.clientId, redirectUri: REDIRECT, challenge }, 'ada@example.com', 'Correct-Horse1');

    org.deactivateApp(web.clientId);
    const exchanged = await exchangeCode(org, web.clientId, location.searchParams.get('code') ?? '', verifier, {}, secret);
    expect(await answer(exchanged)).toEqual([401, refusedClient]);
    expect(await answer(await post('/oauth2/v1/introspect', { token: 'anything-at-all' }, secret))).toEqual([401, refusedClient]);
  });
});
