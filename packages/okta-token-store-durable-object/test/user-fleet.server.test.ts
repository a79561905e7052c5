/**
 * A server-side web app's user sessions on the Durable Object token store in a real workerd: two
 * isolates of a fleet (services `a` and `b`, test/workerd-fleet.ts; the sign-in routes of
 * test/worker/sign-in.ts) and @org/okta-emulator on 127.0.0.1 as the org. One workerd and one org
 * for the file; each test signs in a user of its own under a storage key of its own. Okta's token
 * and revocation endpoints are held (the emulator's `hold` fault) to order a renewal against a
 * sign-out or another isolate's wait, as the Redis store's tests order them between processes
 * (`@org/okta-token-store-redis`, test/user-single-flight.server.test.ts).
 */
import { fillSignInForm, until } from '@org/okta-test-utils';
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startWorkerdFleet, type WorkerdFleet } from './workerd-fleet.js';

const tokenPath = '/oauth2/v1/token';
const revokePath = '/oauth2/v1/revoke';
const password = 'Correct-Horse-9';
const redirectUri = 'https://app.example.com/callback';
let fleet: WorkerdFleet;
let org: OktaEmulator;
let users = 0;

beforeAll(async () => {
  [fleet, org] = await Promise.all([startWorkerdFleet(), startEmulator()]);
});
afterEach(() => {
  org.clearFaults();
  org.setClockOffset(0);
  org.setTokenLifetime(3600);
});
afterAll(async () => {
  await Promise.all([fleet.close(), org.close()]);
});

const refreshes = () => org.counters().tokenRequests.refresh_token ?? {};
const revocations = () => org.counters().requests[`POST ${revokePath}`] ?? 0;

interface Session {
  /** Refresh tokens rotated at a grace period of 0 (a refresh token spent twice revokes the session), or `static`. */
  readonly rotation?: 'rotate' | 'static';
  /** DPoP-bound tokens: the app requires DPoP, and the isolates take the key the object holds. */
  readonly dpop?: boolean;
}

/**
 * A new user signed in on a web app: started on isolate `a`, finished on `b` (the transaction
 * found in the object by `state`, used once), restored on `a`: credentials `a` and `b`.
 */
async function signedIn(storageKey: string, { rotation = 'rotate', dpop = false }: Session = {}) {
  const login = `user-${++users}@example.com`;
  org.createUser({ login, password });
  const created = org.createSignInApp({ type: 'web', redirectUris: [redirectUri], scopes: ['okta.users.read.self'], refreshTokenRotation: rotation, refreshTokenLeewaySeconds: 0, requireDpop: dpop });
  const session = { name: 'user', orgUrl: org.url, clientId: created.clientId, clientSecret: created.clientSecret, redirectUri, storageKey, ...(dpop ? { dpop: 'shared' } : {}) };
  const user = (service: 'a' | 'b', step: string, id: string = service, more: Record<string, unknown> = {}) => fleet.call(service, `/user/${step}`, { ...session, id, ...more });
  const callback = await fillSignInForm(new URL((await user('a', 'start')).url as string), login, password);
  expect(await user('b', 'finish', 'b', { callback })).toEqual({ result: 'signed in' });
  expect(await user('a', 'finish', 'a', { callback })).toEqual({ error: 'STATE_MISMATCH' });
  expect(await user('a', 'restore')).toEqual({ result: true });
  const stored = () => fleet.call('a', '/storage', { name: 'user', key: storageKey, op: 'get' });
  return { user, stored };
}

