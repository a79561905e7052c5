import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SEED_PASSWORD } from '@org/okta-emulator';
import { describe, expect, it } from 'vitest';
import { runCli, startCli, userProfile, userProfileOrg } from '../test-helpers/cli.js';

const setup = userProfileOrg(
  ({ org, bearerApp, dpopApp }) => ({
    client: { orgUrl: org.url, authorizationMode: 'User', clientId: bearerApp },
    profiles: {
      bound: { ...userProfile(org, dpopApp), dpop: true },
      token: { orgUrl: org.url, token: org.createApiToken().token },
      linked: userProfile(org, bearerApp),
      big: userProfile(org, bearerApp),
      interrupted: userProfile(org, bearerApp),
    },
  }),
  { seedUsers: 3, deviceIntervalSeconds: 1 },
);

const cli = (args: string[]) => runCli(args, { cwd: setup.box.cwd, env: setup.box.env });
const tokenFile = (profile: string) => join(setup.box.xdg, 'okta-auth', 'tokens', `${profile}.json`);

function storedTokens(profile: string, clientId: string): { accessToken: string; refreshToken: string; tokenType: string } {
  const file = JSON.parse(readFileSync(tokenFile(profile), 'utf8')) as Record<string, string>;
  return JSON.parse(file[`okta-auth:${setup.org.url}:${clientId}:tokens`] ?? 'null') as { accessToken: string; refreshToken: string; tokenType: string };
}

