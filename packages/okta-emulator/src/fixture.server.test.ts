import { spawn } from 'node:child_process';
import { createServer, request, Agent } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { until } from '@org/okta-test-utils';
import { describe, expect, it, onTestFinished } from 'vitest';
import { isOktaEmulatorError, startEmulator, type OktaEmulatorError } from './index.js';

/** The process's sockets, servers and timers, by kind (a timer of the org's is checked in a process of its own, below). */
function handles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) if (/TCP|Timeout/.test(kind)) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

/** A GET on `agent`'s kept-alive connection that resolves with its status, or with the error that ended it. */
function get(url: string, agent: Agent, headers: Record<string, string> = {}): Promise<number | Error> {
  return new Promise((resolve) => {
    const req = request(url, { agent, headers }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
    });
    req.once('error', resolve);
    req.end();
  });
}

/** The error `startEmulator` rejects with; fails the test when it starts. */
async function refused(options: Parameters<typeof startEmulator>[0]): Promise<OktaEmulatorError> {
  const started = await startEmulator(options).then(
    async (org) => {
      await org.close();
      return new Error(`it started at ${org.url}`);
    },
    (error: unknown) => error,
  );
  if (!isOktaEmulatorError(started)) throw new Error(`not an OktaEmulatorError: ${String(started)}`, { cause: started });
  return started;
}

describe('the emulator as a fixture in a test suite', () => {
  it('two orgs in one process: their own ports, users, tokens, clocks and faults', async () => {
    const [a, b] = await Promise.all([startEmulator(), startEmulator()]);
    try {
      expect(a.url).not.toBe(b.url);
      a.createUser({ login: 'only-a@example.com', password: 'Pw-Only-A-1' });
      const tokenA = a.createApiToken().token;
      const tokenB = b.createApiToken().token;
      const user = (org: typeof a, token: string) => fetch(`${org.url}/api/v1/users/only-a@example.com`, { headers: { Authorization: `SSWS ${token}` } });
      expect((await user(a, tokenA)).status).toBe(200);
      expect((await user(b, tokenB)).status).toBe(404);
      expect((await user(b, tokenA)).status).toBe(401);
      a.injectFault({ path: '/api/v1/users', kind: 'status', status: 503, count: 1 });
      expect((await fetch(`${b.url}/api/v1/users`, { headers: { Authorization: `SSWS ${tokenB}` } })).status).toBe(200);
      expect((await fetch(`${a.url}/api/v1/users`, { headers: { Authorization: `SSWS ${tokenA}` } })).status).toBe(503);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('close() ends a request held in flight and a kept-alive connection, and leaves no socket behind', async () => {
    const before = handles();
    const org = await startEmulator();
    const agent = new Agent({ keepAlive: true, maxSockets: 2 });
    try {
      const token = org.createApiToken().token;
      // A kept-alive connection, idle after its answer.
      expect(await get(`${org.url}/.well-known/openid-configuration`, agent)).toBe(200);
      // A request the org holds for a minute: close() must not wait for it.
      org.injectFault({ path: '/api/v1/users', kind: 'latency', latencyMs: 60_000, count: 1 });
      const held = get(`${org.url}/api/v1/users`, agent, { Authorization: `SSWS ${token}` });
      await until(() => org.counters().requests['GET /api/v1/users'] === 1, 'the held request reaching the org');
      await org.close();
      expect(await held).toBeInstanceOf(Error);
    } finally {
      agent.destroy();
    }
    // At most as many of each kind as before the org started (sockets of earlier tests may close meanwhile).
    const back = () => Object.entries(handles()).every(([kind, n]) => n <= (before[kind] ?? 0));
    await until(back, () => `the handles back to at most ${JSON.stringify(before)} (now ${JSON.stringify(handles())})`);
    expect(back()).toBe(true);
  });

  it('a script that closes the org while a request is held exits by itself: nothing of the org keeps Node.js running', async () => {
    // The built package, as a user's script imports it; it exits once no socket, server or timer is left.
    const script = `
      import { startEmulator } from '@org/okta-emulator';
      const org = await startEmulator();
      const { token } = org.createApiToken();
      org.injectFault({ path: '/api/v1/users', kind: 'latency', latencyMs: 600000, count: 1 });
      const held = fetch(org.url + '/api/v1/users', { headers: { Authorization: 'SSWS ' + token } }).catch(() => 'ended');
      while (org.counters().requests['GET /api/v1/users'] !== 1) await new Promise((resolve) => setTimeout(resolve, 20));
      await org.close();
      console.log(await held);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: ['ignore', 'pipe', 'inherit'] });
    onTestFinished(() => {
      if (child.exitCode === null) child.kill();
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect([code, out.trim()]).toEqual([0, 'ended']);
  });

  it('close() twice (a test and its afterEach) resolves both times', async () => {
    const org = await startEmulator();
    await org.close();
    await expect(org.close()).resolves.toBeUndefined();
  });

  it('a port another server holds: INVALID_OPTION naming port and saying what to do, the cause kept', async () => {
    const other = createServer();
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const { port } = other.address() as AddressInfo;
    try {
      const error = await refused({ port });
      expect(error).toMatchObject({ code: 'INVALID_OPTION', option: 'port', cause: expect.objectContaining({ code: 'EADDRINUSE' }) });
      expect(error.message).toBe(`startEmulator: port ${String(port)} is in use on 127.0.0.1: stop what holds it, pick another port, or pass 0 (the default) for a free one.`);
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });

  it('a host that is not an address of this machine: INVALID_OPTION naming host', async () => {
    const error = await refused({ host: '192.0.2.1' });
    expect(error).toMatchObject({ code: 'INVALID_OPTION', option: 'host', cause: expect.objectContaining({ code: 'EADDRNOTAVAIL' }) });
    expect(error.message).toMatch(/^startEmulator: host "192\.0\.2\.1" is not an address of this machine/);
  });

  // A token pasted as the host, as an IPv6 zone (no name to look up): Node's error holds the host whole.
  it('a host shaped like a secret: INVALID_OPTION naming host, the secret in no message, field, cause, JSON or inspection', async () => {
    const secret = `00${'a1B2c3D4e5'.repeat(4)}`;
    const error = await refused({ host: `fe80::1%${secret}` });
    expect(error).toMatchObject({ code: 'INVALID_OPTION', option: 'host', message: expect.stringMatching(/^startEmulator: host a value shaped like a token or key \(not quoted\) is not an address/) });
    expect(error.cause).toBeUndefined();
    expect(inspect(error, { depth: 5 }) + JSON.stringify([error, error.option, error.message])).not.toContain(secret);
  });
});
