import { unprintable } from './printable.js';

/**
 * `text` with each {@link unprintable} character but the line feed and tab written as a JSON
 * escape (`\u001b`, `\u202e`), for a terminal: nothing in it can drive the terminal (escapes, OSC 8
 * links, a `\r` that overwrites the line, reordered text), and JSON stays JSON (`JSON.stringify`
 * escapes C0 but not C1 or U+202E, which can only be in its strings, where the escape means the
 * same). The CLI's output on a terminal and the demo's `--json` report. @internal
 */
export function escapeUnprintable(text: string): string {
  return text.replace(unprintable, (run) => run.replace(/[^\n\t]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
