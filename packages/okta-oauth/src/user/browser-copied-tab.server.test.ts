/**
 * A credential over `createSessionStorage()` in a tab the app opens (`window.open` with an opener,
 * as "Duplicate tab" does too): Chromium copies the opener's `sessionStorage` into the new tab, so
 * two tabs hold one refresh token, each under a lock of its own. The emulator's SPA rotates refresh
 * tokens with Okta's 30 s grace period and revokes the family on a reuse after it. Then tabs over
 * `localStorage` while one of them signs out, with the other's work at Okta. One Chromium for the
 * file (a profile per test).
 */
import { until } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { scopes, spentChannelOf } from './test-helpers/sign-in-org.js';
import { callIn, heardIn, putIn, readIn, restoreIn, revocationsIn, signedOutWhileRenewing, signOutIn, tokenIn, useTokenPage, type Tab } from './test-helpers/token-page.js';

const { env, signedIn, start } = useTokenPage('shared');

/**
 * Two tabs signed in over `localStorage` through `entry` (expired: its next call renews; `jwks`: the renewal fetches the
 * org's keys before storing), and what the first tab hears on the tab channel, listened to before its next call.
 */
async function twoTabs(entry: 'index' | 'sign-in' = 'sign-in', expired = false, asked = scopes) {
  const user = await signedIn(asked);
  const browser = await start();
  const tabs = [await browser.open('/', 'tokenApp'), await browser.open('/', 'tokenApp')] as const;
  await putIn(tabs[0], 'local', user.key, user.stored(expired));
  for (const tab of tabs) expect(await restoreIn(tab, user.restore({ storage: 'local', entry, ...(expired ? { jwks: true } : {}), timeoutMs: 30_000 }))).toBe(true);
  const heard = heardIn(tabs[0], spentChannelOf(env.org.url, user.clientId));
  return { user, browser, tabs, heard };
}

/**
 * What `from` stored under `key`, once `to` reads it too: Chromium hands a tab's `localStorage` write to another tab's
 * process later (tens of milliseconds under load; docs/ARCHITECTURE.md, "Across tabs"), and a sign-out in `to` before
 * then reads the tokens it holds itself, never the renewal (flake136: not named nor revoked).
 */
async function storedAcross(from: Tab, to: Tab, key: string): Promise<string | null> {
  const text = await readIn(from, 'local', key);
  await until(async () => (await readIn(to, 'local', key)) === text, "the renewal in the other tab's localStorage");
  return text;
}

/** Whether Okta holds the refresh and access tokens of `tokens` active (its introspection, as the app `clientId`). */
async function activeAt(clientId: string, tokens: { accessToken: string; refreshToken: string }): Promise<{ refresh: boolean; access: boolean }> {
  const active = async (token: string) => ((await (await fetch(`${env.org.url}/oauth2/v1/introspect?client_id=${clientId}`, { method: 'POST', body: new URLSearchParams({ token }) })).json()) as { active: boolean }).active;
  return { refresh: await active(tokens.refreshToken), access: await active(tokens.accessToken) };
}

/** {@link twoTabs}, the first one's API call held at the org. */
async function callHeldAtOkta() {
  const signedInTabs = await twoTabs();
  const hold = env.org.injectFault({ path: '/api/v1/users/me', kind: 'hold', holdMs: 60_000, count: 1 });
  const calling = callIn(signedInTabs.tabs[0], '/api/v1/users/me');
  await until(() => env.org.heldAnswers(hold) === 1, 'the call held at the org');
  return { ...signedInTabs, hold, calling };
}

