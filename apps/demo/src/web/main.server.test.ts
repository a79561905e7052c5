import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli, runCli } from '../test-helpers/cli.js';

let main: { file: string; dir: string; remove: () => void };

beforeAll(async () => {
  main = await bundleCli('../web/main.ts');
  mkdirSync(join(main.dir, 'public'));
  writeFileSync(join(main.dir, 'public', 'app.js'), 'console.log("app")');
  chmodSync(main.dir, 0o755);
});

afterAll(() => {
  main.remove();
});

describe('pnpm demo:web on a port it cannot listen on', () => {
  // A port under 1024 needs privileges: run as nobody when the tests run as root.
  const uid = process.getuid?.() === 0 ? 65_534 : undefined;

  it('a privileged PORT: exit 2 and what to set, not a stack trace', async () => {
    const run = await runCli(main.file, [], { PORT: '80', NO_COLOR: '1' }, uid);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^✖ Port 80 needs privileges here \(EACCES\): set PORT to a port from 1024 to 65535\.\n$/);
    expect(run.code).toBe(2);
  });

  it('the same for a loopback redirect URI on port 80 (the server listens on its port), naming both variables', async () => {
    const run = await runCli(main.file, [], { OKTA_CLIENT_ORGURL: 'https://acme.okta.com', OKTA_CLIENT_CLIENTID: '0oaspa', OKTA_CLIENT_REDIRECTURI: 'http://localhost/callback', NO_COLOR: '1' }, uid);
    expect(run.stderr).toMatch(/^✖ Port 80 needs privileges here \(EACCES\): set PORT to a port from 1024 to 65535 \(and OKTA_CLIENT_REDIRECTURI to match\)\.\n$/);
    expect(run.code).toBe(2);
  });
});

describe('pnpm demo:web with a loopback redirect URI it does not listen on', () => {
  // The server serves on 127.0.0.1 (and holds [::1] only where IPv6 is on): Okta could send the browser back where nothing answers.
  it.each([
    ['OKTA_CLIENT_REDIRECTURI', 'http://[::1]:4000/callback'],
    ['OKTA_CLIENT_REDIRECTURI', 'http://127.0.0.2:4000/callback'],
    ['OKTA_CLIENT_POSTLOGOUTREDIRECTURI', 'http://[::1]:4000/'],
  ])('%s=%s: exit 2 before listening, naming it', async (variable, uri) => {
    const run = await runCli(main.file, [], { OKTA_CLIENT_ORGURL: 'https://acme.okta.com', OKTA_CLIENT_CLIENTID: '0oaspa', [variable]: uri, NO_COLOR: '1' });
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(new RegExp(`^✖ ${variable} must name localhost or 127\\.0\\.0\\.1, where this demo listens`));
    expect(run.code).toBe(2);
  });
});

describe('pnpm demo:web with settings the page cannot sign in or out with', () => {
  // rev165a: each was taken; without openid the page failed after sign-in (a 404 on /api/v1/users/), and Okta sent a sign-out elsewhere.
  it.each([
    ['OKTA_CLIENT_SCOPES', 'profile okta.users.read', /^✖ OKTA_CLIENT_SCOPES has no openid: the page needs the ID token \(openid\)/],
    ['OKTA_CLIENT_POSTLOGOUTREDIRECTURI', 'http://localhost:9999/', /^✖ OKTA_CLIENT_POSTLOGOUTREDIRECTURI is on http:\/\/localhost:9999, not on the redirect URI's origin/],
  ])('%s=%s: exit 2 before listening, naming it', async (variable, value, said) => {
    const run = await runCli(main.file, [], { OKTA_CLIENT_ORGURL: 'https://acme.okta.com', OKTA_CLIENT_CLIENTID: '0oaspa', [variable]: value, NO_COLOR: '1' }, undefined, 10_000);
    expect([run.code, run.stdout]).toEqual([2, '']);
    expect(run.stderr).toMatch(said);
  });
});

describe('pnpm demo:web with a token as OKTA_CLIENT_CLIENTID', () => {
  // rev165a: it started, printed the token on stdout ("app eyJ…") and served it to any page in /config.json.
  it('exit 2 before listening, naming the variable, the token printed nowhere', async () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIwMHUxIn0.SignaturePartOfAnAccessTokenXYZ';
    const run = await runCli(main.file, [], { OKTA_CLIENT_ORGURL: 'https://acme.okta.com', OKTA_CLIENT_CLIENTID: jwt, PORT: '0', OKTA_CLIENT_REDIRECTURI: 'https://demo.example.com/callback', NO_COLOR: '1' }, undefined, 10_000);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^✖ OKTA_CLIENT_CLIENTID: clientId looks like a token or secret \(not shown\): give the app's Client ID/);
    expect(run.stderr).not.toContain('eyJ');
    expect(run.code).toBe(2);
  });
});

