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
