#!/usr/bin/env node
// What one warm DPoP call does, counted instead of timed (a deterministic companion to warm-dpop.mjs):
//   node bench/src/warm-counts.mjs [root ...] [--calls=200] [--top=40]
// Each root is a built checkout (a git worktree: packages/okta-auth-core and packages/okta-oauth with
// their dist); none: this repository. warm-dpop's set-up (an EC service app with DPoP required, on
// @org/okta-emulator in a child process, Okta's limits lifted), warmed up, then `--calls` calls one
// after the other through its floor (fetch + a proof by hand), createOktaFetch and createOktaKy. Per call:
// async resources created (async_hooks init, by type), timers, the globals the code constructs (URL,
// Headers, Request, AbortController…), WebCrypto and other calls, and every function's call count (V8's
// precise coverage: ours in packages/*, undici, ky, Node.js), what the garbage collector's cleanups do for
// the calls included; then, in a second process without instrumentation, the heap bytes allocated (the
// young generation fixed at 128 MB, so no collection runs inside a batch; median of 7 batches). The counts
// are the same from run to run of one build; the heap bytes move by up to about 0.7 kB (fetch) and 2.3 kB
// (ky) a call between two runs of one build. Two roots or more: each figure beside the first's, and the
// functions whose counts differ. Not part of any test command.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const flag = (name, fallback) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const calls = flag('calls', 200);
const top = flag('top', 40);
const mode = args.find((a) => a.startsWith('--child='))?.split('=')[1];
const roots = args.filter((a) => !a.startsWith('--')).map((r) => resolve(r));

if (mode !== undefined) await child(mode, roots[0]);
else parent(roots.length > 0 ? roots : [resolve(import.meta.dirname, '../..')]);

/** Runs each root's two children and prints their figures side by side. */
function parent(list) {
  const run = (root, what, flags) => JSON.parse(execFileSync(process.execPath, [...flags, import.meta.filename, `--child=${what}`, `--calls=${calls}`, root], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 }));
  const results = list.map((root) => ({ root, counts: run(root, 'counts', ['--expose-gc']), heap: run(root, 'heap', ['--expose-gc', '--min-semi-space-size=128', '--max-semi-space-size=128']) }));
  const cell = (v) => (v === undefined ? '-' : Number.isInteger(v) ? String(v) : v.toFixed(2)).padStart(10);
  const table = (title, rows) => {
    console.log(`\n${title}\n${''.padEnd(64)}${results.map((_, i) => `root ${i + 1}`.padStart(10)).join('')}${results.length > 1 ? '  Δ last−first' : ''}`);
    for (const [name, values] of rows) {
      const delta = values.length > 1 ? (values.at(-1) ?? 0) - (values[0] ?? 0) : 0;
      console.log(`${name.slice(0, 63).padEnd(64)}${values.map(cell).join('')}${values.length > 1 && Math.abs(delta) >= 0.005 ? `  ${delta > 0 ? '+' : ''}${cell(delta).trim()}` : ''}`);
    }
  };
  results.forEach((r, i) => console.log(`root ${i + 1}: ${r.root}`));
  console.log(`${calls} warm DPoP calls each, one at a time; figures per call`);
  for (const client of ['floor', 'fetch', 'ky']) {
    const keys = (pick) => [...new Set(results.flatMap((r) => Object.keys(pick(r) ?? {})))].sort();
    const rows = (pick) => keys(pick).map((k) => [k, results.map((r) => pick(r)?.[k])]);
    table(`${{ floor: 'the floor (fetch + a proof by hand)', fetch: 'createOktaFetch', ky: 'createOktaKy' }[client]}: heap bytes and async resources`, [
      ['heap bytes allocated (no instrumentation)', results.map((r) => r.heap[client])],
      ...rows((r) => r.counts[client].async).map(([k, v]) => [`async_hooks init ${k}`, v]),
    ]);
    table('calls and constructions', rows((r) => r.counts[client].calls));
    const fns = rows((r) => r.counts[client].functions);
    // Differences under half a call are timer housekeeping that follows the clock (a list's expiry), not the call's work.
    const differing = results.length > 1 ? fns.filter(([, v]) => v.some((x) => Math.abs((x ?? 0) - (v[0] ?? 0)) >= 0.5)) : fns;
    const total = (r, own) => Object.entries(r.counts[client].functions).reduce((n, [k, v]) => n + (k.startsWith('packages/') === own ? v : 0), 0);
    table(`function calls: ours (packages/*) and the rest (undici, ky, node internals)`, [
      ['ours', results.map((r) => total(r, true))],
      ['the rest', results.map((r) => total(r, false))],
    ]);
    differing.sort((a, b) => Math.abs((b[1].at(-1) ?? 0) - (b[1][0] ?? 0)) - Math.abs((a[1].at(-1) ?? 0) - (a[1][0] ?? 0)) || (b[1][0] ?? 0) - (a[1][0] ?? 0));
    table(results.length > 1 ? 'functions whose calls differ by half a call or more (file function)' : `the ${top} most called functions`, differing.slice(0, top));
  }
}

