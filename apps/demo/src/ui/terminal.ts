import type { WriteStream } from 'node:tty';
import { escapeUnprintable, unprintable } from '@org/okta-auth-core/internal';

/** What the terminal can do: colours (off with NO_COLOR or when not a TTY) and spinner frames (TTY only). */
export interface TerminalCaps {
  readonly color: boolean;
  readonly animate: boolean;
}

/** Reads NO_COLOR / FORCE_COLOR (https://no-color.org) and whether the stream is a TTY. */
export function terminalCaps(stream: Pick<WriteStream, 'isTTY'>, env: Readonly<Record<string, string | undefined>>): TerminalCaps {
  const tty = stream.isTTY;
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  const force = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0';
  return { color: !noColor && (tty || force), animate: tty && env.TERM !== 'dumb' && env.CI === undefined };
}

const codes = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39], cyan: [36, 39] } as const;
export type Style = keyof typeof codes;

/** Colours a string when colours are on. */
export function paint(caps: TerminalCaps, style: Style, text: string): string {
  if (!caps.color) return text;
  const [open, close] = codes[style];
  return `\u001B[${open}m${text}\u001B[${close}m`;
}

/** The visible width of a string (ANSI colour codes do not count). */
export function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001B\[\d+m/g, '').length;
}

/**
 * Text for the terminal: each run of control characters, line separators and bidirectional
 * overrides (core's `unprintable`, the class the CLI uses) becomes one space, so what an org
 * answers (a user's name, an error) cannot move the cursor, clear the screen or forge a line.
 *
 * @example
 * ```ts
 * plain('Eve\u001B[2J\r✓ Root'); // 'Eve [2J ✓ Root'
 * ```
 */
export function plain(text: string): string {
  return text.replace(unprintable, ' ');
}

/**
 * `value` as indented JSON whose text is safe on a terminal: what {@link plain} flattens is written
 * as a JSON escape instead (`JSON.stringify` leaves C1 controls and bidi overrides as they are), so
 * the org's text in the `--json` report (event types, names) cannot drive the terminal, and the JSON
 * parses to the same strings.
 */
export function terminalJson(value: unknown): string {
  return escapeUnprintable(JSON.stringify(value, null, 2));
}
