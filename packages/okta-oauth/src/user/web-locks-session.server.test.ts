/**
 * A credential over `createSessionStorage()` (the README's "to survive a reload"), in two tabs of
 * headless Chromium: each tab's `sessionStorage` holds its own tokens, so no tab can pick up
 * another's renewal and none has to wait for it. The renewal's Web Lock is then the page's own (as
 * the sign-in transactions' list is): a tab whose renewal never ends (its `onTokens` never settles,
 * within a long `timeoutMs`) holds no other tab's requests. Before, both tabs asked for one lock
 * name, and the second waited for the first up to twice its `timeoutMs` and 1 s, then failed with
 * `TIMEOUT`.
 */
import { describe, expect, it } from 'vitest';
import { putIn, restoreIn, storedOf, tokenIn, useTokenPage } from './test-helpers/token-page.js';

const { env, signedIn, start } = useTokenPage();

describe('a credential over sessionStorage in two tabs', () => {
  it('renews in one tab while another tab’s renewal never ends: no wait on its lock', { timeout: 60_000 }, async () => {
    const user = await signedIn();
    const [holderTokens, waiterTokens] = [user.stored(true), storedOf(await user.again(), true)];
    const browser = await start();
    const [holder, waiter] = [await browser.open('/', 'tokenApp'), await browser.open('/', 'tokenApp')];
    await putIn(holder, 'session', user.key, holderTokens);
    expect(await restoreIn(holder, user.restore({ entry: 'index', timeoutMs: 600_000, hang: true }))).toBe(true);
    void tokenIn(holder).catch(() => undefined);
    // The holder's renewal is in its onTokens, which never settles: it holds its lock from here on.
    await holder.waitForFunction(() => (globalThis as { telling?: boolean }).telling === true, undefined, { timeout: 30_000 });
    await putIn(waiter, 'session', user.key, waiterTokens);
    expect(await restoreIn(waiter, user.restore({ entry: 'index', timeoutMs: 10_000 }))).toBe(true);
    const got = await tokenIn(waiter);
    expect(got).not.toMatch(/^failed/);
    expect(got).not.toBe(JSON.parse(waiterTokens).accessToken);
    expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 2 });
    expect(browser.problems).toEqual([]);
  });
});
