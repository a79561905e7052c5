import { DemoConfigError } from '../config.js';
import { paint, terminalCaps } from './terminal.js';

/**
 * Reads a demo's configuration from the environment. A {@link DemoConfigError} (a variable missing
 * or wrong) is told on stderr as `✖ <what to fix>`, after `onError` (the JSON report, say), and
 * gives `undefined`: the caller exits with 2. Anything else is a bug and is thrown.
 */
export function readConfigOrTell<T>(read: () => T, onError?: (error: DemoConfigError) => void): T | undefined {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof DemoConfigError)) throw error;
    onError?.(error);
    process.stderr.write(`${paint(terminalCaps(process.stderr, process.env), 'red', '✖')} ${error.message}\n`);
    return undefined;
  }
}

/** Runs a demo's `main`: what it resolves to is the exit code; what it throws is printed with its stack, exit code 1. */
export function runMain(main: () => Promise<number>): void {
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
