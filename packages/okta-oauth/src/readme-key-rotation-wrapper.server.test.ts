/**
 * The README's key-rotation wrapper ("Rotating the app's key without losing a call", its first block),
 * read from the README itself: the credential of your own that hands each attempt to the `current` one.
 * A client takes `retry`, `timeoutMs`, `logger` and `maxInFlight` from its credential when it has none of
 * its own (credopts140): a wrapper that forwards only `authorize` drops them, and a `retry: { limit: 0 }`
 * credential's client waited a 429 out through it, its logger told nothing (fleet143). Run against the
 * emulator over HTTP, the README's wrapper around such a credential gives the credential's behaviour.
 */
import { readFileSync } from 'node:fs';
import { createInFlightLimit, createOktaFetch, type OktaCredential, type OktaLogEvent } from '@org/okta-auth-core';
import { transform } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { emulator, serviceApp, useEmulators } from './test-helpers/org.js';

useEmulators();

/** The README block's `const credential: OktaCredential = { … };`, types stripped, as a function of `current`. */
async function readmeWrapper(): Promise<(current: OktaCredential) => OktaCredential> {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.split("\n### Rotating the app's key without losing a call\n")[1] ?? '';
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  const statement = /\nconst credential: OktaCredential = \{[\s\S]*?\n\};\n/.exec(block)?.[0];
  expect(statement, 'the README block makes its wrapper').toBeDefined();
  const { code } = await transform(statement!, { loader: 'ts' });
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the README's own code, the subject of this test.
  return new Function('current', `${code}\nreturn credential;`) as (current: OktaCredential) => OktaCredential;
}

describe("the README's key-rotation wrapper", () => {
  it("carries the credential's retry and logger: a 429 with retry { limit: 0 } is RATE_LIMITED at once, and logged", async () => {
    const org = await emulator({ seed: { users: 1 } });
    const events: OktaLogEvent['type'][] = [];
    const { credential: current } = serviceApp(org, { requireDpop: false }, { retry: { limit: 0 }, logger: (event) => void events.push(event.type) });
    const okta = createOktaFetch({ credential: (await readmeWrapper())(current) });
    org.injectFault({ path: '/api/v1/users', kind: 'status', status: 429, headers: { 'X-Rate-Limit-Reset': String(Math.floor(Date.now() / 1000) + 60) }, count: 1 });
    await expect(okta('/api/v1/users')).rejects.toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    // One attempt: the 429 was not waited out and sent again.
    expect(org.counters().requests['GET /api/v1/users']).toBe(1);
    expect(events).toEqual(expect.arrayContaining(['request', 'response', 'error']));
  });

  it("carries its timeoutMs and maxInFlight, the same values as the credential's", async () => {
    const org = await emulator();
    const maxInFlight = createInFlightLimit(3);
    const { credential: current } = serviceApp(org, { requireDpop: false }, { timeoutMs: 4321, maxInFlight });
    const wrapper = (await readmeWrapper())(current);
    expect({ timeoutMs: wrapper.timeoutMs, maxInFlight: wrapper.maxInFlight, retry: wrapper.retry, logger: wrapper.logger }).toEqual({
      timeoutMs: 4321,
      maxInFlight,
      retry: current.retry,
      logger: current.logger,
    });
  });
});