describe('pnpm demo:web when another program holds its port on [::1]', () => {
  // Chromium looks for localhost on [::1] first: that program would get the page and the sign-in's callback.
  it('exit 2, naming PORT and [::1], rather than serving on 127.0.0.1 alone', async () => {
    const impostor = createServer((_req, res) => res.end('impostor'));
    await new Promise<void>((resolve, reject) => {
      impostor.once('error', reject).listen(0, '::1', resolve);
    });
    try {
      const { port } = impostor.address() as AddressInfo;
      const env = { OKTA_CLIENT_ORGURL: 'https://acme.okta.com', OKTA_CLIENT_CLIENTID: '0oaspa', PORT: String(port), NO_COLOR: '1' };
      const run = await runCli(main.file, [], env, undefined, 10_000);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(`✖ Port ${String(port)} is in use on [::1], where a browser looks for localhost first: set PORT to another port (and OKTA_CLIENT_REDIRECTURI to match).\n`);
      expect(run.code).toBe(2);
    } finally {
      await new Promise((resolve) => impostor.close(resolve));
    }
  });
});

/** Runs `pnpm demo:web` with exactly `env` (plus PATH) until it printed its start-up block, then stops it with SIGTERM. */
function untilStarted(env: Readonly<Record<string, string>>): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [main.file], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes('Ctrl-C to stop.')) child.kill('SIGTERM');
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolve({ code, signal, stdout, stderr });
    });
  });
}

describe('pnpm demo:web with OKTA_CLIENT_CLIENTSECRET set', () => {
  // The page signs in from the browser (a SPA, a public client): a secret cannot go there, and the demo said nothing of it.
  it('says in one line at start-up that it is not used and why, never quoting it', async () => {
    const secret = 'sentinel-client-secret-0123456789abcdefGHIJ';
    const env = { OKTA_CLIENT_ORGURL: 'https://acme.okta.com', OKTA_CLIENT_CLIENTID: '0oaspa', OKTA_CLIENT_REDIRECTURI: 'https://demo.example.com/callback', PORT: '0', OKTA_CLIENT_CLIENTSECRET: secret, NO_COLOR: '1' };
    const run = await untilStarted(env);
    expect(run.stderr).toBe(
      '! OKTA_CLIENT_CLIENTSECRET is set but not used: the web demo signs in from the browser, as a single-page app (a public client, with PKCE), which holds no secret. Unset it and use a SPA app\'s client id.\n',
    );
    expect(run.stdout).toContain('Org https://acme.okta.com, app 0oaspa');
    expect(run.stdout + run.stderr).not.toContain(secret);
    expect(run.code === 0 || run.signal === 'SIGTERM').toBe(true);
  });

  it('says nothing of it when it is not set', async () => {
    const run = await untilStarted({ OKTA_CLIENT_ORGURL: 'https://acme.okta.com', OKTA_CLIENT_CLIENTID: '0oaspa', OKTA_CLIENT_REDIRECTURI: 'https://demo.example.com/callback', PORT: '0', NO_COLOR: '1' });
    expect([run.stderr, run.stdout.includes('Ctrl-C to stop.')]).toEqual(['', true]);
  });
});
