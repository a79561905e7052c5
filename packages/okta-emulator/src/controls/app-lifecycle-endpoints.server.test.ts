/**
 * A deactivated app at each OAuth endpoint (FIDELITY C17): Okta answers its client as one it does
 * not know, `invalid_client` "Invalid value for 'client_id' parameter." (the error page at
 * `/authorize`, 401 where the client authenticates), and its tokens are invalidated for good
 * (OIDC reference: "Reactivating the client doesn't make the token valid again"), and so are
 * its authorization codes, device codes and pushed request_uris.
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

  it('activated again, what it was given before stays invalid: an unredeemed code, a pending and an approved device code, a pushed request_uri; a sign-in page shown before signs in', async () => {
    const native = org.createSignInApp({ type: 'native', redirectUris: [REDIRECT] });
    const client = { client_id: native.clientId };
    const { verifier, challenge } = pkce();
    const code = (await signIn(org, new Browser(), { clientId: native.clientId, redirectUri: REDIRECT, challenge }, 'ada@example.com', 'Correct-Horse1')).searchParams.get('code') ?? '';
    const device = async (): Promise<{ device_code: string; user_code: string }> =>
      (await (await post('/oauth2/v1/device/authorize', { ...client, scope: 'openid' })).json()) as { device_code: string; user_code: string };
    const [pending, approved] = [await device(), await device()];
    org.approveDevice(approved.user_code, 'ada@example.com');
    const begun = hiddenInputs(await (await new Browser().get(authorizeUrl(org, { clientId: native.clientId, redirectUri: REDIRECT, challenge: pkce().challenge }))).text());
    const pushed = (await (await post('/oauth2/v1/par', { ...client, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', state: 's', code_challenge: pkce().challenge, code_challenge_method: 'S256' })).json()) as { request_uri: string };

    org.deactivateApp(native.clientId);
    org.activateApp(native.clientId);
    expect(await answer(await exchangeCode(org, native.clientId, code, verifier))).toEqual([400, { error: 'invalid_grant', error_description: 'The authorization code is invalid or has expired.' }]);
    for (const { device_code } of [pending, approved]) {
      const polled = await postToken(org, { ...client, grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code });
      expect(await answer(polled)).toEqual([400, { error: 'invalid_grant', error_description: 'The device code is invalid or has expired.' }]);
    }
    expect(() => org.approveDevice(pending.user_code, 'ada@example.com')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    const page = await new Browser().get(`${org.url}/oauth2/v1/authorize?${new URLSearchParams({ ...client, request_uri: pushed.request_uri }).toString()}`);
    expect([page.status, await page.text()]).toEqual([400, expect.stringContaining('<p>The authorize request_uri is invalid.</p>')]);
    // A sign-in page is a request, not something issued: submitted once the app is served again, it signs in.
    const signedIn = await new Browser().post(`${org.url}/login/sign-in`, { ...begun, username: 'ada@example.com', password: 'Correct-Horse1' });
    expect(new URL(signedIn.headers.get('location') ?? '').searchParams.get('code')).toEqual(expect.any(String));
  });
});
