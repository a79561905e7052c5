// Benchmark 4: token churn. Steady load for a fixed time with a short token
// lifetime: token requests made against the ideal (run length / lifetime),
// and the calls that failed for the caller (the goal: none).
import { performance } from 'node:perf_hooks';
import { startEmulatorChild } from './children.mjs';
import { NO_RATE_LIMITS, errorText, oursClient, sdkClient, tokenDelta } from './contenders.mjs';
import { tryImport } from './load.mjs';

async function steadyLoad(call, userId, { seconds, concurrency, pauseMs }) {
  const end = performance.now() + seconds * 1000;
  let ok = 0;
  let failed = 0;
  const examples = new Set();
  const worker = async () => {
    while (performance.now() < end) {
      try {
        await call(userId);
        ok++;
      } catch (error) {
        failed++;
        if (examples.size < 2) examples.add(errorText(error));
      }
      await new Promise((r) => setTimeout(r, pauseMs));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { ok, failed, examples: [...examples] };
}

export async function churn({ seconds = 12, lifetimeSeconds = 3, concurrency = 8, pauseMs = 5, includeSdk = true } = {}) {
  const oauth = await tryImport('@org/okta-oauth');
  const core = await tryImport('@org/okta-auth-core');
  if (!oauth.module || !core.module) return { skipped: `not yet: ${[oauth, core].find((m) => m.missing).missing}` };
  const modules = { oauth: oauth.module, core: core.module };
  const runs = [];
  const who = includeSdk ? ['ours', 'okta-sdk-nodejs'] : ['ours'];
  for (const name of who) {
    const emu = await startEmulatorChild({ rateLimits: NO_RATE_LIMITS, tokenLifetimeSeconds: lifetimeSeconds });
    try {
      const app = await emu.call('createServiceApp', { keyType: 'RSA', requireDpop: true, scopes: ['okta.users.read'] });
      const user = await emu.call('createUser', { login: 'churn@example.com', password: 'Passw0rd!Passw0rd' });
      const call = name === 'ours' ? oursClient(modules, emu.url, app, 'required') : sdkClient(emu.url, app);
      const before = await emu.call('counters');
      const t0 = performance.now();
      const r = await steadyLoad(call, user.id, { seconds, concurrency, pauseMs });
      const elapsed = (performance.now() - t0) / 1000;
      const after = await emu.call('counters');
      const tokens = tokenDelta(before, after);
      const apiCalls = after.requests['GET /api/v1/users/:id'] - (before.requests['GET /api/v1/users/:id'] ?? 0);
      runs.push({ who: name, seconds: elapsed, ...r, tokenRequests: tokens.total, tokenOutcomes: tokens.outcomes, apiRequests: apiCalls, ideal: elapsed / lifetimeSeconds });
    } finally {
      await emu.close();
    }
  }
  return { lifetimeSeconds, concurrency, runs };
}
