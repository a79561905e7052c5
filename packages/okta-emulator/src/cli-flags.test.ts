/**
 * The `okta-emulator` command's numeric flags (`--port`, `--users`) read by one reader: digits only.
 * `Number()` alone reads "" and "  " as 0, "0x10" as 16 and "1e3" as 1000, so `--users ""` used to
 * seed no users and `--port ""` to pick a free port instead of saying the flag was empty. Checked
 * in-process (the error) and as the built command a person runs (exit 2, the message, the usage).
 * A port or host Node.js cannot listen on is worded for the flag too (`okta-emulator: --port …`), not
 * as `startEmulator` words it for its `port` option.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startCliOrg } from './cli-main.js';
import { isOktaEmulatorError, startEmulator } from './index.js';

const built = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/** Runs the built command to its end (a refused flag ends it before anything listens); one that started an org is stopped once it printed. */
function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [built, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      child.kill('SIGTERM');
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** What `startCliOrg(args)` refused with; an org it started is closed, and the test fails on its missing refusal. */
async function refusal(args: string[]): Promise<unknown> {
  const started = await startCliOrg(args).catch((error: unknown) => ({ error }));
  if (started !== undefined && 'org' in started) await started.org.close();
  return started !== undefined && 'error' in started ? started.error : started;
}

const portRule = 'must be a whole number from 0 to 65535 (0 picks a free port)';
const usersRule = 'must be a whole number from 0 to 100000 (users are kept in memory)';

describe('okta-emulator numeric flags', () => {
  it.each([
    ['--port', '', portRule],
    ['--port', '  ', portRule],
    ['--port', '0x10', portRule],
    ['--port', '1e3', portRule],
    ['--port', ' 80', portRule],
    ['--users', '', usersRule],
    ['--users', '  ', usersRule],
    ['--users', '0x10', usersRule],
    ['--users', '1e3', usersRule],
    ['--users', '+5', usersRule],
  ])('refuses %s %j with the flag and what was typed', async (flag, value, rule) => {
    for (const args of [[flag, value], [`${flag}=${value}`]]) {
      expect(await refusal(args)).toMatchObject({
        name: 'OktaEmulatorError',
        code: 'INVALID_OPTION',
        option: flag,
        message: `okta-emulator: ${flag} ${rule}, not ${JSON.stringify(value)}.`,
      });
    }
  });

  it('still takes plain digits (a leading zero too)', async () => {
    const started = await startCliOrg(['--port', '0', '--users', '007']);
    try {
      expect((started?.credentials.users as { seeded: number }).seeded).toBe(7);
    } finally {
      await started?.org.close();
    }
  });

  it('the command exits 2 on an empty --users or --port, printing the message and the usage', async () => {
    for (const [flag, rule] of [['--users', usersRule], ['--port', portRule]] as const) {
      const { code, stdout, stderr } = await run([flag, '']);
      expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
      expect(stderr).toContain(`okta-emulator: ${flag} ${rule}, not "".`);
      expect(stderr).toContain('Usage: okta-emulator');
    }
  });

  it('a --port another program holds: the command names its flag, not startEmulator\'s option, and exits 2', async () => {
    const other = createServer();
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const { port } = other.address() as AddressInfo;
    try {
      const said = `okta-emulator: --port ${String(port)} is in use on 127.0.0.1: stop what holds it, pick another port, or pass 0 (the default) for a free one.`;
      expect(await refusal(['--port', String(port)])).toMatchObject({
        code: 'INVALID_OPTION',
        option: '--port',
        message: said,
        cause: expect.objectContaining({ code: 'EADDRINUSE' }),
      });
      const { code, stdout, stderr } = await run(['--port', String(port)]);
      expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
      expect(stderr).toContain(said);
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });

  // One refusal, built once and worded twice: a change to startEmulator's words reaches the command's.
  it("the command's --port and --host refusals are startEmulator's, worded for the flag: same advice, same cause", async () => {
    const other = createServer();
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const { port } = other.address() as AddressInfo;
    const secret = `00${'a1B2c3D4e5'.repeat(4)}`;
    try {
      for (const [host, port_] of [['127.0.0.1', port], ['192.0.2.1', 0], ['  ', 0], [`fe80::1%${secret}`, 0]] as const) {
        const own = await startEmulator({ host, port: port_ }).then(async (org) => org.close(), (error: unknown) => error);
        const flag = await refusal(['--host', host, '--port', String(port_)]);
        if (!isOktaEmulatorError(own) || !isOktaEmulatorError(flag)) throw new Error(`not refused as an OktaEmulatorError: ${host}`);
        const [, option = '', what = ''] = /^startEmulator: (port|host) (.+)$/s.exec(own.message) ?? [];
        expect(flag, host).toMatchObject({ code: 'INVALID_OPTION', option: `--${own.option}`, message: `okta-emulator: --${option} ${what}` });
        expect(option, host).toBe(own.option);
        expect((flag.cause as { code?: unknown } | undefined)?.code, host).toBe((own.cause as { code?: unknown } | undefined)?.code);
        expect(inspect(flag, { depth: 5 }) + JSON.stringify([flag, flag.message]), host).not.toContain(secret);
      }
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });
});
