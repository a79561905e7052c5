import type { Readable, Writable } from 'node:stream';
import { printable } from '@org/okta-auth-core/internal';

/** The process streams a command uses (tests and the tmux session see the same ones). */
export interface Io {
  readonly stdout: Writable & { isTTY?: boolean };
  readonly stderr: Writable & { isTTY?: boolean };
  readonly stdin: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  /**
   * Runs `last` as the process ends, however it ends (Ctrl-C, a closed pipe, an error), until the
   * function it returns is called: `--follow`'s resume line. cli.ts gives it; a command run in a
   * test's own process (no process ends with it) has none.
   */
  readonly atExit?: ((last: () => void) => () => void) | undefined;
}

/**
 * Text from an answer or a token's claims, as the CLI prints it: core's one cleaner (each run of
 * control characters, such as a terminal's escapes or a `\r`, flattened to a space), at most
 * 200 characters, so what Okta says cannot drive the terminal.
 */
export function shown(text: string): string {
  return printable(text, [], 200);
}

/**
 * A message the CLI prints whole (an error on stderr, a doctor finding): core's one cleaner, not
 * cut. Such a message quotes what the CLI was given (okta-oauth's refusal of a key id quotes it and
 * a JWK's own `kid`, a scope, a profile name, an argument) as it was given, from a folder's
 * okta.yaml, a variable or a script: none of it may drive the terminal. Its words are left as they
 * are: only a library's error is put in the CLI's words, by `inCliWords` (transport-flags.ts).
 */
export function plain(text: string): string {
  return printable(text, [], Number.POSITIVE_INFINITY);
}

/** Writes a line to stderr. */
export function say(io: Io, text: string): void {
  io.stderr.write(`${text}\n`);
}

/** Writes to stdout and waits for it to drain (so a pipe to `head` or a slow reader gets everything, in order). */
export function out(io: Io, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    io.stdout.write(text, (error) => {
      if (error === null || error === undefined) resolve();
      else reject(error);
    });
  });
}

/**
 * A progress line on stderr, redrawn in place, only when both stdout and
 * stderr are a terminal: piped or redirected output gets nothing but data.
 */
export function progressLine(io: Io): { update(text: string): void; clear(): void } {
  const enabled = io.stdout.isTTY === true && io.stderr.isTTY === true;
  let shown = false;
  return {
    update(text) {
      if (!enabled) return;
      io.stderr.write(`\r\x1b[2K${text}`);
      shown = true;
    },
    clear() {
      if (!enabled || !shown) return;
      io.stderr.write('\r\x1b[2K');
      shown = false;
    },
  };
}
