import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOktaEmulatorError, startEmulator, type OktaEmulator } from '../index.js';
import { authorizeUrl, pkce } from '../test-helpers/browser.js';

/** `org.signIn` and `POST /__emulator/sign-in`: an authorization-code sign-in finished without a browser. */
describe('signIn', () => {
  let org: OktaEmulator;
  let other: OktaEmulator;
  let clientId: string;
  const redirectUri = 'http://127.0.0.1:8765/callback';
  beforeAll(async () => {
    org = await startEmulator();
    other = await startEmulator();
    clientId = org.createSignInApp({ type: 'spa', redirectUris: [redirectUri] }).clientId;
    org.createUser({ login: 'ada@example.com', password: 'Correct-Horse1' });
  });
  afterAll(async () => {
    await org.close();
    await other.close();
  });

  it('lands on the callback with a code the token endpoint redeems', async () => {
    const { verifier, challenge } = pkce();
    const callback = new URL(await org.signIn(authorizeUrl(org, { clientId, redirectUri, challenge, state: 'st-1' }), { login: 'ada@example.com', password: 'Correct-Horse1' }));
    expect(`${callback.origin}${callback.pathname}`).toBe(redirectUri);
    expect(callback.searchParams.get('state')).toBe('st-1');
    const code = callback.searchParams.get('code') ?? '';
    const res = await fetch(`${org.url}/oauth2/v1/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: clientId, code_verifier: verifier }).toString(),
    });
    expect(res.status).toBe(200);
    // Through the real /authorize and sign-in form: they are counted as a browser's requests would be.
    expect(org.counters().requests).toMatchObject({ 'GET /oauth2/v1/authorize': 1, 'POST /login/sign-in': 1 });
  });

  it('refuses a wrong password, an unknown user and another org with a typed error, the password never in it', async () => {
    const url = authorizeUrl(org, { clientId, redirectUri, challenge: pkce().challenge });
    const refusal = async (u: string, login: string, password: string) => {
      const e: unknown = await org.signIn(u, { login, password }).then(() => undefined, (error: unknown) => error);
      if (!isOktaEmulatorError(e)) throw new Error(`not refused: ${String(e)}`);
      expect(e.message).not.toContain(password);
      return { code: e.code, option: e.option };
    };
    expect(await refusal(url, 'ada@example.com', 'Wrong-Horse99')).toEqual({ code: 'SIGN_IN_FAILED', option: 'password' });
    expect(await refusal(url, 'nobody@example.com', 'Correct-Horse1')).toEqual({ code: 'SIGN_IN_FAILED', option: 'password' });
    expect(await refusal(authorizeUrl(other, { clientId, redirectUri }), 'ada@example.com', 'Correct-Horse1')).toEqual({ code: 'INVALID_OPTION', option: 'authorizeUrl' });
    // Its arguments are checked as every method's are, as a rejection (the password's value never quoted).
    await expect(org.signIn(url, { login: 'ada@example.com', password: 7 as unknown as string })).rejects.toMatchObject({ code: 'INVALID_OPTION', option: 'password', message: 'signIn: password must be a non-empty string.' });
    // An unknown client: /authorize's error page, no redirect.
    expect(await refusal(authorizeUrl(org, { clientId: '0oanope', redirectUri }), 'ada@example.com', 'Correct-Horse1')).toEqual({ code: 'INVALID_OPTION', option: 'authorizeUrl' });
  });

  it('is served at POST /__emulator/sign-in', async () => {
    const post = (body: unknown) => fetch(`${org.url}/__emulator/sign-in`, { method: 'POST', body: JSON.stringify(body) });
    const url = authorizeUrl(org, { clientId, redirectUri, challenge: pkce().challenge, state: 'st-2' });
    const ok = await post({ authorizeUrl: url, login: 'ada@example.com', password: 'Correct-Horse1' });
    expect(ok.status).toBe(200);
    const { callbackUrl } = (await ok.json()) as { callbackUrl: string };
    expect(new URL(callbackUrl).searchParams.get('code')).toMatch(/./);
    const refused = await post({ authorizeUrl: url, login: 'ada@example.com', password: 'Wrong-Horse99' });
    expect(refused.status).toBe(400);
    const text = await refused.text();
    expect(text).not.toContain('Wrong-Horse99');
    expect(JSON.parse(text)).toMatchObject({ code: 'SIGN_IN_FAILED', option: 'password' });
  });
});
