// Starts the servers the benchmarks call in child processes.
import { fork } from 'node:child_process';
import { once } from 'node:events';

const here = new URL('./', import.meta.url);

/** The minimal loopback server: { url, close() }. */
export async function startLoopback() {
  const child = fork(new URL('server-loopback.mjs', here), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [{ port }] = await once(child, 'message');
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => closeChild(child),
  };
}

/** @org/okta-emulator in a child process: { url, call(op, ...args), close() }. */
export async function startEmulatorChild(options = {}) {
  const child = fork(new URL('server-emulator.mjs', here), [JSON.stringify(options)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [first] = await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`the emulator exited with code ${code}`);
    }),
  ]);
  let seq = 0;
  const pending = new Map();
  child.on('message', (m) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.error) p.reject(new Error(m.error));
    else p.resolve(m.result);
  });
  return {
    url: first.url,
    call(op, ...args) {
      const id = ++seq;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send({ id, op, args });
      });
    },
    close: () => closeChild(child),
  };
}

async function closeChild(child) {
  if (child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.disconnect();
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}