describe('a credential over sessionStorage in a tab the app opened (a copy of its sessionStorage)', () => {
  it('renewed in the opener, then in the copy past the grace period: the copy asks to sign in again, sends no spent token, and the opener stays signed in', { timeout: 90_000 }, async () => {
    const user = await signedIn();
    const browser = await start();
    const opener = await browser.open('/', 'tokenApp');
    const stored = user.stored();
    await putIn(opener, 'session', user.key, stored);
    const copy = await browser.openCopy(opener, '/', 'tokenApp');
    // Chromium copied the opener's sessionStorage: both tabs hold one refresh token.
    expect(await readIn(copy, 'session', user.key)).toBe(stored);
    for (const tab of [opener, copy]) expect(await restoreIn(tab, user.restore({ timeoutMs: 30_000 }))).toBe(true);
    const heard = heardIn(copy, spentChannelOf(env.org.url, user.clientId));
    expect(await tokenIn(opener, true)).not.toMatch(/^failed/);
    // What crossed the channel: a SHA-256, never the token.
    expect(await heard).toMatch(/^[\w-]{43}$/);
    env.org.setClockOffset(60);
    // The copy ended its session as it heard the name (ra147), its storage emptied: its next call has no tokens.
    await until(async () => (await readIn(copy, 'session', user.key)) === null, "the copy's storage emptied");
    expect(await tokenIn(copy, true)).toMatch(/^failed: LOGIN_REQUIRED: This credential has no tokens/);
    expect(await tokenIn(opener, true)).not.toMatch(/^failed/);
    expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 2 });
    expect(browser.problems).toEqual([]);
  });

  // A SPA's tabs over localStorage hold the tokens in memory too: one tab's sign-out, whose revocations Okta did not
  // answer (offline, a 5xx), left the others calling with them and storing their renewal, so a reload signed the user in again.
  it('signed out in another tab over localStorage, Okta not revoking: this tab stops using the tokens at once, renews none and stores none', { timeout: 60_000 }, async () => {
    const { user, browser, tabs, heard } = await twoTabs();
    expect(await tokenIn(tabs[0])).not.toMatch(/^failed/);
    env.org.injectFault({ path: '/oauth2/v1/revoke', kind: 'status', status: 503, count: 2 });
    expect(await signOutIn(tabs[1])).toEqual(['OAUTH_ERROR', 'OAUTH_ERROR']);
    // What crossed the channel (a SHA-256, never the token), or nothing within 10 s.
    expect(await Promise.race([heard, new Promise((resolve) => setTimeout(() => resolve('nothing heard'), 10_000))])).toMatch(/^[\w-]{43}$/);
    expect(await tokenIn(tabs[0])).toMatch(/^failed: LOGIN_REQUIRED: Another tab signed/);
    expect(await tokenIn(tabs[0], true)).toMatch(/^failed: LOGIN_REQUIRED: This credential has no tokens/);
    expect(await readIn(tabs[0], 'local', user.key)).toBeNull();
    expect(env.org.counters().tokenRequests.refresh_token).toBeUndefined();
    expect(browser.problems).toEqual([]);
  });
});

