/**
 * Sign-in transactions left in Web Storage, in headless Chromium against the emulator: a sign-in
 * abandoned at Okta expires and the next sign-in removes it; an expired callback is refused; no
 * storage key names a state. The page's clock is Playwright's (`clock.setFixedTime`), never waited for.
 */
import { until } from '@org/okta-test-utils';
import { describe, it } from 'vitest';
import { beginIn, finishIn, ours, signInOnOkta, startIn, storedIn, useConcurrentSignInApp } from './test-helpers/browser-sign-in.js';
import { transactionKeyOf, transactionListOf } from './test-helpers/sign-in-org.js';

/** Each test its own org and browser profile (the page's clock is its tab's): they run at once, in one Chromium. */
const start = useConcurrentSignInApp();
/** The client's default `transactionMaxAgeSeconds`, in ms. */
const maxAgeMs = 1_800_000;
const stateOf = (url: string): string => new URL(url).searchParams.get('state') ?? '';

describe.concurrent('sign-in transactions in the browser', () => {
  it('an abandoned sign-in stays in localStorage until it expires, then the next sign-in removes it; no key names a state', { timeout: 90_000 }, async (test) => {
    const { expect } = test;
    const { browser, client } = await start(test, 'local');
    const tab = await browser.open('/', 'signInApp');
    const t0 = Date.now();
    await tab.clock.setFixedTime(t0);
    const first = stateOf(await beginIn(tab, client));
    await tab.clock.setFixedTime(t0 + 600_000);
    const second = stateOf(await beginIn(tab, client));
    expect(ours(await storedIn(tab)).sort()).toEqual([transactionKeyOf(client.clientId, first), transactionKeyOf(client.clientId, second), transactionListOf(client.clientId)].sort());
    // The first is now past its age, the second not yet.
    await tab.clock.setFixedTime(t0 + maxAgeMs + 1);
    const third = stateOf(await beginIn(tab, client));
    const stored = await storedIn(tab);
    expect(ours(stored).sort()).toEqual([transactionKeyOf(client.clientId, second), transactionKeyOf(client.clientId, third), transactionListOf(client.clientId)].sort());
    const list = JSON.parse(stored.local[transactionListOf(client.clientId)] ?? '[]') as [string, number][];
    expect(list.map(([, createdAt]) => createdAt)).toEqual([t0 + 600_000, t0 + maxAgeMs + 1]);
    const keysAndList = [...ours(stored), stored.local[transactionListOf(client.clientId)]].join('\n');
    for (const state of [first, second, third]) {
      expect(state).toMatch(/^[\w-]{40,}$/);
      expect(keysAndList).not.toContain(state);
    }
    expect(browser.problems).toEqual([]);
  });

  it('two tabs starting sign-ins at once both stay listed (the list is changed under a Web Lock), with a storage whose reads take 100 ms', { timeout: 120_000 }, async (test) => {
    const { expect } = test;
    const { browser, client } = await start(test, 'slow');
    const tabs = [await browser.open('/', 'signInApp'), await browser.open('/', 'signInApp')] as const;
    const rounds = 3;
    for (let round = 0; round < rounds; round++) await Promise.all(tabs.map((tab) => beginIn(tab, client)));
    // What both tabs see, once every write has reached both.
    const seen = await until(async () => {
      const [one, two] = await Promise.all(tabs.map(async (tab) => JSON.stringify(Object.entries((await storedIn(tab)).local).sort())));
      return one === two && (JSON.parse(one ?? '[]') as [string, string][]);
    }, 'both tabs seeing the same localStorage', 20, test);
    const keys = seen.map(([key]) => key);
    expect(keys.filter((key) => key.startsWith(`okta-oauth:${client.clientId}:transaction:`))).toHaveLength(2 * rounds);
    expect(JSON.parse(Object.fromEntries(seen)[transactionListOf(client.clientId)] ?? '[]')).toHaveLength(2 * rounds);
    expect(browser.problems).toEqual([]);
  });

  it('a callback of an expired sign-in is INVALID_TRANSACTION saying to start again, exchanges no code and leaves nothing stored', { timeout: 90_000 }, async (test) => {
    const { expect } = test;
    const { env, browser, client } = await start(test);
    const tab = await browser.open('/', 'signInApp');
    const t0 = Date.now();
    await tab.clock.setFixedTime(t0);
    await startIn(tab, client);
    await signInOnOkta(tab, browser.origin);
    await tab.clock.setFixedTime(t0 + maxAgeMs + 1);
    const outcome = await finishIn(tab, client);
    expect(outcome).toMatchObject({ ok: false, code: 'INVALID_TRANSACTION', message: expect.stringMatching(/older than 1800 s.*: start a new sign-in\.$/) });
    expect(ours(await storedIn(tab))).toEqual([]);
    expect(env.org.counters().tokenRequests.authorization_code ?? {}).toEqual({});
  });
});
