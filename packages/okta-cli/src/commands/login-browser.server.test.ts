import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { SEED_PASSWORD, type OktaEmulator } from '@org/okta-emulator';
import { fillSignInForm } from '@org/okta-test-utils';
import { freePort } from '@org/okta-test-utils/free-port';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxRefusedCallbacks } from '../loopback.js';
import { deviceSignInOrg, requireBuiltCli, runCli, sandbox, startCli, type Sandbox } from '../test-helpers/cli.js';

const state: { org?: OktaEmulator; box?: Sandbox; redirect?: string; redirect6?: string; bearerApp?: string; dpopApp?: string; v6App?: string } = {};
const got = <K extends keyof typeof state>(key: K): NonNullable<(typeof state)[K]> => state[key] ?? (() => { throw new Error(`${key} is made in beforeAll`); })();

beforeAll(async () => {
  requireBuiltCli();
  const { org } = await deviceSignInOrg(3);
  const redirect = `http://127.0.0.1:${await freePort()}/callback`;
  const app = (requireDpop: boolean) => org.createSignInApp({ type: 'native', redirectUris: [redirect], scopes: ['okta.users.read'], refreshTokenRotation: 'rotate', requireDpop }).clientId;
  // ::1 is listened on here (the brief's check: net.createServer().listen(0, '::1') works on this machine).
  const redirect6 = `http://[::1]:${await freePort()}/callback`;
  const v6App = org.createSignInApp({ type: 'native', redirectUris: [redirect6], scopes: ['okta.users.read'], refreshTokenRotation: 'rotate' }).clientId;
  Object.assign(state, { org, redirect, redirect6, v6App, bearerApp: app(false), dpopApp: app(true), box: sandbox() });
  const user = (clientId: string, redirectUri = redirect) => ({ orgUrl: org.url, authorizationMode: 'User', clientId, scopes: 'openid profile offline_access okta.users.read', redirectUri });
  got('box').writeYaml('cwd', {
    client: user(got('bearerApp')),
    profiles: {
      bound: { ...user(got('dpopApp')), dpop: true },
      token: { orgUrl: org.url, token: org.createApiToken().token, redirectUri: redirect },
      noclient: { ...user(got('bearerApp')), clientId: undefined },
      named: user(got('bearerApp'), 'http://localhost:8765/callback'),
      unset: { ...user(got('bearerApp')), redirectUri: undefined },
      v6: user(got('v6App'), got('redirect6')),
    },
  });
});
afterAll(async () => {
  await state.org?.close();
  state.box?.remove();
});

const tokenFile = (profile: string) => join(got('box').xdg, 'okta-auth', 'tokens', `${profile}.json`);
const cli = (args: string[]) => runCli(args, { cwd: got('box').cwd, env: got('box').env });

/** `login --browser` started, with the authorize URL it printed. */
async function started(args: string[] = []) {
  const running = startCli([...args, 'login', '--browser'], { cwd: got('box').cwd, env: got('box').env });
  const [, url = ''] = await running.waitForStderr(/open in a browser on this computer:\s+(\S+)/);
  await running.waitForStderr(/Waiting for the sign-in to come back/);
  return { running, authorize: new URL(url) };
}

/** One GET with a Host of the test's choosing: status and body, or the connection's error code. */
function get(url: string, host?: string): Promise<{ status: number; body: string } | { error: string }> {
  const target = new URL(url);
  return new Promise((resolve) => {
    const req = request({ host: target.hostname.replace(/^\[(.*)\]$/, '$1'), port: target.port, path: `${target.pathname}${target.search}`, headers: { host: host ?? target.host }, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? 'error' }));
    req.end();
  });
}

function storedTokens(profile: string, clientId: string): { accessToken: string; refreshToken: string; tokenType: string } {
  const file = JSON.parse(readFileSync(tokenFile(profile), 'utf8')) as Record<string, string>;
  return JSON.parse(file[`okta-auth:${got('org').url}:${clientId}:tokens`] ?? 'null') as { accessToken: string; refreshToken: string; tokenType: string };
}

