/**
 * The sign-in page at /authorize: the form, the app's name and hint, a wrong password, the error
 * page for an unknown client or redirect URI, the session, and the response modes. The code
 * exchange: authorization-code.server.test.ts; refresh: refresh-tokens.server.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { OktaEmulator, SignInAppCredentials } from '../index.js';
import { authorizeUrl, Browser, hiddenInputs, pkce, signIn } from '../test-helpers/browser.js';
import { REDIRECT, useSignInApps } from '../test-helpers/user-tokens.js';

describe('the sign-in page at /authorize', () => {
  const env = useSignInApps();
  let org: OktaEmulator;
  let spa: SignInAppCredentials;
  beforeAll(() => {
    ({ org, spa } = env);
  });

  it('serves an accessible HTML sign-in form', async () => {
    const res = await fetch(authorizeUrl(org, { clientId: spa.clientId, redirectUri: REDIRECT, challenge: pkce().challenge }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('<label for="username">Username</label>');
    expect(html).toContain('<input id="username" name="username"');
    expect(html).toContain('<label for="password">Password</label>');
    expect(html).toContain('<input id="password" name="password" type="password"');
    expect(html).toContain('<button type="submit">Sign in</button>');
  });

  it("names the app by its label and shows the app's hint for the person; without a label, its client id", async () => {
    const named = org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT], label: 'Acme <Portal>', signInHint: 'Sign in as ada@example.com' });
    const html = await (await fetch(authorizeUrl(org, { clientId: named.clientId, redirectUri: REDIRECT, challenge: pkce().challenge }))).text();
    expect(html).toContain('to continue to <strong id="app-name">Acme &lt;Portal&gt;</strong>');
    expect(html).not.toContain(named.clientId.replace(/^/, '<code>'));
    expect(html).toContain('<p class="hint" id="sign-in-hint">Sign in as ada@example.com</p>');
    const plain = await (await fetch(authorizeUrl(org, { clientId: spa.clientId, redirectUri: REDIRECT, challenge: pkce().challenge }))).text();
    expect(plain).toContain(`to continue to <code>${spa.clientId}</code>`);
    expect(plain).not.toContain('sign-in-hint');
  });

  it('stays on the page with "Sign-in failed" for a wrong password', async () => {
    const b = new Browser();
    const page = await b.get(authorizeUrl(org, { clientId: spa.clientId, redirectUri: REDIRECT, challenge: pkce().challenge }));
    const fields = hiddenInputs(await page.text());
    const res = await b.post(`${org.url}/login/sign-in`, { ...fields, username: 'ada@example.com', password: 'wrong' });
    expect(res.status).toBe(401);
    const html = await res.text();
    expect(html).toContain('Sign-in failed');
    expect(html).toContain('name="password"');
    const retry = await b.post(`${org.url}/login/sign-in`, { ...hiddenInputs(html), username: 'ada@example.com', password: 'Correct-Horse1' });
    expect(retry.status).toBe(302);
  });

  it('shows an error page (no redirect) for an unknown client or an unregistered redirect_uri', async () => {
    const unknown = await fetch(authorizeUrl(org, { clientId: '0oanobody', redirectUri: REDIRECT }), { redirect: 'manual' });
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('location')).toBeNull();
    const badRedirect = await fetch(authorizeUrl(org, { clientId: spa.clientId, redirectUri: 'https://evil.example/cb', challenge: pkce().challenge }), { redirect: 'manual' });
    expect(badRedirect.status).toBe(400);
    expect(badRedirect.headers.get('location')).toBeNull();
  });

  it('reuses the session: a second authorize (prompt=none too) redirects at once', async () => {
    const b = new Browser();
    await signIn(org, b, { clientId: spa.clientId, redirectUri: REDIRECT, challenge: pkce().challenge }, 'ada@example.com', 'Correct-Horse1');
    const res = await b.get(authorizeUrl(org, { clientId: spa.clientId, redirectUri: REDIRECT, challenge: pkce().challenge, extra: { prompt: 'none' } }));
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get('location')!).searchParams.get('code')).toBeTruthy();
    const forced = await b.get(authorizeUrl(org, { clientId: spa.clientId, redirectUri: REDIRECT, challenge: pkce().challenge, extra: { prompt: 'login' } }));
    expect(forced.status).toBe(200);
  });

  it('supports response_mode=fragment and form_post', async () => {
    const b = new Browser();
    const frag = await signIn(org, b, { clientId: spa.clientId, redirectUri: REDIRECT, challenge: pkce().challenge, extra: { response_mode: 'fragment' } }, 'ada@example.com', 'Correct-Horse1');
    const params = new URLSearchParams(frag.hash.slice(1));
    expect(params.get('code')).toBeTruthy();
    expect(params.has('iss')).toBe(false);
    const post = await b.get(authorizeUrl(org, { clientId: spa.clientId, redirectUri: REDIRECT, challenge: pkce().challenge, extra: { response_mode: 'form_post' } }));
    expect(post.status).toBe(200);
    const html = await post.text();
    expect(html).toContain(`action="${REDIRECT}"`);
    expect(hiddenInputs(html).code).toBeTruthy();
  });
});
