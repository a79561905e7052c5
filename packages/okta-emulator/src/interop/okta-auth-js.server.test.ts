// @okta/okta-auth-js (Okta's own browser SDK, its published browser build) in headless Chromium,
// against the emulator over real HTTP: PKCE sign-in by redirect, token renewal, sign-out.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { launchChromium, type LaunchedChromium } from '@org/okta-test-utils/chromium';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator } from '../index.js';
import { postToken } from '../test-helpers/oauth.js';

const LOGIN = 'ada@example.com';
const PASSWORD = 'Correct-Horse1';

/** okta-auth-js's browser build (UMD, global `OktaAuth`), served as it is published. */
function sdkSource(): string {
  const require = createRequire(import.meta.url);
  let dir = dirname(require.resolve('@okta/okta-auth-js'));
  while (!dir.endsWith('okta-auth-js')) dir = dirname(dir);
  return readFileSync(join(dir, 'dist', 'okta-auth-js.min.js'), 'utf8');
}

interface SignedIn {
  access: string;
  refresh: boolean;
  login: unknown;
}

interface AppServer {
  url: string;
  setConfig(config: Record<string, unknown>): void;
  close(): Promise<void>;
}

/** The relying party: one page that loads the SDK and exposes `window.auth`. */
async function startApp(): Promise<AppServer> {
  const sdk = sdkSource();
  let config: Record<string, unknown> = {};
  const server: Server = createServer((req, res) => {
    if (req.url === '/okta-auth-js.min.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(sdk);
      return;
    }
    const page = `<!doctype html><meta charset="utf-8"><title>rp</title><script src="/okta-auth-js.min.js"></script>
<script>const Ctor = typeof OktaAuth === 'function' ? OktaAuth : OktaAuth.OktaAuth; window.auth = new Ctor(${JSON.stringify(config)});</script><p>rp</p>`;
    res.writeHead(200, { 'Content-Type': 'text/html' }).end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    setConfig: (c) => void (config = c),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('@okta/okta-auth-js in headless Chromium', () => {
  let org: OktaEmulator;
  let app: AppServer;
  let tab: LaunchedChromium | undefined;
  let clientId: string;

  beforeAll(async () => {
    org = await startEmulator();
    org.createUser({ login: LOGIN, password: PASSWORD, admin: true });
    app = await startApp();
    ({ clientId } = org.createSignInApp({
      type: 'spa',
      redirectUris: [`${app.url}/callback`],
      postLogoutRedirectUris: [`${app.url}/signed-out`],
      scopes: ['okta.users.read'],
    }));
    app.setConfig({
      issuer: org.url,
      clientId,
      redirectUri: `${app.url}/callback`,
      postLogoutRedirectUri: `${app.url}/signed-out`,
      scopes: ['openid', 'profile', 'email', 'offline_access', 'okta.users.read'],
      pkce: true,
      tokenManager: { storage: 'sessionStorage', autoRenew: false },
    });
    tab = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await tab?.close();
    await app.close();
    await org.close();
  });

  it('signs in by redirect with PKCE, renews with the refresh token, and signs out', async () => {
    if (tab === undefined) throw new Error('no browser');
    const { page, problems } = tab;
    await page.goto(`${app.url}/`);
    await page.evaluate(() => void (window as unknown as { auth: { signInWithRedirect(): Promise<void> } }).auth.signInWithRedirect());
    await page.waitForURL((u) => u.origin === org.url && u.pathname === '/oauth2/v1/authorize');
    const authorize = new URL(page.url());
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    await page.getByLabel('Username').fill(LOGIN);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => u.origin === app.url && u.pathname === '/callback');

    const signedIn: SignedIn = await page.evaluate(async () => {
      const auth = (window as unknown as { auth: any }).auth;
      const { tokens } = await auth.token.parseFromUrl();
      auth.tokenManager.setTokens(tokens);
      return { access: tokens.accessToken.accessToken, refresh: tokens.refreshToken !== undefined, login: tokens.idToken.claims.preferred_username };
    });
    expect(signedIn).toMatchObject({ refresh: true, login: LOGIN });
    const me = (token: string) => fetch(`${org.url}/api/v1/users/me`, { headers: { Authorization: `Bearer ${token}` } });
    expect(((await (await me(signedIn.access)).json()) as { profile: { login: string } }).profile.login).toBe(LOGIN);

    org.resetCounters();
    const renewed: { access: string; refreshToken: string } = await page.evaluate(async () => {
      const auth = (window as unknown as { auth: any }).auth;
      const tokens = await auth.token.renewTokens();
      auth.tokenManager.setTokens(tokens);
      return { access: tokens.accessToken.accessToken, refreshToken: tokens.refreshToken.refreshToken };
    });
    expect(org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
    expect(renewed.access).not.toBe(signedIn.access);
    expect((await me(renewed.access)).status).toBe(200);

    await page.evaluate(() => void (window as unknown as { auth: { signOut(): Promise<void> } }).auth.signOut());
    await page.waitForURL((u) => u.origin === app.url && u.pathname === '/signed-out');
    expect((await me(renewed.access)).status).toBe(401);
    const reuse = await postToken(org, { grant_type: 'refresh_token', refresh_token: renewed.refreshToken, client_id: clientId });
    expect((await reuse.json()).error).toBe('invalid_grant');
    expect(problems).toEqual([]);
  }, 60_000);
});
