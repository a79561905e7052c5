/**
 * A wait before a call's first attempt (here the `maxInFlight` slot's) may spend at most half of
 * what remains of the attempt's bound when the wait begins, as before a retry, so the attempt
 * keeps the rest: through the fetch driver, of `timeoutMs`; through the ky drivers, of the call's
 * ky `totalTimeout` (since the call began) too. The credential's `authorize` takes most of the
 * bound first (it resolves 2.4 s after it is called, of 4 s: a lower bound, real time only passes),
 * and the test holds the one slot itself. Before, the wait took half of the whole bound, and the
 * call ended as a failure to get an answer: ky's `TIMEOUT` naming its `totalTimeout`, or, through
 * the fetch driver, its attempt timer firing during the wait (`NETWORK_ERROR`). Now it ends as the
 * slot's own `TIMEOUT`, naming the bound, in whole ms (an odd bound halved is never "200.5 ms").
 * Nothing reaches the emulator until the slot is given back; then the same client's call is answered.
 * A bound spent before the wait (`timeoutMs: 1`) leaves a wait of 0 ms: the call is `TIMEOUT`, the
 * slot's or the attempt's own, nothing sent; the fetch driver typed the attempt's timer ending the
 * wait first as a `NETWORK_ERROR` ("connection refused, reset or DNS failure").
 */
import { failure } from '@org/okta-test-utils';
import ky from 'ky';
import { describe, expect } from 'vitest';
import type { OktaCredential } from '../credential.js';
import { isOktaAuthError } from '../errors/errors.js';
import { createOktaKy } from '../ky/create-okta-ky.js';
import { oktaKyHooks } from '../ky/hooks.js';
import { createOktaFetch } from '../request/okta-fetch.js';
import { itWithApiTokenOrg as it, type ApiTokenOrg } from '../test-helpers/api-token-org.js';
import { expectSlotWait } from '../test-helpers/slot-timeout.js';
import { createInFlightLimit, type InFlightLimit } from './in-flight-limit.js';

// Every test has its own org (the org fixture), credential and in-flight limit: the tests of each block run at once.
const path = 'api/v1/users?limit=1';
const received = (org: ApiTokenOrg): number => Object.values(org.org.counters().requests).reduce((sum, n) => sum + n, 0);

/** The org's API token credential, its first `authorize` resolving `slowMs` after it was called (after the call and its attempt began). */
function slowCredential(org: ApiTokenOrg, slowMs: number): OktaCredential {
  const inner = org.ssws(org.org.url);
  let first = true;
  return {
    kind: inner.kind,
    origin: inner.origin,
    authorize: async (attempt) => {
      if (first) await new Promise((resolve) => setTimeout(resolve, slowMs));
      first = false;
      return inner.authorize(attempt);
    },
  };
}

type Send = (credential: OktaCredential, maxInFlight: InFlightLimit) => Promise<unknown>;

/**
 * Sends with the one slot held by the test; the wait its slot `TIMEOUT` reports (whole ms, at most
 * `most`, advising `boundBy`). The slot given back, the client's next call is answered (`answered`).
 */
async function waitedFor(org: ApiTokenOrg, send: Send, slowMs: number, boundBy: string, most: number, answered = true): Promise<number> {
  const limit = createInFlightLimit(1);
  const release = await limit.acquire({ maxWaitMs: 0, holdMs: 60_000, signal: undefined, what: () => 'the test' });
  org.org.resetCounters();
  const credential = slowCredential(org, slowMs);
  const waited = expectSlotWait(await failure(send(credential, limit), isOktaAuthError), boundBy, most);
  expect([received(org), limit.waiting]).toEqual([0, 0]);
  release();
  if (answered) expect((await (send(credential, limit) as Promise<Response>)).status).toBe(200);
  return waited;
}

const bound = 4_000;
const slow = 2_400;

