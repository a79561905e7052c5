/**
 * What a tab does with what it hears on the tab channel (ra147): it remembers only names of tokens it holds, so a same-origin
 * page holding none cannot push the real name out with a flood; and a copied tab over `sessionStorage` (`window.open` with an
 * opener, "Duplicate tab": a copy of the opener's `sessionStorage`) ends its session at once on a name of its tokens, its
 * storage emptied, so a reload restores nothing. In headless Chromium against the emulator (SPA: refresh tokens rotated, 30 s grace).
 */
import { until } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { spentChannelOf } from './test-helpers/sign-in-org.js';
import { callIn, putIn, readIn, restoreIn, signOutIn, tokenIn, toldIn, useTokenPage, type Tab } from './test-helpers/token-page.js';

const { env, signedIn, start } = useTokenPage('own');

/** A page's listener of {@link listening}. */
interface Listened {
  listened?: Promise<unknown>;
}

/**
 * Listens on `channel` in `tab` (made after its credential's channel: it hears each message after the credential has), once set up:
 * a wait for the next `count` messages, resolving to the last.
 */
async function listening(tab: Tab, channel: string, count = 1): Promise<() => Promise<unknown>> {
  await tab.evaluate(
    ([name, n]) => {
      (globalThis as Listened).listened = new Promise((resolve) => {
        let heard = 0;
        new BroadcastChannel(name).onmessage = (event: MessageEvent) => ++heard === n && resolve(event.data);
      });
    },
    [channel, count] as const,
  );
  return () => tab.evaluate(() => (globalThis as Listened).listened);
}

/** A tab and its copy, both restored (`onTokens` recorded), and what the copy hears next on the tab channel. */
async function tabAndCopy() {
  const user = await signedIn();
  const browser = await start();
  const opener = await browser.open('/', 'tokenApp');
  await putIn(opener, 'session', user.key, user.stored());
  const copy = await browser.openCopy(opener, '/', 'tokenApp');
  for (const tab of [opener, copy]) expect(await restoreIn(tab, user.restore({ timeoutMs: 30_000, told: true }))).toBe(true);
  const channel = spentChannelOf(env.org.url, user.clientId);
  return { user, browser, opener, copy, channel, heard: await listening(copy, channel) };
}

/** Posts `count` random, well-formed SHA-256s on `channel` from a new page of the origin (holding no token), and waits until `listener` heard them all. */
async function flood(browser: Awaited<ReturnType<typeof start>>, listener: Tab, channel: string, count: number): Promise<void> {
  const flooded = await listening(listener, channel, count);
  await (await browser.open('/', 'tokenApp')).evaluate(
    ([name, n]) => {
      const sender = new BroadcastChannel(name);
      for (let i = 0; i < n; i++) sender.postMessage(btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32)))).replaceAll('+', '-').replaceAll('/', '_').slice(0, 43));
    },
    [channel, count] as const,
  );
  await flooded();
}

describe('tabs over localStorage, and a flood of names', () => {
  // Before: the flood pushed out the sign-out's name, and the other tab went on calling with the tokens Okta had not revoked.
  it('one tab signs out, Okta not revoking, then a page holding no token posts 100 names: the other tab still stops using the tokens', { timeout: 90_000 }, async () => {
    const user = await signedIn();
    const browser = await start();
    const tabs = [await browser.open('/', 'tokenApp'), await browser.open('/', 'tokenApp')] as const;
    await putIn(tabs[0], 'local', user.key, user.stored());
    for (const tab of tabs) expect(await restoreIn(tab, user.restore({ storage: 'local', entry: 'sign-in', timeoutMs: 30_000 }))).toBe(true);
    const channel = spentChannelOf(env.org.url, user.clientId);
    const heard = await listening(tabs[0], channel);
    env.org.injectFault({ path: '/oauth2/v1/revoke', kind: 'status', status: 503, count: 2 });
    expect(await signOutIn(tabs[1])).toEqual(['OAUTH_ERROR', 'OAUTH_ERROR']);
    expect(await heard()).toMatch(/^[\w-]{43}$/);
    await flood(browser, tabs[0], channel, 100);
    expect(await tokenIn(tabs[0])).toMatch(/^failed: LOGIN_REQUIRED: Another tab signed out/);
    expect(await readIn(tabs[0], 'local', user.key)).toBeNull();
    expect(env.org.counters().tokenRequests.refresh_token).toBeUndefined();
    expect(browser.problems).toEqual([]);
  });
});

describe('a copied tab over sessionStorage, and what it hears', () => {
  // Before: the last 100 well-formed names were kept, whoever sent them; the flood pushed out the opener's, the copy renewed with the
  // rotated token past the grace period, and Okta revoked the family: both tabs LOGIN_REQUIRED ("Okta rejected the refresh token…").
  it('the opener renews, then a page holding no token posts 100 names: the copy still knows its token spent, sends none, and the opener stays signed in', { timeout: 90_000 }, async () => {
    const { browser, opener, copy, channel, heard } = await tabAndCopy();
    expect(await tokenIn(opener, true)).not.toMatch(/^failed/);
    expect(await heard()).toMatch(/^[\w-]{43}$/);
    await flood(browser, copy, channel, 100);
    env.org.setClockOffset(60);
    expect(await tokenIn(copy, true)).toMatch(/^failed: LOGIN_REQUIRED: /);
    expect(await tokenIn(opener, true)).not.toMatch(/^failed/);
    expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 2 });
    expect(browser.problems).toEqual([]);
  });

  // Before: the copy heard the name but ended only at its next call; its sessionStorage kept the tokens, which Okta had not revoked,
  // so a reload restored the signed-out session (the API answered 200, and it renewed).
  it('the opener signs out, Okta not revoking: the copy ends at once (onTokens(null), its storage emptied), and a reload restores nothing', { timeout: 90_000 }, async () => {
    const { user, browser, opener, copy, heard } = await tabAndCopy();
    env.org.injectFault({ path: '/oauth2/v1/revoke', kind: 'status', status: 503, count: 2 });
    expect(await signOutIn(opener)).toEqual(['OAUTH_ERROR', 'OAUTH_ERROR']);
    expect(await heard()).toMatch(/^[\w-]{43}$/);
    await until(async () => (await readIn(copy, 'session', user.key)) === null, "the copy's storage emptied");
    await until(async () => (await toldIn(copy)).includes(null), "the copy's onTokens(null)");
    expect(await toldIn(copy)).toEqual([null]);
    expect(await callIn(copy, '/api/v1/users/me')).toMatch(/^failed: LOGIN_REQUIRED: /);
    await copy.reload();
    await copy.waitForFunction(() => 'tokenApp' in globalThis);
    expect(await restoreIn(copy, user.restore({ timeoutMs: 30_000 }))).toBe(false);
    expect(env.org.counters().tokenRequests.refresh_token).toBeUndefined();
    expect(browser.problems).toEqual([]);
  });
});