/** warm-dpop's floor: fetch with a minimal proof built by hand for each request (one signature), its token bound to its key. */
async function floorCall(orgUrl, app) {
  const { oauth4webapiTokenWithKey } = await import('./warm-dpop.mjs');
  const { createHash, randomUUID } = await import('node:crypto');
  const b64url = (bytes) => Buffer.from(bytes).toString('base64url');
  const enc = new TextEncoder();
  const keyPair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const { x, y } = await crypto.subtle.exportKey('jwk', keyPair.publicKey);
  const header = b64url(enc.encode(JSON.stringify({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: 'EC', crv: 'P-256', x, y } })));
  const token = await oauth4webapiTokenWithKey(orgUrl, app, keyPair);
  const ath = createHash('sha256').update(token).digest('base64url');
  const htu = `${orgUrl}/api/v1/users`;
  return async () => {
    const input = `${header}.${b64url(enc.encode(JSON.stringify({ htm: 'GET', htu, iat: Math.floor(Date.now() / 1000), jti: randomUUID(), ath })))}`;
    const sig = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, keyPair.privateKey, enc.encode(input));
    const res = await fetch(`${orgUrl}/api/v1/users?limit=1`, { headers: { authorization: `DPoP ${token}`, dpop: `${input}.${b64url(sig)}`, accept: 'application/json' } });
    if (!res.ok) throw new Error(`floor: HTTP ${res.status}`);
    return res.json();
  };
}

