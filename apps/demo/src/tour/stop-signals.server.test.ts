/**
 * `pnpm demo` stopped by a signal while step 5 holds its redis-server: rev165a found SIGTERM (a supervisor, `timeout`)
 * and SIGHUP (a closed terminal) left the unauthenticated redis-server running (parent PID 1) and its /tmp/okta-redis-*
 * folder, `redis.stop()` being only in a `finally`. Every stop signal now takes runMain's one path: what is held is
 * released, then exit 128 + n.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { bundleCli } from '../test-helpers/cli.js';

let cli: { file: string; remove: () => void };

beforeAll(async () => {
  cli = await bundleCli();
});

afterAll(() => {
  cli.remove();
});

/** Whether process `pid` still runs (a zombie, exited but not yet waited for, counts as gone). */
function running(pid: number): boolean {
  try {
    return !/^\S+ \(.*\) Z/s.test(readFileSync(`/proc/${String(pid)}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** The processes whose parent is `pid`, with their command lines. */
function childrenOf(pid: number): { pid: number; args: string }[] {
  const found: { pid: number; args: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) found.push({ pid: Number(entry), args: readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ') });
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

/** Whether a redis-server answers PING on `port`. */
function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(1000);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Polls `check` until it gives a value (every 100 ms; the test's own timeout bounds it). */
async function until<T>(check: () => T | undefined | Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.concurrent('pnpm demo stopped by a signal during step 5 (the Redis fleet)', () => {
  it.for(['SIGTERM', 'SIGHUP'] as const)('%s: the redis-server it started and its folder are gone, its workers too; exit 128 + n', async (signal, { expect }) => {
    // redis-server found on PATH (as step 5 looks for it), here a wrapper that records its pid and arguments, then is it.
    const bin = mkdtempSync(join(tmpdir(), 'okta-demo-stop-'));
    const record = join(bin, 'redis-server.args');
    writeFileSync(join(bin, 'redis-server'), `#!/bin/sh\necho "$$ $*" > '${record}.new' && mv '${record}.new' '${record}'\nexec /usr/bin/redis-server "$@"\n`);
    chmodSync(join(bin, 'redis-server'), 0o755);
    const tour = spawn(process.execPath, [cli.file], { env: { PATH: `${bin}:${process.env.PATH ?? ''}`, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    tour.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => tour.on('close', (code, by) => resolve({ code, signal: by })));
    let redis: { pid: number; dir: string } | undefined;
    try {
      // Up: the latest redis-server the wrapper started answers on its port (a start on a port just taken is tried again).
      redis = await until(async () => {
        const line = existsSync(record) ? readFileSync(record, 'utf8') : '';
        const port = Number(/--port (\d+)/.exec(line)?.[1]);
        const dir = /--dir (\S+)/.exec(line)?.[1];
        return dir !== undefined && (await answers(port)) ? { pid: Number(line.split(' ')[0]), dir } : undefined;
      });
      // Its workers started too (they connect to it).
      const workers = await until(() => {
        const found = childrenOf(tour.pid ?? 0).filter((child) => child.args.includes('fleet-worker.mjs'));
        return found.length === 4 ? found : undefined;
      });
      expect(existsSync(redis.dir)).toBe(true);
      tour.kill(signal);
      const { code, signal: by } = await ended;
      expect(stdout).toContain('5. A fleet sharing one token on Redis');
      // The redis-server was stopped and waited for before the exit: not left running (parent PID 1), nor its folder.
      expect({ exit: [code, by], redisServerRunning: running(redis.pid), folderLeft: existsSync(redis.dir) }).toEqual({
        exit: [128 + constants.signals[signal], null],
        redisServerRunning: false,
        folderLeft: false,
      });
      // The workers were told to close (or killed) before the exit; the last of them may still be ending.
      await until(() => (workers.some((worker) => running(worker.pid)) ? undefined : true));
    } finally {
      tour.kill('SIGKILL');
      if (redis !== undefined && running(redis.pid)) process.kill(redis.pid, 'SIGKILL');
      if (redis !== undefined) rmSync(redis.dir, { recursive: true, force: true });
      rmSync(bin, { recursive: true, force: true });
    }
  });
});
