/**
 * `--data @-` and `--data @FILE` read the user's input bounded as it arrives (files.ts's
 * `readInput`): an input past 10 MB that never ends (a pipe kept open, a FIFO) is refused as any
 * too-large `--data` is (exit 2, "--data is larger than 10 MB."), never read whole first; and a
 * slow producer on stdin is waited for (never `EAGAIN`), its body sent to the place.org.
 */
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { closeSync, constants, existsSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { cliPath, type CliResult } from '../test-helpers/cli.js';
import { apiTokenProfileOrg } from '../test-helpers/api-token-profile.js';

const tenMb = 10 * 1024 * 1024;

const place = apiTokenProfileOrg({ seed: { users: 1 } });

/** The CLI with its stdin a pipe the test writes to (and may never end), and its result. */
function cliWithStdin(args: string[]): { child: ChildProcessWithoutNullStreams; result: Promise<CliResult> } {
  const child = spawn(process.execPath, [cliPath, ...args], { cwd: place.box.cwd, env: place.box.env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  // The CLI may stop reading (and close its end) before the test stops writing.
  child.stdin.on('error', () => undefined);
  const result = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, result };
}

it('--data @- past 10 MB on a pipe that never ends is refused as too large, without reading it to its end', async () => {
  const { child, result } = cliWithStdin(['api', 'POST', '/api/v1/users', '--data', '@-']);
  try {
    child.stdin.write(Buffer.alloc(tenMb + 1, 0x20)); // and the pipe stays open
    const done = await result;
    expect(done).toEqual({ code: 2, stdout: '', stderr: 'okta-auth: --data is larger than 10 MB.\n' });
    expect(place.org.counters().requests['POST /api/v1/users']).toBeUndefined();
  } finally {
    child.kill();
  }
});

it('--data @FIFO past 10 MB whose writer never closes it is refused as too large', async () => {
  const fifo = join(place.box.dir, 'body.fifo');
  execFileSync('mkfifo', [fifo]);
  // The writer keeps the FIFO open after its 10 MB + 1 bytes.
  const writer = spawn('sh', ['-c', `exec 3>"$1"; head -c ${tenMb + 1} /dev/zero >&3; exec sleep 600`, 'sh', fifo], { stdio: 'ignore' });
  try {
    const { result } = cliWithStdin(['api', 'POST', '/api/v1/users', '--data', `@${fifo}`]);
    expect(await result).toEqual({ code: 2, stdout: '', stderr: 'okta-auth: --data is larger than 10 MB.\n' });
  } finally {
    writer.kill();
  }
});

it('--data @- from a producer that writes its body in parts, the last after a wait, sends the whole body', async () => {
  const body = JSON.stringify({ profile: { login: 'slow@example.com', email: 'slow@example.com', firstName: 'Slow', lastName: 'Pipe' } });
  const { child, result } = cliWithStdin(['api', 'POST', '/api/v1/users', '--data', '@-']);
  child.stdin.write(body.slice(0, 10));
  await new Promise((resolve) => setTimeout(resolve, 300));
  child.stdin.end(body.slice(10));
  const done = await result;
  expect(done.code, done.stderr).toBe(0);
  expect(JSON.parse(done.stdout)).toMatchObject({ profile: { login: 'slow@example.com' } });
});

it('--data @FIFO whose writer is there but silent: Ctrl-C stops the wait (exit 130)', async () => {
  const fifo = join(place.box.dir, 'silent.fifo');
  execFileSync('mkfifo', [fifo]);
  const sent = place.org.counters().requests['POST /api/v1/users'];
  const { child, result } = cliWithStdin(['api', 'POST', '/api/v1/users', '--data', `@${fifo}`]);
  const run = { ended: false };
  void result.then(() => (run.ended = true));
  // The writer opens once the CLI has the FIFO open for reading (before that, ENXIO), then writes nothing.
  let writer: number | undefined;
  while (writer === undefined && !run.ended) {
    try {
      writer = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
  try {
    child.kill('SIGINT');
    // Before, the read blocked the main thread, where the CLI's Ctrl-C handler runs: it never ended.
    expect(await result).toEqual({ code: 130, stdout: '', stderr: '' });
    expect(place.org.counters().requests['POST /api/v1/users']).toBe(sent);
  } finally {
    if (writer !== undefined) closeSync(writer);
    child.kill();
  }
}, 20_000);

it('--data with GET or HEAD (which have no body) is a usage error saying so, exit 2, before anything is read or sent', async () => {
  for (const method of ['GET', 'head']) {
    const before = place.org.counters().requests[`${method.toUpperCase()} /api/v1/users`] ?? 0;
    const { child, result } = cliWithStdin(['api', method, '/api/v1/users', '--data', '@-']);
    child.stdin.end('{}');
    const done = await result;
    expect(done.stderr).toBe(`okta-auth: --data goes with POST, PUT, PATCH, DELETE or OPTIONS: ${method.toUpperCase()} has no body.\n`);
    expect(done.code).toBe(2);
    expect(place.org.counters().requests[`${method.toUpperCase()} /api/v1/users`] ?? 0).toBe(before);
  }
});

/** `script` (util-linux) gives the CLI a terminal of its own, so `/dev/tty` is one the test types into. */
const hasScript = existsSync('/usr/bin/script') && process.platform === 'linux';

/** The CLI on a terminal the test types `keys` into, a second apart; its exit code (`script -e`: the command's, which the shell runs with exec). */
async function onTerminal(args: string, keys: readonly string[]): Promise<{ code: number | undefined; output: string }> {
  const child = spawn('script', ['-qec', `'${process.execPath}' '${cliPath}' ${args}`, '/dev/null'], { cwd: place.box.cwd, env: place.box.env, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  // The terminal echoes what is typed whether or not the CLI reads yet: a second more lets the CLI start its read.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  for (const key of keys) {
    child.stdin.write(key);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const timer = setTimeout(() => child.kill(), 15_000);
  const code = await closed;
  clearTimeout(timer);
  return { code: code ?? undefined, output };
}

it.skipIf(!hasScript)('--data @/dev/tty: typed lines end with Ctrl-D and are sent; Ctrl-C after a line stops the CLI (exit 130), nothing sent', async () => {
  const sent = () => place.org.counters().requests['POST /api/v1/groups'] ?? 0;
  const before = sent();
  // Before, the terminal was read blocking on the main thread: Ctrl-C ended the read as if the input
  // were complete, and the line typed so far was sent to the org (exit 5 or 1, not 130).
  const interrupted = await onTerminal('api POST /api/v1/groups --data @/dev/tty', ['{"profile":{"name":"typed"}}\n', '\u0003']);
  expect(interrupted.code, interrupted.output).toBe(130);
  expect(sent()).toBe(before);
  const ended = await onTerminal('api POST /api/v1/groups --data @/dev/tty', ['{"profile":{"name":"typed"}}\n', '\u0004']);
  expect(ended.code, ended.output).toBe(0);
  expect(sent()).toBe(before + 1);
}, 60_000);

it('--data @FOLDER is a usage error saying it is a folder (exit 2), nothing sent', async () => {
  const result = await new Promise<CliResult>((resolve, reject) => {
    const { child, result: done } = cliWithStdin(['api', 'POST', '/api/v1/groups', '--data', `@${place.box.dir}`]);
    child.stdin.end();
    done.then(resolve, reject);
  });
  expect(result.stderr).toBe(`okta-auth: --data @${place.box.dir}: is a folder: name a file, or @- for stdin.\n`);
  expect(result.code).toBe(2);
});
