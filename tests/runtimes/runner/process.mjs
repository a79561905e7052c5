// Small helpers to run a runtime's process with a timeout and read its results.
import { spawn, execFileSync } from 'node:child_process';

export const MARKER = 'OKTA_RUNTIME_RESULTS ';

/** Runs a command; resolves with its exit code, stdout and stderr (killed after timeoutMs). */
export function runProcess(command, args, { cwd, env, timeoutMs }) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => { child.kill('SIGKILL'); stderr += `\n(killed after ${timeoutMs} ms)`; }, timeoutMs);
    child.on('error', (error) => { stderr += `\n${error.message}`; });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal === null ? 1 : 128), stdout, stderr });
    });
  });
}

/** Starts a long-running process; the caller stops it with stop(). */
export function startProcess(command, args, { cwd, env }) {
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (d) => { output += d; });
  child.stderr.setEncoding('utf8').on('data', (d) => { output += d; });
  const exited = new Promise((resolve) => child.on('close', resolve));
  child.on('error', (error) => { output += `\n${error.message}`; });
  return {
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Parses the results line a CLI entry printed. */
export function parseResults(stdout) {
  const line = stdout.split('\n').reverse().find((l) => l.startsWith(MARKER));
  return line === undefined ? undefined : JSON.parse(line.slice(MARKER.length));
}

/** The first line of `command args` (a version banner), or undefined. */
export function versionOf(command, args) {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 15_000 }).trim().split('\n')[0];
  } catch {
    return undefined;
  }
}

/** The tail of some output, for a failure report. */
export function tail(text, lines = 15) {
  return text.trim().split('\n').slice(-lines).join('\n');
}
