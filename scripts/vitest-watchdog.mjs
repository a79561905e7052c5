// Runs vitest under a watchdog. A test worker whose event loop is blocked (a thread
// waiting on a lock forever) never reaches vitest's own timeouts: the run would wait
// until CI's time limit and say nothing. The watchdog reads the progress reporter's
// lines (scripts/vitest-progress.mjs); when none has come for `quietMs`, it names the
// test files still running and the last test each finished, records where every
// thread of vitest's processes waits (Linux /proc) and, with gdb on the machine, the
// native stack of each thread of every Node.js process blocked in a futex, kills them
// all, and resolves with the hang described, so that the caller counts it as a failure.
// The test command's runtime matrix runs under the same watchdog (`runWatched`), its log
// its progress: a runtime quiet past the limit is stopped as a hung test file is.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { relative } from 'node:path';

const progressReporter = new URL('./vitest-progress.mjs', import.meta.url).pathname;

/** Whether a quiet limit can be used: NaN or 0 (TEST_HANG_MINUTES=abc) would stop every run at its first quiet moment, as hung. */
export function isQuietLimit(limit) {
  return Number.isFinite(limit) && limit > 0;
}

/**
 * Runs vitest under the watchdog ({@link runWatched}): quiet means no progress line (the progress
 * reporter's), and a hang names the test files still running.
 * @param {{ args: string[], cwd: string, env: NodeJS.ProcessEnv, progressFile: string, quietMs: number, now?: () => number }} options
 */
export function runVitest({ args, cwd, env, progressFile, quietMs, now }) {
  return runWatched({
    command: 'pnpm',
    args: ['exec', 'vitest', 'run', `--reporter=${progressReporter}`, ...args],
    cwd,
    env: { ...env, VITEST_PROGRESS_FILE: progressFile },
    progressFile,
    quietMs,
    now,
    running: () => stillRunning(progressFile, cwd),
  });
}

/**
 * Runs `command` under the watchdog: when `progressFile` has not grown for `quietMs` (at least 2
 * minutes before it has anything), the run is hung: the watchdog records where its processes wait
 * and their native stacks, kills them all and resolves with the hang described. `output`, when
 * given, is where the command's stdout and stderr go (else this process's); it may be the progress
 * file itself (a command whose every line is progress). A command that cannot be started (not on
 * PATH) resolves with `status` 1 and `error`, never throws: the caller counts it failed.
 * `now` is the clock the quiet time is read on (`Date.now`; a test passes one it moves itself, so
 * that a hang is stopped the moment it is proven, not after a real quiet limit). The progress file
 * is looked at every `quietMs / 4` of real time, at most 5 s apart.
 * @param {{ command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, progressFile: string, output?: string, quietMs: number, now?: () => number, running?: () => { file: string, lastTest?: string }[] }} options
 * @returns {Promise<{ status: number, error?: string, hang?: { quietMs: number, running: { file: string, lastTest?: string }[], processes: string[], stacks: string[] } }>}
 */
export function runWatched({ command, args, cwd, env, progressFile, output, quietMs, now = Date.now, running = () => [] }) {
  if (!isQuietLimit(quietMs)) {
    return Promise.reject(new RangeError(`the quiet limit must be a positive number: TEST_HANG_MINUTES is minutes, such as 4 (got ${String(quietMs / 60_000)})`));
  }
  rmSync(progressFile, { force: true });
  let stdio = 'inherit';
  if (output !== undefined) {
    const out = openSync(output, 'w');
    stdio = ['ignore', out, out];
  }
  const child = spawn(command, args, { cwd, env, stdio, detached: true });
  if (Array.isArray(stdio)) closeSync(stdio[1]);
  // The command is in its own process group (so that the whole tree can be killed), where a terminal's
  // Ctrl-C does not reach it: on SIGINT or SIGTERM, kill it, then end this process by the same
  // signal (a listener would otherwise keep it alive and the caller would go on to its next step).
  const stopOnSignal = (signal) => {
    process.off('SIGINT', stopOnSignal);
    process.off('SIGTERM', stopOnSignal);
    if (child.pid !== undefined) killTree(child.pid);
    process.kill(process.pid, signal);
  };
  process.on('SIGINT', stopOnSignal);
  process.on('SIGTERM', stopOnSignal);
  return new Promise((resolve) => {
    let lastSize = -1;
    let quietSince = now();
    let hang;
    let killed = [];
    const timer = setInterval(() => {
      const size = existsSync(progressFile) ? statSync(progressFile).size : 0;
      if (size !== lastSize) {
        lastSize = size;
        quietSince = now();
        return;
      }
      // Before the first line, the command is starting (slow on a loaded machine): at least 2 minutes.
      if (now() - quietSince < (size > 0 ? quietMs : Math.max(quietMs, 120_000))) return;
      clearInterval(timer);
      const processes = describeTree(child.pid);
      hang = { quietMs, running: running(), processes, stacks: nativeStacks(processes) };
      killed = killTree(child.pid);
    }, Math.min(5_000, quietMs / 4));
    const stopWatching = () => {
      clearInterval(timer);
      process.off('SIGINT', stopOnSignal);
      process.off('SIGTERM', stopOnSignal);
    };
    // Not started (not on PATH, not executable): no 'exit' follows.
    child.on('error', (error) => {
      if (child.pid !== undefined) return;
      stopWatching();
      resolve({ status: 1, error: error.message });
    });
    child.on('exit', async (code, signal) => {
      stopWatching();
      // A killed process takes a moment to go: report once every one is gone (or after 10 s).
      await gone(killed, 10_000);
      resolve({ status: code ?? (signal ? 1 : 0), ...(hang ? { hang } : {}) });
    });
  });
}

