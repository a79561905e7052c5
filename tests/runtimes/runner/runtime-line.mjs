// The runtime matrix's one progress line per runtime: written by main.mjs as each runtime ends,
// read back by the test command (scripts/test-summary.mjs) when the matrix hung before writing its
// results file. One format, kept here, so the writer and the reader cannot drift apart.

/** The line main.mjs prints when a runtime ends. */
export function runtimeLine(label, passed, failed, seconds) {
  return `runtime ${label}: ${passed} passed, ${failed} failed (${seconds.toFixed(1)} s)`;
}

/**
 * The counts of a line runtimeLine wrote, or undefined for any other line.
 * @returns {{ passed: number, failed: number } | undefined}
 */
export function readRuntimeLine(line) {
  const ended = /^runtime .+: (\d+) passed, (\d+) failed \([\d.]+ s\)$/.exec(line);
  return ended ? { passed: Number(ended[1]), failed: Number(ended[2]) } : undefined;
}
