/**
 * The `maxInFlight` option (core README, "Concurrency"), in every driver, against the emulator: its
 * `hold` fault keeps each answer in flight until the test lets it go, and the org counts what is in
 * flight (`counters().maxInFlight`) and enforces Okta's concurrent limit (`setConcurrencyLimit`), so
 * what is in flight is the test's to decide, never a matter of time. A slot is taken before the send
 * and given back when the answer's headers come (a body never read holds nothing), when the send
 * fails, or when the waiter is aborted (it leaves the queue); a wait past its bound is `TIMEOUT`; one
 * limit serves several clients.
 */
import { failure, until } from '@org/okta-test-utils';
import ky from 'ky';
import { describe, expect, it } from 'vitest';
import type { OktaCredential } from '../credential.js';
import { isOktaAuthError } from '../errors/errors.js';
import { createOktaKy } from '../ky/create-okta-ky.js';
import { oktaKyHooks } from '../ky/hooks.js';
import { executeOktaRequest } from '../request/execute.js';
import { createOktaFetch } from '../request/okta-fetch.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { expectSlotWait } from '../test-helpers/slot-timeout.js';
import { createInFlightLimit, type InFlightLimit } from './in-flight-limit.js';

const org = useApiTokenOrg();

/** Holds the org's answers to the user list (all, or the next `count`) until let go; returns the fault's id. */
const hold = (count?: number): string => org.org.injectFault({ path: '/api/v1/users', kind: 'hold', ...(count === undefined ? {} : { count }) });
/** Requests the org holds now. */
const held = (id: string): number => org.org.heldAnswers(id);
/** Lets every held answer go, and every later one at once. */
const openAll = (): void => {
  org.org.clearFaults();
};

interface Client {
  readonly credential: OktaCredential;
  readonly fetch: typeof fetch;
  readonly maxInFlight: InFlightLimit;
  readonly timeoutMs?: number;
}
/** One GET of a user list through a driver, resolving with the answer (its body unread). */
type Send = (client: Client, signal?: AbortSignal) => Promise<Response>;

const path = 'api/v1/users?limit=1';
const drivers: Record<string, Send> = {
  createOktaFetch: (client, signal) => createOktaFetch(client)(`/${path}`, { signal: signal ?? null }),
  executeOktaRequest: (client, signal) => executeOktaRequest(() => Promise.resolve(new Request(`${org.org.url}/${path}`)), { ...client, origin: org.org.url, signal }),
  createOktaKy: (client, signal) => createOktaKy(client)(path, signal === undefined ? {} : { signal }),
  'oktaKyHooks on your own instance': (client, signal) => ky.create({ baseUrl: `${org.org.url}/`, fetch: client.fetch, retry: { limit: 3 }, hooks: oktaKyHooks(client) })(path, signal === undefined ? {} : { signal }),
};

const client = (maxInFlight: InFlightLimit, more: Partial<Client> = {}): Client => ({ credential: org.ssws(org.org.url), fetch: globalThis.fetch, maxInFlight, ...more });
const received = (): number => Object.values(org.org.counters().requests).reduce((sum, n) => sum + n, 0);

