/**
 * A call's own ky `timeout` or `totalTimeout` also bounds its wait for a `maxInFlight` slot, before
 * it is sent, as `timeoutMs` does (at most half of what remains of the smaller), through `oktaKyHooks` on your own
 * instance (whose ky `timeout` does not cover the `beforeRequest` hooks: the wait was bounded by
 * `timeoutMs` alone) and `createOktaKy` (where ky's abort ended the wait with ky's `TIMEOUT`, not
 * the slot's). The `TIMEOUT` names the setting that bounded the wait. Another client holds the one
 * slot at the emulator's `hold` fault until the test lets it go; no time is asserted, and nothing
 * of the waiting call reaches the org.
 */
import { failure, until } from '@org/okta-test-utils';
import ky, { type Options } from 'ky';
import { describe, expect, it } from 'vitest';
import { isOktaAuthError } from '../errors/errors.js';
import { createInFlightLimit, type InFlightLimit } from '../rate-limit/in-flight-limit.js';
import { createOktaFetch } from '../request/okta-fetch.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { expectSlotWait } from '../test-helpers/slot-timeout.js';
import { createOktaKy } from './create-okta-ky.js';
import { oktaKyHooks } from './hooks.js';

const org = useApiTokenOrg();
const path = 'api/v1/users?limit=1';
const received = (): number => Object.values(org.org.counters().requests).reduce((sum, n) => sum + n, 0);


type Send = (maxInFlight: InFlightLimit) => Promise<unknown>;

/** Holds the one slot with another client's call, then sends; the error of the call, which never reached the org. */
async function waitedOut(send: Send): Promise<unknown> {
  const id = org.org.injectFault({ path: '/api/v1/users', kind: 'hold' });
  const limit = createInFlightLimit(1);
  const other = createOktaFetch({ credential: org.ssws(org.org.url), maxInFlight: limit })(`/${path}`);
  await until(() => org.org.heldAnswers(id) === 1, "the other client's call in flight");
  org.org.resetCounters();
  const error = await failure(send(limit), isOktaAuthError);
  // Not sent: nothing more reached the org, and the other call is still the one held.
  expect(received()).toBe(0);
  expect(org.org.heldAnswers(id)).toBe(1);
  org.org.clearFaults();
  expect((await other).status).toBe(200);
  return error;
}

// timeoutMs alone would let the wait last 2 s: each row's ky bound is shorter.
const timeoutMs = 4_000;

describe("oktaKyHooks on your own instance: ky's timeout and totalTimeout bound the slot's wait", () => {
  const mine = (maxInFlight: InFlightLimit, instance: Options = {}, more: { timeoutMs?: number } = {}) =>
    ky.create({ baseUrl: `${org.org.url}/`, retry: 0, ...instance, hooks: oktaKyHooks({ credential: org.ssws(org.org.url), maxInFlight, timeoutMs, ...more }) });
  const rows: [string, Send, number, string][] = [
    ["a call's timeout", (limit) => mine(limit).get(path, { timeout: 1_000 }), 500, "ky's timeout"],
    ["the instance's timeout", (limit) => mine(limit, { timeout: 1_000 }).get(path), 500, "ky's timeout"],
    ["a call's totalTimeout", (limit) => mine(limit).get(path, { totalTimeout: 1_000 }), 500, "ky's totalTimeout"],
    ["a call's totalTimeout under its timeout", (limit) => mine(limit).get(path, { timeout: 3_000, totalTimeout: 1_000 }), 500, "ky's totalTimeout"],
    ['ky\'s timeout the same as timeoutMs (timeoutMs named, as a TIMEOUT of ky\'s names it)', (limit) => mine(limit, { timeout: 1_000 }, { timeoutMs: 1_000 }).get(path), 500, 'timeoutMs'],
    ['retry.maxWaitMs under both', (limit) => mine(limit, { timeout: 1_000 }, { retry: { maxWaitMs: 300 } } as { timeoutMs?: number }).get(path), 300, 'retry.maxWaitMs'],
  ];
  it.each(rows)('%s', async (_, send, waited, boundBy) => {
    expectSlotWait(await waitedOut(send), boundBy, waited);
  });
});

describe("createOktaKy: a call's ky timeout and totalTimeout bound the slot's wait, named by its TIMEOUT", () => {
  const api = (maxInFlight: InFlightLimit, base?: typeof ky) => createOktaKy({ credential: org.ssws(org.org.url), maxInFlight, timeoutMs, ...(base && { ky: base }) });
  const rows: [string, Send, number, string][] = [
    ["a call's timeout", (limit) => api(limit).get(path, { timeout: 1_000 }), 500, "ky's timeout"],
    ["a call's totalTimeout", (limit) => api(limit).get(path, { totalTimeout: 1_000 }), 500, "ky's totalTimeout"],
    ["an extend's timeout", (limit) => api(limit).extend({ timeout: 1_000 }).get(path), 500, "ky's timeout"],
    ["the base instance's totalTimeout", (limit) => api(limit, ky.create({ totalTimeout: 1_000 })).get(path), 500, "ky's totalTimeout"],
    ["a call's timeout: false (timeoutMs bounds it)", (limit) => createOktaKy({ credential: org.ssws(org.org.url), maxInFlight: limit, timeoutMs: 1_000 }).get(path, { timeout: false }), 500, 'timeoutMs'],
  ];
  it.each(rows)('%s', async (_, send, waited, boundBy) => {
    expectSlotWait(await waitedOut(send), boundBy, waited);
  });
});