async function login(profile: string[], as = 'ada@example.com'): Promise<string> {
  const running = startCli([...profile, 'login'], { cwd: setup.box.cwd, env: setup.box.env });
  const [, url, code] = await running.waitForStderr(/open:\s+(\S+)\s+and check that it shows the code (\S+)/);
  expect(url).toBe(`${setup.org.url}/activate?user_code=${code ?? ''}`);
  setup.org.approveDevice(code ?? '', as);
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

    setup.org.setTokenLifetime(30); // under the 60 s renewal margin: every run must refresh
    expect(await login([])).toMatch(/Signed in as ada@example\.com/);
    expect(statSync(tokenFile('default')).mode & 0o777).toBe(0o600);
    expect(statSync(join(setup.box.xdg, 'okta-auth')).mode & 0o777).toBe(0o700);
    const first = storedTokens('default', setup.bearerApp);

    setup.org.resetCounters();
    const me = await cli(['api', 'GET', '/api/v1/users/me']);
    expect(me.code, me.stderr).toBe(0);
    expect(JSON.parse(me.stdout)).toMatchObject({ profile: { login: 'ada@example.com' } });
    const second = storedTokens('default', setup.bearerApp);
    expect(second.refreshToken).not.toBe(first.refreshToken); // rotated, and written back
    expect((await cli(['api', 'GET', '/api/v1/users/me'])).code).toBe(0);
    const third = storedTokens('default', setup.bearerApp);
    expect(third.refreshToken).not.toBe(second.refreshToken);
    expect(setup.org.counters().tokenRequests).toEqual({ refresh_token: { success: 2 } });

    const out = await cli(['logout']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toMatch(/revoked at Okta and deleted here/);
    expect(() => statSync(tokenFile('default'))).toThrow(/ENOENT/);
    const after = await fetch(`${setup.org.url}/api/v1/users/me`, { headers: { authorization: `Bearer ${third.accessToken}` } });
    expect(after.status).toBe(401);
    const refresh = await fetch(`${setup.org.url}/oauth2/v1/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: third.refreshToken, client_id: setup.bearerApp }),
    });
    expect(((await refresh.json()) as { error: string }).error).toBe('invalid_grant');
    expect((await cli(['logout'])).stderr).toMatch(/Not signed in/);
    setup.org.setTokenLifetime(3600);
  });

  it("a user name with terminal escapes is shown cleaned: the ID token's claims cannot drive the terminal", async () => {
    const name = 'mallory\r\u001b[2KSigned in as root\u001b]8;;https://evil.example/\u0007@example.com';
    setup.org.createUser({ login: name, password: SEED_PASSWORD });
    const stderr = await login([], name);
    expect(stderr).toContain('Signed in as mallory [2KSigned in as root ]8;;https://evil.example/ @example.com to');
    // eslint-disable-next-line no-control-regex
    expect(stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    expect((await cli(['logout'])).code).toBe(0);
  });

  it('an app that requires DPoP: the tokens are DPoP-bound and the key survives between runs', async () => {
    await login(['--profile', 'bound']);
    expect(storedTokens('bound', setup.dpopApp).tokenType).toBe('DPoP');
    for (let i = 0; i < 2; i++) {
      const me = await cli(['--profile', 'bound', 'api', 'GET', '/api/v1/users/me']);
      expect(me.code, me.stderr).toBe(0);
    }
    const doctor = await cli(['--profile', 'bound', 'doctor']);
    expect(doctor.stdout).toMatch(/\[ok\]\s+DPoP: the tokens are DPoP-bound/);
    expect((await cli(['--profile', 'bound', 'logout'])).code).toBe(0);
    expect(() => statSync(tokenFile('bound'))).toThrow(/ENOENT/);
  });

  it('a token file it could not write (a symbolic link, over 256 KiB) is exit 3 before the device sign-in starts: no tokens left live at Okta', async () => {
    mkdirSync(join(setup.box.xdg, 'okta-auth', 'tokens'), { recursive: true, mode: 0o700 });
    const shared = join(setup.box.dir, 'shared.json');
    writeFileSync(shared, '{}\n');
    chmodSync(shared, 0o644);
    symlinkSync(shared, tokenFile('linked'));
    writeFileSync(tokenFile('big'), JSON.stringify({ pad: 'x'.repeat(256 * 1024) }), { mode: 0o600 });
    for (const [profile, message] of [['linked', 'is a symbolic link'], ['big', 'is larger than 256 KiB']] as const) {
      setup.org.resetCounters();
      const running = startCli(['--profile', profile, 'login', '--no-browser'], { cwd: setup.box.cwd, env: setup.box.env });
      // Were the sign-in started, it is approved, so the run ends (then fails to store the tokens).
      void running.waitForStderr(/shows the code (\S+)/).then(([, code]) => setup.org.approveDevice(code ?? '', 'ada@example.com'), () => undefined);
      const result = await running.result;
      expect(result.stderr).toContain(`${tokenFile(profile)} (the signed-in tokens`);
      expect(result.stderr).toContain(message);
      expect(result.code).toBe(3);
      expect(setup.org.counters().requests['POST /oauth2/v1/device/authorize']).toBeUndefined();
      expect(result.stderr).not.toContain('open:');
    }
    expect(statSync(shared).mode & 0o777).toBe(0o644);
  });

  it('Ctrl-C while waiting for the approval: exit 130, no token file and no lock left, and the next login works', async () => {
    const running = startCli(['--profile', 'interrupted', 'login', '--no-browser'], { cwd: setup.box.cwd, env: setup.box.env });
    await running.waitForStderr(/Waiting for you to approve the sign-in/);
    process.kill(running.pid ?? 0, 'SIGINT');
    const result = await running.result;
    expect(result.code).toBe(130);
    const folder = join(setup.box.xdg, 'okta-auth', 'tokens');
    expect(existsSync(folder) ? readdirSync(folder).filter((name) => name.startsWith('interrupted.')) : []).toEqual([]);
    expect(await login(['--profile', 'interrupted'])).toMatch(/Signed in as ada@example\.com/);
    expect((await cli(['--profile', 'interrupted', 'logout'])).code).toBe(0);
  });

  it('login with a profile that is not a person’s sign-in is a configuration error (exit 3)', async () => {
    const result = await cli(['--profile', 'token', 'login']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/uses authorizationMode SSWS/);
    expect(result.stderr).toContain('the clientId of an OIDC native app with the Device Authorization grant.');
  });
});