describe('tabs over localStorage, one of them signing out', () => {
  // Without offline_access a session holds an access token (and ID token) alone: the sign-out named no refresh token, so the
  // other tabs heard nothing and went on calling with the access token Okta did not revoke, until it expired.
  it('a session without a refresh token, Okta not revoking: the other tab hears its access token named (a SHA-256), stops using it and asks to sign in again', { timeout: 60_000 }, async () => {
    const user = await signedIn(scopes.filter((scope) => scope !== 'offline_access'));
    expect(user.tokens.refreshToken).toBeUndefined();
    const browser = await start();
    const tabs = [await browser.open('/', 'tokenApp'), await browser.open('/', 'tokenApp')] as const;
    await putIn(tabs[0], 'local', user.key, user.stored());
    for (const tab of tabs) expect(await restoreIn(tab, user.restore({ storage: 'local', entry: 'sign-in', timeoutMs: 30_000 }))).toBe(true);
    const heard = heardIn(tabs[0], spentChannelOf(env.org.url, user.clientId));
    expect(await tokenIn(tabs[0])).toBe(user.tokens.accessToken.reveal());
    env.org.injectFault({ path: '/oauth2/v1/revoke', kind: 'status', status: 503, count: 1 });
    expect(await signOutIn(tabs[1])).toEqual(['OAUTH_ERROR']);
    // What crossed the channel (a SHA-256, never the token), or nothing within 10 s.
    expect(await Promise.race([heard, new Promise((resolve) => setTimeout(() => resolve('nothing heard'), 10_000))])).toMatch(/^[\w-]{43}$/);
    expect(await tokenIn(tabs[0])).toMatch(/^failed: LOGIN_REQUIRED: Another tab signed out/);
    expect(await tokenIn(tabs[0])).toMatch(/^failed: LOGIN_REQUIRED: This credential has no tokens/);
    expect(await readIn(tabs[0], 'local', user.key)).toBeNull();
    expect(env.org.counters().tokenRequests.refresh_token).toBeUndefined();
    expect(browser.problems).toEqual([]);
  });

  // A refresh at Okta when another tab signs out: Okta revokes its refresh token first, and the refusal of the grant
  // named the refresh token ("Okta rejected the refresh token…") rather than what happened, the other tab's sign-out.
  it('a renewal held at Okta while another tab signs out: refused, it says the other tab signed out, and stores nothing', { timeout: 60_000 }, async () => {
    const user = await signedIn();
    const browser = await start();
    const tabs = [await browser.open('/', 'tokenApp'), await browser.open('/', 'tokenApp')] as const;
    await putIn(tabs[0], 'local', user.key, user.stored(true));
    for (const tab of tabs) expect(await restoreIn(tab, user.restore({ storage: 'local', entry: 'sign-in', timeoutMs: 30_000 }))).toBe(true);
    const heard = heardIn(tabs[0], spentChannelOf(env.org.url, user.clientId));
    const hold = env.org.injectFault({ path: '/oauth2/v1/token', kind: 'hold', holdMs: 60_000, count: 1 });
    const renewing = tokenIn(tabs[0]);
    await until(() => env.org.heldAnswers(hold) === 1, 'the renewal held at the org');
    expect(await signOutIn(tabs[1])).toEqual([]);
    expect(await heard).toMatch(/^[\w-]{43}$/);
    env.org.releaseHeld(hold);
    expect(await renewing).toMatch(/^failed: LOGIN_REQUIRED: Another tab signed out/);
    expect(await readIn(tabs[0], 'local', user.key)).toBeNull();
    expect(env.org.counters().tokenRequests.refresh_token).toEqual({ invalid_grant: 1 });
    expect(browser.problems).toEqual([]);
  });

  // Okta rotated the refresh token before the other tab's sign-out revoked it: the renewal's answer came after the sign-out's
  // removal and was stored, so storage held a signed-in session again after the user signed out (a reload restored it).
  // `@org/okta-oauth`'s client revokes what the renewal got; the /sign-in entry ships no revocation unless the app signs out: it drops them.
  // Okta refusing those revocations: the tab's logger gets the revocation event the fleet's dropped renewals get (no token in it).
  it.each([
    ['index', 2, [{ type: 'revocation', notRevoked: ['refresh_token', 'access_token'], outcome: 'error' }]],
    ['sign-in', 0, []],
  ] as const)('a renewal Okta answered before the other tab signed out, landing after (%s entry): not stored, %i revocations of its tokens (Okta refusing them: %j logged), and the caller told the other tab signed out', { timeout: 60_000 }, async (entry, revocations, events) => {
    // With jwks the renewal fetches the org's keys after Okta's answer, before storing it: held there.
    const { user, browser, tabs, heard } = await twoTabs(entry, true);
    const { hold, renewing } = await signedOutWhileRenewing(env.org, tabs, heard);
    const revoked = () => env.org.counters().requests['POST /oauth2/v1/revoke'] ?? 0;
    const signedOut = revoked();
    env.org.injectFault({ path: '/oauth2/v1/revoke', kind: 'status', status: 503, count: 2 });
    env.org.releaseHeld(hold);
    expect(await renewing).toMatch(/^failed: LOGIN_REQUIRED: Another tab signed out/);
    expect(await readIn(tabs[0], 'local', user.key)).toBeNull();
    // The renewal's refresh and access tokens, revoked by the tab that got them before its caller heard (wait132: a page
    // navigating away on the refusal would cut them off).
    expect(revoked()).toBe(signedOut + revocations);
    // Reported once both answered: exactly this event (no token in it), or none without revocations.
    expect((await until(async () => (await revocationsIn(tabs[0])).length === events.length && (await revocationsIn(tabs[0])), 'the revocation event')).map((e) => JSON.parse(e))).toEqual(events);
    expect(await tokenIn(tabs[0])).toMatch(/^failed: LOGIN_REQUIRED: This credential has no tokens/);
    expect(revoked()).toBe(signedOut + revocations);
    // A reload finds no session.
    expect(await restoreIn(tabs[1], user.restore({ storage: 'local', entry, timeoutMs: 30_000 }))).toBe(false);
    expect(browser.problems).toEqual([]);
  });

  // A tab that renewed (stored) while another tab still held the older tokens in memory: that tab's sign-out named its own
  // refresh token, not the renewal, so this tab went on calling with the renewal Okta had not revoked (offline, a 5xx).
  it('renewed twice and stored here while the other tab held the first tokens, that tab signing out, Okta not revoking: this tab stops using the renewal and asks to sign in again', { timeout: 60_000 }, async () => {
    const { user, browser, tabs, heard } = await twoTabs();
    for (const renewal of [1, 2]) expect(await tokenIn(tabs[0], true), `renewal ${renewal}`).not.toMatch(/^failed/);
    expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 2 });
    await storedAcross(tabs[0], tabs[1], user.key);
    // Okta refusing the revocations of the renewal the sign-out found in storage, then of its own tokens: the first two are the revocation event.
    env.org.injectFault({ path: '/oauth2/v1/revoke', kind: 'status', status: 503, count: 4 });
    expect(await signOutIn(tabs[1])).toEqual(['OAUTH_ERROR', 'OAUTH_ERROR']);
    expect((await revocationsIn(tabs[1])).map((e) => JSON.parse(e))).toEqual([{ type: 'revocation', notRevoked: ['refresh_token', 'access_token'], outcome: 'error' }]);
    expect(await heard).toMatch(/^[\w-]{43}$/);
    const calls = env.org.counters().requests['GET /api/v1/users/me'];
    // The first name heard is the one this tab's first renewal rotated from: its session ended then (tabwin137), before its next call.
    expect(await callIn(tabs[0], '/api/v1/users/me')).toMatch(/^failed: LOGIN_REQUIRED: This credential has no tokens/);
    expect(env.org.counters().requests['GET /api/v1/users/me']).toBe(calls);
    expect(await readIn(tabs[0], 'local', user.key)).toBeNull();
    expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 2 });
    expect(browser.problems).toEqual([]);
  });

  // Tokens without an ID token (no openid) tell nothing of their sign-in: the sign-out removed the renewal it found in storage but
  // named it to no tab (nor revoked it), so this tab went on calling with it.
  it('renewed and stored here without an ID token (no openid) while the other tab held the first tokens, that tab signing out, Okta not revoking: this tab stops using the renewal', { timeout: 60_000 }, async () => {
    const { user, browser, tabs, heard } = await twoTabs('sign-in', false, scopes.filter((scope) => scope !== 'openid' && scope !== 'profile'));
    expect(user.tokens.idToken).toBeUndefined();
    expect(await tokenIn(tabs[0], true)).not.toMatch(/^failed/);
    await storedAcross(tabs[0], tabs[1], user.key);
    env.org.injectFault({ path: '/oauth2/v1/revoke', kind: 'status', status: 503, count: 4 });
    expect(await signOutIn(tabs[1])).toEqual(['OAUTH_ERROR', 'OAUTH_ERROR']);
    expect(await heard).toMatch(/^[\w-]{43}$/);
    // Ended when the name of the token its renewal rotated from came (tabwin137), before this call.
    expect(await callIn(tabs[0], '/api/v1/users/me')).toMatch(/^failed: LOGIN_REQUIRED: This credential has no tokens/);
    expect(await readIn(tabs[0], 'local', user.key)).toBeNull();
    expect(browser.problems).toEqual([]);
  });

  // A tab that renewed (stored) while another tab still held the first tokens: that tab's sign-out revoked its own, whose refresh
  // token Okta had rotated out (past the grace period an invalid token, whose revocation revokes nothing: emulator FIDELITY L14), and
  // named the renewal it found in storage without revoking it, so the renewal stayed valid at Okta, held by no one, until it expired.
  it.each(['index', 'sign-in'] as const)('renewed and stored here while the other tab held the first tokens, that tab signing out past the grace period (%s entry): the renewal it finds in storage is revoked at Okta too', { timeout: 60_000 }, async (entry) => {
    const { user, browser, tabs, heard } = await twoTabs(entry);
    expect(await tokenIn(tabs[0], true)).not.toMatch(/^failed/);
    const renewal = JSON.parse((await storedAcross(tabs[0], tabs[1], user.key)) ?? '{}') as { accessToken: string; refreshToken: string };
    expect(renewal.refreshToken).not.toBe(user.tokens.refreshToken?.reveal());
    env.org.setClockOffset(60);
    expect(await signOutIn(tabs[1])).toEqual([]);
    expect(await heard).toMatch(/^[\w-]{43}$/);
    expect(await activeAt(user.clientId, renewal)).toEqual({ refresh: false, access: false });
    expect(await readIn(tabs[0], 'local', user.key)).toBeNull();
    expect(browser.problems).toEqual([]);
  });

  // The same sign-out before the other tab's localStorage held the renewal (flake136: Chromium hands a write across tabs late,
  // forced here: that tab reads the first tokens until it removes them). It named and revoked only the token the renewal
  // rotated from, so the renewal stayed valid at Okta and in use here. The tab that rotated from it ends its session when it
  // hears that name, revoking the renewal where the client revokes (`@org/okta-oauth`); `/sign-in` only drops it.
  it.each([
    ['index', { refresh: false, access: false }],
    ['sign-in', { refresh: true, access: true }],
  ] as const)("renewed here while the other tab's localStorage still showed the first tokens, that tab signing out past the grace period (%s entry): this tab ends its session, the renewal active at Okta: %j", { timeout: 60_000 }, async (entry, activeAfter) => {
    const { user, browser, tabs, heard } = await twoTabs(entry);
    await tabs[1].evaluate(([key, first]) => {
      const getItem = Reflect.get<Storage, 'getItem'>(Storage.prototype, 'getItem');
      const removeItem = Reflect.get<Storage, 'removeItem'>(Storage.prototype, 'removeItem');
      let removed = false;
      Storage.prototype.getItem = function (k) {
        return k === key && !removed && this === localStorage ? first : getItem.call(this, k);
      };
      Storage.prototype.removeItem = function (k) {
        if (k === key && this === localStorage) removed = true;
        removeItem.call(this, k);
      };
    }, [user.key, await readIn(tabs[1], 'local', user.key)] as const);
    expect(await tokenIn(tabs[0], true)).not.toMatch(/^failed/);
    const renewal = JSON.parse((await readIn(tabs[0], 'local', user.key)) ?? '{}') as { accessToken: string; refreshToken: string };
    expect(renewal.refreshToken).not.toBe(user.tokens.refreshToken?.reveal());
    env.org.setClockOffset(60);
    expect(await signOutIn(tabs[1])).toEqual([]);
    expect(await heard).toMatch(/^[\w-]{43}$/);
    await until(async () => (await readIn(tabs[0], 'local', user.key)) === null && (await activeAt(user.clientId, renewal)).refresh === activeAfter.refresh, 'the renewal ended in its tab');
    expect(await activeAt(user.clientId, renewal)).toEqual(activeAfter);
    expect(await tokenIn(tabs[0])).toMatch(/^failed: LOGIN_REQUIRED/);
    expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
    expect(browser.problems).toEqual([]);
  });

  // An API call at Okta when another tab signs out and Okta revokes: Okta refuses the revoked access token, and the
  // credential, told the session ended, renews nothing: the call fails as the tab's next call would.
  it('an API call held at Okta while another tab signs out: Okta refuses the revoked token, and the call fails LOGIN_REQUIRED (the other tab signed out), renewing nothing', { timeout: 60_000 }, async () => {
    const { user, browser, tabs, heard, hold, calling } = await callHeldAtOkta();
    expect(await signOutIn(tabs[1])).toEqual([]);
    expect(await heard).toMatch(/^[\w-]{43}$/);
    env.org.releaseHeld(hold);
    expect(await calling).toMatch(/^failed: LOGIN_REQUIRED: Another tab signed out/);
    expect(await readIn(tabs[0], 'local', user.key)).toBeNull();
    expect(env.org.counters().tokenRequests.refresh_token).toBeUndefined();
    expect(browser.problems).toEqual([]);
  });

  // The same call when Okta's revocation fails (offline, a 5xx): Okta answered it with the token it had authorized, and
  // the answer is the caller's; the tab's next call sends nothing and asks to sign in again.
  it('an API call held at Okta while another tab signs out, Okta not revoking: its answer is returned, and the next call fails LOGIN_REQUIRED sending nothing', { timeout: 60_000 }, async () => {
    const { user, browser, tabs, heard, hold, calling } = await callHeldAtOkta();
    env.org.injectFault({ path: '/oauth2/v1/revoke', kind: 'status', status: 503, count: 2 });
    expect(await signOutIn(tabs[1])).toEqual(['OAUTH_ERROR', 'OAUTH_ERROR']);
    expect(await heard).toMatch(/^[\w-]{43}$/);
    env.org.releaseHeld(hold);
    expect(await calling).toBe('200');
    const calls = env.org.counters().requests['GET /api/v1/users/me'];
    expect(await callIn(tabs[0], '/api/v1/users/me')).toMatch(/^failed: LOGIN_REQUIRED: Another tab signed out/);
    expect(env.org.counters().requests['GET /api/v1/users/me']).toBe(calls);
    expect(await readIn(tabs[0], 'local', user.key)).toBeNull();
    expect(browser.problems).toEqual([]);
  });
});
