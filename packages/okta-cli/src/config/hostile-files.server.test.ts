import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { requireBuiltCli, runCli, sandbox, type Sandbox } from '../test-helpers/cli.js';

/**
 * What a folder the person runs `okta-auth` in can hold (a cloned repository, a CI checkout):
 * its `okta.yaml` is read after `~/.okta/okta.yaml`, so it must not be able to hang the CLI or
 * send the person's own credential to a server it names.
 */
let org: OktaEmulator;
let box: Sandbox;
beforeAll(async () => {
  requireBuiltCli();
  org = await startEmulator();
});
afterAll(async () => {
  await org.close();
});
beforeEach(() => {
  box = sandbox();
});
afterEach(() => {
  box.remove();
});

/** A safety net only (the old CLI read a FIFO forever): what is asserted is the exit code and message. */
const run = (args: string[], env: Record<string, string> = box.env) => runCli(args, { cwd: box.cwd, env, timeoutMs: 20_000 });

describe('okta.yaml and key files that are not regular files', () => {
  it('a FIFO or a link to /dev/zero is refused with exit 3, naming the file', async () => {
    const yaml = join(box.cwd, 'okta.yaml');
    execFileSync('mkfifo', [yaml]);
    const fifo = await run(['api', 'GET', '/api/v1/users']);
    expect(fifo.stderr).toContain(`${yaml} (the okta.yaml of the Okta SDKs) is not a regular file`);
    expect(fifo.code).toBe(3);

    const home = join(box.home, '.okta');
    mkdirSync(home);
    symlinkSync('/dev/zero', join(home, 'okta.yaml'));
    const zero = await run(['doctor']);
    expect(zero.stdout).toContain(`${join(home, 'okta.yaml')} (the okta.yaml of the Okta SDKs) is not a regular file`);
    expect(zero.code).toBe(6);
  });

  it('a privateKey path to a FIFO or a device is refused, never read', async () => {
    const fifo = join(box.cwd, 'key.pem');
    execFileSync('mkfifo', [fifo]);
    for (const privateKey of [fifo, '/dev/zero']) {
      const env = { ...box.env, OKTA_CLIENT_ORGURL: org.url, OKTA_CLIENT_CLIENTID: '0oa1', OKTA_CLIENT_SCOPES: 'okta.users.read', OKTA_CLIENT_PRIVATEKEY: privateKey };
      const result = await run(['api', 'GET', '/api/v1/users'], env);
      expect(result.stderr).toContain(`${privateKey} (privateKey in $OKTA_CLIENT_PRIVATEKEY) is not a regular file`);
      expect(result.code).toBe(3);
    }
  });
});

describe('an okta.yaml or a token file past its bound', () => {
  it('is refused naming the file and what to do (api, logout: exit 3; doctor: a failure, exit 6): nothing sent, no secret quoted', async () => {
    const { token } = org.createApiToken({ name: 'cli29-sizes' });
    const yaml = join(box.cwd, 'okta.yaml');
    writeFileSync(yaml, `okta:\n  client:\n    orgUrl: ${org.url}\n    token: ${token}\n#${'x'.repeat(1024 * 1024)}\n`, { mode: 0o600 });
    const before = org.counters().requests['GET /api/v1/users'] ?? 0;
    const tooLarge = `${yaml} (the okta.yaml of the Okta SDKs) is larger than 1 MiB: is it the right file?`;
    expect(await run(['api', 'GET', '/api/v1/users'])).toEqual({ code: 3, stdout: '', stderr: `okta-auth: ${tooLarge}\n` });
    const doctor = await run(['doctor']);
    expect(doctor.stdout).toContain(tooLarge);
    expect(doctor.code).toBe(6);
    expect(doctor.stdout + doctor.stderr).not.toContain(token.slice(2, 20));
    expect(org.counters().requests['GET /api/v1/users'] ?? 0).toBe(before);

    const clientId = org.createSignInApp({ type: 'native', redirectUris: ['http://127.0.0.1:9/cb'], scopes: ['okta.users.read'] }).clientId;
    box.writeYaml('cwd', { client: { orgUrl: org.url, clientId } });
    const tokens = join(box.xdg, 'okta-auth', 'tokens', 'default.json');
    mkdirSync(join(tokens, '..'), { recursive: true, mode: 0o700 });
    writeFileSync(tokens, JSON.stringify({ pad: 'x'.repeat(256 * 1024) }), { mode: 0o600 });
    const stale = `${tokens} (the signed-in tokens; delete it and sign in again) is larger than 256 KiB: is it the right file?`;
    for (const args of [['api', 'GET', '/api/v1/users'], ['logout']]) expect(await run(args)).toEqual({ code: 3, stdout: '', stderr: `okta-auth: ${stale}\n` });
  });
});

