import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
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

  // Chromium looks for `localhost` on [::1] first: whoever holds [::1]:PORT gets the page, the sign-in
  // and its callback, on the demo's own origin (http://localhost:PORT). The demo holds that port too.
  it('holds its port on [::1] as well: a browser sent to localhost reaches this server, not another program on [::1]', async () => {
    const { port } = new URL(demo.url);
    const answer = await fetch(`http://[::1]:${port}/config.json`);
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { clientId: string }).clientId).toBe(demo.page.clientId);
    // Loopback only: the machine's other addresses do not answer.
    const others = Object.values(networkInterfaces())
      .flatMap((list) => list ?? [])
      .filter((a) => !a.internal && !a.address.startsWith('fe80:'));
    for (const { address } of others) expect([address, await connects(address, Number(port))]).toEqual([address, false]);
  });

  it('answers 404 for anything else and 405 for other methods', async () => {
    expect((await fetch(`${demo.url}../package.json`)).status).toBe(404);
    expect((await fetch(`${demo.url}config.json`, { method: 'POST' })).status).toBe(405);
  });

  // Node.js's parser takes an absolute-form target that is no URL; parsing it threw in the handler,
  // an uncaught exception that ended the process (any local program could stop the demo).
  it('answers 400 to a request target that is no URL, and keeps serving', async () => {
    const { port } = new URL(demo.url);
    for (const target of ['http://[', 'http://%/x', 'http://a b/']) {
      expect([target, (await rawStatusLine(Number(port), target, `127.0.0.1:${port}`))]).toEqual([target, 'HTTP/1.1 400 Bad Request']);
    }
    // A foreign Host is still told 421 first.
    expect(await rawStatusLine(Number(port), 'http://[', `evil.example:${port}`)).toBe('HTTP/1.1 421 Misdirected Request');
    expect((await fetch(`${demo.url}config.json`)).status).toBe(200);
  });
});

describe('the web demo server, on an org whose redirect URIs are not /callback and /', () => {
  let demo: WebDemo;

  beforeAll(async () => {
    // Okta's SPA wizard suggests /login/callback; the server listens on the port, whatever the paths.
    const page = {
      orgUrl: 'https://acme.okta.com',
      clientId: '0oaspa',
      redirectUri: 'http://localhost:4000/login/callback',
      postLogoutRedirectUri: 'http://localhost:4000/signed-out',
      scopes: ['openid'],
      emulator: false,
    };
    demo = await startWebDemo({ config: { mode: 'org', port: 0, page }, browserScript: 'console.log("app")' });
  });

  afterAll(async () => {
    await demo.close();
  });

  // Okta sends the browser back to the redirect URI's path: a 404 there ended every sign-in on "Not found".
  it('serves the page on the redirect URI’s path and the sign-out redirect URI’s path', async () => {
    for (const path of ['login/callback?code=x&state=y', 'signed-out?state=signed-out', '', 'callback']) {
      const response = await fetch(`${demo.url}${path}`);
      expect([path, response.status]).toEqual([path, 200]);
      expect(await response.text()).toContain('<script type="module" src="/app.js"></script>');
    }
    expect((await fetch(`${demo.url}login`)).status).toBe(404);
  });
});

/** The status line the server answers to a hand-written request (fetch and http.request check the target). */
function rawStatusLine(port: number, target: string, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.end(`GET ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    });
    let answer = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => {
      resolve(answer.split('\r\n')[0] ?? '');
    });
    socket.on('error', reject);
  });
}

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

/** Whether a TCP connection to `host:port` opens. */
function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => {
      resolve(false);
    });
  });
}
