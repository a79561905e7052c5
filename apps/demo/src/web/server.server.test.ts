import { request } from 'node:http';
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

  // DNS rebinding: a page on evil.example whose name then resolves to 127.0.0.1 is same-origin with
  // whatever answers there, and its requests carry `Host: evil.example:PORT`.
  it('answers only requests addressed to this machine by name (Host), so a rebound name reads nothing', async () => {
    const { port } = new URL(demo.url);
    for (const host of [`evil.example:${port}`, `127.0.0.1.evil.example:${port}`, `localhost.evil.example:${port}`, 'evil.example']) {
      for (const path of ['/config.json', '/', '/app.js']) {
        const answer = await get(demo.url, path, host);
        expect([host, path, answer.status]).toEqual([host, path, 421]);
        expect(answer.body).not.toContain('Okta-Demo-2026!');
        expect(answer.body).not.toContain(demo.page.clientId);
      }
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LocalHost:${port}`, `[::1]:${port}`, `127.0.0.1`]) {
      expect([host, (await get(demo.url, '/config.json', host)).status]).toEqual([host, 200]);
    }
  });

  it('answers 404 for anything else and 405 for other methods', async () => {
    expect((await fetch(`${demo.url}../package.json`)).status).toBe(404);
    expect((await fetch(`${demo.url}config.json`, { method: 'POST' })).status).toBe(405);
  });
});

/** A GET with the Host header given (fetch sets its own). */
function get(base: string, path: string, host: string): Promise<{ status: number; body: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}