describe('a privateKey that is a key without its PEM header', () => {
  it('is never quoted as the path it is taken for (ENOENT, or a name too long), in api or doctor', async () => {
    const pkcs8 = (namedCurve: string) => generateKeyPairSync('ec', { namedCurve, privateKeyEncoding: { type: 'pkcs8', format: 'der' }, publicKeyEncoding: { type: 'spki', format: 'der' } }).privateKey;
    for (const der of [pkcs8('P-256'), pkcs8('P-521')]) {
      for (const body of [der.toString('base64'), der.toString('base64url')]) {
        const env = { ...box.env, OKTA_CLIENT_ORGURL: org.url, OKTA_CLIENT_CLIENTID: '0oa1', OKTA_CLIENT_SCOPES: 'okta.users.read', OKTA_CLIENT_PRIVATEKEY: body };
        for (const args of [['api', 'GET', '/api/v1/users'], ['doctor']]) {
          const result = await run(args, env);
          expect(result.stdout + result.stderr).toContain('privateKey');
          expect(result.stdout + result.stderr).not.toContain(body.slice(40, 80));
        }
      }
    }
    // A path with a "." is still named.
    const env = { ...box.env, OKTA_CLIENT_ORGURL: org.url, OKTA_CLIENT_CLIENTID: '0oa1', OKTA_CLIENT_SCOPES: 'okta.users.read', OKTA_CLIENT_PRIVATEKEY: 'missing-key.pem' };
    expect((await run(['api', 'GET', '/api/v1/users'], env)).stderr).toContain(`names a file that cannot be read: ${join(box.cwd, 'missing-key.pem')} (ENOENT)`);
  });
});

describe('YAML the CLI does not read', () => {
  it('an unknown !tag or a directive is refused with its position: the parser never prints the line (a secret) on stderr', async () => {
    const token = '00tagTokenSentinel0123456789abcdefghijklmno';
    for (const [text, line] of [
      [`okta:\n  client:\n    orgUrl: ${org.url}\n    token: !custom ${token}\n`, 4],
      [`%FOO ${token}\n---\nokta:\n  client:\n    orgUrl: ${org.url}\n    token: ${token}\n`, 1],
    ] as const) {
      writeFileSync(join(box.cwd, 'okta.yaml'), text);
      const result = await run(['api', 'GET', '/api/v1/users']);
      expect(result.stderr).toMatch(new RegExp(`okta\\.yaml has YAML the Okta SDKs do not read, such as a !tag, \\(line ${line}, column \\d+\\)`));
      expect(result.stderr).not.toContain(token.slice(2, 20));
      expect(result.code).toBe(3);
    }
  });
});

describe("a folder's okta.yaml cannot send the person's credential elsewhere", () => {
  it("./okta.yaml naming an org URL gets neither ~/.okta/okta.yaml's token nor $OKTA_CLIENT_TOKEN: exit 3, nothing sent", async () => {
    const token = '00homeTokenSentinel0123456789abcdefghijklmn';
    box.writeYaml('home', { client: { orgUrl: 'https://acme.okta.com', token } });
    box.writeYaml('cwd', { client: { orgUrl: org.url } });
    const before = org.counters().requests['GET /api/v1/users'] ?? 0;
    const fromHome = await run(['api', 'GET', '/api/v1/users']);
    expect(fromHome.stderr).toContain(`orgUrl comes from ${join(box.cwd, 'okta.yaml')} but token from ${join(box.home, '.okta', 'okta.yaml')}`);
    expect(fromHome.code).toBe(3);
    const fromEnv = await run(['api', 'GET', '/api/v1/users'], { ...box.env, OKTA_CLIENT_TOKEN: token });
    expect(fromEnv.stderr).toContain('but token from $OKTA_CLIENT_TOKEN: a token from elsewhere is never sent to the org URL of the folder\'s okta.yaml. Set OKTA_CLIENT_ORGURL too,');
    expect(fromEnv.code).toBe(3);
    const doctor = await run(['doctor'], { ...box.env, OKTA_CLIENT_TOKEN: token });
    expect(doctor.code).toBe(6);
    for (const r of [fromHome, fromEnv, doctor]) expect(r.stdout + r.stderr).not.toContain(token.slice(2, 20));
    expect(org.counters().requests['GET /api/v1/users'] ?? 0).toBe(before);
  });

  it('./okta.yaml with its own org and token, or the person naming the org, still works', async () => {
    const { token } = org.createApiToken({ name: 'cli19' });
    box.writeYaml('cwd', { client: { orgUrl: org.url, token } });
    expect((await run(['api', 'GET', '/api/v1/users?limit=1'])).code).toBe(0);
    writeFileSync(join(box.cwd, 'okta.yaml'), 'okta:\n  client:\n    orgUrl: https://elsewhere.example\n');
    expect((await run(['api', 'GET', '/api/v1/users?limit=1'], { ...box.env, OKTA_CLIENT_ORGURL: org.url, OKTA_CLIENT_TOKEN: token })).code).toBe(0);
    box.writeYaml('home', { client: { orgUrl: org.url, token } });
    expect((await run(['api', 'GET', '/api/v1/users?limit=1'], { ...box.env, OKTA_CLIENT_ORGURL: org.url })).code).toBe(0);
  });

  it("./okta.yaml naming the org of ~/.okta/okta.yaml again (a team repository's) works with the person's token from either place", async () => {
    const { token } = org.createApiToken({ name: 'cli19-same-org' });
    box.writeYaml('cwd', { client: { orgUrl: `${org.url}/` } });
    box.writeYaml('home', { client: { orgUrl: org.url, token } });
    const fromHome = await run(['api', 'GET', '/api/v1/users?limit=1']);
    expect(fromHome.stderr).toBe('');
    expect(fromHome.code).toBe(0);
    box.writeYaml('home', { client: { orgUrl: org.url } });
    expect((await run(['api', 'GET', '/api/v1/users?limit=1'], { ...box.env, OKTA_CLIENT_TOKEN: token })).code).toBe(0);
    box.writeYaml('home', { profiles: { team: { orgUrl: org.url, token } } });
    box.writeYaml('cwd', { profiles: { team: { orgUrl: org.url } } });
    expect((await run(['--profile', 'team', 'api', 'GET', '/api/v1/users?limit=1'])).code).toBe(0);
  });
});