/** The test files started and not ended, each with the last test it finished. */
function stillRunning(progressFile, cwd) {
  const running = new Map();
  const lines = existsSync(progressFile) ? readFileSync(progressFile, 'utf8').split('\n') : [];
  for (const line of lines) {
    if (line === '') continue;
    const { event, file, name } = JSON.parse(line);
    const short = relative(cwd, file);
    if (event === 'start') running.set(short, {});
    else if (event === 'end') running.delete(short);
    else if (running.has(short)) running.set(short, { lastTest: name });
  }
  return [...running].map(([file, { lastTest }]) => ({ file, ...(lastTest ? { lastTest } : {}) }));
}

/** The process and its descendants (Linux /proc; empty elsewhere). */
function descendants(root) {
  if (!existsSync('/proc')) return [];
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name is in parentheses and may hold spaces: the parent pid is the second field after it.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while we read.
    }
  }
  const found = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift();
    found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

/** One line per process: its pid, command and where each of its threads waits (the kernel's wchan). */
function describeTree(root) {
  return descendants(root).map((pid) => {
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      // The script a runtime runs, not a file an option names (--reporter=…/vitest-progress.mjs, --config x.mjs,
      // --require x.cjs); else the program, the first word only (chromium and redis-server rewrite their
      // command line into one string with every flag).
      const isValue = (i) => command[i - 1]?.startsWith('-') === true && !command[i - 1].includes('=');
      const script = command.find((part, i) => i > 0 && !part.startsWith('-') && !isValue(i) && /\.[cm]?js$/.test(part)) ?? command[0]?.split(' ')[0] ?? '?';
      const waits = new Map();
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const wchan = readFileSync(`/proc/${pid}/task/${tid}/wchan`, 'utf8') || 'running';
        const where = Number(tid) === pid ? `main thread in ${wchan}` : wchan;
        waits.set(where, (waits.get(where) ?? 0) + 1);
      }
      return `${pid} ${script.split('/').slice(-2).join('/')}: ${[...waits].map(([w, n]) => (n > 1 ? `${n}× ${w}` : w)).join(', ')}`;
    } catch {
      return `${pid}: ended`;
    }
  });
}

/**
 * The native stacks (gdb, when on PATH) of the Node.js processes whose main thread waits in a
 * futex: a worker blocked on a lock, and the thread that holds it. Each entry starts with the
 * process's line from `describeTree`, then each thread's frames (idle pool and platform threads
 * counted on one line); at most 4 processes, 60 s each. Empty without gdb.
 */
function nativeStacks(processes) {
  const blocked = processes.filter((line) => /^\d+ .*: main thread in futex/.test(line) && isNode(Number(line.split(' ')[0]))).slice(0, 4);
  const stacks = [];
  for (const line of blocked) {
    const commands = ['set pagination off', 'set print frame-arguments none', 'thread apply all bt 30'];
    const gdb = spawnSync('gdb', ['-p', line.split(' ')[0], '-batch', '-nx', '-q', ...commands.flatMap((c) => ['-ex', c])], {
      encoding: 'utf8',
      timeout: 60_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    if (gdb.error?.code === 'ENOENT') return [];
    const threads = (gdb.stdout ?? '').split(/\n(?=Thread \d+ )/).filter((t) => t.startsWith('Thread '));
    if (threads.length === 0) {
      stacks.push(`${line}\ngdb read no stack (exit ${String(gdb.status)}): ${(gdb.stderr ?? '').trim().split('\n').slice(-1)[0] ?? ''}`);
      continue;
    }
    // Keep each thread's title and frames, not gdb's chatter; a thread waiting for work is only counted.
    const shown = [];
    let idle = 0;
    for (const thread of threads) {
      const lines = thread.split('\n').filter((l) => /^(Thread |#\d)/.test(l));
      if (isIdle(lines)) idle += 1;
      else shown.push(...lines.map((l) => (l.length > 240 ? `${l.slice(0, 240)}…` : l)));
    }
    stacks.push([line, ...shown, `(${String(idle)} more threads waiting for work: libuv's pool, V8's platform, the inspector)`].join('\n'));
  }
  return stacks;
}

/** A thread with nothing to do: libuv's pool or V8's platform worker waiting for a task, the inspector's idle thread, the delayed-task loop. */
function isIdle(frames) {
  const wait = frames.findLastIndex((f) => /\b(uv_cond_wait|uv_sem_wait|uv_run) \(/.test(f));
  return wait >= 0 && /\b(worker \(|PlatformWorkerThread|StartIoThreadMain|DelayedTaskScheduler)/.test(frames[wait + 1] ?? '');
}

function isNode(pid) {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'node';
  } catch {
    return false;
  }
}

/** Whether a process still runs (a zombie, ended but not yet reaped by its parent, does not). */
function isRunning(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return false;
  }
}

/** Resolves when none of `pids` runs any more, or after `limitMs`. */
async function gone(pids, limitMs) {
  for (let waited = 0; waited < limitMs && pids.some(isRunning); waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Kills vitest's process group and every descendant that left it (a browser, a server); returns their pids. */
function killTree(root) {
  const pids = descendants(root);
  try {
    process.kill(-root, 'SIGKILL');
  } catch {
    // The group is gone already.
  }
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Ended already.
    }
  }
  return pids;
}
