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
  // one that failed left the renewal, fresh tokens from Okta, neither stored nor revoked. Then (revoke137) the renewal was revoked
  // but the session not ended: the tab kept the tokens the other tab's sign-out had named, the app heard no onTokens(null).
  it.each([
    ['never settling', () => new Promise<never>(() => undefined), 'TIMEOUT'],
    ['failing', () => Promise.reject(new Error('storage offline')), 'storage offline'],
  ])('storage.get() %s after the other tab signed out: LOGIN_REQUIRED with its error as cause, the session ended, the renewal revoked', async (_, get, expected) => {
    const told: unknown[] = [];
    const { credential, renewing } = await renewedAfterSignOut({ getOnceSignedOut: get, onTokens: (tokens) => void told.push(tokens) });
    const error = await renewing;
    const cause = error.cause as Error & { code?: string };
    expect([error.code, cause.code ?? cause.message]).toEqual(['LOGIN_REQUIRED', expected]);
    if (expected === 'TIMEOUT') expect(cause.message).toMatch(/^The token storage get\(\) did not settle/);
    expect(revocations()).toBe(at.revoked + 2);
    expect(credential.tokens).toBeUndefined();
    // The end's removal reads the storage too: once its own bound passed (the caller waited at most timeoutMs for it), onTokens(null).
    await until(() => told.at(-1) === null, 'onTokens(null)');
    expect(told).toEqual([null]);
  });
});

/** Whether the org holds `token` active: a SPA's introspection, as a test may ask with the client id alone. */
async function active(clientId: string, token: string | undefined): Promise<boolean> {
  const answer = await fetch(`${env.org.url}/oauth2/v1/introspect?client_id=${clientId}`, { method: 'POST', body: new URLSearchParams({ token: token ?? '' }) });
  const body = (await answer.json()) as { active: boolean };
  if (typeof body.active !== 'boolean') throw new Error(`introspection answered ${answer.status} ${JSON.stringify(body)}`);
  return body.active;
}

