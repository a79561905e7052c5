import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startEmulator, type OktaEmulator } from '../index.js';
import { Browser, hiddenInputs } from '../test-helpers/browser.js';
import { form, postToken } from '../test-helpers/oauth.js';
import { REDIRECT } from '../test-helpers/user-tokens.js';

const DEVICE = 'urn:ietf:params:oauth:grant-type:device_code';

describe('device authorization grant', () => {
  let org: OktaEmulator;
  let app: { clientId: string };
  beforeAll(async () => {
    org = await startEmulator();
    org.createUser({ login: 'tv@example.com', password: 'pw-Tv-1x' });
    app = org.createSignInApp({ type: 'native', redirectUris: [REDIRECT] });
  });
  afterAll(() => org.close());

  const start = async (scope = 'openid profile offline_access') => {
    const init = form({ client_id: app.clientId, scope });
    const res = await fetch(`${org.url}/oauth2/v1/device/authorize`, init);
    expect(res.status).toBe(200);
    return res.json();
  };
  const poll = async (deviceCode: string) => {
    const res = await postToken(org, { grant_type: DEVICE, device_code: deviceCode, client_id: app.clientId });
    return { status: res.status, body: await res.json() };
  };

  it('answers the device authorization request (RFC 8628)', async () => {
    const d = await start();
    expect(d).toMatchObject({
      device_code: expect.any(String),
      user_code: expect.stringMatching(/^[A-Z]{8}$/),
      verification_uri: `${org.url}/activate`,
      expires_in: 600,
      interval: 5,
    });
    expect(d.verification_uri_complete).toBe(`${org.url}/activate?user_code=${d.user_code}`);
  });

  it('refuses unknown scopes, none granted, and service apps', async () => {
    const bad = await fetch(`${org.url}/oauth2/v1/device/authorize`, form({ client_id: app.clientId, scope: 'openid okta.user.read' }));
    expect((await bad.json()).error).toBe('invalid_scope');
    const none = await fetch(`${org.url}/oauth2/v1/device/authorize`, form({ client_id: app.clientId, scope: 'okta.apps.manage' }));
    expect((await none.json()).error).toBe('consent_required');
    const svc = await fetch(`${org.url}/oauth2/v1/device/authorize`, form({ client_id: '0oanothing', scope: 'openid' }));
    expect(svc.status).toBe(401);
  });

  it('is for native apps only: a SPA or web app gets unauthorized_client, a service app invalid_request (Okta: "only supported with a Native OIDC application")', async () => {
    const spa = org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT] });
    const res = await fetch(`${org.url}/oauth2/v1/device/authorize`, form({ client_id: spa.clientId, scope: 'openid' }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'unauthorized_client', error_description: expect.stringContaining('Configured grant types: [authorization_code, refresh_token]') });
    const tokenRes = await postToken(org, { grant_type: DEVICE, device_code: 'x', client_id: spa.clientId });
    expect((await tokenRes.json()).error).toBe('unauthorized_client');
    const ok = await fetch(`${org.url}/oauth2/v1/device/authorize`, form({ client_id: app.clientId, scope: 'openid' }));
    expect(ok.status).toBe(200);
  });

  /**
   * The polling interval is a window of a few seconds between real requests: freeze `Date` (this
   * process runs the org, so its clock stops too; timers stay real) and move only the offset, so a
   * busy machine's real seconds between two polls cannot cross an interval edge.
   */
  const freezeTime = () => vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('answers slow_down with the catalogue wording and a 5 s longer interval', async () => {
    freezeTime();
    const d = await start();
    await poll(d.device_code);
    const slow = await poll(d.device_code);
    expect(slow.body).toEqual({ error: 'slow_down', error_description: 'Slow down the polling frequency. Please try again later.' });
    org.setClockOffset(9);
    try {
      expect((await poll(d.device_code)).body.error).toBe('slow_down'); // 9 s: past the old 5 s interval, inside the new 10 s one
    } finally {
      org.setClockOffset(0);
    }
  });

  it('pending, slow_down, then tokens after the user activates the device on the page', async () => {
    freezeTime();
    const d = await start();
    expect(await poll(d.device_code)).toMatchObject({ status: 400, body: { error: 'authorization_pending' } });
    expect(await poll(d.device_code)).toMatchObject({ status: 400, body: { error: 'slow_down' } });
    org.setClockOffset(11);
    try {
      expect((await poll(d.device_code)).body.error).toBe('authorization_pending');
    } finally {
      org.setClockOffset(0);
    }

    const b = new Browser();
    const codePage = await b.get(d.verification_uri_complete);
    const codeHtml = await codePage.text();
    expect(codeHtml).toContain('<label for="user_code">Activation code</label>');
    expect(codeHtml).toContain(`value="${d.user_code}"`);
    const signInPage = await b.post(`${org.url}/activate`, { user_code: d.user_code.toLowerCase() });
    expect(signInPage.status).toBe(200);
    const signInHtml = await signInPage.text();
    expect(signInHtml).toContain('<label for="username">Username</label>');
    const wrong = await b.post(`${org.url}/activate/sign-in`, { ...hiddenInputs(signInHtml), username: 'tv@example.com', password: 'nope' });
    expect(wrong.status).toBe(401);
    const wrongHtml = await wrong.text();
    expect(wrongHtml).toContain('Sign-in failed');
    const done = await b.post(`${org.url}/activate/sign-in`, { ...hiddenInputs(wrongHtml), username: 'tv@example.com', password: 'pw-Tv-1x' });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Device activated');

    org.setClockOffset(30);
    try {
      const ok = await poll(d.device_code);
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ token_type: 'Bearer', scope: 'openid profile offline_access', id_token: expect.any(String), refresh_token: expect.any(String) });
      expect((await poll(d.device_code)).body.error).toBe('invalid_grant');
    } finally {
      org.setClockOffset(0);
    }
  });

  it('rejects an unknown code on the page', async () => {
    const res = await new Browser().post(`${org.url}/activate`, { user_code: 'ZZZZZZZZ' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Invalid code');
  });

  it('approveDevice() and denyDevice() drive it from tests', async () => {
    const a = await start();
    org.approveDevice(a.user_code, 'tv@example.com');
    expect((await poll(a.device_code)).status).toBe(200);
    const b = await start();
    org.denyDevice(b.user_code);
    expect((await poll(b.device_code)).body.error).toBe('access_denied');
  });

  it("answers a denial 400 access_denied (RFC 8628 §3.5), or 403 with deviceDeniedStatus: 403 (the status of Okta's catalogue's access_denied)", async () => {
    const denied = await start();
    org.denyDevice(denied.user_code);
    expect(await poll(denied.device_code)).toEqual({ status: 400, body: { error: 'access_denied', error_description: 'The resource owner or authorization server denied the request.' } });
    const okta = await startEmulator({ deviceDeniedStatus: 403 });
    try {
      const native = okta.createSignInApp({ type: 'native', redirectUris: [REDIRECT] });
      const started = (await (await fetch(`${okta.url}/oauth2/v1/device/authorize`, form({ client_id: native.clientId, scope: 'openid' }))).json()) as { device_code: string; user_code: string };
      const pollOkta = async () => {
        const res = await postToken(okta, { grant_type: DEVICE, device_code: started.device_code, client_id: native.clientId });
        return { status: res.status, body: await res.json() };
      };
      expect((await pollOkta()).body.error).toBe('authorization_pending'); // the other answers stay 400
      okta.denyDevice(started.user_code);
      expect(await pollOkta()).toEqual({ status: 403, body: { error: 'access_denied', error_description: 'The resource owner or authorization server denied the request.' } });
    } finally {
      await okta.close();
    }
  });

  it('answers expired_token after the code expires', async () => {
    const d = await start();
    org.setClockOffset(601);
    try {
      expect((await poll(d.device_code)).body.error).toBe('expired_token');
    } finally {
      org.setClockOffset(0);
    }
  });

  it('admin routes approve and deny too', async () => {
    const d = await start();
    const res = await fetch(`${org.url}/__emulator/devices/approve`, { method: 'POST', body: JSON.stringify({ userCode: d.user_code, login: 'tv@example.com' }) });
    expect(res.status).toBe(204);
    expect((await poll(d.device_code)).status).toBe(200);
  });
});
