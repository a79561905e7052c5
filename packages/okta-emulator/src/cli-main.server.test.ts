import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describeCliOrg, startCliOrg, type CliOrg } from './cli-main.js';
import { basic, dpopKey, postToken, serviceToken } from './test-helpers/oauth.js';
import type { ServiceAppCredentials } from './index.js';
import { Browser, pkce, signIn } from './test-helpers/browser.js';

/** Runs a bash command asynchronously (the org answers from this process, so the event loop must keep running). */
async function bash(command: string): Promise<string> {
  const { stdout } = await promisify(execFile)('bash', ['--noprofile', '--norc', '-c', command], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' }, timeout: 30_000 });
  return stdout;
}

describe('the okta-emulator command', () => {
  let started: CliOrg;
  beforeAll(async () => {
    const s = await startCliOrg(['--port', '0', '--users', '3']);
    if (s === undefined) throw new Error('no org');
    started = s;
  });
  afterAll(() => started.org.close());

  it('prints working credentials: API token', async () => {
    const c = started.credentials as any;
    expect(c.url).toBe(started.org.url);
    const res = await fetch(`${c.url}/api/v1/users`, { headers: { Authorization: `SSWS ${c.apiToken.token}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toHaveLength(5); // the seeded super admin, the CLI's admin, 3 users
  });

  it('prints working credentials: the DPoP service app', async () => {
    const c = started.credentials as any;
    const app: ServiceAppCredentials = { clientId: c.serviceApp.clientId, keyId: c.serviceApp.keyId, privateKeyPem: c.serviceApp.privateKeyPem, privateJwk: c.serviceApp.privateJwk, publicJwk: {} };
    const t = await serviceToken(started.org, app, 'okta.users.read', await dpopKey());
    expect(t.token_type).toBe('DPoP');
  });

  it('prints working credentials: the SPA and the admin user', async () => {
    const c = started.credentials as any;
    const loc = await signIn(started.org, new Browser(), { clientId: c.spa.clientId, redirectUri: c.spa.redirectUris[0], challenge: pkce().challenge }, c.users.admin, c.users.password);
    expect(loc.searchParams.get('code')).toBeTruthy();
  });

  it('prints a native app that starts the device grant (the README walkthrough\'s first step)', async () => {
    const c = started.credentials as any;
    const res = await fetch(`${c.url}/oauth2/v1/device/authorize`, {
      method: 'POST',
      body: new URLSearchParams({ client_id: c.native.clientId, scope: 'openid profile' }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { user_code?: unknown; device_code?: unknown; verification_uri_complete?: unknown };
    expect(body.user_code).toEqual(expect.stringMatching(/^[A-Z0-9-]{4,}$/));
    expect(typeof body.device_code).toBe('string');
    expect(String(body.verification_uri_complete)).toContain(`${c.url}/activate`);
    expect(describeCliOrg(c)).toContain(`Native sign-in app (device grant`);
    expect(describeCliOrg(c)).toContain(c.native.clientId);
    // The SPA is refused, as at Okta: the device grant is for native apps only.
    const spa = await fetch(`${c.url}/oauth2/v1/device/authorize`, { method: 'POST', body: new URLSearchParams({ client_id: c.spa.clientId, scope: 'openid profile' }) });
    expect(spa.status).toBe(400);
    expect(((await spa.json()) as { error: string }).error).toBe('unauthorized_client');
  });

  it('prints export lines that a shell takes as they are: the API token (whose /users/me is the admin) and the service app', async () => {
    const c = started.credentials as any;
    const text = describeCliOrg(c);
    const exports = text.split('\n').filter((line) => line.startsWith('export '));
    expect(exports).toHaveLength(3);
    const envAfter = async (line: string): Promise<Record<string, string>> => JSON.parse(await bash(`${line}; node -p 'JSON.stringify(process.env)'`)) as Record<string, string>;
    const ssws = await envAfter(exports[0]!);
    expect(ssws.OKTA_CLIENT_ORGURL).toBe(c.url);
    expect(ssws.OKTA_CLIENT_TOKEN).toBe(c.apiToken.token);
    const me = await fetch(`${ssws.OKTA_CLIENT_ORGURL}/api/v1/users/me`, { headers: { Authorization: `SSWS ${ssws.OKTA_CLIENT_TOKEN}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { profile: { login: string } }).profile.login).toBe('admin@example.com');
    const service = await envAfter(exports[1]!);
    expect(service).toMatchObject({
      OKTA_CLIENT_ORGURL: c.url,
      OKTA_CLIENT_AUTHORIZATIONMODE: 'PrivateKey',
      OKTA_CLIENT_CLIENTID: c.serviceApp.clientId,
      OKTA_CLIENT_SCOPES: 'okta.users.read okta.users.manage okta.groups.read',
      OKTA_CLIENT_KEYID: c.serviceApp.keyId,
    });
    expect(JSON.parse(service.OKTA_CLIENT_PRIVATEKEY!)).toEqual(c.serviceApp.privateJwk);
  });

  // rev168a: the okta-oauth README's Express example reads OKTA_CLIENT_CLIENTSECRET, and the command printed no app with one.
  it('prints a confidential web app for the okta-oauth README\'s Express example: its export line signs the admin in with its secret', async () => {
    const c = started.credentials as any;
    const text = describeCliOrg(c);
    expect(text).toContain(`client_secret: ${c.webApp.clientSecret}`);
    const line = text.split('\n').find((l) => l.startsWith('export ') && l.includes('OKTA_CLIENT_CLIENTSECRET'));
    const env = JSON.parse(await bash(`${line ?? 'false'}; node -p 'JSON.stringify(process.env)'`)) as Record<string, string>;
    expect(env).toMatchObject({
      OKTA_CLIENT_ORGURL: c.url,
      OKTA_CLIENT_CLIENTID: c.webApp.clientId,
      OKTA_CLIENT_CLIENTSECRET: c.webApp.clientSecret,
      OKTA_CLIENT_REDIRECTURI: 'https://app.example.com/callback',
      OKTA_CLIENT_POSTLOGOUTREDIRECTURI: 'https://app.example.com/',
      OKTA_CLIENT_SCOPES: 'openid profile offline_access okta.users.read',
    });
    const { verifier, challenge } = pkce();
    const redirectUri = env.OKTA_CLIENT_REDIRECTURI!;
    const loc = await signIn(started.org, new Browser(), { clientId: env.OKTA_CLIENT_CLIENTID!, redirectUri, challenge, scope: env.OKTA_CLIENT_SCOPES! }, c.users.admin, c.users.password);
    const code = loc.searchParams.get('code') ?? '';
    const res = await postToken(started.org, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier }, { Authorization: basic(env.OKTA_CLIENT_CLIENTID!, env.OKTA_CLIENT_CLIENTSECRET!) });
    expect(res.status).toBe(200);
    const tokens = (await res.json()) as { scope: string; refresh_token?: string };
    expect(tokens.scope.split(' ').sort()).toEqual(['offline_access', 'okta.users.read', 'openid', 'profile']);
    expect(tokens.refresh_token).toBeDefined();
  });

  it('prints a curl recipe that gets a service-app token with curl alone and lists users with it', async () => {
    const text = describeCliOrg(started.credentials);
    const at = text.indexOf('ACCESS_TOKEN=$(curl');
    const recipe = text.slice(at).split('\n').slice(0, 2).join('\n');
    expect(recipe).toContain(`${started.org.url}/oauth2/v1/token`);
    const out = await bash(`set -e; ${recipe}`);
    const users = JSON.parse(out) as { profile: { login: string } }[];
    expect(users).toHaveLength(2);
    expect(started.org.counters().tokenRequests.client_credentials?.success).toBeGreaterThanOrEqual(1);
  });

  it('returns nothing for --help and rejects bad flags', async () => {
    expect(await startCliOrg(['--help'])).toBeUndefined();
    await expect(startCliOrg(['--port', 'x'])).rejects.toThrow('--port');
    await expect(startCliOrg(['--bogus'])).rejects.toThrow();
    // The package's one error, the flag as its option; --users has the rule of seed.users (at most 100000).
    await expect(startCliOrg(['--port', '70000'])).rejects.toMatchObject({ name: 'OktaEmulatorError', code: 'INVALID_OPTION', option: '--port', message: 'okta-emulator: --port must be a whole number from 0 to 65535 (0 picks a free port), not "70000".' });
    for (const users of ['-1', '2.5', 'many', '100001']) {
      await expect(startCliOrg([`--users=${users}`])).rejects.toMatchObject({ code: 'INVALID_OPTION', option: '--users', message: expect.stringMatching(/^okta-emulator: --users must be a whole number from 0 to 100000/) });
    }
    // What was typed, as --port shows it: not the NaN it became.
    await expect(startCliOrg(['--users', 'many'])).rejects.toMatchObject({ message: expect.stringMatching(/, not "many"\.$/) });
  });
});