describe('what a folder\'s okta.yaml says is printed cleaned, and doctor names secrets others can read', () => {
  it('terminal escapes in a privateKey path, a keyId or a profile name never reach the terminal', async () => {
    const app = org.createServiceApp({ scopes: ['okta.users.read'] });
    const escape = '\x1b]0;pwned\x07\x1b[2J';
    const service = { orgUrl: org.url, clientId: app.clientId, scopes: 'okta.users.read' };
    box.writeYaml('cwd', { profiles: { path: { ...service, privateKey: `key${escape}.pem` }, kid: { ...service, privateKey: app.privateKeyPem, keyId: `k${escape}` }, [`p${escape}`]: service } });
    const results = [await run(['--profile', 'path', 'api', 'GET', '/api/v1/users']), await run(['--profile', 'kid', 'doctor']), await run(['--profile', 'nope', 'api', 'GET', '/x'])];
    expect(results[0]?.stderr).toContain('privateKey');
    expect(results[0]?.code).toBe(3);
    // A keyId with escapes is no key id: okta-oauth refuses it unquoted, and doctor prints its refusal.
    expect(results[1]?.stdout).toMatch(/\[FAIL\] Private key: RSA 2048 bits\n\s+keyId is not a key id: /);
    expect(results[1]?.stdout).not.toContain('pwned');
    expect(results[2]?.stderr).toContain('known profiles: kid, p ]0;pwned [2J, path');
    for (const r of results) for (const c of ['\x1b', '\x07']) expect(r.stdout + r.stderr).not.toContain(c);
  });

  it('doctor warns of an okta.yaml with a token, and a key file, that other users can read, with the chmod to run', async () => {
    const { token } = org.createApiToken({ name: 'cli19-modes' });
    const app = org.createServiceApp({ scopes: ['okta.users.read'] });
    const yaml = join(box.cwd, 'okta.yaml');
    const key = join(box.cwd, 'key.pem');
    writeFileSync(key, app.privateKeyPem, { mode: 0o640 });
    box.writeYaml('cwd', { client: { orgUrl: org.url, token }, profiles: { service: { orgUrl: org.url, clientId: app.clientId, keyId: app.keyId, scopes: 'okta.users.read', privateKey: 'key.pem' } } });
    expect((await run(['doctor'])).stdout).not.toContain('readable by other users');
    chmodSync(yaml, 0o644);
    const token644 = await run(['doctor']);
    expect(token644.stdout).toContain(`[warn] Secrets readable by other users\n       ${yaml} (token) is mode 0644: other users of this machine can read the credential.\n       fix: chmod 600 ${yaml}\n`);
    expect(token644.code).toBe(0);
    const service = await run(['--profile', 'service', 'doctor']);
    expect(service.stdout).toContain(`${key} (the private key) is mode 0640`);
    expect(service.stdout).toContain(`fix: chmod 600 ${key}\n`);
  });
});

