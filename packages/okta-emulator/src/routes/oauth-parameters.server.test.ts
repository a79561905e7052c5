import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator } from '../index.js';
import { authorizeUrl, Browser, hiddenInputs, pkce } from '../test-helpers/browser.js';
import { basic, form } from '../test-helpers/oauth.js';
import { userTokens } from '../test-helpers/user-tokens.js';

const REDIRECT = 'http://localhost:5173/callback';
const DEVICE = 'urn:ietf:params:oauth:grant-type:device_code';

/** How the OAuth endpoints read their parameters (docs/FIDELITY.md O1-O3, O8-O9). */
describe('OAuth request parameters', () => {
  let org: OktaEmulator;
  let native: { clientId: string };
  let web: { clientId: string; clientSecret?: string };
  let spa: { clientId: string };

  beforeAll(async () => {
    org = await startEmulator();
    native = org.createSignInApp({ type: 'native', redirectUris: [REDIRECT] });
    web = org.createSignInApp({ type: 'web', redirectUris: [REDIRECT] });
    spa = org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT] });
  });
  afterAll(() => org.close());

  const post = async (path: string, body: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${org.url}${path}`, { ...form({}), headers: { ...form({}).headers, ...headers }, body });
    const text = await res.text();
    return { status: res.status, cache: res.headers.get('cache-control'), body: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown> };
  };

  it.each([
    ['/oauth2/v1/token', () => `grant_type=${encodeURIComponent(DEVICE)}&device_code=a&device_code=b&client_id=${native.clientId}`, 'device_code'],
    ['/oauth2/v1/token', () => `grant_type=client_credentials&grant_type=client_credentials&client_id=${native.clientId}`, 'grant_type'],
    ['/oauth2/v1/device/authorize', () => `client_id=${native.clientId}&scope=openid&scope=profile`, 'scope'],
    ['/oauth2/v1/revoke', () => `token=a&token=b&client_id=${spa.clientId}`, 'token'],
    ['/oauth2/v1/introspect', () => `token=a&client_id=${spa.clientId}&client_id=${spa.clientId}`, 'client_id'],
  ])('%s refuses a parameter sent twice: 400 invalid_request naming it (%#)', async (path, body, name) => {
    const res = await post(path, body());
    expect(res).toEqual({
      status: 400,
      cache: 'no-store',
      body: { error: 'invalid_request', error_description: `Duplicate parameter provided in request. Duplicated parameters: [${name}].` },
    });
  });

  it.each([
    ['/oauth2/v1/token', () => `=a&=b&grant_type=client_credentials&client_id=${native.clientId}`],
    ['/oauth2/v1/device/authorize', () => `client_id=${native.clientId}&scope=openid&=a&=b`],
    ['/oauth2/v1/revoke', () => `token=a&client_id=${spa.clientId}&=&=`],
  ])('%s refuses a parameter without a name sent twice in the catalogue\'s words without names, never "[]" (%#)', async (path, body) => {
    expect(await post(path, body())).toEqual({
      status: 400,
      cache: 'no-store',
      body: { error: 'invalid_request', error_description: 'The request contained multiple parameters with the same name.' },
    });
    // Beside named repeats, those are named; the one without a name is not listed as ''.
    expect((await post(path, `${body()}&scope=x&scope=y`)).body).toEqual({
      error: 'invalid_request',
      error_description: 'Duplicate parameter provided in request. Duplicated parameters: [scope].',
    });
  });

  it('/device/authorize takes the client id as the public client\'s authentication: without it 401 invalid_client (O4)', async () => {
    const res = await post('/oauth2/v1/device/authorize', 'scope=openid');
    expect(res).toEqual({ status: 401, cache: 'no-store', body: { error: 'invalid_client', error_description: 'No client credentials found.' } });
  });

  it('still takes each parameter once, and a scope of several values', async () => {
    const res = await post('/oauth2/v1/device/authorize', `client_id=${native.clientId}&scope=${encodeURIComponent('openid profile')}`);
    expect(res.status).toBe(200);
    expect(res.body.device_code).toEqual(expect.any(String));
  });

  it.each([
    ['client_secret', () => `client_secret=${web.clientSecret!}`],
    ['client_assertion', () => 'client_assertion=eyJ.e30.sig&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer'],
  ])('refuses client credentials in the query string (%s): 400 invalid_request, never ignored', async (_name, query) => {
    for (const path of ['/oauth2/v1/token', '/oauth2/v1/revoke', '/oauth2/v1/introspect', '/oauth2/v1/device/authorize']) {
      const res = await post(`${path}?${query()}`, `grant_type=authorization_code&token=t&client_id=${web.clientId}`);
      expect(res).toEqual({
        status: 400,
        cache: 'no-store',
        body: { error: 'invalid_request', error_description: 'Client credentials cannot be supplied via query parameters.' },
      });
      expect(JSON.stringify(res.body)).not.toContain(web.clientSecret!);
    }
    // The same secret in its place authenticates.
    const ok = await post('/oauth2/v1/revoke', 'token=t', { Authorization: basic(web.clientId, web.clientSecret!) });
    expect(ok.status).toBe(200);
  });

  it.each(['application/x-www-form-urlencodedX', 'application/x-www-form-urlencoded-json', 'application/x-www-form-urlencoded/json'])(
    'refuses a content type that only begins with the form media type (%s): 400 invalid_request (O8)',
    async (type) => {
      const res = await post('/oauth2/v1/revoke', `token=t&client_id=${spa.clientId}`, { 'Content-Type': type });
      expect(res).toEqual({
        status: 400,
        cache: 'no-store',
        body: { error: 'invalid_request', error_description: "The request must be sent with Content-Type 'application/x-www-form-urlencoded'." },
      });
    },
  );

  it('takes the form media type in any case, with parameters (O8)', async () => {
    for (const type of ['application/x-www-form-urlencoded; charset=UTF-8', 'Application/X-WWW-Form-URLEncoded', 'application/x-www-form-urlencoded ;charset=utf-8']) {
      expect((await post('/oauth2/v1/revoke', `token=t&client_id=${spa.clientId}`, { 'Content-Type': type })).status).toBe(200);
    }
  });

  it('/introspect takes a public client\'s client_id from the query string or the body, not both (O9)', async () => {
    org.createUser({ login: 'ines@example.com', password: 'pw-Ines-1' });
    const { access_token } = await userTokens(org, spa.clientId, 'ines@example.com', 'pw-Ines-1', 'openid');
    const token = `token=${encodeURIComponent(access_token)}`;
    const inQuery = await post(`/oauth2/v1/introspect?client_id=${spa.clientId}`, token);
    expect(inQuery.status).toBe(200);
    expect(inQuery.body).toMatchObject({ active: true, client_id: spa.clientId });
    expect((await post('/oauth2/v1/introspect', `${token}&client_id=${spa.clientId}`)).body).toMatchObject({ active: true });
    expect(await post('/oauth2/v1/introspect', token)).toMatchObject({ status: 401, body: { error: 'invalid_client', error_description: 'No client credentials found.' } });
    const duplicated = { error: 'invalid_request', error_description: 'Duplicate parameter provided in request. Duplicated parameters: [client_id].' };
    expect((await post(`/oauth2/v1/introspect?client_id=${spa.clientId}&client_id=${spa.clientId}`, token)).body).toEqual(duplicated);
    expect((await post(`/oauth2/v1/introspect?client_id=${spa.clientId}`, `${token}&client_id=${spa.clientId}`)).body).toEqual(duplicated);
    // Only /introspect: /revoke's reference names the body alone.
    expect((await post(`/oauth2/v1/revoke?client_id=${spa.clientId}`, token)).status).toBe(401);
  });

  it('/authorize redirects a repeated parameter back as invalid_request', async () => {
    const url = `${authorizeUrl(org, { clientId: spa.clientId, redirectUri: REDIRECT, challenge: pkce().challenge })}&scope=openid`;
    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const loc = new URL(res.headers.get('location')!);
    expect(loc.origin + loc.pathname).toBe(REDIRECT);
    expect(loc.searchParams.get('error')).toBe('invalid_request');
    expect(loc.searchParams.get('error_description')).toBe('Duplicate parameter provided in request. Duplicated parameters: [scope].');
    expect(loc.searchParams.get('state')).toBe('st-123');
  });

  it('/authorize redirects a parameter without a name sent twice as invalid_request, without names', async () => {
    const url = `${authorizeUrl(org, { clientId: spa.clientId, redirectUri: REDIRECT, challenge: pkce().challenge })}&=a&=b`;
    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const loc = new URL(res.headers.get('location')!);
    expect(loc.searchParams.get('error')).toBe('invalid_request');
    expect(loc.searchParams.get('error_description')).toBe('The request contained multiple parameters with the same name.');
  });

  it('/authorize answers a repeated client_id or redirect_uri with the error page, not a redirect', async () => {
    const base = authorizeUrl(org, { clientId: spa.clientId, redirectUri: REDIRECT, challenge: pkce().challenge });
    for (const extra of [`client_id=${web.clientId}`, `redirect_uri=${encodeURIComponent('https://evil.example/cb')}`]) {
      const res = await fetch(`${base}&${extra}`, { redirect: 'manual' });
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(await res.text()).toContain('Duplicate parameter provided in request.');
    }
  });
  it('the sign-in and activation pages refuse a body of another content type as the OAuth endpoints do, never as an empty form (O8)', async () => {
    org.createUser({ login: 'pat@example.com', password: 'pw-Pat-1' });
    const notAForm = "The request must be sent with Content-Type 'application/x-www-form-urlencoded'.";
    const b = new Browser();
    const postAs = (url: string, fields: Record<string, string>, type: string) =>
      fetch(url, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': type }, body: new URLSearchParams(fields).toString() });

    // The sign-in page of /authorize: the right fields, as text/plain, are refused, not read as a sign-in that expired.
    const page = await b.get(authorizeUrl(org, { clientId: spa.clientId, redirectUri: REDIRECT, challenge: pkce().challenge }));
    const signIn = { ...hiddenInputs(await page.text()), username: 'pat@example.com', password: 'pw-Pat-1' };
    for (const type of ['text/plain', 'application/json', 'application/x-www-form-urlencodedX']) {
      const res = await postAs(`${org.url}/login/sign-in`, signIn, type);
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(await res.text()).toContain(notAForm.replaceAll("'", '&#39;'));
    }
    expect((await b.post(`${org.url}/login/sign-in`, signIn)).status).toBe(302); // the same fields as a form: signed in

    // The activation pages: the code, then the sign-in that approves the device.
    const device = (await post('/oauth2/v1/device/authorize', `client_id=${native.clientId}&scope=openid`)).body as { user_code: string; device_code: string };
    const code = await postAs(`${org.url}/activate`, { user_code: device.user_code }, 'text/plain');
    expect(code.status).toBe(400);
    expect(await code.text()).toContain(notAForm.replaceAll("'", '&#39;'));
    const approve = { user_code: device.user_code, username: 'pat@example.com', password: 'pw-Pat-1' };
    const refused = await postAs(`${org.url}/activate/sign-in`, approve, 'text/plain');
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain(notAForm.replaceAll("'", '&#39;'));
    const poll = `grant_type=${encodeURIComponent(DEVICE)}&device_code=${device.device_code}&client_id=${native.clientId}`;
    expect((await post('/oauth2/v1/token', poll)).body.error).toBe('authorization_pending');
    expect((await b.post(`${org.url}/activate/sign-in`, approve)).status).toBe(200);
  });
});
