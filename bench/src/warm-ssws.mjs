// Benchmark 1: the warm path with an API token. Many GETs against a minimal
// loopback server (a child process), every contender in the same run,
// interleaved: raw fetch (the floor, and with a timeout), plain ky, our fetch wrapper and our ky
// instance with @org/okta-ssws, and @okta/okta-sdk-nodejs in SSWS mode.
import ky from 'ky';
import { createRequire } from 'node:module';
import { startLoopback } from './children.mjs';
import { interleave, runConcurrent } from './interleave.mjs';
import { tryImport } from './load.mjs';

const require = createRequire(import.meta.url);
const TOKEN = '00bench-api-token-0123456789abcdefghijklmnopq';
const PATH = '/api/v1/users/00ub0oNGTSWTBKOLGLNR';

export async function warmSsws({ rounds = 7, batchSize = 300, concurrency = 4 } = {}) {
  const server = await startLoopback();
  try {
    const url = server.url;
    const contenders = [];
    const add = (name, once) => contenders.push({ name, batch: (n) => runConcurrent(n, concurrency, once) });

    const headers = { authorization: `SSWS ${TOKEN}`, accept: 'application/json' };
    add('fetch, fixed header (floor)', async () => {
      const res = await fetch(`${url}${PATH}`, { headers });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      await res.json();
    });

    // The floor with what every client of ours has: a per-request timeout (one AbortController and
    // one timer, cleared when the body is read), as createOktaFetch arms for each attempt. Not a
    // goal's reference; it shows how much of the gap to the floor the timeout alone costs (undici
    // follows the signal: an abort listener per request).
    add('fetch, fixed header, with a timeout', async () => {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 30_000);
      try {
        const res = await fetch(`${url}${PATH}`, { headers, signal: controller.signal });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        await res.json();
      } finally {
        clearTimeout(timer);
      }
    });

    const plainKy = ky.create({ baseUrl: `${url}/`, headers });
    add('ky, fixed header', async () => {
      await plainKy.get(PATH.slice(1)).json();
    });

    const notes = [];
    const core = await tryImport('@org/okta-auth-core');
    const coreKy = await tryImport('@org/okta-auth-core/ky');
    const ssws = await tryImport('@org/okta-ssws');
    if (core.module && ssws.module && coreKy.module) {
      const credential = ssws.module.createSswsCredential({ orgUrl: url, token: TOKEN, allowInsecureLoopback: true });
      const okta = core.module.createOktaFetch({ credential });
      add('ours: createOktaFetch + SSWS', async () => {
        await (await okta(PATH)).json();
      });
      const api = coreKy.module.createOktaKy({ credential });
      add('ours: createOktaKy + SSWS', async () => {
        await api.get(PATH.slice(1)).json();
      });
    } else {
      notes.push(`not yet: ${[core, coreKy, ssws].find((m) => m.missing).missing}`);
    }

    const okta = require('@okta/okta-sdk-nodejs');
    // The SDK's default cache middleware would answer repeated GETs of a
    // resource from memory without a request: turned off, so that every
    // contender makes every request.
    const client = new okta.Client({ orgUrl: url, token: TOKEN, cacheMiddleware: null, testing: { disableHttpsCheck: true } });
    add('okta-sdk-nodejs SSWS: userApi.getUser', async () => {
      await client.userApi.getUser({ userId: '00ub0oNGTSWTBKOLGLNR' });
    });
    add('okta-sdk-nodejs SSWS: http.getJson', async () => {
      await client.http.getJson(`${url}${PATH}`);
    });

    const results = await interleave(contenders, { rounds, batchSize, warmupBatches: 1 });
    return { rounds, batchSize, concurrency, results, notes };
  } finally {
    await server.close();
  }
}
