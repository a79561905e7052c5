// Runs the portable suite inside Vercel's edge sandbox (the `edge-runtime` package, the
// runtime of Next.js middleware and `runtime = 'edge'` routes): a `node:vm` context with the
// sandbox's own web globals, which lacks some of Node.js's (AbortSignal.any among them) and
// answers some calls with the host realm's objects. The browser entry bundled as one script
// (the sandbox evaluates scripts, as Next.js does its compiled middleware), given
// `process = { env }` as Next.js's sandbox gives middleware. Prints the results after the
// marker parseResults reads.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const { EdgeRuntime } = createRequire(import.meta.url)('edge-runtime');
const fixture = JSON.parse(process.env.OKTA_RUNTIME_FIXTURE ?? '');
const runtime = new EdgeRuntime({
  extend: (context) => Object.assign(context, { process: { env: { OKTA_CLIENT_ORGURL: fixture.orgUrl, OKTA_CLIENT_TOKEN: fixture.ssws.token } } }),
});
runtime.evaluate(readFileSync(process.argv[2], 'utf8'));
const results = await runtime.evaluate(`runPortableSuite(${JSON.stringify(fixture)}).then((results) => JSON.stringify(results))`);
console.log(`OKTA_RUNTIME_RESULTS ${results}`);
// The sandbox's setTimeout answers a number, without unref: an answer's attempt timer (armed while its body may be
// read) would hold this process for its timeoutMs. Next.js ends a sandbox with its request; this child ends with its results.
process.exit(0);
