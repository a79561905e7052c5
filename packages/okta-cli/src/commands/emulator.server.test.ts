import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli, runCli, sandbox, startCli, type Sandbox } from '../test-helpers/cli.js';

let box: Sandbox;
beforeAll(() => {
  requireBuiltCli();
  box = sandbox();
});
afterAll(() => {
  box.remove();
});

describe('okta-auth emulator', () => {
  it('starts a local org and writes a 0600 okta.yaml whose every service profile passes doctor; Ctrl-C stops it', async () => {
    const running = startCli(['emulator', '--port', '0'], { cwd: box.cwd, env: box.env });
    try {
      await running.waitForStderr(/Press Ctrl-C to stop\./);
      const [, url] = await running.waitForStderr(/Okta emulator running at (http:\/\/127\.0\.0\.1:\d+) /);
      // The banner's count is the org's: every user its Users API lists (the seeded ones, the admin, the org's super admin).
      const [, shown] = await running.waitForStderr(/Okta emulator running at \S+ \((\d+) users;/);
      const listed = await runCli(['api', 'GET', '/api/v1/users?limit=200', '--paginate', '--ndjson'], { cwd: box.cwd, env: box.env });
      expect(listed.stdout.trim().split('\n')).toHaveLength(Number(shown));
      const file = join(box.cwd, 'okta.yaml');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, 'utf8')).toMatch(/^# Written by `okta-auth emulator`/);
      // emulator-user can sign in with login --browser too: the redirect URI its native app has.
      const userProfile = readFileSync(file, 'utf8').split('    emulator-user:\n')[1] ?? '';
      expect(userProfile).toContain('      redirectUri: http://127.0.0.1:8765/callback\n');
      for (const profile of [[], ['--profile', 'emulator-service'], ['--profile', 'emulator-service-bearer'], ['--profile', 'emulator-oin']]) {
        const result = await runCli([...profile, 'doctor'], { cwd: box.cwd, env: box.env });
        expect(result.code, result.stdout).toBe(0);
        expect(result.stdout).toContain(`Reach ${url ?? ''}`);
      }
      const user = await runCli(['--profile', 'emulator-user', 'doctor'], { cwd: box.cwd, env: box.env });
      expect(user.stdout).toMatch(/\[FAIL\] Signed-in user\n.*Not signed in[\s\S]*fix: run okta-auth login --profile emulator-user/);
    } finally {
      running.interrupt();
    }
    const ended = await running.result;
    expect(ended.code).toBe(130);
    // The org URL alone on stdout, for a script (okta-auth emulator > org.txt &); the banner on stderr.
    expect(ended.stdout).toMatch(/^http:\/\/127\.0\.0\.1:\d+\n$/);
    expect(ended.stderr).toContain(`Okta emulator running at ${ended.stdout.trim()} `);
    // A second run rewrites its own file, but never someone else's okta.yaml.
    const other = sandbox();
    try {
      other.writeYaml('cwd', { client: { orgUrl: 'https://acme.okta.com' } });
      const refused = await runCli(['emulator'], { cwd: other.cwd, env: other.env });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/exists and was not written by okta-auth emulator: pass --write/);
    } finally {
      other.remove();
    }
  });

  it('starts whatever the proxy variables say: it sends nothing, so a proxy URL it could not use is no error', async () => {
    const other = sandbox();
    const running = startCli(['emulator', '--port', '0'], { cwd: other.cwd, env: { ...other.env, HTTPS_PROXY: 'proxy.corp.example:3128', http_proxy: 'ftp://proxy' } });
    try {
      await running.waitForStderr(/Press Ctrl-C to stop\./);
    } finally {
      running.interrupt();
      other.remove();
    }
    const { code, stderr } = await running.result;
    expect(stderr).not.toContain('not a proxy URL');
    expect(code).toBe(130);
  });

  it('replaces its own earlier file with a new 0600 one, whatever that file\'s mode was', async () => {
    const other = sandbox();
    const file = join(other.cwd, 'okta.yaml');
    writeFileSync(file, '# Written by `okta-auth emulator` earlier\n');
    chmodSync(file, 0o644);
    const running = startCli(['emulator', '--port', '0'], { cwd: other.cwd, env: other.env });
    try {
      await running.waitForStderr(/Press Ctrl-C to stop\./);
      expect(readFileSync(file, 'utf8')).toContain('token:');
      expect(statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      running.interrupt();
      await running.result;
      other.remove();
    }
  });

  it('never writes through a link at --write, nor into a folder: exit 2, the link\'s target unchanged', async () => {
    const other = sandbox();
    try {
      // Someone else's file, readable by all, that looks like one the emulator wrote.
      const planted = join(other.dir, 'planted.yaml');
      writeFileSync(planted, '# Written by `okta-auth emulator` (planted)\n');
      chmodSync(planted, 0o666);
      symlinkSync(planted, join(other.cwd, 'okta.yaml'));
      const linked = await runCli(['emulator'], { cwd: other.cwd, env: other.env, timeoutMs: 20_000 });
      expect(linked.stderr).toMatch(/okta\.yaml exists and was not written by okta-auth emulator: pass --write/);
      expect(linked.code).toBe(2);
      expect(readFileSync(planted, 'utf8')).toBe('# Written by `okta-auth emulator` (planted)\n');
      mkdirSync(join(other.cwd, 'folder.yaml'));
      const folder = await runCli(['emulator', '--write', 'folder.yaml'], { cwd: other.cwd, env: other.env, timeoutMs: 20_000 });
      expect(folder.stderr).toMatch(/folder\.yaml exists and was not written by okta-auth emulator/);
      expect(folder.code).toBe(2);
    } finally {
      other.remove();
    }
  });

  it('a --port another program listens on, or one that is not a plain number (0x10, 1e3), is a usage error saying what to pass: exit 2, nothing written', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    try {
      const busy = await runCli(['emulator', '--port', String(port), '--write', 'busy.yaml'], { cwd: box.cwd, env: box.env, timeoutMs: 20_000 });
      expect(busy.stderr).toBe(`okta-auth: --port ${port} cannot be listened on (EADDRINUSE): choose another port, or 0 for any free one.\n`);
      expect(busy.code).toBe(2);
      expect(existsSync(join(box.cwd, 'busy.yaml'))).toBe(false);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
    for (const given of ['0x10', '1e3', '']) {
      const odd = await runCli(['emulator', '--port', given, '--write', 'odd.yaml'], { cwd: box.cwd, env: box.env, timeoutMs: 20_000 });
      expect(odd.stderr).toBe(`okta-auth: --port must be a whole number from 0 to 65535, got "${given}".\n`);
      expect(odd.code).toBe(2);
    }
    expect(existsSync(join(box.cwd, 'odd.yaml'))).toBe(false);
  });
});
