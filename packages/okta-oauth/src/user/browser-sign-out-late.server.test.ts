/**
 * Tabs over `localStorage` signing out while one of them renews: a renewal Okta answered before another tab's sign-out,
 * whose tab signs out too before the renewal lands. This tab's sign-out decides how a refresh in flight ends (revoke137):
 * what it brings back is revoked as that sign-out revokes, whatever the client would do with a renewal another tab's
 * sign-out left (the /sign-in entry ships no revocation of its own). One Chromium for the file (a profile per test).
 */
import { describe, expect, it } from 'vitest';
import { spentChannelOf } from './test-helpers/sign-in-org.js';
import { heardIn, putIn, readIn, restoreIn, signedOutWhileRenewing, signOutIn, tokenIn, toldIn, useTokenPage } from './test-helpers/token-page.js';

const { env, signedIn, start } = useTokenPage('shared');

describe('a renewal in flight when another tab, then this one, signs out', () => {
  // Before: the renewal heard the other tab's sign-out and ended as a renewal that tab left (`revokeUnkept` of the client:
  // none on the /sign-in entry), and this tab's own sign-out's revoker went unused: its tokens stayed valid at Okta, held by no one.
  // It also ended the session the sign-out had ended: onTokens(null) a second time.
  it.each(['index', 'sign-in'] as const)('Okta answered before both sign-outs, landing after (%s entry): both its tokens revoked as this tab signed out, none stored, and the caller told to sign in again', { timeout: 60_000 }, async (entry) => {
    const user = await signedIn();
    const browser = await start();
    const tabs = [await browser.open('/', 'tokenApp'), await browser.open('/', 'tokenApp')] as const;
    await putIn(tabs[0], 'local', user.key, user.stored(true));
    for (const tab of tabs) expect(await restoreIn(tab, user.restore({ storage: 'local', entry, jwks: true, told: true, timeoutMs: 30_000 }))).toBe(true);
    const heard = heardIn(tabs[0], spentChannelOf(env.org.url, user.clientId));
    // With jwks the renewal fetches the org's keys after Okta's answer, before storing it: held there.
    const { hold, renewing } = await signedOutWhileRenewing(env.org, tabs, heard);
    expect(await signOutIn(tabs[0])).toEqual([]);
    const revoked = () => env.org.counters().requests['POST /oauth2/v1/revoke'] ?? 0;
    const signedOut = revoked();
    env.org.releaseHeld(hold);
    expect(await renewing).toMatch(/^failed: LOGIN_REQUIRED: /);
    // The renewal's refresh and access tokens, revoked before its caller heard.
    expect(revoked()).toBe(signedOut + 2);
    expect(await readIn(tabs[0], 'local', user.key)).toBeNull();
    // The app heard the end once, from its sign-out: the renewal did not end the session again.
    expect(await toldIn(tabs[0])).toEqual([null]);
    expect(await tokenIn(tabs[0])).toMatch(/^failed: LOGIN_REQUIRED: This credential has no tokens/);
    expect(revoked()).toBe(signedOut + 2);
    expect(browser.problems).toEqual([]);
  });
});
