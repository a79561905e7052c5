/**
 * A credential over `createSessionStorage()` in a tab the app opens (`window.open` with an opener,
 * as "Duplicate tab" does too): Chromium copies the opener's `sessionStorage` into the new tab, so
 * two tabs hold one refresh token, each under a lock of its own. The emulator's SPA rotates refresh
 * tokens with Okta's 30 s grace period and revokes the family on a reuse after it.
 */
import { until } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { scopes, spentChannelOf } from './test-helpers/sign-in-org.js';
import { heardIn, putIn, readIn, restoreIn, signOutIn, tokenIn, useTokenPage } from './test-helpers/token-page.js';

const { env, signedIn, start } = useTokenPage();

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
    expect(await tokenIn(copy, true)).toMatch(/^failed: LOGIN_REQUIRED: Another tab signed out, or renewed first: sign in again/);
    expect(await readIn(copy, 'session', user.key)).toBeNull();
    expect(await tokenIn(opener, true)).not.toMatch(/^failed/);
    expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 2 });
    expect(browser.problems).toEqual([]);
  });

  // A SPA's tabs over localStorage hold the tokens in memory too: one tab's sign-out, whose revocations Okta did not
  // answer (offline, a 5xx), left the others calling with them and storing their renewal, so a reload signed the user in again.
  it('signed out in another tab over localStorage, Okta not revoking: this tab stops using the tokens at once, renews none and stores none', { timeout: 60_000 }, async () => {
    const user = await signedIn();
    const browser = await start();
    const tabs = [await browser.open('/', 'tokenApp'), await browser.open('/', 'tokenApp')] as const;
    await putIn(tabs[0], 'local', user.key, user.stored());
    for (const tab of tabs) expect(await restoreIn(tab, user.restore({ storage: 'local', entry: 'sign-in', timeoutMs: 30_000 }))).toBe(true);
    // Listening before the page's next call, which runs after it.
    const heard = heardIn(tabs[0], spentChannelOf(env.org.url, user.clientId));
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
});
