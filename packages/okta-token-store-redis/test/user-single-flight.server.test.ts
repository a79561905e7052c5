/**
 * One renewal per user across processes: a user credential whose storage offers `singleFlight`
 * (the Redis store) renews under the store's fleet lock for its storage key, so of two processes
 * renewing one user at once, one sends the refresh grant and the other takes its stored answer.
 * @org/okta-emulator for the org (a web app rotating its refresh tokens with a grace period of 0:
 * a reused refresh token revokes the family), a real redis-server, two connections, two stores.
 */
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { createOktaFetch } from '@org/okta-auth-core';
import type { UserCredential, UserTokens } from '@org/okta-oauth';
import { expect, it, vi } from 'vitest';
import { gate } from './gate.js';
import { me, redisKeyOf, renewWhileSigningOut, signIn, startProcess, useWebFleet, type WebProcess } from './web-processes.js';

const tokenPath = '/oauth2/v1/token';
const revokePath = '/oauth2/v1/revoke';
const web = useWebFleet();

/** Two processes, the user signed in on them under one session key, and a credential restored on each. */
async function signedInTwice(): Promise<{ processes: [WebProcess, WebProcess]; credentials: [UserCredential, UserCredential]; storageKey: string; secrets: string[] }> {
  const processes = await Promise.all([startProcess(web.fleet, web.redis.url), startProcess(web.fleet, web.redis.url)]);
  const [a, b] = processes;
  const storageKey = `session-${randomBytes(8).toString('hex')}`;
  const tokens = await signIn(a.client, b.client, b.storage, storageKey);
  const credentials = await Promise.all(processes.map(async ({ client, storage }) => (await client.restoreCredential({ storage, storageKey }))!));
  const secrets = [web.fleet.app.clientSecret, web.fleet.encryption.keys.k1 as string, tokens.accessToken.reveal(), tokens.refreshToken!.reveal()];
  return { processes: [a, b], credentials: [credentials[0]!, credentials[1]!], storageKey, secrets };
}

/** One API call of each credential, at once. */
const callBoth = (credentials: readonly UserCredential[]) =>
  Promise.allSettled(credentials.map(async (credential) => (await createOktaFetch({ credential })('/api/v1/users/me')).status));

