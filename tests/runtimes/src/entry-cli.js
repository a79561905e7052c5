// Entry point for the command-line runtimes (Node.js, Bun, Deno): reads the
// fixture from OKTA_RUNTIME_FIXTURE (JSON), runs the suite, prints the results
// as one JSON line after a marker. Only this file touches a runtime-specific
// global, and only to read that one variable.
import { runSuite } from './suite.js';
import { loadExtraCases } from './extra-cases.js';

const marker = 'OKTA_RUNTIME_RESULTS ';
const name = 'OKTA_RUNTIME_FIXTURE';
const raw = globalThis.Deno?.env.get(name) ?? globalThis.process?.env[name];
if (raw === undefined) throw new Error(`${name} is not set`);
const fixture = JSON.parse(raw);
const results = await runSuite(fixture, { extraCases: await loadExtraCases(fixture) });
console.log(`${marker}${JSON.stringify(results)}`);
