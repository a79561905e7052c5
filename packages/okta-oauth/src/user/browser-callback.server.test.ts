/**
 * The redirect sign-in of `@org/okta-oauth/sign-in` in headless Chromium, attacked as a hostile
 * URL or tab would: a callback reloaded, reached again by the back button, opened in another tab;
 * two sign-ins finished in the other order; what Web Storage keeps afterwards.
 */
import { describe, it } from 'vitest';
import { arrived, finishIn, ours, signInOnOkta, startIn, storedIn, useConcurrentSignInApp } from './test-helpers/browser-sign-in.js';
import { transactionKeyOf, transactionListOf } from './test-helpers/sign-in-org.js';

/** The keys of `states`' transactions and of the client's list of them, as `ours` lists them after sorting. */
const keysOf = (clientId: string, ...states: string[]): string[] => [...states.map((state) => transactionKeyOf(clientId, state)), transactionListOf(clientId)].sort();
const stateOf = (url: string): string => new URL(url).searchParams.get('state') ?? '';

/** Each test its own org and browser profile: they run at once, in one Chromium. */
const start = useConcurrentSignInApp();

describe.concurrent('a callback in the browser', () => {
  it('is finished once: a reload and the back button find no sign-in, and storage keeps no transaction', { timeout: 90_000 }, async (test) => {
    const { expect } = test;
    const { env, browser, client } = await start(test);
    const tab = await browser.open('/', 'signInApp');
    await startIn(tab, client);
    const callback = await signInOnOkta(tab, browser.origin);
    expect(ours(await storedIn(tab)).sort()).toEqual(keysOf(client.clientId, stateOf(callback)));
    expect(await finishIn(tab, client)).toMatchObject({ ok: true, sub: env.userId });
    expect(ours(await storedIn(tab))).toEqual([]);
    expect(env.org.counters().tokenRequests.authorization_code).toEqual({ success: 1 });

    await tab.reload();
    await tab.waitForFunction(() => 'signInApp' in globalThis);
    expect(await finishIn(tab, client)).toMatchObject({ ok: false, code: 'STATE_MISMATCH' });
    // Back to Okta's page of the same authorize URL, reloaded: Okta's session sends a new code with the same state, refused.
    await tab.goBack();
    expect(new URL(tab.url()).origin).toBe(env.org.url);
    await tab.reload();
    const again = await arrived(tab, browser.origin);
    expect(new URL(again).searchParams.get('state')).toBe(new URL(callback).searchParams.get('state'));
    expect(new URL(again).searchParams.get('code')).not.toBe(new URL(callback).searchParams.get('code'));
    expect(await finishIn(tab, client)).toMatchObject({ ok: false, code: 'STATE_MISMATCH' });
    expect(env.org.counters().tokenRequests.authorization_code).toEqual({ success: 1 });
    expect(ours(await storedIn(tab))).toEqual([]);
    expect(browser.problems).toEqual([]);
  });

  it('opened in another tab (a copied link) is refused there and leaves the sign-in to its own tab', { timeout: 90_000 }, async (test) => {
    const { expect } = test;
    const { env, browser, client } = await start(test);
    const tab = await browser.open('/', 'signInApp');
    await startIn(tab, client);
    const callback = await signInOnOkta(tab, browser.origin);
    const other = await browser.open(callback, 'signInApp');
    expect(await finishIn(other, client)).toMatchObject({ ok: false, code: 'STATE_MISMATCH' });
    expect(env.org.counters().tokenRequests.authorization_code ?? {}).toEqual({});
    expect(await finishIn(tab, client)).toMatchObject({ ok: true, sub: env.userId });
    expect(ours(await storedIn(other))).toEqual([]);
    expect(ours(await storedIn(tab))).toEqual([]);
  });

  it('of two sign-ins started in two tabs sharing localStorage, finished in the other order, each finishes its own', { timeout: 90_000 }, async (test) => {
    const { expect } = test;
    const { env, browser, client } = await start(test, 'local');
    const first = await browser.open('/', 'signInApp');
    const second = await browser.open('/', 'signInApp');
    const firstState = stateOf(await startIn(first, client));
    const secondState = stateOf(await startIn(second, client));
    await signInOnOkta(second, browser.origin);
    expect(ours(await storedIn(second)).sort()).toEqual(keysOf(client.clientId, firstState, secondState));
    expect(await finishIn(second, client)).toMatchObject({ ok: true, sub: env.userId });
    expect(ours(await storedIn(second)).sort()).toEqual(keysOf(client.clientId, firstState));
    // Okta's session from the second tab: the first tab's authorize URL comes straight back.
    await first.reload();
    await arrived(first, browser.origin);
    expect(await finishIn(first, client)).toMatchObject({ ok: true, sub: env.userId });
    expect(env.org.counters().tokenRequests.authorization_code).toEqual({ success: 2 });
    expect(ours(await storedIn(first))).toEqual([]);
  });
});
