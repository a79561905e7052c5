// The runtime matrix: one emulator, then the portable suite on each runtime in
// turn. Prints one line per runtime, writes { passed, failed, runtimes } to
// <repo>/.test-results/runtimes.json, and returns false if any runtime failed
// or could not start. Builds nothing: the packages' dist/ must exist.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { bundles as makeBundles } from './bundle.mjs';
import { USER_COUNT, fixtureFor, startOrgs } from './fixtures.mjs';
import { runtimesDir as installRuntimes } from './install.mjs';
import { oauthSetup } from './oauth.mjs';
import { consoleFailures } from './console-scan.mjs';
import { runtimes } from './runtimes.mjs';
import { runtimeLine } from './runtime-line.mjs';
import { startRedisServer } from '../../../packages/okta-token-store-redis/test/fleet/redis-server.mjs';

const packageDir = join(dirname(new URL(import.meta.url).pathname), '..');
const repoRoot = join(packageDir, '../..');

export async function main({ only } = {}) {
  // The runtimes come from a cache (install.mjs); if npm cannot fill it, each of them fails to start.
  let runtimesDir = join(tmpdir(), 'okta-runtimes-not-installed');
  let installError;
  try {
    runtimesDir = installRuntimes();
  } catch (error) {
    installError = error instanceof Error ? error.message : String(error);
  }
  const orgs = await startOrgs();
  // Bundles and the workerd config go to a directory of this run's own, so runs side by side don't clash.
  const outDir = mkdtempSync(join(tmpdir(), 'okta-runtime-tests-'));
  const bundles = makeBundles(packageDir, outDir);
  const selected = runtimes({ bundles, runtimesDir }).filter((r) => only === undefined || only.includes(r.id));
  // The Redis store's cases (runtimes with `redis`: Node.js, Bun, Deno): one redis-server for the run
  // (the one helper the store's own tests start), each runtime under a prefix of its own. If it cannot
  // start, those cases fail on each such runtime with the reason; the other cases still run.
  const redis = selected.some((r) => r.redis) ? await startRedisServer().catch((error) => ({ error: error instanceof Error ? error.message : String(error) })) : undefined;
  const lines = [];
  let passed = 0;
  let failed = 0;
  let allOk = true;
  try {
    const oauth = await oauthSetup(orgs.org, selected.length);
    const userCount = USER_COUNT + 1 + oauth.extraUsers; // and the org's seeded super admin
    for (const runtime of selected) {
      const started = Date.now();
      let version;
      try {
        version = runtime.version() ?? 'unknown';
      } catch {
        version = 'unknown';
      }
      const label = `${runtime.id}-${version}`;
      const before = JSON.stringify(orgs.other.counters().requests);
      const originsBefore = orgs.org.counters().origins;
      let results;
      try {
        if (runtime.cached && installError !== undefined) throw new Error(installError);
        const fixture = await fixtureFor(runtime, orgs, oauth, userCount, runtime.redis && redis && { url: redis.url, error: redis.error, clients: runtime.redis });
        results = await runtime.run(fixture);
        // No secret in what the console got, and the inspect case's lines in it (console-scan.mjs), where the runner sees the console.
        if (runtime.scansConsole !== false) results.failures.push(...consoleFailures(results.console, fixture));
      } catch (error) {
        results = { passed: 0, failed: 1, failures: [{ name: 'start', error: error instanceof Error ? error.message : String(error) }] };
      }
      // The "other origin" must never have been called.
      if (JSON.stringify(orgs.other.counters().requests) !== before) {
        results.failures.push({ name: 'origin pinning', error: `the other org received requests: ${JSON.stringify(orgs.other.counters().requests)}` });
      }
      // A server runtime sends no Origin: Okta would take its requests for a browser's (CORS, the browser rules at /token),
      // which the org's browserRules: false (fixtures.mjs) would not show. A browser's requests carry its page's.
      const sentOrigins = originsAdded(originsBefore, orgs.org.counters().origins);
      if (runtime.expect !== 'browser' && sentOrigins.length > 0) {
        results.failures.push({ name: 'no Origin from a server runtime', error: `requests to the org carried an Origin: ${sentOrigins.join(', ')}` });
      }
      const runtimeFailed = results.failures.length;
      const runtimePassed = results.passed;
      passed += runtimePassed;
      failed += Math.max(runtimeFailed, results.failed);
      const line = runtimeLine(label, runtimePassed, Math.max(runtimeFailed, results.failed), (Date.now() - started) / 1000);
      console.log(line);
      for (const failure of results.failures) console.log(`  ✗ ${failure.name}\n${indent(failure.error)}`);
      lines.push({ runtime: label, passed: runtimePassed, failed: Math.max(runtimeFailed, results.failed), failures: results.failures, cases: results.cases ?? [] });
      if (runtimeFailed > 0 || results.failed > 0) allOk = false;
    }
  } finally {
    await orgs.close();
    await redis?.stop?.();
    rmSync(outDir, { recursive: true, force: true });
  }
  const resultsDir = join(repoRoot, '.test-results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'runtimes.json'), `${JSON.stringify({ passed, failed, runtimes: lines }, null, 2)}\n`);
  console.log(`runtimes: ${passed} passed, ${failed} failed`);
  return allOk && lines.length > 0;
}

/** The origins counted more often in `after` than in `before` (the emulator's `counters().origins`), with how many more. */
function originsAdded(before, after) {
  return Object.entries(after)
    .filter(([origin, count]) => count > (before[origin] ?? 0))
    .map(([origin, count]) => `${JSON.stringify(origin)} × ${count - (before[origin] ?? 0)}`);
}

function indent(text) {
  return String(text)
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n');
}