describe('okta-auth login --browser (authorization code + PKCE, loopback redirect)', () => {
  it('signs in through the sign-in page; a foreign Host is refused meanwhile; the code, tokens never printed (--verbose too); then api works', async () => {
    const { running, authorize } = await started(['--verbose']);
    expect(authorize.origin).toBe(got('org').url);
    expect(authorize.searchParams.get('redirect_uri')).toBe(got('redirect'));
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(await get(got('redirect'), 'rebound.example')).toMatchObject({ status: 400 });
    const callback = await fillSignInForm(authorize, 'ada@example.com', SEED_PASSWORD);
    expect(callback.startsWith(`${got('redirect')}?`)).toBe(true);
    const code = new URL(callback).searchParams.get('code') ?? '';
    const page = await get(callback);
    expect(page).toMatchObject({ status: 200, body: expect.stringContaining('You can close this tab') as unknown });
    expect('body' in page && page.body.includes(code)).toBe(false);
    const result = await running.result;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/Signed in as ada@example\.com to /);
    const tokens = storedTokens('default', got('bearerApp'));
    for (const secret of [code, tokens.accessToken, tokens.refreshToken]) expect(result.stderr).not.toContain(secret);
    expect(await get(callback)).toEqual({ error: 'ECONNREFUSED' });

    const users = await cli(['api', 'GET', '/api/v1/users']);
    expect(users.code, users.stderr).toBe(0);
    expect((JSON.parse(users.stdout) as unknown[]).length).toBeGreaterThan(0);
  });

  it('DPoP as configured: an app that requires it gets DPoP-bound tokens, used by api', async () => {
    const { running, authorize } = await started(['--profile', 'bound']);
    await get(await fillSignInForm(authorize, 'ada@example.com', SEED_PASSWORD));
    expect((await running.result).code).toBe(0);
    expect(storedTokens('bound', got('dpopApp')).tokenType).toBe('DPoP');
    expect((await cli(['--profile', 'bound', 'api', 'GET', '/api/v1/users/me'])).code).toBe(0);
  });

  it("a callback with another state (a page in the browser can send one) is answered 400 and the real one still signs in", async () => {
    const { running, authorize } = await started();
    const callback = new URL(await fillSignInForm(authorize, 'ada@example.com', SEED_PASSWORD));
    const forged = new URL(callback);
    forged.searchParams.set('state', 'forged-state-0123456789');
    forged.searchParams.set('code', 'forged-code-0123456789');
    expect(await get(forged.href)).toMatchObject({ status: 400, body: "This is not the sign-in okta-auth is waiting for.\n" });
    await running.waitForStderr(/Refused a callback that is not this sign-in's/);
    expect(await get(callback.href)).toMatchObject({ status: 200, body: expect.stringContaining('You can close this tab') as unknown });
    const result = await running.result;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/Signed in as ada@example\.com/);
    expect(result.stderr).not.toContain('forged-');
  });

  it(`${maxRefusedCallbacks} callbacks with another state end the sign-in (exit 4, nothing stored), the port closed`, async () => {
    const before = existsSync(tokenFile('default')) ? readFileSync(tokenFile('default'), 'utf8') : undefined;
    const { running } = await started();
    for (let i = 0; i < maxRefusedCallbacks; i++) expect(await get(`${got('redirect')}?code=c&state=forged-state-${i}`)).toMatchObject({ status: 400 });
    const result = await running.result;
    expect(result.code).toBe(4);
    expect(result.stderr).toContain(`${maxRefusedCallbacks} callbacks came to ${got('redirect')} that were not this sign-in's`);
    expect(result.stderr).not.toContain('forged-state');
    expect(await get(got('redirect'))).toEqual({ error: 'ECONNREFUSED' });
    expect(existsSync(tokenFile('default')) ? readFileSync(tokenFile('default'), 'utf8') : undefined).toBe(before);
  });

  it('an IPv6 loopback redirect (http://[::1]:<port>/callback) signs in end to end', async () => {
    const { running, authorize } = await started(['--profile', 'v6']);
    expect(authorize.searchParams.get('redirect_uri')).toBe(got('redirect6'));
    const callback = await fillSignInForm(authorize, 'ada@example.com', SEED_PASSWORD);
    expect(callback.startsWith(`${got('redirect6')}?`)).toBe(true);
    expect(await get(callback)).toMatchObject({ status: 200 });
    const result = await running.result;
    expect(result.code, result.stderr).toBe(0);
    expect((await cli(['--profile', 'v6', 'api', 'GET', '/api/v1/users/me'])).code).toBe(0);
  });

  it('error=access_denied in the callback is the sign-in error, exit 4 as a denied device sign-in', async () => {
    const { running, authorize } = await started();
    const denied = new URL(got('redirect'));
    denied.search = new URLSearchParams({ error: 'access_denied', error_description: 'User is not assigned to the client application.', state: authorize.searchParams.get('state') ?? '' }).toString();
    const page = await get(denied.href);
    expect(page).toMatchObject({ status: 200 });
    expect('body' in page ? page.body : '').not.toContain('not assigned');
    const result = await running.result;
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('Okta ended the sign-in with access_denied (User is not assigned to the client application.)');
  });

  it('Ctrl-C while waiting: exit 130, and the port is free again', async () => {
    const { running } = await started();
    running.interrupt();
    expect((await running.result).code).toBe(130);
    expect(await get(got('redirect'))).toEqual({ error: 'ECONNREFUSED' });
  });

  it('a redirectUri that is not a loopback IP literal with its port, or none: exit 3 before anything is sent to the org', async () => {
    got('org').resetCounters();
    const named = await cli(['--profile', 'named', 'login', '--browser']);
    expect(named.code).toBe(3);
    expect(named.stderr).toMatch(/redirectUri \(.*okta\.yaml\) must be http:\/\/127\.0\.0\.1:<port>\/<path> .*not localhost/);
    const unset = await cli(['--profile', 'unset', 'login', '--browser']);
    expect(unset.code).toBe(3);
    expect(unset.stderr).toContain('set okta.profiles.unset.redirectUri');
    expect(got('org').counters().requests).toEqual({});
  });

  it('a profile that is no person’s sign-in, or has no clientId: exit 3 with the browser sign-in’s advice, not the device grant’s', async () => {
    got('org').resetCounters();
    const token = await cli(['--profile', 'token', 'login', '--browser']);
    expect(token.code).toBe(3);
    expect(token.stderr).toContain('login --browser is for a person\'s sign-in, but profile "token" uses authorizationMode SSWS');
    expect(token.stderr).toContain('Authorization Code grant');
    expect(token.stderr).toContain("Sign-in redirect URIs");
    expect(token.stderr).not.toMatch(/Device Authorization/);
    const noclient = await cli(['--profile', 'noclient', 'login', '--browser']);
    expect(noclient.code).toBe(3);
    expect(noclient.stderr).toContain('Authorization Code grant');
    expect(noclient.stderr).not.toMatch(/Device Authorization/);
    expect(got('org').counters().requests).toEqual({});
  });

  it('a port another program listens on: exit 3 naming the port and the setting, before the sign-in starts', async () => {
    const port = Number(new URL(got('redirect')).port);
    const other = createServer();
    await new Promise<void>((resolve) => other.listen(port, '127.0.0.1', resolve));
    try {
      got('org').resetCounters();
      const result = await cli(['login', '--browser']);
      expect(result.code).toBe(3);
      expect(result.stderr).toContain(`names port ${port} of 127.0.0.1, and another program listens on it (EADDRINUSE)`);
      expect(got('org').counters().requests['GET /.well-known/openid-configuration']).toBeUndefined();
    } finally {
      other.close();
    }
  });
});