it('two processes renewing one user at once make one refresh grant and both use its tokens: at a grace period of 0 the user stays signed in', async () => {
  const { processes, credentials, storageKey } = await signedInTwice();
  web.expireTokens();
  web.org.resetCounters();
  expect(await callBoth(credentials)).toEqual([
    { status: 'fulfilled', value: 200 },
    { status: 'fulfilled', value: 200 },
  ]);
  expect(web.org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
  const [renewedA, renewedB] = credentials.map((credential) => credential.tokens?.accessToken.reveal());
  expect(renewedA).toBeDefined();
  expect(renewedB).toBe(renewedA);
  // Stored as the credential's own write stores them: with the store's default expiry (7 days), not the access token's hour.
  expect(Number(await web.raw.sendCommand(['PTTL', redisKeyOf(storageKey)]))).toBeGreaterThan(24 * 3_600_000);

  // Still signed in on both (no reuse detected), and an hour on, one renewal again for both.
  expect([await me(processes[0], storageKey), await me(processes[1], storageKey)]).toEqual([200, 200]);
  web.expireTokens();
  expect(await Promise.all([me(processes[0], storageKey), me(processes[1], storageKey)])).toEqual([200, 200]);
  expect(web.org.counters().tokenRequests.refresh_token).toEqual({ success: 2 });
});

// Process 0 or 1 signing out: the one renewing under the lock, or the one waiting for its answer.
it.each([0, 1])('a sign-out on process %i while the renewal of both is under way leaves no tokens in Redis', async (leaving) => {
  const { processes, credentials, storageKey } = await signedInTwice();
  web.expireTokens();
  const hold = web.org.injectFault({ path: tokenPath, kind: 'hold' });
  const calls = callBoth(credentials);
  await vi.waitFor(() => expect(web.org.heldAnswers(hold)).toBe(1), { timeout: 10_000 });
  const signedOut = credentials[leaving]!.signOut();
  web.org.removeFault(hold);
  await signedOut;
  await calls;
  expect(await processes[0].storage.get(storageKey)).toBeUndefined();
  expect(await me(processes[1], storageKey)).toBe('signed out');
});

it('Okta refusing the refresh token (invalid_grant) reaches both callers as LOGIN_REQUIRED, naming no secret, and leaves nothing stored', async () => {
  const { processes, credentials, storageKey, secrets } = await signedInTwice();
  web.expireTokens();
  const refusal = web.org.injectFault({ path: tokenPath, kind: 'status', status: 400, body: { error: 'invalid_grant', error_description: 'The refresh token is invalid or expired.' } });
  const outcomes = await callBoth(credentials);
  web.org.removeFault(refusal);
  for (const outcome of outcomes) {
    expect(outcome).toMatchObject({ status: 'rejected', reason: { name: 'OktaSignInError', code: 'LOGIN_REQUIRED' } });
    const shown = `${inspect((outcome as PromiseRejectedResult).reason, { depth: 5 })} ${JSON.stringify((outcome as PromiseRejectedResult).reason)}`;
    for (const secret of secrets) expect(shown).not.toContain(secret);
  }
  expect(await processes[1].storage.get(storageKey)).toBeUndefined();
});

// Process A never renews: its sign-out cannot see B's renewal, only what Redis holds. B's refresh reaches Okta before
// A's revocation (held), its store's write lands after A's removal: the signed-out user must not be signed in again.
it("a sign-out on a process that is not renewing ends another process's renewal: nothing stored, its tokens revoked, never handed out", async () => {
  const { processes, credentials, storageKey } = await signedInTwice();
  const a = processes[0];
  // Process B: what Okta's refresh grant gave it, read off its own fetch.
  const obtained: { access_token: string; refresh_token: string }[] = [];
  let revocations = 0;
  const b = await startProcess(web.fleet, web.redis.url, {
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      const path = new URL(input instanceof Request ? input.url : input).pathname;
      // B was restored: its only token requests are refresh grants.
      if (path === tokenPath && response.ok) obtained.push(await response.clone().json());
      if (path === revokePath && response.ok) revocations++;
      return response;
    },
  });
  const told: (UserTokens | null)[] = [];
  const renewing = (await b.client.restoreCredential({ storage: b.storage, storageKey, onTokens: (tokens) => void told.push(tokens) }))!;
  web.expireTokens();
  web.org.resetCounters();
  // A's sign-out: its removal done, its revocation held, so B's refresh (let go at the org) is answered first.
  const { call, signedOut } = await renewWhileSigningOut(web.org, web.raw, { renewing, leaving: credentials[0], storageKey, obtained });
  await expect(call).rejects.toMatchObject({ name: 'OktaSignInError', code: 'LOGIN_REQUIRED' });
  await signedOut;
  expect(web.org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
  expect(await a.storage.get(storageKey)).toBeUndefined();
  expect(await me(b, storageKey)).toBe('signed out');
  expect(renewing.tokens).toBeUndefined();
  expect(told).toEqual([]);
  // What B obtained is dead at Okta: B revoked it (its refresh token, then its access token), as a sign-out does.
  expect(revocations).toBe(2);
  for (const token of [obtained[0]!.access_token, obtained[0]!.refresh_token]) expect((await a.client.introspect(token)).active).toBe(false);
});

it('a sign-out before another process takes the lock: that process makes no refresh grant and fails LOGIN_REQUIRED', async () => {
  const { processes, credentials, storageKey } = await signedInTwice();
  await credentials[0].signOut();
  expect(await processes[0].storage.get(storageKey)).toBeUndefined();
  web.expireTokens();
  web.org.resetCounters();
  await expect(createOktaFetch({ credential: credentials[1] })('/api/v1/users/me')).rejects.toMatchObject({ name: 'OktaSignInError', code: 'LOGIN_REQUIRED' });
  expect(web.org.counters().tokenRequests.refresh_token).toBeUndefined();
  expect(credentials[1].tokens).toBeUndefined();
  expect(await processes[1].storage.get(storageKey)).toBeUndefined();
});

// A reads the key (tokens T1), then B's renewal stores T2 (the same sign-in, renewed under the lock: its compare-and-set finds
// T1) and hands it to B's caller, then A's removeIfEqual(T1) runs: refused, as the key holds T2. A's sign-out must still end it.
it("a renewal stored between a sign-out's read and its removeIfEqual is removed and revoked by that sign-out", async () => {
  const { processes, credentials, storageKey } = await signedInTwice();
  // Process A: the tokens it sends to Okta's revocation endpoint, read off its own fetch.
  const revokedByA: string[] = [];
  const a = await startProcess(web.fleet, web.redis.url, {
    fetch: async (input, init) => {
      const request = new Request(input, init);
      if (new URL(request.url).pathname === revokePath) revokedByA.push(new URLSearchParams(await request.clone().text()).get('token')!);
      return fetch(request);
    },
  });
  // A's first removeIfEqual reaches Redis only once the test opens `held`.
  const reached = gate();
  const held = gate();
  let holding = true;
  const storage = new Proxy(a.storage, {
    get(target, name) {
      if (name === 'removeIfEqual') {
        return async (key: string, value: string) => {
          if (holding) {
            holding = false;
            reached.open();
            await held.opened;
          }
          return target.removeIfEqual!(key, value);
        };
      }
      const value: unknown = Reflect.get(target, name, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const leaving = (await a.client.restoreCredential({ storage, storageKey }))!;
  const signedOut = leaving.signOut();
  await reached.opened;
  // B renews: its write lands, and its caller has T2, before A's removal runs.
  web.expireTokens();
  web.org.resetCounters();
  const renewing = credentials[1];
  expect(await createOktaFetch({ credential: renewing })('/api/v1/users/me').then((response) => response.status)).toBe(200);
  const renewed = renewing.tokens!;
  expect(web.org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
  held.open();
  await signedOut;
  // Before: removeIfEqual(T1) was refused and Redis held T2 for the signed-out user (any process restored it), never revoked.
  expect(await processes[0].storage.get(storageKey)).toBeUndefined();
  expect(await me(processes[1], storageKey)).toBe('signed out');
  // T2 reached B's caller before the removal: A's sign-out revoked it (its refresh token, then its access token) besides its own.
  expect(revokedByA).toEqual(expect.arrayContaining([renewed.refreshToken!.reveal(), renewed.accessToken.reveal()]));
  for (const token of [renewed.accessToken, renewed.refreshToken!]) expect((await a.client.introspect(token.reveal())).active).toBe(false);
});
