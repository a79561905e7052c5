import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SEED_PASSWORD, type OktaEmulator } from '@org/okta-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceSignInOrg, requireBuiltCli, runCli, sandbox, startCli, type Sandbox } from '../test-helpers/cli.js';

let org: OktaEmulator;
let box: Sandbox;
let bearerApp: string;
let dpopApp: string;

beforeAll(async () => {
  requireBuiltCli();
  let signInApp: (opts?: { requireDpop?: boolean }) => string;
  ({ org, signInApp } = await deviceSignInOrg(3));
  bearerApp = signInApp();
  dpopApp = signInApp({ requireDpop: true });
  box = sandbox();
  box.writeYaml('cwd', {
    client: { orgUrl: org.url, authorizationMode: 'User', clientId: bearerApp },
    profiles: {
      bound: { orgUrl: org.url, authorizationMode: 'User', clientId: dpopApp, dpop: true, scopes: 'openid profile offline_access okta.users.read' },
      token: { orgUrl: org.url, token: org.createApiToken().token },
    },
  });
});

afterAll(async () => {
  await org.close();
  box.remove();
});

const cli = (args: string[]) => runCli(args, { cwd: box.cwd, env: box.env });
const tokenFile = (profile: string) => join(box.xdg, 'okta-auth', 'tokens', `${profile}.json`);

function storedTokens(profile: string, clientId: string): { accessToken: string; refreshToken: string; tokenType: string } {
  const file = JSON.parse(readFileSync(tokenFile(profile), 'utf8')) as Record<string, string>;
  return JSON.parse(file[`okta-auth:${org.url}:${clientId}:tokens`] ?? 'null') as { accessToken: string; refreshToken: string; tokenType: string };
}

async function login(profile: string[], as = 'ada@example.com'): Promise<string> {
  const running = startCli([...profile, 'login'], { cwd: box.cwd, env: box.env });
  const [, url, code] = await running.waitForStderr(/open:\s+(\S+)\s+and check that it shows the code (\S+)/);
  expect(url).toBe(`${org.url}/activate?user_code=${code ?? ''}`);
  org.approveDevice(code ?? '', as);
  const result = await running.result;
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toBe('');
  return result.stderr;
}

describe('okta-auth login / logout', () => {
  it('device sign-in approved in the org; tokens kept 0600 under XDG_CONFIG_HOME; used and refreshed across runs; logout revokes them', async () => {
    const before = await cli(['api', 'GET', '/api/v1/users/me']);
    expect(before.code).toBe(4);
    expect(before.stderr).toMatch(/Not signed in to .*: run okta-auth login\./);

    org.setTokenLifetime(30); // under the 60 s renewal margin: every run must refresh
    expect(await login([])).toMatch(/Signed in as ada@example\.com/);
    expect(statSync(tokenFile('default')).mode & 0o777).toBe(0o600);
    expect(statSync(join(box.xdg, 'okta-auth')).mode & 0o777).toBe(0o700);
    const first = storedTokens('default', bearerApp);

    org.resetCounters();
    const me = await cli(['api', 'GET', '/api/v1/users/me']);
    expect(me.code, me.stderr).toBe(0);
    expect(JSON.parse(me.stdout)).toMatchObject({ profile: { login: 'ada@example.com' } });
    const second = storedTokens('default', bearerApp);
    expect(second.refreshToken).not.toBe(first.refreshToken); // rotated, and written back
    expect((await cli(['api', 'GET', '/api/v1/users/me'])).code).toBe(0);
    const third = storedTokens('default', bearerApp);
    expect(third.refreshToken).not.toBe(second.refreshToken);
    expect(org.counters().tokenRequests).toEqual({ refresh_token: { success: 2 } });

    const out = await cli(['logout']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toMatch(/revoked at Okta and deleted here/);
    expect(() => statSync(tokenFile('default'))).toThrow(/ENOENT/);
    const after = await fetch(`${org.url}/api/v1/users/me`, { headers: { authorization: `Bearer ${third.accessToken}` } });
    expect(after.status).toBe(401);
    const refresh = await fetch(`${org.url}/oauth2/v1/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: third.refreshToken, client_id: bearerApp }),
    });
    expect(((await refresh.json()) as { error: string }).error).toBe('invalid_grant');
    expect((await cli(['logout'])).stderr).toMatch(/Not signed in/);
    org.setTokenLifetime(3600);
  });

  it("a user name with terminal escapes is shown cleaned: the ID token's claims cannot drive the terminal", async () => {
    const name = 'mallory\r\u001b[2KSigned in as root\u001b]8;;https://evil.example/\u0007@example.com';
    org.createUser({ login: name, password: SEED_PASSWORD });
    const stderr = await login([], name);
    expect(stderr).toContain('Signed in as mallory [2KSigned in as root ]8;;https://evil.example/ @example.com to');
    // eslint-disable-next-line no-control-regex
    expect(stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    expect((await cli(['logout'])).code).toBe(0);
  });

  it('an app that requires DPoP: the tokens are DPoP-bound and the key survives between runs', async () => {
    await login(['--profile', 'bound']);
    expect(storedTokens('bound', dpopApp).tokenType).toBe('DPoP');
    for (let i = 0; i < 2; i++) {
      const me = await cli(['--profile', 'bound', 'api', 'GET', '/api/v1/users/me']);
      expect(me.code, me.stderr).toBe(0);
    }
    const doctor = await cli(['--profile', 'bound', 'doctor']);
    expect(doctor.stdout).toMatch(/\[ok\]\s+DPoP: the tokens are DPoP-bound/);
    expect((await cli(['--profile', 'bound', 'logout'])).code).toBe(0);
    expect(() => statSync(tokenFile('bound'))).toThrow(/ENOENT/);
  });

  it('login with a profile that is not a person’s sign-in is a configuration error (exit 3)', async () => {
    const result = await cli(['--profile', 'token', 'login']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/uses authorizationMode SSWS/);
  });
});
