/**
 * The service app token cache's promises in every order its user code lets them settle, on
 * @org/okta-emulator: fast-check's scheduler decides when each `tokenStore` `get`/`set`/`remove`
 * and each `fetch` settles, for two credentials sharing one store (two processes' worth) while
 * API calls run and the org revokes every access token (401, one renewal, one retry). Whatever the
 * order: every call settles, one token request in flight per credential, a refused token is
 * never sent again by the credential that saw it refused, and each credential's next call goes
 * through once everything has settled. The seed is fixed (RACE_SEED and RACE_RUNS explore
 * further); a failure prints the seed, the path and the schedule.
 */
import { createOktaFetch } from '@org/okta-auth-core';
import { useUnhandledRejections } from '@org/okta-test-utils';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { createServiceAppCredential } from '../service-app.js';
import { emulator, useEmulators } from '../test-helpers/org.js';
import type { OktaStorage } from './storage.js';

useEmulators();
const unhandled = useUnhandledRejections();

/** What one credential's fetch saw: token requests in flight, and every access token it sent and whether it was refused. */
interface Wire {
  inFlight: number;
  maxInFlight: number;
  readonly refused: Set<string>;
  /** Access tokens sent after this credential had seen them refused. */
  readonly resent: string[];
}

/** A fetch whose answers the scheduler releases (the requests go out at once). */
function scheduledFetch(current: () => fc.Scheduler | undefined, wire: Wire): typeof fetch {
  return async (input, init) => {
    const s = current();
    const request = new Request(input, init);
    const path = new URL(request.url).pathname;
    const isToken = path === '/oauth2/v1/token';
    const token = request.headers.get('authorization')?.replace(/^Bearer /, '');
    if (token !== undefined && wire.refused.has(token)) wire.resent.push(path);
    if (isToken) wire.maxInFlight = Math.max(wire.maxInFlight, ++wire.inFlight);
    try {
      const response = await (s === undefined ? fetch(request) : s.schedule(fetch(request), `fetch ${path}`));
      if (response.status === 401 && token !== undefined) wire.refused.add(token);
      return response;
    } finally {
      if (isToken) wire.inFlight--;
    }
  };
}

/** A shared store whose every call settles when the scheduler says. */
function scheduledStore(current: () => fc.Scheduler | undefined): OktaStorage {
  const saved = new Map<string, string>();
  const later = (label: string) => current()?.schedule(Promise.resolve(), label) ?? Promise.resolve();
  return {
    get: (key) => later('store.get').then(() => saved.get(key)),
    set: (key, value) => later('store.set').then(() => void saved.set(key, value)),
    remove: (key) => later('store.remove').then(() => void saved.delete(key)),
    // The store's calls wait on the scheduler, not on a timer.
    timeoutMs: 60_000,
  };
}

type Action = 'api-a' | 'api-b' | 'revoke';
const actions = fc.array(fc.constantFrom<Action>('api-a', 'api-b', 'api-a', 'api-b', 'revoke'), { minLength: 1, maxLength: 6 });

it('two credentials on one store, API calls and revocations in any order of their user code: one token request at a time, no refused token resent, recovery', async () => {
  const org = await emulator({ seed: { users: 1 } });
  const app = org.createServiceApp({ keyType: 'EC', requireDpop: false, scopes: ['okta.users.read'] });
  // Runs make more calls in a minute than Okta's per-minute limits allow; 429s are not the subject here.
  for (const bucket of ['/api/v1/users', '/oauth2/v1/token']) org.setRateLimit(bucket, 1_000_000);
  let scheduler: fc.Scheduler | undefined;
  await fc.assert(
    fc.asyncProperty(fc.scheduler(), actions, async (s, plan) => {
      scheduler = undefined;
      org.revokeAccessTokens(); // each run starts from tokens the org refuses, if any are stored
      const tokenStore = scheduledStore(() => scheduler);
      const wires = { a: newWire(), b: newWire() };
      const okta = Object.fromEntries(
        (['a', 'b'] as const).map((name) => {
          const fetchOf = scheduledFetch(() => scheduler, wires[name]);
          const { clientId, privateKeyPem: privateKey, keyId } = app;
          const credential = createServiceAppCredential({ orgUrl: org.url, clientId, privateKey, keyId, scopes: ['okta.users.read'], dpop: 'off', tokenStore, fetch: fetchOf, allowInsecureLoopback: true });
          return [name, createOktaFetch({ credential, fetch: fetchOf })];
        }),
      ) as Record<'a' | 'b', ReturnType<typeof createOktaFetch>>;
      scheduler = s;
      const outcomes = plan.map((step) =>
        s.schedule(Promise.resolve(), `start ${step}`).then(async () => {
          if (step === 'revoke') return org.revokeAccessTokens();
          const response = await okta[step === 'api-a' ? 'a' : 'b']('/api/v1/users');
          await response.body?.cancel();
          // A 401 only when the org revoked the retry's token too.
          expect([200, 401]).toContain(response.status);
        }),
      );
      await s.waitFor(Promise.all(outcomes));
      await s.waitIdle();
      scheduler = undefined;
      for (const wire of Object.values(wires)) {
        expect(wire.maxInFlight, 'token requests in flight at once').toBeLessThanOrEqual(1);
        expect(wire.resent, 'a refused token sent again').toEqual([]);
      }
      // Everything settled: each credential's next call goes through.
      for (const call of Object.values(okta)) expect((await call('/api/v1/users')).status).toBe(200);
    }),
    { seed: Number(process.env.RACE_SEED ?? 1616), numRuns: Number(process.env.RACE_RUNS ?? 40), verbose: fc.VerbosityLevel.Verbose },
  );
  expect(await unhandled.settled()).toEqual([]);
}, 60_000);

function newWire(): Wire {
  return { inFlight: 0, maxInFlight: 0, refused: new Set(), resent: [] };
}
