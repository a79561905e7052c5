// The test command's counting of its vitest run and its last lines (scripts/test.mjs): every test
// that did not run and pass counts as failed, a run the watchdog stopped as hung included, and the
// command always ends with `tests: N passed, M failed` and a non-zero exit when anything failed.
import { existsSync, readFileSync } from 'node:fs';
import { countVitestReport } from './vitest-counts.mjs';

/**
 * Counts a vitest run: `vitest` is what runVitest resolved with, `reportFile` its JSON report. A
 * hung run counts each file still running as 1 failed (at least 1), its report unread (vitest was
 * killed before writing it).
 * @returns {{ passed: number, failed: number, notes: string[] }}
 */
export function countVitestRun(vitest, reportFile, quietMinutes) {
  if (vitest.hang) {
    const { running, processes, stacks } = vitest.hang;
    return {
      passed: 0,
      failed: Math.max(1, running.length),
      notes: [
        `vitest hung: no test finished for ${quietMinutes} min, so it was stopped. Still running (each counted as 1 failed):`,
        ...running.map(({ file, lastTest }) => `  ${file}${lastTest ? ` (last finished: ${lastTest})` : ' (no test finished)'}`),
        ...(running.length === 0 ? ['  no test file (counted as 1 failed)'] : []),
        'Where its processes waited:',
        ...processes.map((line) => `  ${line}`),
        ...(stacks.length > 0 ? ['Native stacks of the blocked Node.js processes (gdb):', ...stacks] : ['(no native stacks: no Node.js process waited in a futex, or gdb is not on PATH)']),
      ],
    };
  }
  if (!existsSync(reportFile)) return { passed: 0, failed: 1, notes: ['vitest wrote no report: counted as 1 failed'] };
  const counts = countVitestReport(JSON.parse(readFileSync(reportFile, 'utf8')));
  if (vitest.status !== 0 && counts.failed === 0) {
    return { ...counts, failed: 1, notes: [...counts.notes, `vitest exited ${vitest.status} with no failed test in its report (an unhandled error): counted as 1 failed`] };
  }
  return counts;
}

/**
 * The command's last lines (each part's time, the notes, the failed steps, then the `tests:` line)
 * and its exit code: 1 when a step or a test failed.
 * @returns {{ text: string, exitCode: number }}
 */
export function summary({ took, notes, problems, passed, failed }) {
  const lines = [`\ntime per part of the test command:\n${took.join('\n')}`];
  if (notes.length > 0) lines.push(`\n${notes.join('\n')}`);
  if (problems.length > 0) lines.push(`\nfailed steps: ${problems.join(', ')}`);
  lines.push(`tests: ${passed} passed, ${failed} failed`);
  return { text: `${lines.join('\n')}\n`, exitCode: problems.length > 0 || failed > 0 ? 1 : 0 };
}
