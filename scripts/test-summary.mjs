// The test command's counting of its vitest run, of the runtime matrix beside it, and its last lines
// (scripts/test.mjs): every test that did not run and pass counts as failed, a run the watchdog
// stopped as hung or one that could not be started included, and the
// command always ends with `tests: N passed, M failed` and a non-zero exit when anything failed.
import { existsSync, readFileSync } from 'node:fs';
import { readRuntimeLine } from '../tests/runtimes/runner/runtime-line.mjs';
import { countVitestReport } from './vitest-counts.mjs';

/**
 * Counts a vitest run: `vitest` is what runVitest resolved with, `reportFile` its JSON report. A
 * hung run counts each file still running as 1 failed (at least 1), its report unread (vitest was
 * killed before writing it); a run that could not be started (pnpm not found) counts 1 failed.
 * @returns {{ passed: number, failed: number, notes: string[] }}
 */
export function countVitestRun(vitest, reportFile, quietMinutes) {
  if (vitest.error !== undefined) return { passed: 0, failed: 1, notes: [`vitest could not be started (${vitest.error}): counted as 1 failed`] };
  if (vitest.hang) {
    const { running } = vitest.hang;
    return {
      passed: 0,
      failed: Math.max(1, running.length),
      notes: [
        `vitest hung: no test finished for ${quietMinutes} min, so it was stopped. Still running (each counted as 1 failed):`,
        ...running.map(({ file, lastTest }) => `  ${file}${lastTest ? ` (last finished: ${lastTest})` : ' (no test finished)'}`),
        ...(running.length === 0 ? ['  no test file (counted as 1 failed)'] : []),
        ...whereItWaited(vitest.hang),
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
 * Counts an extra suite run beside vitest under the same watchdog (the runtime matrix, whose log is
 * its progress): its `{ passed, failed }` results file; on a hang (killed before writing it) the
 * runtimes its log says ended, and the one running as 1 failed; not started or no results, 1 failed.
 * @returns {{ passed: number, failed: number, notes: string[] }}
 */
export function countSuiteRun(suite, run, resultsFile, logFile, quietMinutes) {
  if (run.error !== undefined) return { passed: 0, failed: 1, notes: [`${suite} could not be started (${run.error}): counted as 1 failed`] };
  if (run.hang) {
    const lines = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').filter((line) => line.trim() !== '') : [];
    let [passed, failed] = [0, 1];
    for (const line of lines) {
      const ended = readRuntimeLine(line);
      if (ended) [passed, failed] = [passed + ended.passed, failed + ended.failed];
    }
    return {
      passed,
      failed,
      notes: [
        `${suite} hung: nothing written for ${quietMinutes} min, so it was stopped. The runtimes that ended are counted, the one running as 1 failed. Its last line:`,
        `  ${lines.at(-1) ?? '(none)'}`,
        ...whereItWaited(run.hang),
      ],
    };
  }
  if (!existsSync(resultsFile)) return { passed: 0, failed: 1, notes: [`${suite} wrote no results: counted as 1 failed`] };
  const { passed, failed } = JSON.parse(readFileSync(resultsFile, 'utf8'));
  return { passed, failed, notes: [] };
}

/** A hang's processes, where each waited, and the blocked Node.js processes' native stacks. */
function whereItWaited({ processes, stacks }) {
  return [
    'Where its processes waited:',
    ...processes.map((line) => `  ${line}`),
    ...(stacks.length > 0 ? ['Native stacks of the blocked Node.js processes (gdb):', ...stacks] : ['(no native stacks: no Node.js process waited in a futex, or gdb is not on PATH)']),
  ];
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
