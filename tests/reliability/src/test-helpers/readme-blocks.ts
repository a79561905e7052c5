/**
 * The `ts` blocks of the READMEs, read from the README files themselves, and what each says about
 * being run (docs/CONVENTIONS.md, "Code": README examples run):
 *
 * - a block that starts `startEmulator` without `declare`s runs as written (a vitest file under vitest);
 * - `<!-- run: SET-UP[, then CALL][, until SIGTERM][, pair NAME] -->` on the line before a block runs it
 *   against the test's emulator (and redis-server) prepared by SET-UP (`readme-setups.ts`), the placeholders
 *   of a real org swapped for the emulator's ({@link swapOrg}); `then CALL` appends one call of what the block
 *   built; `until SIGTERM` stops a block that never ends (a log follower) once it printed a line; `pair NAME`
 *   (docs/MIGRATING.md) names a before (Okta's SDK) and an after (ours) that must print the same lines;
 * - `<!-- not run: REASON -->` says why a block cannot run here (a browser page, a template of your own).
 *
 * Every other `ts` block is a failure of the test: a new example must say which it is.
 */

export interface ReadmeBlock {
  readonly name: string;
  readonly code: string;
  /** The set-up named by `<!-- run: … -->`; `emulator` (`vitest`: a test file) for a block that starts its own; undefined when not run. */
  readonly setup: string | undefined;
  readonly then: string | undefined;
  readonly untilSigterm: boolean;
  /** `pair NAME`: the two blocks of a name, a before and an after, print the same lines. */
  readonly pair: string | undefined;
  /** Why it is not run (`<!-- not run: … -->`), or the problem with the block when it is unmarked. */
  readonly notRun: string | undefined;
  /**
   * What each `console.log` prints, in order: its `// comment`, or undefined (anything) without one. A
   * `console.log` at the start of a line counts; an indented one (in a `catch`, a branch) only with a comment,
   * which it must then print.
   */
  readonly expected: readonly (string | undefined)[];
}

/** Every `ts` block of one README, with its marker. */
export function readmeBlocks(readme: string, text: string): ReadmeBlock[] {
  const blocks = [...text.matchAll(/(?:<!-- (run|not run): ([^\n]*?) -->\n)?```ts\n([\s\S]*?)```/g)];
  return blocks.map((match, index) => {
    const [, kind, marker = '', code = ''] = match;
    const name = `${readme} block ${index + 1}`;
    const expected = [...code.matchAll(/^(?:console\.log\(.*\);(?: \/\/ (.+))?|[ \t]+console\.log\(.*\); \/\/ (.+))$/gm)].map((line) => line[1] ?? line[2]);
    const startsOwn = code.includes('startEmulator(') && !/^declare /m.test(code);
    const own = code.includes("from 'vitest'") ? 'vitest' : 'emulator';
    if (kind === 'not run') return { name, code, setup: undefined, then: undefined, untilSigterm: false, pair: undefined, notRun: marker, expected };
    if (kind === 'run') {
      const [setup, ...clauses] = marker.split(',').map((part) => part.trim());
      const then = clauses.find((clause) => clause.startsWith('then '))?.slice('then '.length);
      const untilSigterm = clauses.includes('until SIGTERM');
      const pair = clauses.find((clause) => clause.startsWith('pair '))?.slice('pair '.length);
      // A clause not known here would drop its check in silence (a misspelt pair: before and after not compared).
      const unknown = clauses.filter((clause) => !/^(?:then \S+|until SIGTERM|pair \S+)$/.test(clause));
      if (unknown.length > 0) return { name, code, setup: undefined, then: undefined, untilSigterm: false, pair: undefined, notRun: `UNMARKED: unknown clause ${unknown.join(', ')}`, expected };
      return { name, code, setup, then, untilSigterm, pair, notRun: undefined, expected };
    }
    if (startsOwn) return { name, code, setup: own, then: undefined, untilSigterm: false, pair: undefined, notRun: undefined, expected };
    return { name, code, setup: undefined, then: undefined, untilSigterm: false, pair: undefined, notRun: 'UNMARKED: add <!-- run: … --> or <!-- not run: … -->', expected };
  });
}

/** What a set-up swaps in a block: the org's URL, literal placeholders (a client id, a kid) for the emulator's. */
export interface Swap {
  readonly orgUrl: string;
  /** `[placeholder, value]`: each placeholder the block has becomes the emulator's value. */
  readonly literals?: readonly (readonly [string, string])[];
}

/**
 * A block for a real org, made to run against the emulator: `orgUrl: 'https://acme.okta.com'` becomes the
 * emulator's URL with `allowInsecureLoopback: true` beside it, any other `https://acme.okta.com` (a ky
 * `baseUrl`, a credential's `origin`) the emulator's URL, and each `…FromEnv(…)` call gets
 * `allowInsecureLoopback: true` in its options. Nothing else of the block changes.
 */
export function swapOrg(code: string, swap: Swap): string {
  let out = code.replaceAll("orgUrl: 'https://acme.okta.com'", `orgUrl: ${JSON.stringify(swap.orgUrl)}, allowInsecureLoopback: true`);
  out = out.replaceAll('https://acme.okta.com', swap.orgUrl);
  out = out.replace(/\b(\w+FromEnv)\(([^()]*)\)/g, (_call, name: string, args: string) => {
    if (args.trim() === '') return `${name}(undefined, { allowInsecureLoopback: true })`;
    const [env, ...options] = args.split(',');
    if (options.length === 0) return `${name}(${env}, { allowInsecureLoopback: true })`;
    return `${name}(${env}, ${options.join(',').trim().replace('{', '{ allowInsecureLoopback: true,')})`;
  });
  for (const [placeholder, value] of swap.literals ?? []) {
    out = out.replaceAll(placeholder, value);
  }
  return out;
}

/** A printed line against a README comment: `…` in the comment matches any text there. */
export function matches(line: string | undefined, expected: string): boolean {
  if (line === undefined) return false;
  const pattern = expected
    .split('…')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`).test(line);
}
