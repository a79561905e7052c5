// Types of scripts/test-summary.mjs, for the test that runs it (tests/reliability).
import type { WatchedRun } from './vitest-watchdog.mjs';

/** Counts a vitest run (runVitest's result and its JSON report): a hung run's files still running each count as 1 failed, one not started 1 failed. */
export function countVitestRun(vitest: WatchedRun, reportFile: string, quietMinutes: number): { passed: number; failed: number; notes: string[] };

/** Counts an extra suite's run (the runtime matrix): its results file, or on a hang the runtimes its log says ended and the one running as 1 failed. */
export function countSuiteRun(suite: string, run: WatchedRun, resultsFile: string, logFile: string, quietMinutes: number): { passed: number; failed: number; notes: string[] };

/** The test command's last lines, ending with `tests: N passed, M failed`, and its exit code (1 when a step or a test failed). */
export function summary(parts: { took: readonly string[]; notes: readonly string[]; problems: readonly string[]; passed: number; failed: number }): { text: string; exitCode: number };
