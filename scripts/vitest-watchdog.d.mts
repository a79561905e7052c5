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

export function runVitest(options: {
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  progressFile: string;
  quietMs: number;
  /** The clock the quiet time is read on (default `Date.now`); a test passes one it moves itself. */
  now?: (() => number) | undefined;
}): Promise<{ status: number; hang?: VitestHang }>;
