/**
 * The authorize endpoint at its edges (mutation testing, thirty-sixth round): a redirect URI with a
 * query; no state at all, or a character outside the state's set at either end; each authenticator
 * of `enroll_amr_values`; the error pages of a service app's client id, an unregistered redirect URI
 * and an unknown request_uri; a challenge method without a challenge; a challenge with more around
 * its 43 characters; a session exactly `max_age` old; `login_hint`; a native app's label and hint;
 * and the sign-in form's transaction, unknown or at its 600 s.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { authorizeUrl, Browser, hiddenInputs, pkce, signIn } from '../test-helpers/browser.js';
import { REDIRECT, useSignInApps } from '../test-helpers/user-tokens.js';

/** The authenticators `enroll_amr_values` takes (OIDC reference, `/authorize`), written out here so a name dropped from the code's set fails. */
const AUTHENTICATORS = ['pwd', 'kba', 'email', 'sms', 'tel', 'duo', 'symantec', 'google_otp', 'okta_verify', 'pop', 'oath_otp', 'rsa', 'yubikey', 'otp', 'fed'];

describe('the authorize endpoint', () => {
  const env = useSignInApps();
  afterEach(() => {
    vi.useRealTimers();
    env.org.setClockOffset(0);
  });

  /** /authorize for the SPA with `extra`, without a browser: the redirect's URL, or the page's status and text. */
  const authorize = async (extra: Record<string, string>, o: { clientId?: string; redirectUri?: string; challenge?: string | undefined; drop?: string } = {}) => {
    const url = new URL(authorizeUrl(env.org, { clientId: o.clientId ?? env.spa.clientId, redirectUri: o.redirectUri ?? REDIRECT, ...('challenge' in o ? (o.challenge === undefined ? {} : { challenge: o.challenge }) : { challenge: pkce().challenge }), extra }));
    if (o.drop !== undefined) url.searchParams.delete(o.drop);
    const res = await fetch(url, { redirect: 'manual' });
    return { status: res.status, location: res.headers.get('location'), text: await res.text() };
  };
  const errorOf = (location: string | null): Record<string, string> => Object.fromEntries(new URL(location ?? 'http://none/').searchParams);

  it("a redirect URI with a query of its own gets the response's parameters after '&', kept as registered", async () => {
    const registered = 'http://localhost:5173/callback?tenant=acme';
    const app = env.org.createSignInApp({ type: 'spa', redirectUris: [registered] });
    const location = await signIn(env.org, new Browser(), { clientId: app.clientId, redirectUri: registered, challenge: pkce().challenge }, 'ada@example.com', 'Correct-Horse1');
    expect(location.href).toMatch(/^http:\/\/localhost:5173\/callback\?tenant=acme&code=[^&]+&state=st-123$/);
    const refused = await authorize({ response_type: 'token' }, { clientId: app.clientId, redirectUri: registered });
    expect(refused.location).toMatch(/^http:\/\/localhost:5173\/callback\?tenant=acme&error=unsupported_response_type&/);
  });

  it('no state parameter at all is invalid_request, and the error carries no state; a character outside [A-Za-z0-9,._-] at either end is refused', async () => {
    const invalidState = "The authentication request has an invalid 'state' parameter.";
    const none = await authorize({}, { drop: 'state' });
    expect([none.status, errorOf(none.location)]).toEqual([302, { error: 'invalid_request', error_description: invalidState }]);
    for (const state of ['!abc', 'abc!', ' abc']) {
      expect(errorOf((await authorize({ state })).location), state).toEqual({ error: 'invalid_request', error_description: invalidState, state });
    }
  });

  it('an enrollment request takes each authenticator of enroll_amr_values, and refuses a list with one it does not know', async () => {
    const enroll = { response_type: 'none', prompt: 'enroll_authenticator', acr_values: 'urn:okta:loa:2fa:any:ifpossible', max_age: '0' };
    const errors = [];
    for (const amr of [...AUTHENTICATORS, AUTHENTICATORS.join(' ')]) errors.push(errorOf((await authorize({ ...enroll, enroll_amr_values: amr })).location).error);
    expect(errors).toEqual(Array(AUTHENTICATORS.length + 1).fill('unsupported_response_type'));
    expect(errorOf((await authorize({ ...enroll, enroll_amr_values: 'okta_verify webauthn' })).location)).toMatchObject({
      error: 'invalid_request',
      error_description: "'enroll_amr_values' parameter must have valid space delimited authenticators list for request with 'none' as response_type.",
    });
  });

  it("the error page, titled Bad request, with no redirect: a service app's client id, an unregistered redirect URI, an unknown request_uri", async () => {
    const service = env.org.createServiceApp({ scopes: ['okta.users.read'], requireDpop: false });
    const pages = [
      await authorize({}, { clientId: service.clientId }),
      await authorize({}, { redirectUri: 'http://localhost:5173/other' }),
      await authorize({ request_uri: 'urn:ietf:params:oauth:request_uri:unknown' }, { drop: 'redirect_uri' }),
    ];
    const descriptions = ["Invalid value for 'client_id' parameter.", "The 'redirect_uri' parameter must be a Login redirect URI in the client app settings.", 'The authorize request_uri is invalid.'];
    for (const [i, page] of pages.entries()) {
      expect([page.status, page.location]).toEqual([400, null]);
      expect(page.text).toContain('<h1>Bad request</h1>');
      expect(page.text).toContain(`<p>${descriptions[i]!.replaceAll("'", '&#39;')}</p>`);
    }
  });

  it('a native app signs in at /authorize, named on the page by its label, with its hint (README: createSignInApp)', async () => {
    const native = env.org.createSignInApp({ type: 'native', redirectUris: [REDIRECT], label: 'Acme CLI', signInHint: 'Sign in as ada@example.com' });
    const page = await authorize({}, { clientId: native.clientId });
    expect(page.status).toBe(200);
    expect(page.text).toContain('to continue to <strong id="app-name">Acme CLI</strong>');
    expect(page.text).toContain('<p class="hint" id="sign-in-hint">Sign in as ada@example.com</p>');
    const wrong = await new Browser().post(`${env.org.url}/login/sign-in`, { ...hiddenInputs(page.text), username: 'ada@example.com', password: 'wrong' });
    expect(await wrong.text()).toContain('to continue to <strong id="app-name">Acme CLI</strong>');
    const location = await signIn(env.org, new Browser(), { clientId: native.clientId, redirectUri: REDIRECT, challenge: pkce().challenge }, 'ada@example.com', 'Correct-Horse1');
    expect(location.searchParams.get('code')).toEqual(expect.any(String));
  });

  it("a web app's code_challenge_method without a code_challenge is refused as a missing challenge (catalogue pkce_missing_challenge)", async () => {
    const answer = await authorize({ code_challenge_method: 'S256' }, { clientId: env.web.clientId, challenge: undefined });
    expect(errorOf(answer.location)).toEqual({ error: 'invalid_request', error_description: 'PKCE code challenge is required by the application.', state: 'st-123' });
    expect((await authorize({}, { clientId: env.web.clientId, challenge: undefined })).status).toBe(200);
  });

  it('a code_challenge with anything before or after its 43 characters is refused', async () => {
    const { challenge } = pkce();
    for (const wrong of [`!${challenge}`, `${challenge}!`, `${challenge}a`]) {
      const answer = await authorize({}, { challenge: wrong });
      expect(errorOf(answer.location).error_description, wrong).toBe('PKCE code challenge contains illegal characters.');
    }
  });

  it('a session exactly max_age old gets a code at once (OIDC Core §3.1.2.1: only a greater elapsed time signs in again)', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const browser = new Browser();
    await signIn(env.org, browser, { clientId: env.spa.clientId, redirectUri: REDIRECT, challenge: pkce().challenge }, 'ada@example.com', 'Correct-Horse1');
    env.org.setClockOffset(60);
    const at = await browser.get(authorizeUrl(env.org, { clientId: env.spa.clientId, redirectUri: REDIRECT, challenge: pkce().challenge, extra: { max_age: '60' } }));
    expect(at.status).toBe(302);
    env.org.setClockOffset(61);
    const past = await browser.get(authorizeUrl(env.org, { clientId: env.spa.clientId, redirectUri: REDIRECT, challenge: pkce().challenge, extra: { max_age: '60' } }));
    expect(past.status).toBe(200);
  });

  it('login_hint fills the username field; a sign-in posted without a username shows the field empty', async () => {
    const page = await authorize({ login_hint: 'bob@example.com' });
    expect(page.text).toContain('autocomplete="username" required value="bob@example.com"');
    const fields = hiddenInputs((await authorize({})).text);
    const res = await new Browser().post(`${env.org.url}/login/sign-in`, { ...fields, password: 'Bob-Pass1' });
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('autocomplete="username" required value=""');
  });

  it("the sign-in form's transaction: unknown, or at its 600 s, is the 'Sign-in expired' page; in its last second it signs in", async () => {
    const expired = async (fields: Record<string, string>) => {
      const res = await new Browser().post(`${env.org.url}/login/sign-in`, { ...fields, username: 'ada@example.com', password: 'Correct-Horse1' });
      return [res.status, res.headers.get('location'), (await res.text()).includes('<h1>Sign-in expired</h1>')];
    };
    expect(await expired({ txn: 'no-such-transaction' })).toEqual([400, null, true]);
    expect(await expired({})).toEqual([400, null, true]);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const atEdge = hiddenInputs((await authorize({})).text);
    const inTime = hiddenInputs((await authorize({})).text);
    env.org.setClockOffset(600);
    expect(await expired(atEdge)).toEqual([400, null, true]);
    env.org.setClockOffset(599);
    expect((await new Browser().post(`${env.org.url}/login/sign-in`, { ...inTime, username: 'ada@example.com', password: 'Correct-Horse1' })).status).toBe(302);
  });
});
