// Types of scripts/vitest-watchdog.mjs, for the test that runs it (tests/reliability).

/** A run stopped as hung: the files still running, where each process of the run waited, and the blocked ones' native stacks. */
export interface VitestHang {
  readonly quietMs: number;
  readonly running: readonly { readonly file: string; readonly lastTest?: string }[];
  readonly processes: readonly string[];
  /** Per Node.js process blocked in a futex: its `processes` line, then gdb's threads and frames (empty without gdb). */
  readonly stacks: readonly string[];
}

/** Whether a quiet limit (minutes or milliseconds) is a positive finite number. */
export function isQuietLimit(limit: number): boolean;

/** What a watched run resolved with: its exit status, why it could not be started (`status` 1), or the hang it was stopped for. */
export interface WatchedRun {
  readonly status: number;
  /** The command could not be started (not on PATH): spawn's message. */
  readonly error?: string;
  readonly hang?: VitestHang;
}

export function runVitest(options: {
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  progressFile: string;
  quietMs: number;
  /** The clock the quiet time is read on (default `Date.now`); a test passes one it moves itself. */
  now?: (() => number) | undefined;
}): Promise<WatchedRun>;

/** Runs a command under the same watchdog: quiet means `progressFile` has not grown. */
export function runWatched(options: {
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  progressFile: string;
  /** Where the command's stdout and stderr go (else this process's); may be the progress file. */
  output?: string | undefined;
  quietMs: number;
  now?: (() => number) | undefined;
  /** The test files still running, named in the hang (vitest's). */
  running?: (() => { file: string; lastTest?: string }[]) | undefined;
}): Promise<WatchedRun>;
