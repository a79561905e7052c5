/**
 * The `maxInFlight` option (core README, "Concurrency"), in every driver, against the emulator: a
 * gate in front of the org (the `fetch` option) counts the attempts in flight and holds each answer
 * until the test lets it go, so what is in flight is the test's to decide, never a matter of time.
 * A slot is taken before the send and given back when the answer's headers come (a body never
 * read holds nothing), when the send fails, or when the waiter is aborted (it leaves the queue);
 * a wait past its bound is `TIMEOUT`; one limit serves several clients.
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
import { createInFlightLimit, type InFlightLimit } from './in-flight-limit.js';

const org = useApiTokenOrg();

/** A fetch in front of the org: counts what is in flight (most at once too) and holds each answer until let go. */
interface Gate {
  readonly fetch: typeof fetch;
  readonly open: number;
  readonly most: number;
  /** The limit's count of attempts in flight as each request reached the gate. */
  readonly inFlightAtSend: number[];
  /** Answers come from the org and held. */
  readonly held: number;
  /** Lets the oldest held answer go. */
  next(): void;
  /** Lets every held answer go, and every later one at once. */
  openAll(): void;
}

function gate(limit?: InFlightLimit): Gate {
  const inFlightAtSend: number[] = [];
  let open = 0;
  let most = 0;
  let all = false;
  const held: (() => void)[] = [];
  return {
    inFlightAtSend,
    fetch: async (input, init) => {
      if (limit !== undefined) inFlightAtSend.push(limit.inFlight);
      open++;
      most = Math.max(most, open);
      try {
        const response = await globalThis.fetch(input, init);
        if (!all) await new Promise<void>((resolve) => held.push(resolve));
        return response;
      } finally {
        open--;
      }
    },
    get open() {
      return open;
    },
    get most() {
      return most;
    },
    get held() {
      return held.length;
    },
    next: () => held.shift()?.(),
    openAll: () => {
      all = true;
      for (const resolve of held.splice(0)) resolve();
    },
  };
}

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

const client = (through: Gate, maxInFlight: InFlightLimit, more: Partial<Client> = {}): Client => ({ credential: org.ssws(org.org.url), fetch: through.fetch, maxInFlight, ...more });
const received = (): number => Object.values(org.org.counters().requests).reduce((sum, n) => sum + n, 0);

describe.each(Object.entries(drivers))('maxInFlight through %s', (_, send) => {
  it('never has more than the limit in flight: 5 calls at once under a limit of 2 go 2 by 2, first come first served', async () => {
    const through = gate();
    const limit = createInFlightLimit(2);
    const calls = [0, 1, 2, 3, 4].map(() => send(client(through, limit)));
    await until(() => through.held === 2 && limit.waiting === 3, 'two answers held, three calls waiting');
    org.org.resetCounters();
    // The three waiting were not sent: nothing more reached the org.
    expect(received()).toBe(0);
    for (let sent = 2; sent < 5; sent++) {
      through.next();
      await until(() => through.held === 2 && limit.waiting === 4 - sent, `call ${sent + 1} answered`);
    }
    through.openAll();
    const statuses = (await Promise.all(calls)).map((response) => response.status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(through.most).toBe(2);
    expect([limit.inFlight, limit.waiting]).toEqual([0, 0]);
  });

  it('gives the slot back at the answer, its body never read', async () => {
    const limit = createInFlightLimit(1);
    const through = gate(limit);
    through.openAll();
    const first = await send(client(through, limit));
    expect(first.bodyUsed).toBe(false);
    expect(limit.inFlight).toBe(0);
    expect((await send(client(through, limit))).status).toBe(200);
    // Each was sent holding the one slot.
    expect(through.inFlightAtSend).toEqual([1, 1]);
  });

  it('takes an aborted waiter out of the queue at once, holding no slot', async () => {
    const through = gate();
    const limit = createInFlightLimit(1);
    const first = send(client(through, limit));
    await until(() => through.open === 1, 'the first call in flight');
    const controller = new AbortController();
    const queued = failure(send(client(through, limit), controller.signal), isOktaAuthError);
    await until(() => limit.waiting === 1, 'the second call waiting');
    controller.abort();
    expect((await queued).code).toBe('ABORTED');
    expect([limit.inFlight, limit.waiting]).toEqual([1, 0]);
    through.openAll();
    expect((await first).status).toBe(200);
    expect(limit.inFlight).toBe(0);
  });

  it('gives the slot back when the credential throws, and when the send fails', async () => {
    const through = gate();
    through.openAll();
    const limit = createInFlightLimit(1);
    const broken: OktaCredential = { kind: 'ssws', origin: org.org.url, authorize: () => Promise.reject(new Error('vault down')) };
    await expect(send(client(through, limit, { credential: broken }))).rejects.toThrow('vault down');
    expect(limit.inFlight).toBe(0);
    const held: number[] = [];
    const refused: typeof fetch = () => (held.push(limit.inFlight), Promise.reject(new TypeError('fetch failed')));
    const error = await failure(send(client(through, limit, { fetch: refused })), isOktaAuthError);
    expect(error.code).toBe('NETWORK_ERROR');
    // Every attempt (a GET is sent again after a reset) held the slot, and gave it back.
    expect(held.length).toBeGreaterThan(0);
    expect(new Set(held)).toEqual(new Set([1]));
    expect(limit.inFlight).toBe(0);
    expect((await send(client(through, limit))).status).toBe(200);
  });

  it('refuses to send past the wait bound (TIMEOUT naming the limit), and one limit serves two clients', async () => {
    const through = gate();
    const limit = createInFlightLimit(1);
    // Another client of the same org holds the one slot (a createOktaFetch, whatever the driver under test).
    const other = createOktaFetch(client(through, limit))(`/${path}`);
    await until(() => through.open === 1, "the other client's call in flight");
    org.org.resetCounters();
    // timeoutMs 400: the wait for a slot is bounded by half of it.
    const error = await failure(send(client(through, limit, { timeoutMs: 400 })), isOktaAuthError);
    expect(error).toMatchObject({ code: 'TIMEOUT', message: expect.stringMatching(/^GET \/api\/v1\/users waited 200 ms for one of the 1 slots of its in-flight limit \(maxInFlight\)/) });
    expect(received()).toBe(0);
    expect([limit.inFlight, limit.waiting]).toEqual([1, 0]);
    through.openAll();
    expect((await other).status).toBe(200);
    expect(limit.inFlight).toBe(0);
  });
});

describe('the maxInFlight option', () => {
  it.each([2, 'two', null, {}])('refuses %s (INVALID_CONFIG): a limit made by createInFlightLimit', (maxInFlight) => {
    const error = failure.sync(() => createOktaFetch({ credential: org.ssws(org.org.url), maxInFlight: maxInFlight as unknown as InFlightLimit }), isOktaAuthError);
    expect(error).toMatchObject({ code: 'INVALID_CONFIG', message: 'The maxInFlight option must be a limit made by createInFlightLimit(n).' });
  });
});