describe.concurrent('a first attempt keeps half of what remains: the slot wait after a slow authorize ends as the slot TIMEOUT', () => {
  const rows: [string, Send, string][] = [
    ['createOktaFetch (timeoutMs)', (credential, maxInFlight) => createOktaFetch({ credential, maxInFlight, retry: false, timeoutMs: bound })(`/${path}`), 'timeoutMs'],
    ["createOktaKy (ky's totalTimeout)", (credential, maxInFlight) => createOktaKy({ credential, maxInFlight, timeoutMs: 30_000 }).get(path, { totalTimeout: bound }), "ky's totalTimeout"],
    [
      "oktaKyHooks on your own instance (ky's totalTimeout)",
      (credential, maxInFlight) => ky.create({ baseUrl: `${credential.origin}/`, retry: 0, hooks: oktaKyHooks({ credential, maxInFlight, timeoutMs: 30_000 }) }).get(path, { totalTimeout: bound }),
      "ky's totalTimeout",
    ],
  ];
  it.for(rows)('%s', async ([, send, boundBy], { org, expect }) => {
    // authorize took 2.4 s of 4 at least: at most 1.6 s remained, the wait at most half of it.
    expect(await waitedFor(org, send, slow, boundBy, (bound - slow) / 2)).toBeGreaterThanOrEqual(0);
  });
});

describe.concurrent('a halved bound is shown in whole ms, never past the bound', () => {
  const rows: [string, Send, string, number][] = [
    ['an odd timeoutMs (createOktaFetch, retry: false)', (credential, maxInFlight) => createOktaFetch({ credential, maxInFlight, retry: false, timeoutMs: 401 })(`/${path}`), 'timeoutMs', 200],
    ["an odd ky totalTimeout (createOktaKy)", (credential, maxInFlight) => createOktaKy({ credential, maxInFlight, timeoutMs: 30_000 }).get(path, { totalTimeout: 1_001 }), "ky's totalTimeout", 500],
  ];
  it.for(rows)('%s', async ([, send, boundBy, most], { org, expect }) => {
    // Its bound too short for a call that must be answered on a loaded machine: only the wait is checked.
    expect(await waitedFor(org, send, 0, boundBy, most, false)).toBeGreaterThanOrEqual(0);
  });
});

describe.concurrent('a bound spent before the wait: TIMEOUT naming it, nothing sent, never a NETWORK_ERROR', () => {
  const rows: [string, Send, string][] = [
    ['createOktaFetch (timeoutMs 1, retry: false)', (credential, maxInFlight) => createOktaFetch({ credential, maxInFlight, retry: false, timeoutMs: 1 })(`/${path}`), 'timeoutMs'],
    ['createOktaFetch (timeoutMs 1)', (credential, maxInFlight) => createOktaFetch({ credential, maxInFlight, timeoutMs: 1 })(`/${path}`), 'timeoutMs'],
    ['createOktaKy (timeoutMs 1)', (credential, maxInFlight) => createOktaKy({ credential, maxInFlight, timeoutMs: 1 }).get(path), 'timeoutMs'],
    ["createOktaKy (ky's totalTimeout 1)", (credential, maxInFlight) => createOktaKy({ credential, maxInFlight, timeoutMs: 30_000 }).get(path, { totalTimeout: 1 }), "ky's totalTimeout"],
    ['oktaKyHooks on your own instance (timeoutMs 1)', (credential, maxInFlight) => ky.create({ baseUrl: `${credential.origin}/`, retry: 0, hooks: oktaKyHooks({ credential, maxInFlight, timeoutMs: 1 }) }).get(path), 'timeoutMs'],
  ];
  it.for(rows)('%s', async ([, send, boundBy], { org, expect }) => {
    const limit = createInFlightLimit(1);
    const release = await limit.acquire({ maxWaitMs: 0, holdMs: 60_000, signal: undefined, what: () => 'the test' });
    org.org.resetCounters();
    const error = await failure(send(org.ssws(org.org.url), limit), isOktaAuthError);
    // Whichever timer came first: the slot's (a wait of 0 ms) or the attempt's (its bound ended the wait).
    expect(error.code, error.message).toBe('TIMEOUT');
    if (error.message !== `GET ${new URL(org.org.url).host}/api/v1/users got no complete answer within 1 ms (${boundBy}).`) expectSlotWait(error, boundBy, 0);
    expect([received(org), limit.waiting, limit.inFlight]).toEqual([0, 0, 1]);
    release();
  });
});
