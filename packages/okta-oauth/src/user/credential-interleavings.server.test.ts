/**
 * A user credential's promises in every order its user code lets them settle, on
 * @org/okta-emulator: fast-check's scheduler decides when each storage `get`/`set`/`remove`, each
 * `onTokens` and each `fetch` (all user code) settles, while requests, forced renewals and a
 * sign-out run at once. What a user relies on, whatever the order: after `signOut` resolves,
 * storage holds none of the session's tokens and no later write brings them back; `onTokens`
 * ends in what storage ends in and never hears tokens after a sign-out's `null`; one token
 * request in flight at a time, and no refresh token sent twice (rotation refuses a used one);
 * every call settles. The seed is fixed (RACE_SEED and RACE_RUNS explore further); a failure
 * prints the seed, the path and the schedule.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { createOktaFetch } from '@org/okta-auth-core';
import { useUnhandledRejections } from '@org/okta-test-utils';
import { restoreCredential, signOut } from './client-functions.js';
import { signIn, spaOf, useSignInOrg } from './test-helpers/sign-in-org.js';
import type { UserTokens } from './tokens.js';

const env = useSignInOrg();
const unhandled = useUnhandledRejections();

/** What one run records of the user code it scheduled. */
interface Run {
  readonly saved: Map<string, string>;
  /** Storage operations as they landed, and the onTokens calls as they were made. */
  readonly log: string[];
  readonly told: (UserTokens | null)[];
  readonly refreshTokensSent: string[];
  inFlight: number;
  maxInFlight: number;
}

/** A fetch whose answers the scheduler releases (the requests go out at once); sign-in itself is not scheduled. */
function scheduledFetch(current: () => { s: fc.Scheduler; run: Run } | undefined): typeof fetch {
  return async (input, init) => {
    const now = current();
    if (now === undefined) return fetch(input, init);
    const request = new Request(input, init);
    const isToken = new URL(request.url).pathname === '/oauth2/v1/token';
    if (isToken) {
      const form = new URLSearchParams(await request.clone().text());
      const refreshToken = form.get('refresh_token');
      if (refreshToken !== null) now.run.refreshTokensSent.push(refreshToken);
      now.run.maxInFlight = Math.max(now.run.maxInFlight, ++now.run.inFlight);
    }
    try {
      return await now.s.schedule(fetch(request), `fetch ${new URL(request.url).pathname}`);
    } finally {
      if (isToken) now.run.inFlight--;
    }
  };
}

/** Storage whose every call settles when the scheduler says; `log` records when each landed. */
function scheduledStorage(s: fc.Scheduler, run: Run, failing: readonly boolean[]) {
  let sets = 0;
  return {
    get: (key: string) => s.schedule(Promise.resolve(), 'storage.get').then(() => run.saved.get(key)),
    set: (key: string, value: string) =>
      s.schedule(Promise.resolve(), 'storage.set').then(() => {
        // A store that refuses some writes (quota, a network store's error): nothing is written.
        if (failing[sets++] === true) throw new Error('quota exceeded');
        run.saved.set(key, value);
        run.log.push('set');
      }),
    remove: (key: string) =>
      s.schedule(Promise.resolve(), 'storage.remove').then(() => {
        run.saved.delete(key);
        run.log.push('remove');
      }),
  };
}

/**
 * What a run does at once, each started when the scheduler says: a request (`getAccessToken`), a
 * forced renewal, an API call through `createOktaFetch` (after `revoke` the org refuses the access
 * token: a 401, one refresh, one retry), a restore from storage, a sign-out.
 */
type Action = 'request' | 'renew' | 'api' | 'revoke' | 'restore' | 'signOut';
/** Which storage writes fail (the first is the credential's first write): mostly none. */
const failingSets = fc.oneof({ weight: 2, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(fc.boolean(), { maxLength: 4 }) });
const actions = fc.array(fc.constantFrom<Action>('request', 'renew', 'renew', 'api', 'revoke', 'restore', 'signOut'), { minLength: 1, maxLength: 5 });
/**
 * How a run ends: signed out (a sign-out after the steps, one from `onTokens`, both, or only those
 * among the steps), or kept (no sign-out, a renewal at least, so `onTokens` hears tokens). Each is
 * drawn in about half the runs: with two coin flips alone, a kept run came 1 to 6 times in 40 (seeds
 * 1 to 8), and a seed with none would fail the branch count below.
 */
const endings = fc.oneof(fc.record({ kept: fc.constant(false), withSignOut: fc.boolean(), onTokensSignsOut: fc.boolean() }), fc.constant({ kept: true, withSignOut: false, onTokensSignsOut: false }));

