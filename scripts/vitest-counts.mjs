// Counts vitest's JSON report (--reporter=json) for the summary line: a test
// passed only if it ran and passed; a failed, skipped, todo or never-run test
// counts as failed, and so does a file that failed with no failed test of its
// own (it did not load, or a hook failed after its tests).

/** @returns {{ passed: number, failed: number, notes: string[] }} */
export function countVitestReport(report) {
  let passed = 0;
  let failed = 0;
  const notes = [];
  for (const file of report.testResults ?? []) {
    let fileFailed = 0;
    let notRun = 0;
    for (const test of file.assertionResults ?? []) {
      if (test.status === 'passed') passed += 1;
      else {
        fileFailed += 1;
        if (test.status !== 'failed') notRun += 1;
      }
    }
    if (file.status === 'failed' && fileFailed === 0) {
      fileFailed = 1;
      notes.push(`${file.name}: ${firstLine(file.message) || 'the file failed'} (counted as 1 failed)`);
    } else if (notRun > 0) {
      notes.push(`${file.name}: ${notRun} test${notRun === 1 ? '' : 's'} did not run (skipped, todo or never reached), counted as failed`);
    }
    failed += fileFailed;
  }
  return { passed, failed, notes };
}

function firstLine(text) {
  return String(text ?? '').split('\n')[0].slice(0, 300);
}
