import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { startProxy, type TestProxy } from '@org/okta-test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from './exit-codes.js';
import { closedPort, requireBuiltCli, runCli, sandbox, type Sandbox } from './test-helpers/cli.js';

let org: OktaEmulator;
let proxy: TestProxy;
let box: Sandbox;
let host: string;

beforeAll(async () => {
  requireBuiltCli();
  org = await startEmulator({ seed: { users: 3 } });
  proxy = await startProxy();
  host = new URL(org.url).host;
  const app = org.createServiceApp({ scopes: ['okta.users.read'], requireDpop: true });
  box = sandbox();
  box.writeYaml('cwd', {
    client: { orgUrl: org.url, token: org.createApiToken().token },
    profiles: { dpop: { orgUrl: org.url, clientId: app.clientId, keyId: app.keyId, privateKey: app.privateKeyPem, scopes: 'okta.users.read' } },
  });
});
afterEach(() => {
  proxy.mode = 'tunnel';
  proxy.tunnels.length = 0;
});
afterAll(async () => {
  await proxy.close();
  await org.close();
  box.remove();
});

const cli = (args: string[], env: Record<string, string>) => runCli(args, { cwd: box.cwd, env: { ...box.env, ...env } });

describe('okta-auth behind a proxy (HTTP_PROXY, HTTPS_PROXY, NO_PROXY)', () => {
  it.each([
    ['an API token', [], 'HTTP_PROXY'],
    ['a service app with DPoP (token request and API call)', ['--profile', 'dpop'], 'http_proxy'],
    ['--verbose', ['--verbose'], 'HTTP_PROXY'],
  ])('%s: every request goes through the proxy', async (_name, args, variable) => {
    const result = await cli(['api', 'GET', '/api/v1/users', ...args], { [variable]: proxy.url });
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(ExitCode.OK);
    expect(JSON.parse(result.stdout)).toHaveLength(4); // and the seeded super admin
    expect(proxy.tunnels.length).toBeGreaterThan(0);
    expect(new Set(proxy.tunnels)).toEqual(new Set([host]));
  });

  it('NO_PROXY names the org: straight to it', async () => {
    const result = await cli(['api', 'GET', '/api/v1/users'], { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' });
    expect(result.code).toBe(ExitCode.OK);
    expect(proxy.tunnels).toEqual([]);
  });

  it('a proxy that refuses the tunnel: a network failure, and nothing reaches the org', async () => {
    proxy.mode = 'refuse';
    org.resetCounters();
    const result = await cli(['api', 'GET', '/api/v1/users'], { HTTP_PROXY: proxy.url });
    expect(result.code).toBe(ExitCode.NETWORK);
    expect(result.stderr).toContain('failed before Okta answered');
    expect(org.counters().requests).toEqual({});
  });

  it('a value without a scheme (host:port) is an http:// proxy, as curl reads it', async () => {
    const result = await cli(['api', 'GET', '/api/v1/users'], { HTTP_PROXY: new URL(proxy.url).host });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(ExitCode.OK);
    expect(new Set(proxy.tunnels)).toEqual(new Set([host]));
  });

  it('a proxy that does not answer: the network failure names the variable in use, in api and in doctor', async () => {
    const dead = `http://ada:s3cret-pass@127.0.0.1:${await closedPort()}`;
    const result = await cli(['api', 'GET', '/api/v1/users'], { http_proxy: dead });
    expect(result.code).toBe(ExitCode.NETWORK);
    expect(result.stderr).toMatch(/^okta-auth: .* Sent through the proxy in http_proxy: check that proxy too\.\n$/);
    const doctor = await cli(['doctor'], { http_proxy: dead, NO_PROXY: 'acme.okta.com' });
    expect(doctor.stdout).toMatch(/\[FAIL\] Reach .*\n\s+no answer \(\w+\) through the proxy in http_proxy \(unless NO_PROXY names the org\)\./);
    expect(result.stderr + result.stdout + doctor.stdout + doctor.stderr).not.toContain('s3cret');
  });

  it.each(['HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'])('%s that is not a proxy URL: a configuration error that names it and does not quote it', async (name) => {
    for (const value of ['proxy.corp.example:3128 with s3cret-pass', 'ftp://ada:s3cret-pass@proxy.corp.example']) {
      const result = await cli(['api', 'GET', '/api/v1/users'], { [name]: value });
      expect(result.code).toBe(ExitCode.CONFIG);
      expect(result.stderr).toContain(`${name} is not a proxy URL such as http://proxy.corp.example:3128`);
      expect(result.stderr + result.stdout).not.toContain('s3cret');
    }
  });
});