describe.each(Object.entries(drivers))('maxInFlight through %s', (_, send) => {
  it('never has more than the limit in flight: 5 calls at once under a limit of 2 go 2 by 2, first come first served', async () => {
    const id = hold();
    const limit = createInFlightLimit(2);
    const calls = [0, 1, 2, 3, 4].map(() => send(client(limit)));
    await until(() => held(id) === 2 && limit.waiting === 3, 'two answers held, three calls waiting');
    org.org.resetCounters();
    // The three waiting were not sent: nothing more reached the org.
    expect(received()).toBe(0);
    for (let sent = 2; sent < 5; sent++) {
      expect(org.org.releaseHeld(id, 1)).toBe(1);
      await until(() => held(id) === 2 && limit.waiting === 4 - sent, `call ${sent + 1} answered`);
    }
    openAll();
    const statuses = (await Promise.all(calls)).map((response) => response.status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    // The org saw at most two in flight at once (counted from each request's start to its answer's end).
    expect(org.org.counters().maxInFlight).toBe(2);
    expect([limit.inFlight, limit.waiting]).toEqual([0, 0]);
  });

  it('gives the slot back at the answer, its body never read', async () => {
    const limit = createInFlightLimit(1);
    const inFlightAtSend: number[] = [];
    const spy: typeof fetch = (input, init) => (inFlightAtSend.push(limit.inFlight), globalThis.fetch(input, init));
    const first = await send(client(limit, { fetch: spy }));
    expect(first.bodyUsed).toBe(false);
    expect(limit.inFlight).toBe(0);
    expect((await send(client(limit, { fetch: spy }))).status).toBe(200);
    // Each was sent holding the one slot.
    expect(inFlightAtSend).toEqual([1, 1]);
  });

  it('takes an aborted waiter out of the queue at once, holding no slot', async () => {
    const id = hold();
    const limit = createInFlightLimit(1);
    const first = send(client(limit));
    await until(() => held(id) === 1, 'the first call in flight');
    const controller = new AbortController();
    const queued = failure(send(client(limit), controller.signal), isOktaAuthError);
    await until(() => limit.waiting === 1, 'the second call waiting');
    controller.abort();
    expect((await queued).code).toBe('ABORTED');
    expect([limit.inFlight, limit.waiting]).toEqual([1, 0]);
    openAll();
    expect((await first).status).toBe(200);
    expect(limit.inFlight).toBe(0);
  });

  it('gives the slot back when the credential throws, and when the send fails', async () => {
    const limit = createInFlightLimit(1);
    const broken: OktaCredential = { kind: 'ssws', origin: org.org.url, authorize: () => Promise.reject(new Error('vault down')) };
    await expect(send(client(limit, { credential: broken }))).rejects.toThrow('vault down');
    expect(limit.inFlight).toBe(0);
    const heldAtSend: number[] = [];
    const refused: typeof fetch = () => (heldAtSend.push(limit.inFlight), Promise.reject(new TypeError('fetch failed')));
    const error = await failure(send(client(limit, { fetch: refused })), isOktaAuthError);
    expect(error.code).toBe('NETWORK_ERROR');
    // Every attempt (a GET is sent again after a reset) held the slot, and gave it back.
    expect(heldAtSend.length).toBeGreaterThan(0);
    expect(new Set(heldAtSend)).toEqual(new Set([1]));
    expect(limit.inFlight).toBe(0);
    expect((await send(client(limit))).status).toBe(200);
  });

  it('refuses to send past the wait bound (TIMEOUT naming the limit), and one limit serves two clients', async () => {
    const id = hold();
    const limit = createInFlightLimit(1);
    // Another client of the same org holds the one slot (a createOktaFetch, whatever the driver under test).
    const other = createOktaFetch(client(limit))(`/${path}`);
    await until(() => held(id) === 1, "the other client's call in flight");
    org.org.resetCounters();
    // timeoutMs 400: the wait for a slot is bounded by half of what remains of it.
    const error = await failure(send(client(limit, { timeoutMs: 400 })), isOktaAuthError);
    expectSlotWait(error, 'timeoutMs', 200);
    expect(received()).toBe(0);
    expect([limit.inFlight, limit.waiting]).toEqual([1, 0]);
    openAll();
    expect((await other).status).toBe(200);
    expect(limit.inFlight).toBe(0);
  });

  it("under Okta's concurrent limit of 2, createInFlightLimit(2) sends 10 calls at once with no concurrency 429", async () => {
    org.org.setConcurrencyLimit(2);
    const id = hold(2);
    const limit = createInFlightLimit(2);
    const calls = Array.from({ length: 10 }, () => send(client(limit)));
    await until(() => held(id) === 2 && limit.waiting === 8, 'two answers held, eight calls waiting');
    openAll();
    const statuses = (await Promise.all(calls)).map((response) => response.status);
    expect(statuses).toEqual(Array.from({ length: 10 }, () => 200));
    expect(org.org.counters()).toMatchObject({ concurrencyLimited: 0, maxInFlight: 2 });
    // Each call sent once: no 429 to wait out.
    expect(received()).toBe(10);
  });
});

describe("Okta's concurrent limit without maxInFlight", () => {
  it('calls past it get the concurrency 429, which the client waits out before sending again', async () => {
    org.org.setConcurrencyLimit(2);
    const id = hold(2);
    const okta = createOktaFetch({ credential: org.ssws(org.org.url) });
    const first = [0, 1].map(() => okta(`/${path}`));
    await until(() => held(id) === 2, 'two answers held');
    const more = Array.from({ length: 8 }, () => okta(`/${path}`));
    // Two in flight at the org: each of the eight is refused at once.
    await until(() => org.org.counters().concurrencyLimited === 8, 'eight concurrency 429s');
    // The org's load drops (Okta's 75): the held answers go; the eight retries, sent together after the suggested reset, all pass.
    org.org.setConcurrencyLimit(75);
    openAll();
    const statuses = (await Promise.all([...first, ...more])).map((response) => response.status);
    expect(statuses).toEqual(Array.from({ length: 10 }, () => 200));
    expect(org.org.counters()).toMatchObject({ concurrencyLimited: 8 });
    // Each refused call was sent once more, after its wait.
    expect(received()).toBe(18);
  });
});

describe('the maxInFlight option', () => {
  it.each([2, 'two', null, {}])('refuses %s (INVALID_CONFIG): a limit made by createInFlightLimit', (maxInFlight) => {
    const error = failure.sync(() => createOktaFetch({ credential: org.ssws(org.org.url), maxInFlight: maxInFlight as unknown as InFlightLimit }), isOktaAuthError);
    expect(error).toMatchObject({ code: 'INVALID_CONFIG', message: 'The maxInFlight option must be the limit createInFlightLimit(n) returned, not a copy.' });
  });
});
