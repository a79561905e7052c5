// Benchmark 3: cold start. N concurrent requests on an empty token cache
// against @org/okta-emulator: how many token requests, how long until all
// succeed, how many failed. Ours and @okta/okta-sdk-nodejs (PrivateKey mode),
// for a service app that requires DPoP (Okta's default) and one that doesn't.
import { performance } from 'node:perf_hooks';
import { startEmulatorChild } from './children.mjs';
import { NO_RATE_LIMITS, errorText, oursClient, sdkClient, tokenDelta, withTimeout } from './contenders.mjs';
import { tryImport } from './load.mjs';

async function burst(call, userId, n) {
  const t0 = performance.now();
  const settled = await Promise.allSettled(Array.from({ length: n }, () => call(userId)));
  const ms = performance.now() - t0;
  const failures = settled.filter((s) => s.status === 'rejected');
  const examples = [...new Set(failures.map((f) => errorText(f.reason)))].slice(0, 2);
  return { ms, ok: n - failures.length, failed: failures.length, examples };
}

export async function coldStart({ n = 1000, timeoutMs = 60_000 } = {}) {
  const oauth = await tryImport('@org/okta-oauth');
  const core = await tryImport('@org/okta-auth-core');
  if (!oauth.module || !core.module) return { skipped: `not yet: ${[oauth, core].find((m) => m.missing).missing}` };
  const modules = { oauth: oauth.module, core: core.module };
  const runs = [];
  for (const requireDpop of [true, false]) {
    for (const who of ['ours', 'okta-sdk-nodejs']) {
      // A fresh org per run, so that nothing (nonces, replay caches) carries over.
      const emu = await startEmulatorChild({ rateLimits: NO_RATE_LIMITS });
      try {
        // RSA: the SDK signs its DPoP proofs with the client key and RS256 (anchors [B]).
        const app = await emu.call('createServiceApp', { keyType: 'RSA', requireDpop, scopes: ['okta.users.read'] });
        const user = await emu.call('createUser', { login: 'cold.start@example.com', password: 'Passw0rd!Passw0rd' });
        const call = who === 'ours' ? oursClient(modules, emu.url, app, requireDpop ? 'required' : 'auto') : sdkClient(emu.url, app);
        const before = await emu.call('counters');
        let r;
        try {
          r = await withTimeout(burst(call, user.id, n), timeoutMs, who);
        } catch (error) {
          r = { ms: Number.NaN, ok: Number.NaN, failed: Number.NaN, examples: [String(error.message)] };
        }
        const tokens = tokenDelta(before, await emu.call('counters'));
        runs.push({ who, requireDpop, n, ...r, tokenRequests: tokens.total, tokenOutcomes: tokens.outcomes });
      } finally {
        await emu.close();
      }
    }
  }
  return { n, runs };
}
