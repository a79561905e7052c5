/**
 * Two same-origin frames of one tab (a page and its iframe), each with a credential over
 * `createSessionStorage()`: they share the tab's `sessionStorage`, each under a page lock of its
 * own, and hear each other's spent-token messages. The emulator's SPA rotates refresh tokens.
 */
import { describe, expect, it } from 'vitest';
import { spentChannelOf } from './test-helpers/sign-in-org.js';
import { holdIn, putIn, readIn, restoreIn, tokenIn, useTokenPage } from './test-helpers/token-page.js';

const { env, signedIn, start } = useTokenPage();

describe('credentials over sessionStorage in two frames of one tab (one storage, two page locks)', () => {
  it('renewing at once: the frame told the token is spent takes the tokens the other stored, with no request, and both stay signed in', { timeout: 90_000 }, async () => {
    const user = await signedIn();
    const browser = await start();
    const page = await browser.open('/', 'tokenApp');
    await putIn(page, 'session', user.key, user.stored());
    const frame = await browser.openFrame(page, '/', 'tokenApp');
    // The signature check fetches the org's keys after the refresh answer, before the renewed tokens are stored.
    const restore = (aheadMs: number) => user.restore({ timeoutMs: 30_000, aheadMs, jwks: true, holdable: true });
    expect(await restoreIn(page, restore(0))).toBe(true);
    // Two hours on, the frame's tokens have expired: its next call renews them.
    expect(await restoreIn(frame, restore(7_200_000))).toBe(true);
    await holdIn(frame, spentChannelOf(env.org.url, user.clientId));
    // The frame reads storage (the tokens both hold), then the page renews them, then the frame renews.
    const framed = tokenIn(frame, false);
    const renewed = await tokenIn(page, true);
    expect(renewed).not.toMatch(/^failed/);
    expect(await framed).toBe(renewed);
    expect(await readIn(page, 'session', user.key)).toContain(renewed);
    expect(await tokenIn(page, false)).toBe(renewed);
    expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
    expect(browser.problems).toEqual([]);
  });
});
