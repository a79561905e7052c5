// Forks a fleet of worker processes and drives them: setup, bursts, close. Used by the
// package's tests, `pnpm bench` and the demo's fleet step.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const workerPath = fileURLToPath(new URL('./fleet-worker.mjs', import.meta.url));

function startWorker() {
  // Plain Node.js on the built packages: no test runner's loader or source conditions.
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const child = fork(workerPath, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [], env });
  const pending = new Map();
  let next = 0;
  const started = new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`fleet worker exited early (${code})`)));
    child.on('message', (message) => {
      if (message.type === 'started') resolve();
      const waiter = pending.get(message.id);
      if (waiter === undefined) return;
      pending.delete(message.id);
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(new Error(message.error));
    });
  });
  started.catch(() => undefined);
  child.on('exit', () => {
    for (const waiter of pending.values()) waiter.reject(new Error('fleet worker exited'));
    pending.clear();
  });
  return {
    started,
    child,
    request(message) {
      const id = next++;
      return new Promise((resolve, reject) => {
        // A worker already gone (killed with its process group by Ctrl-C, say) answers nothing and its exit has been
        // seen: refused at once, so close() never waits for it (the demo's stop path awaits close()).
        if (!child.connected) {
          reject(new Error('fleet worker exited'));
          return;
        }
        pending.set(id, { resolve, reject });
        child.send({ ...message, id });
      });
    },
  };
}

/** Starts `size` worker processes. */
export async function startFleet(size) {
  const workers = Array.from({ length: size }, () => startWorker());
  try {
    await Promise.all(workers.map((w) => w.started));
  } catch (error) {
    for (const w of workers) w.child.kill('SIGKILL');
    throw error;
  }
  return {
    workers,
    /** Sets every worker up; `configFor(i)` gives worker i's config. */
    async setup(configFor) {
      await Promise.all(workers.map((w, i) => (w.dead ? undefined : w.request({ type: 'setup', config: configFor(i) }))));
    },
    /** Worker `index` alone makes `n` concurrent calls. */
    burstOne(index, n, path) {
      return workers[index].request({ type: 'burst', n, path });
    },
    /** Every live worker makes `n` concurrent calls; resolves to the per-worker results. */
    burst(n, path) {
      return Promise.all(workers.filter((w) => !w.dead).map((w) => w.request({ type: 'burst', n, path })));
    },
    /** Sets every live worker's clock `seconds` from real time (as `org.setClockOffset` does the emulator's). */
    async setClockOffset(seconds) {
      await Promise.all(workers.filter((w) => !w.dead).map((w) => w.request({ type: 'clock', offsetMs: Math.round(seconds * 1000) })));
    },
    /** Kills worker `index` (SIGKILL: a crash); later bursts leave it out. */
    async kill(index) {
      const w = workers[index];
      w.dead = true;
      const exited = new Promise((resolve) => w.child.once('exit', resolve));
      w.child.kill('SIGKILL');
      await exited;
    },
    async close() {
      await Promise.all(workers.filter((w) => !w.dead).map((w) => w.request({ type: 'close' }).catch(() => undefined)));
      for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    },
  };
}

/** Sums per-worker burst results. */
export function total(results) {
  return results.reduce(
    (sum, r) => ({ ok: sum.ok + r.ok, failed: sum.failed + r.failed, codes: [...sum.codes, ...r.codes], callMs: sum.callMs + r.callMs }),
    { ok: 0, failed: 0, codes: [], callMs: 0 },
  );
}
