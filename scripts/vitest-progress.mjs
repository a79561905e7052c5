// A vitest reporter for the hang watchdog (scripts/vitest-watchdog.mjs): appends one
// JSON line per test file started or ended and per test finished to the file named by
// VITEST_PROGRESS_FILE. A worker whose event loop is blocked writes nothing more, and
// these lines name the file it holds and the last test it finished.
import { appendFileSync } from 'node:fs';

const file = process.env.VITEST_PROGRESS_FILE;

function write(event) {
  if (file) appendFileSync(file, `${JSON.stringify(event)}\n`);
}

export default class ProgressReporter {
  onTestModuleStart(testModule) {
    write({ event: 'start', file: testModule.moduleId });
  }

  onTestCaseResult(testCase) {
    write({ event: 'test', file: testCase.module.moduleId, name: testCase.fullName });
  }

  onTestModuleEnd(testModule) {
    write({ event: 'end', file: testModule.moduleId });
  }
}