describe('user sign-in across the isolates', () => {
  it("a web app's sign-in started on one isolate finishes on the other; both renew at once with one refresh grant; a sign-out on one ends the other's session without one", async () => {
    const { user } = await signedIn('session-1');
    // Both tokens expired: each isolate's next call renews, one refresh grant for both, the same new access token.
    org.setClockOffset(3700);
    const before = refreshes();
    const [a, b] = await Promise.all([user('a', 'call'), user('b', 'call')]);
    expect(refreshes()).toEqual({ ...before, success: (before.success ?? 0) + 1 });
    expect(a).toMatchObject({ result: { status: 200 } });
    expect(b).toEqual(a);

    // A sign-out on a; b's next renewal finds nothing stored in the object: LOGIN_REQUIRED, no refresh grant sent.
    expect(await user('a', 'sign-out')).toEqual({ result: ['refresh_token', 'access_token'] });
    org.setClockOffset(7400);
    const signedOut = refreshes();
    expect(await user('b', 'call')).toEqual({ error: 'LOGIN_REQUIRED' });
    expect(refreshes()).toEqual(signedOut);
    expect(await user('b', 'restore')).toEqual({ result: false });
  });

  // Isolate a never renews: its sign-out cannot see b's renewal, only what the object holds. b's refresh reaches Okta
  // before a's revocation (held), its flight's write (`complete`, checked against the write the lease read) comes after
  // a's removal: the signed-out user must not be signed in again.
  it("a sign-out on one isolate while the other's refresh is held at Okta: the renewal is not stored and never handed out", async () => {
    // Static refresh tokens: a's revocation of its refresh token, answered after b's grant, revokes b's renewal too (a
    // rotated-out one, past a grace period of 0, would revoke nothing once the second turns).
    const { user, stored } = await signedIn('session-held', { rotation: 'static' });
    expect(await user('b', 'obtained')).toEqual({ result: [] });
    org.setClockOffset(3700);
    const before = { refreshes: refreshes(), revocations: revocations() };
    const tokenHold = org.injectFault({ path: tokenPath, kind: 'hold' });
    const call = user('b', 'call');
    await until(() => org.heldAnswers(tokenHold) === 1, "b's refresh grant held at Okta");
    // a's sign-out: its removal done, its revocation held, so b's refresh (let go now) is answered first.
    const revokeHold = org.injectFault({ path: revokePath, kind: 'hold' });
    const signedOut = user('a', 'sign-out');
    await until(() => org.heldAnswers(revokeHold) === 1, "a's revocation held at Okta");
    org.removeFault(tokenHold);
    await until(() => refreshes().success === (before.refreshes.success ?? 0) + 1, "b's refresh grant answered");
    org.removeFault(revokeHold);
    expect(await call).toEqual({ error: 'LOGIN_REQUIRED' });
    expect(await signedOut).toEqual({ result: ['refresh_token', 'access_token'] });
    // Four revocations: a's sign-out's two, and b's of its renewal (its refresh token, then its access token), made before
    // b answered, as the Redis store's test counts. Before (do131), b's two were cut off with its answer (workerd ends a
    // request's work once it is sent, unless handed to ctx.waitUntil): 2, a's alone.
    expect(revocations()).toBe(before.revocations + 4);
    expect(refreshes()).toEqual({ ...before.refreshes, success: (before.refreshes.success ?? 0) + 1 });
    expect(await stored()).toEqual({ result: null });
    expect(await user('b', 'restore', 'b-again')).toEqual({ result: false });
    // What b obtained is dead at Okta.
    expect(await user('b', 'obtained')).toEqual({ result: [{ access: false, refresh: false }] });
  });

  // b gives up waiting (FLEET_WAIT_EXCEEDED after its maxWaitMs) while a's refresh is held at Okta, refreshes itself and
  // writes over the tokens of its sign-in it reads (replaceIfEqual); a's write, landing later, finds another write than
  // the one its lease read: refused, a takes b's tokens (the same sign-in: nothing revoked).
  it("a holder past the waiter's maxWaitMs: the waiter refreshes itself and writes over its own sign-in; the holder's later write is refused and it takes the waiter's tokens", async () => {
    const { user, stored } = await signedIn('session-wait', { rotation: 'static' });
    expect(await user('b', 'restore', 'b', { maxWaitMs: 200, leaseTtlMs: 100 })).toEqual({ result: true });
    org.setClockOffset(3700);
    const before = { refreshes: refreshes(), revocations: revocations() };
    const hold = org.injectFault({ path: tokenPath, kind: 'hold', count: 1 });
    const holder = user('a', 'call');
    await until(() => org.heldAnswers(hold) === 1, "a's refresh grant held at Okta");
    const waiter = await user('b', 'call');
    expect(waiter).toMatchObject({ result: { status: 200 } });
    // b answered while a's refresh is still held, and stored its renewal.
    expect(org.heldAnswers(hold)).toBe(1);
    expect(refreshes().success).toBe((before.refreshes.success ?? 0) + 1);
    const storedByB = await stored();
    org.removeFault(hold);
    expect(await holder).toEqual(waiter);
    expect(await stored()).toEqual(storedByB);
    expect({ refreshes: refreshes(), revocations: revocations() }).toEqual({ refreshes: { ...before.refreshes, success: (before.refreshes.success ?? 0) + 2 }, revocations: before.revocations });
  });

  it('DPoP-bound tokens with the shared key: both isolates renew at once with one refresh grant, each call with its own proof; a client with a key of its own restores nothing and sends nothing', async () => {
    // The org's clock moved an hour ahead: the tokens (61 s) expired at Okta, and proofs on the local time are refused.
    // Each isolate's 401 moves its clock (its Date), so the refresh grant's proof and each call's retry are on Okta's time
    // (before dpopclock132 the isolate that took the other's renewal signed its retry on the local clock, refused).
    org.setTokenLifetime(61);
    const { user } = await signedIn('session-dpop', { dpop: true });
    org.setTokenLifetime(3600);
    org.setClockOffset(3600);
    const before = refreshes();
    const [a, b] = await Promise.all([user('a', 'call'), user('b', 'call')]);
    // One refresh grant and its one DPoP nonce handshake: the other isolate sent no token request.
    expect(refreshes()).toEqual({ ...before, success: (before.success ?? 0) + 1, use_dpop_nonce: (before.use_dpop_nonce ?? 0) + 1 });
    expect(a).toMatchObject({ result: { status: 200 } });
    expect(b).toEqual(a);
    // Restored by a client with its own key: the stored tokens name another key (dpopJkt), so there is nothing to restore
    // (sign in again, desk158; before, a credential whose every call was INVALID_CONFIG), with nothing sent, and the stored
    // tokens stay for the isolates that hold the shared key.
    const sent = org.counters().requests;
    expect(await user('b', 'restore', 'own', { dpop: 'own' })).toEqual({ result: false });
    expect(org.counters().requests).toEqual(sent);
    expect(await user('a', 'call')).toMatchObject({ result: { status: 200 } });
  });
});
