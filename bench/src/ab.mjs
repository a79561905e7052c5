#!/usr/bin/env node
// Interleaved A/B of the warm SSWS path between two builds, in ONE process:
//   node bench/src/ab.mjs snapshot <dir>   (copies this repository's built core and ssws dists to <dir>)
//   node bench/src/ab.mjs <base-root> [rounds=41] [batch=200] [fetch|ky|both] [stub]
// <base-root> holds packages/okta-auth-core/{package.json,dist} and
// packages/okta-ssws/{package.json,dist,node_modules/@org/okta-auth-core -> core}
// (a built git worktree of the base commit, or a snapshot taken before a change;
// ky must resolve from it: a snapshot links this repository's). The other build
// is this repository's. `stub` answers every call with a canned Response (our JS
// only, no socket). Prints each after ÷ before ratio, paired per round: median
// and interquartile range. The build loaded first reads a few % slower: run an
// A/A (a snapshot of the same build) to see this machine's bias and spread.
import { cpSync, mkdirSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startLoopback } from './children.mjs';
import { interleave, pairedRatio, runConcurrent } from './interleave.mjs';

if (process.argv[2] === 'snapshot') {
  const to = resolve(process.argv[3] ?? '/tmp/okta-ab-base');
  const from = resolve(import.meta.dirname, '../../packages');
  rmSync(to, { recursive: true, force: true });
  for (const pkg of ['okta-auth-core', 'okta-ssws']) {
    for (const part of ['package.json', 'dist']) cpSync(`${from}/${pkg}/${part}`, `${to}/packages/${pkg}/${part}`, { recursive: true });
  }
  mkdirSync(`${to}/packages/okta-ssws/node_modules/@org`, { recursive: true });
  symlinkSync('../../../okta-auth-core', `${to}/packages/okta-ssws/node_modules/@org/okta-auth-core`);
  mkdirSync(`${to}/node_modules`, { recursive: true });
  symlinkSync(realpathSync(`${from}/okta-auth-core/node_modules/ky`), `${to}/node_modules/ky`);
  console.log(`snapshot in ${to}`);
  process.exit(0);
}
const [baseArg, roundsArg = '41', batchArg = '200', which = 'both', mode = 'loopback'] = process.argv.slice(2);
if (!baseArg) {
  console.log('usage: node bench/src/ab.mjs <base-root> [rounds] [batch] [fetch|ky|both] [stub]');
  process.exit(1);
}
const here = resolve(import.meta.dirname, '../..');
const TOKEN = '00bench-api-token-0123456789abcdefghijklmnopq';
const PATH = '/api/v1/users/00ub0oNGTSWTBKOLGLNR';
const BODY = JSON.stringify({ id: '00ub0oNGTSWTBKOLGLNR', status: 'ACTIVE', profile: { login: 'a@example.com' } });

const load = async (root) => {
  const at = (p) => import(pathToFileURL(resolve(root, p)).href);
  return {
    core: await at('packages/okta-auth-core/dist/index.js'),
    ky: await at('packages/okta-auth-core/dist/ky/index.js'),
    ssws: await at('packages/okta-ssws/dist/index.js'),
  };
};

const server = mode === 'stub' ? { url: 'http://127.0.0.1:9', close: () => Promise.resolve() } : await startLoopback();
const stub = mode === 'stub' ? async () => new Response(BODY, { status: 200, headers: { 'content-type': 'application/json' } }) : undefined;
const contenders = [];
const add = (name, once) => contenders.push({ name, batch: (n) => runConcurrent(n, 4, once) });
const headers = { authorization: `SSWS ${TOKEN}`, accept: 'application/json' };
const floorFetch = stub ?? fetch;
add('floor', async () => (await floorFetch(`${server.url}${PATH}`, { headers })).json());
if (which !== 'fetch') {
  const plain = (await import('ky')).default.create({ baseUrl: `${server.url}/`, headers, ...(stub && { fetch: stub }) });
  add('plain ky', () => plain.get(PATH.slice(1)).json());
}
// Load order changes a build's speed by a few %: the base is loaded first, or last with AB_ORDER=after-first
// (the geometric mean of both orders' ratios cancels the bias).
const builds = [['before', resolve(baseArg)], ['after', here]];
if (process.env.AB_ORDER === 'after-first') builds.reverse();
for (const [label, root] of builds) {
  const m = await load(root);
  const credential = m.ssws.createSswsCredential({ orgUrl: server.url, token: TOKEN, allowInsecureLoopback: true });
  if (which !== 'ky') {
    const okta = m.core.createOktaFetch({ credential, ...(stub && { fetch: stub }) });
    add(`fetch ${label}`, async () => (await okta(PATH)).json());
  }
  if (which !== 'fetch') {
    const api = m.ky.createOktaKy({ credential, ...(stub && { fetch: stub }) });
    add(`ky ${label}`, () => api.get(PATH.slice(1)).json());
  }
}
try {
  const rounds = Number(roundsArg);
  const results = await interleave(contenders, { rounds, batchSize: Number(batchArg), warmupBatches: 2 });
  const fmt = (r) => (r ? `${r.median.toFixed(3)}× (${r.p25.toFixed(2)}–${r.p75.toFixed(2)})` : 'n/a');
  for (const d of which === 'both' ? ['fetch', 'ky'] : [which]) {
    const a = results.get(`${d} after`);
    const b = results.get(`${d} before`);
    const floor = results.get(d === 'ky' ? 'plain ky' : 'floor');
    console.log(`${d}: after ÷ before ${fmt(pairedRatio(a, b))}; after ÷ ${d === 'ky' ? 'plain ky' : 'floor'} ${fmt(pairedRatio(a, floor))}, before ${fmt(pairedRatio(b, floor))}; CPU µs/call ${a.cpuUsPerOp.toFixed(1)} vs ${b.cpuUsPerOp.toFixed(1)}`);
  }
} finally {
  await server.close();
}
