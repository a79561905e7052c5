/**
 * A tab's renewal that Okta answered after another tab signed out (tabs134): the other tab named the refresh token
 * on the tabs' channel while the refresh was held at the org. Run in Node.js as a page (`document` stubbed: Node's
 * own `BroadcastChannel` carries the name), over a storage of the test's own standing for `localStorage`, on one org
 * for the file (a new SPA per test). The renewal's revocation starts beside the session's end (not behind a slow
 * `onTokens` or storage), user code's error is the refusal's cause, and the read of storage is bounded and, failing,
 * revokes the renewal too.
 */
import { sha256Base64url } from '@org/okta-auth-core/internal';
import { startEmulator } from '@org/okta-emulator';
import { until, useOrgPerFile } from '@org/okta-test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OktaStorage } from '../token-cache/storage.js';
import { login, orgPacedFetch, password, signIn, spaOf, spentChannelOf } from './test-helpers/sign-in-org.js';

const env = useOrgPerFile(
  () => startEmulator(),
  (org) => ({ userId: org.createUser({ login, password, admin: true, firstName: 'Ada', lastName: 'Admin' }).id }),
);
const timeoutMs = 2000;

// A page: the tabs' channel exists only where there is a document.
beforeEach(() => {
  vi.stubGlobal('document', {});
});
afterEach(() => {
  vi.unstubAllGlobals();
});

const revocations = () => env.org.counters().requests['POST /oauth2/v1/revoke'] ?? 0;
/** The org's revocations before the renewal's answer, and whether the other tab's sign-out is done (what the storage hooks see). */
const at = { revoked: 0, signedOut: false };
beforeEach(() => {
  at.signedOut = false;
});

/** Says on `channel` that `token` was spent, as another tab's sign-out does, once the credential's own channel (made before) heard it. */
async function nameSpent(channel: string, token: string): Promise<void> {
  const listener = new BroadcastChannel(channel);
  const heard = new Promise<void>((resolve) => (listener.onmessage = () => resolve()));
  const sender = new BroadcastChannel(channel);
  sender.postMessage(await sha256Base64url(token));
  await heard;
  listener.close();
  sender.close();
}

/** User code that lets go once the org counted both revocations of the renewal (or after 10 s). */
async function revocationsReached(): Promise<void> {
  for (let polls = 0; polls < 500 && revocations() < at.revoked + 2; polls++) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** The error of a call that must fail. */
const failed = (work: Promise<unknown>) => work.then(() => Promise.reject(new Error('it did not fail')), (error: unknown) => error as Error & { code?: string });

/**
 * A signed-in SPA tab over a shared storage (`hooks` replace its calls), whose renewal Okta answers after another tab named its
 * refresh token spent and removed the stored tokens (its sign-out): `renewing`, that renewal's call.
 */
async function renewedAfterSignOut(hooks: { storage?: Partial<OktaStorage>; onTokens?: (tokens: unknown) => void | Promise<void>; getOnceSignedOut?: () => Promise<never> } = {}) {
  const client = spaOf(env.org, { timeoutMs, fetch: orgPacedFetch }, 'rotate');
  const { tokens } = await signIn(client);
  const memory = new Map<string, string>();
  const { getOnceSignedOut } = hooks;
  const base: OktaStorage = {
    get: (key) => (at.signedOut && getOnceSignedOut ? getOnceSignedOut() : memory.get(key)),
    set: (key, value) => void memory.set(key, value),
    remove: (key) => void memory.delete(key),
  };
  const credential = client.credential(tokens, { storage: { ...base, ...hooks.storage }, onTokens: hooks.onTokens ?? (() => undefined) });
  await credential.getAccessToken();
  const hold = env.org.injectFault({ path: '/oauth2/v1/token', kind: 'hold', holdMs: 60_000, count: 1 });
  const renewing = failed(credential.getAccessToken({ forceRefresh: true }));
  await until(() => env.org.heldAnswers(hold) === 1, 'the renewal held at the org');
  await nameSpent(spentChannelOf(env.org.url, client.clientId), tokens.refreshToken?.reveal() ?? '');
  memory.clear();
  at.revoked = revocations();
  at.signedOut = true;
  env.org.releaseHeld(hold);
  return { credential, renewing };
}

describe('a renewal Okta answered after another tab signed out (over shared storage)', () => {
  // Before, the session's end (storage removal, then onTokens(null), each up to timeoutMs) ran first and the revocation of the
  // renewal only after it, all inside one bound of timeoutMs: the caller heard LOGIN_REQUIRED before any revocation started.
  it.each([
    ['onTokens(null)', { onTokens: (tokens: unknown) => (tokens === null ? revocationsReached() : undefined) }],
    ['storage.remove()', { storage: { remove: revocationsReached } }],
  ])('%s letting go only once the renewal is revoked: both tokens revoked before the caller hears LOGIN_REQUIRED', async (_, hooks) => {
    const { credential, renewing } = await renewedAfterSignOut(hooks);
    const error = await renewing;
    expect([error.code, error.message]).toEqual(['LOGIN_REQUIRED', 'Another tab signed out, or renewed first: sign in again.']);
    expect(revocations()).toBe(at.revoked + 2);
    expect(credential.tokens).toBeUndefined();
  });

  // Before, what the session's end threw was swallowed: the caller heard nothing of the app's failing storage or onTokens.
  it.each([
    ['storage.remove()', { storage: { remove: () => Promise.reject(new Error('disk full')) } }],
    ['onTokens(null)', { onTokens: (tokens: unknown) => (tokens === null ? Promise.reject(new Error('disk full')) : undefined) }],
  ])('%s throwing: LOGIN_REQUIRED with that error as its cause, the renewal revoked', async (_, hooks) => {
    const { renewing } = await renewedAfterSignOut(hooks);
    const error = await renewing;
    expect([error.code, (error.cause as Error | undefined)?.message]).toEqual(['LOGIN_REQUIRED', 'disk full']);
    expect(revocations()).toBe(at.revoked + 2);
  });

  // Before, storage's get() there was not bounded: a get() that never settles held the renewal (and its Web Lock) for ever;
  // one that failed left the renewal, fresh tokens from Okta, neither stored nor revoked.
  it.each([
    ['never settling', () => new Promise<never>(() => undefined), 'TIMEOUT'],
    ['failing', () => Promise.reject(new Error('storage offline')), 'storage offline'],
  ])('storage.get() %s after the other tab signed out: the caller gets its error, and the renewal is revoked', async (_, get, expected) => {
    const { renewing } = await renewedAfterSignOut({ getOnceSignedOut: get });
    const error = await renewing;
    expect(error.code ?? error.message).toBe(expected);
    if (expected === 'TIMEOUT') expect(error.message).toMatch(/^The token storage get\(\) did not settle/);
    expect(revocations()).toBe(at.revoked + 2);
  });
});
