import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator } from '../index.js';
import { authorizeUrl, Browser, pkce } from '../test-helpers/browser.js';
import { REDIRECT, userTokens } from '../test-helpers/user-tokens.js';

describe('logout', () => {
  let org: OktaEmulator;
  let spa: { clientId: string };
  beforeAll(async () => {
    org = await startEmulator();
    org.createUser({ login: 'lin@example.com', password: 'pw-Lin-1' });
    spa = org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT], postLogoutRedirectUris: ['http://localhost:5173/bye'] });
  });
  afterAll(() => org.close());

  const logoutUrl = (params: Record<string, string>) => `${org.url}/oauth2/v1/logout?${new URLSearchParams(params).toString()}`;

  it('ends the session and redirects to the registered post-logout URI with state', async () => {
    const b = new Browser();
    const { id_token } = await userTokens(org, spa.clientId, 'lin@example.com', 'pw-Lin-1', 'openid', b);
    const silent = await b.get(authorizeUrl(org, { clientId: spa.clientId, redirectUri: REDIRECT, challenge: pkce().challenge, extra: { prompt: 'none' } }));
    expect(new URL(silent.headers.get('location')!).searchParams.get('code')).toBeTruthy();
    const res = await b.get(logoutUrl({ id_token_hint: id_token!, post_logout_redirect_uri: 'http://localhost:5173/bye', state: 's1' }));
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('http://localhost:5173/bye?state=s1');
    const after = await b.get(authorizeUrl(org, { clientId: spa.clientId, redirectUri: REDIRECT, challenge: pkce().challenge, extra: { prompt: 'none' } }));
    expect(new URL(after.headers.get('location')!).searchParams.get('error')).toBe('login_required');
  });

  it('ends the session and redirects to the org\'s sign-in page without a post-logout URI, as Okta', async () => {
    const b = new Browser();
    const { id_token } = await userTokens(org, spa.clientId, 'lin@example.com', 'pw-Lin-1', 'openid', b);
    const res = await b.get(logoutUrl({ id_token_hint: id_token!, state: 's2' }));
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`${org.url}/`);
    const page = await fetch(res.headers.get('location')!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Sign in');
    const after = await b.get(authorizeUrl(org, { clientId: spa.clientId, redirectUri: REDIRECT, challenge: pkce().challenge, extra: { prompt: 'none' } }));
    expect(new URL(after.headers.get('location')!).searchParams.get('error')).toBe('login_required');
  });

  it('refuses a missing or forged hint and an unregistered post-logout URI', async () => {
    const { id_token } = await userTokens(org, spa.clientId, 'lin@example.com', 'pw-Lin-1', 'openid');
    expect((await fetch(logoutUrl({}), { redirect: 'manual' })).status).toBe(400);
    expect((await fetch(logoutUrl({ id_token_hint: `${id_token!}x` }), { redirect: 'manual' })).status).toBe(400);
    const res = await fetch(logoutUrl({ id_token_hint: id_token!, post_logout_redirect_uri: 'https://evil.example/' }), { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });
});
