#!/usr/bin/env node
// Heap bytes allocated per warm call of createOktaFetch + SSWS, with a stub fetch (no socket):
//   node --expose-gc --max-semi-space-size=1024 bench/src/alloc.mjs [core dist] [ssws dist]
// The young generation is made large enough that no collection runs inside a measured batch,
// so the growth of the used heap over the batch is what the calls allocated. Unlike CPU time,
// this does not move with the machine's load: a change to the warm path is compared by it
// first (two builds' `dist` folders, given as arguments), then by `pnpm bench` on a quiet machine.
import v8 from 'node:v8';

if (typeof globalThis.gc !== 'function') {
  console.error('run with: node --expose-gc --max-semi-space-size=1024 bench/src/alloc.mjs');
  process.exit(2);
}
const [coreDir, sswsDir] = process.argv.slice(2);
const core = await import(coreDir ? `${coreDir}/index.js` : '@org/okta-auth-core');
const ssws = await import(sswsDir ? `${sswsDir}/index.js` : '@org/okta-ssws');
const body = JSON.stringify({ id: '00ub0oNGTSWTBKOLGLNR', status: 'ACTIVE', profile: { login: 'a@example.com' } });
const stub = async () => new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
const credential = ssws.createSswsCredential({ orgUrl: 'https://acme.okta.com', token: '00bench-api-token-0123456789abcdefghijklmnopq' });
const okta = core.createOktaFetch({ credential, fetch: stub });
const ours = async () => (await okta('/api/v1/users/00ub0oNGTSWTBKOLGLNR')).json();
const alone = async () => (await stub()).json();

const calls = 2000;
async function bytesPerCall(call) {
  for (let i = 0; i < 3000; i++) await call();
  const batches = [];
  for (let b = 0; b < 7; b++) {
    globalThis.gc();
    const before = v8.getHeapStatistics().used_heap_size;
    for (let i = 0; i < calls; i++) await call();
    batches.push((v8.getHeapStatistics().used_heap_size - before) / calls);
  }
  return batches.sort((x, y) => x - y)[3];
}
const stubBytes = await bytesPerCall(alone);
const totalBytes = await bytesPerCall(ours);
console.log(`stub fetch alone: ${Math.round(stubBytes)} B per call`);
console.log(`createOktaFetch + SSWS: ${Math.round(totalBytes)} B per call, ${Math.round(totalBytes - stubBytes)} B of it ours (median of 7 batches of ${calls})`);