// Before, a renewal Okta answered after its refresh token was named, that took what another tab stored of the same sign-in
// (renewed from the same token, stored after the sign-out's removal read the key), kept its own answer nowhere and revoked none of it:
// its access token stayed valid at Okta for its hour, held by nobody.
it("a renewal taking another tab's stored renewal of its sign-in after its token was named: its own access token is revoked, the taken one kept", async () => {
  const answers: { access_token: string; refresh_token?: string }[] = [];
  const recording: typeof fetch = async (input, init) => {
    const answer = await orgPacedFetch(input, init);
    if (new URL(input instanceof Request ? input.url : input).pathname === '/oauth2/v1/token') answers.push((await answer.clone().json()) as (typeof answers)[number]);
    return answer;
  };
  const client = spaOf(env.org, { timeoutMs, fetch: recording }, 'rotate');
  const { tokens } = await signIn(client);
  const memory = new Map<string, string>();
  const storage: OktaStorage = { get: (key) => memory.get(key), set: (key, value) => void memory.set(key, value), remove: (key) => void memory.delete(key) };
  const credential = client.credential(tokens, { storage });
  await credential.getAccessToken();
  const hold = env.org.injectFault({ path: '/oauth2/v1/token', kind: 'hold', holdMs: 60_000, count: 1 });
  const renewing = credential.getAccessToken({ forceRefresh: true });
  await until(() => env.org.heldAnswers(hold) === 1, 'the renewal held at the org');
  // Another tab renews from the same refresh token and stores its renewal; a sign-out names that token.
  const theirs = await (await fetch(`${env.org.url}/oauth2/v1/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', client_id: client.clientId, refresh_token: tokens.refreshToken?.reveal() ?? '' }) })).json() as { access_token: string; refresh_token: string; id_token: string; expires_in: number; scope: string };
  const [key] = [...memory.keys()];
  memory.set(key ?? '', JSON.stringify({ version: 1, accessToken: theirs.access_token, tokenType: 'Bearer', expiresAt: Date.now() + theirs.expires_in * 1000, refreshToken: theirs.refresh_token, idToken: theirs.id_token, scope: theirs.scope }));
  await nameSpent(spentChannelOf(env.org.url, client.clientId), tokens.refreshToken?.reveal() ?? '');
  const before = revocations();
  env.org.releaseHeld(hold);
  expect((await renewing).reveal() === theirs.access_token, 'the stored renewal is taken').toBe(true);
  const own = answers.at(-1);
  expect(own?.access_token === theirs.access_token).toBe(false);
  // The emulator, as Okta's rotation grace period, gave the reuse of the same refresh token the current one: the taken renewal's.
  expect(own?.refresh_token === theirs.refresh_token).toBe(true);
  await until(() => revocations() > before, "the renewal's own tokens revoked");
  expect(revocations()).toBe(before + 1);
  expect(await active(client.clientId, own?.access_token)).toBe(false);
  expect({ refresh: await active(client.clientId, theirs.refresh_token), access: await active(client.clientId, theirs.access_token) }).toEqual({ refresh: true, access: true });
});

// Two credentials of one page over one storage key, each with its own storage (two sign-in clients, or one made again after a hot reload
// while the old one still watches), each renewing from the same refresh token (Okta's grace period answers the reuse with the same
// renewal), watch it both. Before (watch140), the second watch replaced the first: another tab's sign-out naming that token ended one session.
it('two credentials of one page renewed from one refresh token: another tab naming it ends both sessions', async () => {
  const client = spaOf(env.org, { timeoutMs, fetch: orgPacedFetch }, 'rotate');
  const { tokens } = await signIn(client);
  const credentials = [0, 1].map(() => {
    const memory = new Map<string, string>();
    return client.credential(tokens, { storage: { get: (key) => memory.get(key), set: (key, value) => void memory.set(key, value), remove: (key) => void memory.delete(key) } });
  });
  const renewals = () => env.org.counters().tokenRequests.refresh_token?.success ?? 0;
  const before = renewals();
  for (const credential of credentials) await credential.getAccessToken({ forceRefresh: true });
  expect(renewals()).toBe(before + 2);
  await nameSpent(spentChannelOf(env.org.url, client.clientId), tokens.refreshToken?.reveal() ?? '');
  await until(() => credentials.some((credential) => credential.tokens === undefined), 'a session ended');
  expect(credentials.map((credential) => credential.tokens === undefined)).toEqual([true, true]);
});

// held142: a credential of the page that took another's renewal from their one storage object renewed nothing itself, so it
// watched nothing: the renewing credential's watch ended that one session only (and its end, named on the channel, reaches
// other tabs only: a page's channel does not hear its own posts). Now the taker watches the token it took (and the one it held
// before): the renewal's session ending on this page, or another tab naming the token it rotated from, ends it too.
describe('a credential that took another credential of the page’s renewal from their shared storage', () => {
  /** Two credentials of one page over one storage: the first renews (rotating), the second takes that renewal from storage. */
  async function tookRenewal() {
    const client = spaOf(env.org, { timeoutMs, fetch: orgPacedFetch }, 'rotate');
    const { tokens } = await signIn(client);
    const memory = new Map<string, string>();
    const storage: OktaStorage = { get: (key) => memory.get(key), set: (key, value) => void memory.set(key, value), remove: (key) => void memory.delete(key) };
    const told: unknown[] = [];
    const renewing = client.credential(tokens, { storage });
    const taking = client.credential(tokens, { storage, onTokens: (next) => void told.push(next) });
    const renewals = () => env.org.counters().tokenRequests.refresh_token?.success ?? 0;
    const before = renewals();
    await renewing.getAccessToken({ forceRefresh: true });
    await taking.getAccessToken({ forceRefresh: true });
    // Taken from storage, not renewed again.
    expect(renewals()).toBe(before + 1);
    expect(taking.tokens?.refreshToken?.reveal() === renewing.tokens?.refreshToken?.reveal()).toBe(true);
    return { client, tokens, renewing, taking, told };
  }

  it('another tab naming the token the renewal rotated from ends both sessions', async () => {
    const { client, tokens, renewing, taking, told } = await tookRenewal();
    await nameSpent(spentChannelOf(env.org.url, client.clientId), tokens.refreshToken?.reveal() ?? '');
    await until(() => renewing.tokens === undefined, "the renewing credential's session ended");
    // Before: the taker kept the renewal (with /sign-in's client still valid at Okta, here revoked: refused at its next API call).
    await vi.waitFor(() => expect(taking.tokens).toBeUndefined());
    await vi.waitFor(() => expect(told).toEqual([null]));
  });

  it("the renewing credential's sign-out on this page ends the taker's session too", async () => {
    const { client, renewing, taking, told } = await tookRenewal();
    await client.signOut(renewing);
    // Before: the taker kept the renewal the sign-out had revoked.
    await vi.waitFor(() => expect(taking.tokens).toBeUndefined());
    await vi.waitFor(() => expect(told).toEqual([null]));
  });
});
