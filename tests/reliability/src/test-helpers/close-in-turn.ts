/**
 * Closes each thing in turn, whatever became of the ones before: every step runs even when an earlier one
 * throws (a set-up's server that never started), then the first failure is thrown. The one way the doc
 * blocks' place (`readmePlace`) and its set-ups (`ReadmeOrg.close`) close what they started.
 */
export async function closeInTurn(steps: readonly (() => unknown)[]): Promise<void> {
  const failures: unknown[] = [];
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw failures[0];
}
