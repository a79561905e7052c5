import { constants } from 'node:os';
import { DemoConfigError } from '../config.js';
import { paint, plain, terminalCaps } from './terminal.js';

/**
 * Reads a demo's configuration from the environment. First each of `ignored` (`ignoredSettings`: a variable set that
 * the demo does not use) is told on stderr as `! <line>`, so it is said whether or not the rest is right. A
 * {@link DemoConfigError} (a variable missing or wrong) is then told on stderr as `✖ <what to fix>` (flattened by
 * {@link plain}), after `onError` (the JSON report, say), and gives `undefined`: the caller exits with 2. Anything
 * else is a bug and is thrown.
 */
export function readConfigOrTell<T>(read: () => T, ignored: readonly string[], onError?: (error: DemoConfigError) => void): T | undefined {
  const caps = terminalCaps(process.stderr, process.env);
  for (const line of ignored) process.stderr.write(`${paint(caps, 'yellow', '!')} ${line}\n`);
  try {
    return read();
  } catch (error) {
    if (!(error instanceof DemoConfigError)) throw error;
    onError?.(error);
    // Flattened like all the demos print: a message can quote a setting (a key id, a JWK's kid) with escapes in it.
    process.stderr.write(`${paint(caps, 'red', '✖')} ${plain(error.message)}\n`);
    return undefined;
  }
}

/** The signals that stop a demo: Ctrl-C (SIGINT), `kill`, `timeout` or a supervisor (SIGTERM), a closed terminal (SIGHUP). */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** What a demo holds that would outlive it, each one's release: taken out by its holder's `finally`, or all of them by a stop signal first. */
const held = new Set<() => Promise<void>>();

/** The main of a demo that serves until stopped (`pnpm demo:web`), waiting in {@link untilStopped}. */
let onStop: (() => void) | undefined;

/**
 * Holds what would outlive the demo if it were stopped (the fleet step's redis-server and its folder, its worker
 * processes): `release` runs once, from the function returned (the holder's `finally`) or, if SIGINT, SIGTERM or
 * SIGHUP stops the demo first, from {@link runMain}'s one stop path, which releases everything held, the last held
 * first, then exits 128 + the signal's number.
 */
export function hold(release: () => Promise<void>): () => Promise<void> {
  let released: Promise<void> | undefined;
  const once = (): Promise<void> => {
    held.delete(once);
    return (released ??= release());
  };
  held.add(once);
  return once;
}

/** For a demo that serves until stopped: resolves on the first stop signal, and its main then closes what it serves and returns its code. */
export function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    onStop = resolve;
  });
}

/** The one stop path: the serving demo's own close, or every release held, then exit 128 + n (a second signal ends the process at once). */
async function stop(signal: (typeof STOP_SIGNALS)[number]): Promise<void> {
  if (onStop !== undefined) {
    onStop();
    onStop = undefined;
    return;
  }
  for (const release of [...held].reverse()) await release().catch(() => undefined);
  process.exit(128 + constants.signals[signal]);
}

/**
 * Runs a demo's `main`: what it resolves to is the exit code; what it throws is printed with its stack, exit code 1.
 * SIGINT, SIGTERM and SIGHUP take one path ({@link stop}): what is held is released, then exit 128 + n.
 */
export function runMain(main: () => Promise<number>): void {
  for (const signal of STOP_SIGNALS) process.once(signal, () => void stop(signal));
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
