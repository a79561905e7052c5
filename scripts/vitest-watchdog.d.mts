// Types of scripts/vitest-watchdog.mjs, for the test that runs it (tests/reliability).

/** A run stopped as hung: the files still running, and where each process of the run waited. */
export interface VitestHang {
  readonly quietMs: number;
  readonly running: readonly { readonly file: string; readonly lastTest?: string }[];
  readonly processes: readonly string[];
}

export function runVitest(options: {
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  progressFile: string;
  quietMs: number;
}): Promise<{ status: number; hang?: VitestHang }>;
