import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { unprintable } from '@org/okta-auth-core/internal';
import { newKeyPair, startScriptedServer } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { cliPath, emulatorAndSandboxes, runCli } from '../test-helpers/cli.js';

/**
 * What the CLI prints when it refuses something (its error line on stderr, doctor's findings on
 * stdout) quotes text it was given: a key id and a JWK's own `kid` from a folder's okta.yaml (a
 * cloned repository's), a scope, a profile name from the environment, an argument. None of it may
 * drive the terminal: core's `unprintable` characters but the line feeds the CLI writes itself.
 */
const setup = emulatorAndSandboxes();

const run = (args: string[], env: Record<string, string> = setup.box.env) => runCli(args, { cwd: setup.box.cwd, env, timeoutMs: 20_000 });

/** Sets a title (OSC 0), clears the screen (an 8-bit CSI, C1) and reverses the text after it (U+202E). */
const escape = '\x1b]0;pwned\x07\u009b2J\u202e';
/** No character of core's `unprintable` class but the line feeds the CLI writes. */
function expectClean(result: { stdout: string; stderr: string }): void {
  expect((result.stdout + result.stderr).replaceAll('\n', '')).not.toMatch(new RegExp(unprintable.source));
}

describe('a refusal quoting what it was given is printed flattened', () => {
  it("a JWK's own kid that is not a key id (a keyId or kid that is not one is refused unquoted): api's error line and doctor's finding", async () => {
    const jwk = { ...newKeyPair({ type: 'ec', namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }), kid: `k${escape}` };
    setup.box.writeYaml('cwd', { client: { orgUrl: setup.org.url, authorizationMode: 'PrivateKey', clientId: '0oa1', scopes: 'okta.users.read', keyId: 'other', privateKey: JSON.stringify(jwk) } });
    const api = await run(['api', 'GET', '/api/v1/users']);
    expect(api.stderr).toMatch(/^okta-auth: The client JWK's kid is not a key id: give the kid of the app's public key in Okta \(printable ASCII without spaces, at most 128 characters\)\.\n$/);
    expect(api.code).toBe(3);
    const doctor = await run(['doctor']);
    // One finding, on the key (its refusal is the credential's too): not a second "Client settings" line.
    expect(doctor.stdout).toContain(`[FAIL] Private key: EC prime256v1\n       The client JWK's kid is not a key id`);
    expect(doctor.stdout).not.toContain('[FAIL] Client settings');
    expect(doctor.code).toBe(6);
    for (const r of [api, doctor]) expectClean(r);
  });

  it('a scope with an 8-bit CSI (JSON.stringify leaves C1 as it is), a profile name from OKTA_AUTH_PROFILE, an unknown command or option', async () => {
    setup.box.writeYaml('cwd', { client: { orgUrl: setup.org.url, clientId: '0oa1', clientSecret: 'a-client-secret-of-the-folder', scopes: `okta.users.read\u009b2J\u202e` } });
    const results = [
      await run(['api', 'GET', '/api/v1/users']),
      await run(['doctor']),
      await run(['api', 'GET', '/api/v1/users'], { ...setup.box.env, OKTA_AUTH_PROFILE: `p${escape}` }),
      await run([`x${escape}`]),
      await run([`--x${escape}`, 'doctor']),
    ];
    expect(results[0]?.stderr).toContain('okta-auth: scopes has an invalid entry "okta.users.read 2J "');
    expect(results[0]?.code).toBe(3);
    expect(results[1]?.stdout).toContain('scopes has an invalid entry "okta.users.read 2J "');
    expect(results[2]?.stderr).toContain('The profile name "p ]0;pwned 2J " may use only');
    expect(results[3]?.stderr).toContain('unknown command "x ]0;pwned 2J "');
    expect(results[4]?.code).toBe(2);
    for (const r of results) expectClean(r);
  });
});

/** Runs the binary with its stdout on /dev/full, where every write fails with ENOSPC (a full disk). */
function runToFullDisk(args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const full = openSync('/dev/full', 'w');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd: setup.box.cwd, env, stdio: ['ignore', full, 'pipe'] });
    closeSync(full);
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('output that cannot be written', () => {
  it.runIf(process.platform === 'linux')('a full disk is one line naming the code, exit 1: no crash with a stack trace', async () => {
    const { token } = setup.org.createApiToken({ name: 'full-disk' });
    const env = { ...setup.box.env, OKTA_CLIENT_ORGURL: setup.org.url, OKTA_CLIENT_TOKEN: token };
    for (const args of [['--version'], ['api', 'GET', '/api/v1/users'], ['doctor']]) {
      const result = await runToFullDisk(args, env);
      expect(result.stderr).toBe('okta-auth: cannot write the output (ENOSPC): it is incomplete; free some space, or write it elsewhere.\n');
      expect(result.code).toBe(1);
    }
  });
});

describe('an answer nested deeper than JSON.stringify can go', () => {
  it('one answer is printed as it came; an item of a walk stops it naming the item, not "unexpected error: Maximum call stack size exceeded"', async () => {
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    const server = await startScriptedServer((req, res) => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (req.path === '/api/v1/pages') headers.link = `<${server.url}/api/v1/pages?after=1>; rel="next"`;
      res.writeHead(200, headers).end(req.path.startsWith('/api/v1/pages') ? `[{"id":"first"},${deep}]` : deep);
    });
    try {
      const env = { ...setup.box.env, OKTA_CLIENT_ORGURL: server.url, OKTA_CLIENT_TOKEN: '00deepAnswerToken0123456789abcdef' };
      const one = await run(['api', 'GET', '/api/v1/deep'], env);
      expect(one.stderr).toBe('');
      expect(one.stdout).toBe(`${deep}\n`);
      expect(one.code).toBe(0);
      const walk = await run(['api', 'GET', '/api/v1/pages', '--paginate', '--ndjson'], env);
      expect(walk.stdout).toBe('{"id":"first"}\n');
      expect(walk.stderr).toBe('okta-auth: GET /api/v1/pages: item 2 is nested too deeply to print as JSON (thousands of levels); stopped there.\n');
      expect(walk.code).toBe(1);
    } finally {
      await server.close();
    }
  });
});
