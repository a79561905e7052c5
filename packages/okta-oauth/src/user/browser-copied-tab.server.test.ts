/**
 * A credential over `createSessionStorage()` in a tab the app opens (`window.open` with an opener,
 * as "Duplicate tab" does too): Chromium copies the opener's `sessionStorage` into the new tab, so
 * two tabs hold one refresh token, each under a lock of its own. The emulator's SPA rotates refresh
 * tokens with Okta's 30 s grace period and revokes the family on a reuse after it.
 */
import { describe, expect, it } from 'vitest';
import { spentChannelOf } from './test-helpers/sign-in-org.js';
import { heardIn, putIn, readIn, restoreIn, tokenIn, useTokenPage } from './test-helpers/token-page.js';

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
    expect(await tokenIn(copy, true)).toMatch(/^failed: LOGIN_REQUIRED: Another tab holding a copy of these tokens/);
    expect(await readIn(copy, 'session', user.key)).toBeNull();
    expect(await tokenIn(opener, true)).not.toMatch(/^failed/);
    expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 2 });
    expect(browser.problems).toEqual([]);
  });
});
