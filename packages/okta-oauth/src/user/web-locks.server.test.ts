/**
 * The refresh that must not run twice across tabs, in a real browser: two tabs of headless
 * Chromium (playwright-core, /usr/bin/chromium) on one origin share `localStorage` holding a
 * signed-in user's expired tokens, and both ask for an access token at once. The browser's own
 * `navigator.locks` lets one tab make the refresh grant; the other picks the renewed tokens up
 * from storage (same user `sub`). The page runs this package's source, bundled by esbuild.
 * Chromium hands a `localStorage` write to another tab's process asynchronously: before the
 * renewing tab kept the lock a while after its write (`user/web-lock.ts`), 5 runs in 24 of this
 * test had the waiting tab read its stale copy and spend the refresh token a second time.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { refreshLockOf } from './test-helpers/sign-in-org.js';
import { putIn, restoreIn, tokenIn, useTokenPage, type SignedIn } from './test-helpers/token-page.js';

// One Chromium for the file, a profile per test. The tests stay one after another: the first is a race between two tabs, and the last waits out its page client's 3 s timeoutMs, which that client's other calls share.
const { env, signedIn, start } = useTokenPage('shared');

/** What an app does on load over `localStorage`, then its access token (`no credential`, `failed: CODE: message`). */
async function accessToken(tab: Page, user: SignedIn, timeoutMs = 30_000): Promise<string> {
  await restoreIn(tab, user.restore({ entry: 'index', storage: 'local', timeoutMs }));
  return tokenIn(tab);
}

describe('a user credential in two browser tabs', () => {
  it('makes one refresh grant under the browser’s Web Lock; the other tab reads the result from storage', { timeout: 60_000 }, async () => {
    const user = await signedIn();
    const browser = await start();
    const tabs = [await browser.open('/', 'tokenApp'), await browser.open('/', 'tokenApp')] as const;
    await putIn(tabs[0], 'local', user.key, user.stored(true));
    expect(await tabs[1].evaluate(() => typeof navigator.locks.request)).toBe('function');
    const got = await Promise.all(tabs.map((tab) => accessToken(tab, user)));
    expect(got[0]).not.toBe(user.tokens.accessToken.reveal());
    expect(got[1]).toBe(got[0]);
    expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
    expect(browser.problems).toEqual([]);
  });

  /** Two tabs over expired stored tokens; the first holds the renewal lock and never lets go (a tab stopped mid-renewal, a script). */
  async function lockHeldByAnotherTab() {
    const user = await signedIn();
    const browser = await start();
    const [holder, waiter] = [await browser.open('/', 'tokenApp'), await browser.open('/', 'tokenApp')];
    const lock = refreshLockOf(env.org.url, user.clientId);
    await putIn(holder, 'local', user.key, user.stored(true));
    await holder.evaluate((name) => new Promise<void>((held) => void navigator.locks.request(name, () => (held(), new Promise(() => undefined)))), lock);
    const pending = () => waiter.evaluate(async (name) => (await navigator.locks.query()).pending?.filter((request) => request.name === name).length ?? 0, lock);
    return { tokens: user.tokens, holder, accessToken: (timeoutMs: number) => accessToken(waiter, user, timeoutMs), pending };
  }

  it('a tab closed while it holds the lock releases it: the waiting tab renews once', { timeout: 60_000 }, async () => {
    const { tokens, holder, accessToken, pending } = await lockHeldByAnotherTab();
    const got = accessToken(30_000);
    await expect.poll(pending, { timeout: 30_000 }).toBe(1);
    expect(env.org.counters().tokenRequests.refresh_token ?? {}).toEqual({});
    await holder.close();
    expect(await got).not.toBe(tokens.accessToken.reveal());
    expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
  });

  it('a tab that holds the lock and never lets go fails the other tab’s renewal with TIMEOUT, not a wait for ever', { timeout: 60_000 }, async () => {
    const { tokens, accessToken, pending } = await lockHeldByAnotherTab();
    const got = await accessToken(3000);
    expect(got).toMatch(/^failed: TIMEOUT: Another tab .* renewal lock for more than 7000 ms/);
    expect(got).not.toContain(tokens.accessToken.reveal());
    expect(env.org.counters().tokenRequests.refresh_token ?? {}).toEqual({});
    // Withdrawn: no request of this tab is left waiting for the lock.
    expect(await pending()).toBe(0);
  });
});
