// The portable suite: runs the cases in order against the emulator described
// by `fixture` and reports { runtime, passed, failed, failures, cases }.
// Web standards and the built packages only.
import { runtimeToken } from '@org/okta-auth-core/internal';
import { coreSswsCases } from './cases/core-ssws.js';
import { faultCases } from './cases/faults.js';
import { inFlightCases } from './cases/in-flight.js';
import { inputCases } from './cases/inputs.js';

/**
 * @param {object} fixture from the runner: orgUrl, otherOrigin, userCount, ssws, oauth?
 * @param {{ extraCases?: Array<{ name: string, run: (fixture: object) => Promise<void> }>, timeoutMs?: number }} [options]
 */
export async function runSuite(fixture, options = {}) {
  const cases = [...coreSswsCases, ...inputCases, ...faultCases, ...inFlightCases, ...(options.extraCases ?? [])];
  const results = [];
  for (const { name, run } of cases) {
    const started = Date.now();
    try {
      await withTimeout(run(fixture), options.timeoutMs ?? 20_000, name);
      results.push({ name, ok: true, ms: Date.now() - started });
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      results.push({ name, ok: false, ms: Date.now() - started, error: message });
    }
  }
  const failures = results.filter((r) => !r.ok).map((r) => ({ name: r.name, error: r.error }));
  return { runtime: runtimeToken(), passed: results.length - failures.length, failed: failures.length, failures, cases: results };
}

function withTimeout(promise, ms, name) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => { reject(new Error(`case "${name}" took more than ${ms} ms`)); }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => { clearTimeout(timer); });
}
