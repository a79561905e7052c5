#!/usr/bin/env node
// Profiles one warm-path client: `node bench/src/profile.mjs <client> [requests]`
// writes a V8 CPU profile (open it in Chrome DevTools) and prints the
// functions with the most self time, grouped by package.
// Clients: floor, ky, ours-fetch, ours-ky, sdk (SSWS, loopback server);
// dpop-floor, dpop-fetch, dpop-ky, dpop-o4w (DPoP, emulator).
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { startEmulatorChild, startLoopback } from './children.mjs';
import { runConcurrent } from './interleave.mjs';

const [which = 'ours-fetch', countArg = '3000'] = process.argv.slice(2);
const count = Number(countArg);
const TOKEN = '00bench-api-token-0123456789abcdefghijklmnopq';
const PATH = '/api/v1/users/00ub0oNGTSWTBKOLGLNR';

let once;
let close;
if (!which.startsWith('dpop')) {
  const server = await startLoopback();
  close = server.close;
  const headers = { authorization: `SSWS ${TOKEN}`, accept: 'application/json' };
  if (which === 'floor') once = async () => (await fetch(`${server.url}${PATH}`, { headers })).json();
  if (which === 'ky') {
    const ky = (await import('ky')).default.create({ baseUrl: `${server.url}/`, headers });
    once = () => ky.get(PATH.slice(1)).json();
  }
  if (which === 'ours-fetch' || which === 'ours-ky') {
    const { createSswsCredential } = await import('@org/okta-ssws');
    const credential = createSswsCredential({ orgUrl: server.url, token: TOKEN, allowInsecureLoopback: true });
    if (which === 'ours-fetch') {
      const okta = (await import('@org/okta-auth-core')).createOktaFetch({ credential });
      once = async () => (await okta(PATH)).json();
    } else {
      const api = (await import('@org/okta-auth-core/ky')).createOktaKy({ credential });
      once = () => api.get(PATH.slice(1)).json();
    }
  }
  if (which === 'sdk') {
    const { createRequire } = await import('node:module');
    const okta = createRequire(import.meta.url)('@okta/okta-sdk-nodejs');
    const client = new okta.Client({ orgUrl: server.url, token: TOKEN, cacheMiddleware: null, testing: { disableHttpsCheck: true } });
    once = () => client.userApi.getUser({ userId: '00ub0oNGTSWTBKOLGLNR' });
  }
} else {
  const emu = await startEmulatorChild({ rateLimits: { '*': 1e9, '/api/v1/users': 1e9, '/api/v1/users/{idOrLogin}': 1e9 } });
  close = emu.close;
  const app = await emu.call('createServiceApp', { keyType: 'EC', requireDpop: true, scopes: ['okta.users.read'] });
  const { createServiceAppCredential } = await import('@org/okta-oauth');
  const credential = createServiceAppCredential({
    orgUrl: emu.url,
    clientId: app.clientId,
    privateKey: app.privateKeyPem,
    keyId: app.keyId,
    scopes: ['okta.users.read'],
    dpop: 'required',
    allowInsecureLoopback: true,
  });
  if (which === 'dpop-fetch') {
    const okta = (await import('@org/okta-auth-core')).createOktaFetch({ credential });
    once = async () => (await okta('/api/v1/users?limit=1')).json();
  }
  if (which === 'dpop-ky') {
    const api = (await import('@org/okta-auth-core/ky')).createOktaKy({ credential });
    once = () => api.get('api/v1/users?limit=1').json();
  }
}
if (!once) {
  console.log('unknown client');
  process.exit(1);
}

await runConcurrent(200, 4, once); // warm up (and get the token)
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 });
await session.post('Profiler.start');
const cpu0 = process.cpuUsage();
await runConcurrent(count, 4, once);
const cpu = process.cpuUsage(cpu0);
const { profile } = await session.post('Profiler.stop');
await close();
const file = `/tmp/okta-bench-${which}.cpuprofile`;
writeFileSync(file, JSON.stringify(profile));

// Self time per function and per package.
const dt = new Map();
for (let i = 0; i < profile.samples.length; i++) dt.set(profile.samples[i], (dt.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
const pkgOf = (url) => {
  if (!url) return '(native/gc/idle)';
  if (url.startsWith('node:')) return 'node:internal';
  const m = url.match(/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/) ?? url.match(/packages\/([^/]+)/);
  return m ? m[1] : url;
};
const byFn = new Map();
const byPkg = new Map();
let total = 0;
for (const node of profile.nodes) {
  const t = dt.get(node.id) ?? 0;
  if (node.callFrame.functionName === '(idle)') continue;
  total += t;
  const { functionName, url, lineNumber } = node.callFrame;
  const key = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*packages\//, '')}:${lineNumber + 1}`;
  byFn.set(key, (byFn.get(key) ?? 0) + t);
  byPkg.set(pkgOf(url), (byPkg.get(pkgOf(url)) ?? 0) + t);
}
console.log(`${which}: ${count} requests, ${((cpu.user + cpu.system) / count).toFixed(0)} µs CPU / request; profile ${file}\n`);
for (const [k, t] of [...byPkg].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`${((100 * t) / total).toFixed(1).padStart(5)}%  ${k}`);
console.log('');
for (const [k, t] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 35)) console.log(`${((100 * t) / total).toFixed(1).padStart(5)}%  ${k}`);
