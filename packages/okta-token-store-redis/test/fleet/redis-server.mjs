// A real redis-server for tests, bench and demo: its own free port, its own temp dir, no
// persistence. Fails clearly (never skips) when redis-server is not installed.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOnFreePort } from '@org/okta-test-utils/free-port';

export const REDIS_SERVER = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';

/** True when redis-server is installed (the demo uses it to decide whether to run its fleet step). */
export function redisServerAvailable() {
  return existsSync(REDIS_SERVER);
}

/** The process id of the redis-server answering on port (INFO server), or undefined. */
function serverPid(port) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    const done = (pid) => {
      socket.destroy();
      resolve(pid);
    };
    socket.setTimeout(500);
    socket.once('connect', () => socket.write('INFO server\r\n'));
    socket.on('data', (data) => {
      reply += data.toString();
      const match = /process_id:(\d+)\r\n/.exec(reply);
      if (match) done(Number(match[1]));
      else if (reply.length > 65_536 || reply.startsWith('-')) done(undefined);
    });
    socket.once('error', () => done(undefined));
    socket.once('timeout', () => done(undefined));
  });
}

/**
 * Starts redis-server on a free port with a temp dir. Returns { url, port, stop, kill, restart,
 * pause(ms) } — kill is SIGKILL (a crash), pause stops the process (SIGSTOP) for ms: Redis is
 * then "slow": connected, but no answer. options.args: more arguments (or an async function
 * giving them, called for each attempt); options.config: the text of a config file written to the
 * temp dir and passed first (a Sentinel needs one: it rewrites it).
 */
export async function startRedisServer(options = {}) {
  if (!redisServerAvailable()) {
    throw new Error(`redis-server not found at ${REDIS_SERVER}: install it (Debian: apt-get install -y redis-server); pnpm test and .ci/run provision it.`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'okta-redis-'));
  let child;
  let port;
  // Up when this child (not another process that took the port) answers; a child that exits
  // first (the port was taken between freePort() and its bind) fails at once.
  async function launch() {
    // A function gives fresh arguments to each attempt (a cluster node's bus port, picked again when taken).
    const extra = typeof options.args === 'function' ? await options.args() : (options.args ?? []);
    const config = options.config === undefined ? [] : [join(dir, 'redis.conf')];
    if (options.config !== undefined) writeFileSync(config[0], options.config);
    const args = [...config, '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', ...extra];
    child = spawn(REDIS_SERVER, args, { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      if (child.exitCode !== null || child.signalCode !== null) break;
      if ((await serverPid(port)) === child.pid) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    throw new Error(`redis-server did not start on port ${port}`);
  }
  function exited() {
    return new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
  }
  await startOnFreePort(async (free) => {
    port = free;
    await launch();
  });
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async kill() {
      child.kill('SIGCONT');
      child.kill('SIGKILL');
      await exited();
    },
    async restart() {
      await launch();
    },
    async pause(ms) {
      child.kill('SIGSTOP');
      await new Promise((r) => setTimeout(r, ms));
      child.kill('SIGCONT');
    },
    async stop() {
      child.kill('SIGCONT');
      child.kill('SIGKILL');
      await exited();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A Redis Sentinel (redis-server --sentinel) on a free port, watching the master on masterPort
 * under `name` with a quorum of 1. It never fails over by itself within a test (down-after 60 s,
 * so a loaded machine's slow answer is no failure): a test fails over with SENTINEL FAILOVER.
 */
export function startRedisSentinel(masterPort, name = 'okta-test') {
  const config = `sentinel monitor ${name} 127.0.0.1 ${masterPort} 1\nsentinel down-after-milliseconds ${name} 60000\n`;
  return startRedisServer({ config, args: ['--sentinel'] });
}
