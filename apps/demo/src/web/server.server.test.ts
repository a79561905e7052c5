import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebDemo, type WebDemo } from './server.js';

describe('the web demo server, on the emulator', () => {
  let demo: WebDemo;

  beforeAll(async () => {
    demo = await startWebDemo({ config: { mode: 'emulator', port: 0 }, browserScript: 'console.log("app")' });
  });

  afterAll(async () => {
    await demo.close();
  });

  it('registers a SPA app for its own /callback on the emulated org, and serves that as /config.json', async () => {
    const response = await fetch(`${demo.url}config.json`);
    expect(response.status).toBe(200);
    const page = (await response.json()) as Record<string, unknown>;
    expect(page).toEqual({
      orgUrl: demo.emulator?.org.url,
      clientId: expect.stringMatching(/^0oa/),
      redirectUri: `${demo.url}callback`,
      postLogoutRedirectUri: demo.url,
      scopes: ['openid', 'profile', 'email', 'offline_access', 'okta.users.read'],
      emulator: true,
      // The made-up demo user of the org it started (not a secret of anyone's), shown on the page.
      signInAs: { login: 'admin@example.com', password: 'Okta-Demo-2026!' },
    });
  });

  it('serves the page on / and /callback, the script and the styles, with a CSP that lets the page reach only itself and the org', async () => {
    for (const path of ['', 'callback?code=x&state=y']) {
      const response = await fetch(`${demo.url}${path}`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<script type="module" src="/app.js"></script>');
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain(`connect-src 'self' ${demo.page.orgUrl};`);
      expect(csp).toContain("script-src 'self';");
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    }
    expect(await (await fetch(`${demo.url}app.js`)).text()).toBe('console.log("app")');
    expect((await fetch(`${demo.url}app.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('answers 404 for anything else and 405 for other methods', async () => {
    expect((await fetch(`${demo.url}../package.json`)).status).toBe(404);
    expect((await fetch(`${demo.url}config.json`, { method: 'POST' })).status).toBe(405);
  });
});