it('requests, renewals and a sign-out in any order of their user code: storage and onTokens end signed out, one token request at a time', async () => {
  let current: { s: fc.Scheduler; run: Run } | undefined;
  const scheduled = scheduledFetch(() => current);
  const client = spaOf(env.org, { fetch: scheduled });
  // Runs make more calls in a minute than Okta's per-minute limits allow; 429s are not the subject here.
  for (const bucket of ['/api/v1/users', '/api/v1/users/{idOrLogin}', '/oauth2/v1/token', '/oauth2/v1/authorize']) env.org.setRateLimit(bucket, 1_000_000);
  // Runs that took each checked branch below: a branch no run takes checks nothing. (A `restore`
  // step that starts after the sign-out ended came in no run of 200: each signed-out run restores at its end.)
  const took = { signedOut: 0, kept: 0 };
  await fc.assert(
    fc.asyncProperty(fc.scheduler(), actions, endings, failingSets, async (s, plan, { kept, withSignOut, onTokensSignsOut }, failing) => {
      current = undefined;
      const { tokens } = await signIn(client);
      const run: Run = { saved: new Map(), log: [], told: [], refreshTokensSent: [], inFlight: 0, maxInFlight: 0 };
      current = { s, run };
      const storage = scheduledStorage(s, run, failing);
      const ended = { signedOut: false };
      const signingOut = async () => {
        await signOut(client, credential).catch(() => undefined);
        // After signOut resolves: none of the session's tokens in storage.
        expect(run.saved.size, 'storage right after signOut resolved').toBe(0);
        ended.signedOut = true;
      };
      const onTokens = async (next: UserTokens | null) => {
        run.told.push(next);
        await s.schedule(Promise.resolve(), 'onTokens');
        // An app that signs the user out from its callback (the renewed tokens show lost access).
        if (next !== null && onTokensSignsOut) await signingOut();
      };
      const credential = client.credential(tokens, { storage, onTokens });
      const okta = createOktaFetch({ credential, fetch: scheduled });
      const steps = kept ? [...plan.filter((step) => step !== 'signOut'), 'renew' as const] : withSignOut && !plan.includes('signOut') ? [...plan, 'signOut' as const] : plan;
      const outcomes = steps.map((step) =>
        s.schedule(Promise.resolve(), `start ${step}`).then(async () => {
          if (step === 'signOut') return signingOut();
          if (step === 'revoke') return env.org.revokeAccessTokens();
          if (step === 'restore') {
            const after = ended.signedOut;
            const restored = await restoreCredential(client, { storage });
            if (after) expect(restored, 'a restore after signOut resolved').toBeUndefined();
            return;
          }
          if (step === 'api') return (await okta('/api/v1/users/me').catch(() => undefined))?.body?.cancel();
          await credential.getAccessToken({ forceRefresh: step === 'renew' }).catch(() => undefined);
        }),
      );
      await s.waitFor(Promise.all(outcomes));
      // Whatever user code is still pending lands now (a late write must not bring tokens back).
      await s.waitIdle();
      current = undefined;
      if (ended.signedOut) {
        took.signedOut++;
        expect(run.saved.size, 'storage at the end').toBe(0);
        expect(credential.tokens).toBeUndefined();
        expect(run.told.at(-1), "onTokens' last word").toBeNull();
        // Never tokens after a null, and one null.
        const firstNull = run.told.indexOf(null);
        expect(run.told.slice(firstNull).every((next) => next === null)).toBe(true);
        expect(run.told.filter((next) => next === null)).toHaveLength(1);
        expect(await s.waitFor(restoreCredential(client, { storage })), 'a restore after the run').toBeUndefined();
      } else {
        // onTokens ends in what storage holds.
        const last = run.told.at(-1);
        if (last !== undefined && last !== null) {
          took.kept++;
          expect(run.saved.values().next().value).toBe(JSON.stringify(last.toStorable()));
        }
      }
      expect(run.maxInFlight, 'token requests in flight at once').toBeLessThanOrEqual(1);
      expect(new Set(run.refreshTokensSent).size, 'a refresh token sent twice').toBe(run.refreshTokensSent.length);
    }),
    { seed: Number(process.env.RACE_SEED ?? 1616), numRuns: Number(process.env.RACE_RUNS ?? 40), verbose: fc.VerbosityLevel.Verbose },
  );
  expect(await unhandled.settled()).toEqual([]);
  expect(Object.values(took).every((n) => n > 0), JSON.stringify(took)).toBe(true);
}, 60_000);