/** One build, measured: `counts` (instrumented) or `heap` (not). Prints JSON. */
async function child(what, root) {
  const perCall = (o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== 0).map(([k, v]) => [k, v / calls]));
  const counting = { on: false };
  const calls_ = {};
  const async = {};
  if (what === 'counts') {
    const { createHook } = await import('node:async_hooks');
    createHook({ init: (_id, type) => void (counting.on && (async[type] = (async[type] ?? 0) + 1)) }).enable();
    const count = (name) => counting.on && (calls_[name] = (calls_[name] ?? 0) + 1);
    for (const name of ['URL', 'Headers', 'Request', 'Response', 'AbortController', 'URLSearchParams', 'TextEncoder', 'Error', 'DOMException', 'WeakRef']) {
      globalThis[name] = new Proxy(globalThis[name], { construct: (t, a, n) => (count(`new ${name}`), Reflect.construct(t, a, n)) });
    }
    const wrap = (owner, key, label) => {
      const original = owner[key];
      owner[key] = function (...a) {
        count(label);
        return original.apply(this, a);
      };
    };
    for (const key of ['sign', 'digest', 'importKey', 'exportKey', 'verify']) wrap(SubtleCrypto.prototype, key, `crypto.subtle.${key}`);
    for (const key of ['randomUUID', 'getRandomValues']) wrap(crypto, key, `crypto.${key}`);
    for (const key of ['setTimeout', 'clearTimeout', 'queueMicrotask']) wrap(globalThis, key, key);
    wrap(EventTarget.prototype, 'addEventListener', 'addEventListener');
    wrap(EventTarget.prototype, 'removeEventListener', 'removeEventListener');
    wrap(performance, 'now', 'performance.now');
    wrap(JSON, 'stringify', 'JSON.stringify');
    wrap(TextEncoder.prototype, 'encode', 'TextEncoder.encode');
    wrap(AbortSignal, 'any', 'AbortSignal.any');
    wrap(AbortSignal, 'timeout', 'AbortSignal.timeout');
  }
  const collect = async () => {
    globalThis.gc();
    for (let i = 0; i < 3; i++) await new Promise((done) => setImmediate(done));
  };
  const from = (pkg, file) => import(pathToFileURL(`${root}/packages/${pkg}/dist/${file}`).href);
  const [core, coreKy, oauth] = [await from('okta-auth-core', 'index.js'), await from('okta-auth-core', 'ky/index.js'), await from('okta-oauth', 'index.js')];
  const { startEmulatorChild } = await import('./children.mjs');
  const { NO_RATE_LIMITS } = await import('./contenders.mjs');
  const emu = await startEmulatorChild({ seed: { users: 3 }, rateLimits: NO_RATE_LIMITS });
  const out = {};
  try {
    const app = await emu.call('createServiceApp', { keyType: 'EC', requireDpop: true, scopes: ['okta.users.read'] });
    const credential = oauth.createServiceAppCredential({ orgUrl: emu.url, clientId: app.clientId, privateKey: app.privateKeyPem, keyId: app.keyId, scopes: ['okta.users.read'], dpop: 'required', allowInsecureLoopback: true });
    const okta = core.createOktaFetch({ credential });
    const api = coreKy.createOktaKy({ credential });
    const clients = { floor: await floorCall(emu.url, app), fetch: async () => (await okta('/api/v1/users?limit=1')).json(), ky: () => api.get('api/v1/users?limit=1').json() };
    let session;
    if (what === 'counts') {
      const { Session } = await import('node:inspector/promises');
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
    }
    for (const [name, once] of Object.entries(clients)) {
      // Warmed up past V8's tiering (its compilations allocate on the heap too).
      for (let i = 0; i < (what === 'heap' ? 2000 : 300); i++) await once();
      if (what === 'heap') {
        const batches = [];
        for (let b = 0; b < 7; b++) {
          globalThis.gc();
          const before = process.memoryUsage().heapUsed;
          for (let i = 0; i < calls; i++) await once();
          batches.push(Math.round((process.memoryUsage().heapUsed - before) / calls));
        }
        out[name] = batches.sort((x, y) => x - y)[3];
        continue;
      }
      for (const o of [calls_, async]) for (const k of Object.keys(o)) o[k] = 0;
      // What the calls leave to the garbage collector (a FinalizationRegistry's cleanup: undici's, Node.js's signals')
      // is counted too, all of it: collected before and after, its cleanups run (a few resources of this script's own).
      await collect();
      await session.post('Profiler.takePreciseCoverage'); // resets the counts
      counting.on = true;
      for (let i = 0; i < calls; i++) await once();
      await collect();
      counting.on = false;
      const { result } = await session.post('Profiler.takePreciseCoverage');
      const functions = {};
      for (const script of result) {
        const packaged = script.url.match(/\/(packages\/[^/]+\/dist\/.*)$/)?.[1];
        const file = packaged ?? script.url.replace(/^.*node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?/, '');
        // The instrumentation's own (async_hooks) and this script's are left out.
        if (file.includes('bench/src/') || file === '' || file === 'node:internal/async_hooks') continue;
        for (const fn of script.functions) {
          const n = fn.ranges[0].count;
          if (n === 0 || (fn.functionName === '' && fn.ranges[0].startOffset === 0)) continue;
          const key = `${file} ${fn.functionName || '(anonymous)'}`;
          functions[key] = (functions[key] ?? 0) + n / calls;
        }
      }
      out[name] = { async: perCall(async), calls: perCall(calls_), functions };
    }
    const { tokenRequests } = await emu.call('counters');
    out.tokenRequests = tokenRequests;
  } finally {
    await emu.close();
  }
  process.stdout.write(JSON.stringify(out));
}
