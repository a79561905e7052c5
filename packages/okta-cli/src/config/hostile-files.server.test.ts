import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
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
    expect(fromEnv.stderr).toContain('but token from $OKTA_CLIENT_TOKEN');
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
});
