/**
 * "A slot is given back when the attempt ends, whatever ends it" (core README, "Concurrency"), in
 * every driver: each way an attempt can end (a redirect refused, a 429 waited out, a 5xx sent
 * again, the attempt's timeout, the caller's abort while the body is read, user hooks that throw)
 * leaves the `createInFlightLimit(1)` it used with no slot taken and no waiter once the call
 * settles, and the next call through it reaches the org. The limit's `timeoutMs` is a minute (but
 * for the timeout's own case), so a slot kept is seen at once, never given back by its hold bound.
 * The credential's throw and the abort of a waiter are in `in-flight-limit.server.test.ts`.
 */
import ky, { type Hooks } from 'ky';
import { describe, expect, it } from 'vitest';
import type { OktaCredential } from '../credential.js';
import { createOktaKy } from '../ky/create-okta-ky.js';
import { oktaKyHooks } from '../ky/hooks.js';
import { executeOktaRequest } from '../request/execute.js';
import { createOktaFetch } from '../request/okta-fetch.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { createInFlightLimit, type InFlightLimit } from './in-flight-limit.js';

const org = useApiTokenOrg();
const path = 'api/v1/users?limit=1';
const users = '/api/v1/users';
const received = (): number => Object.values(org.org.counters().requests).reduce((sum, n) => sum + n, 0);

interface Client {
  readonly credential: OktaCredential;
  readonly maxInFlight: InFlightLimit;
  readonly timeoutMs: number;
}
/** One GET through a driver; `hooks` only for the ky drivers (added to the call). */
type Send = (client: Client, signal?: AbortSignal, hooks?: Hooks) => Promise<Response>;

const kyCall = (signal: AbortSignal | undefined, hooks: Hooks | undefined) => ({ ...(signal === undefined ? {} : { signal }), ...(hooks === undefined ? {} : { hooks }) });
const drivers: Record<string, Send> = {
  createOktaFetch: (client, signal) => createOktaFetch(client)(`/${path}`, { signal: signal ?? null }),
  executeOktaRequest: (client, signal) => executeOktaRequest(() => Promise.resolve(new Request(`${org.org.url}/${path}`)), { ...client, origin: org.org.url, signal }),
  createOktaKy: (client, signal, hooks) => createOktaKy(client)(path, kyCall(signal, hooks)),
  'oktaKyHooks on your own instance': (client, signal, hooks) => ky.create({ baseUrl: `${org.org.url}/`, timeout: client.timeoutMs, retry: { limit: 3 }, hooks: oktaKyHooks(client) })(path, kyCall(signal, hooks)),
};
const kyDrivers = Object.entries(drivers).filter(([name]) => name.includes('Ky'));

/** Settles the call (its outcome not asserted here: the drivers' own tests do), then checks the limit and lets the next call through. */
async function expectSettlesFree(limit: InFlightLimit, call: Promise<unknown>): Promise<void> {
  await call.then(
    (response) => (response instanceof Response ? response.body?.cancel() : undefined),
    () => undefined,
  );
  expect({ inFlight: limit.inFlight, waiting: limit.waiting }).toEqual({ inFlight: 0, waiting: 0 });
  org.org.clearFaults();
  const before = received();
  expect((await drivers.createOktaFetch!({ credential: org.ssws(org.org.url), maxInFlight: limit, timeoutMs: 60_000 })).status).toBe(200);
  expect(received()).toBe(before + 1);
}

const client = (maxInFlight: InFlightLimit, timeoutMs = 60_000): Client => ({ credential: org.ssws(org.org.url), maxInFlight, timeoutMs });
const second = (): string => String(Math.floor(Date.now() / 1000));

describe.each(Object.entries(drivers))('the maxInFlight slot at every exit, through %s', (_, send) => {
  it('a redirect refused', async () => {
    const limit = createInFlightLimit(1);
    org.org.injectFault({ path: users, kind: 'redirect', status: 302, location: 'https://elsewhere.example.com/', count: 1 });
    await expectSettlesFree(limit, send(client(limit)));
  });

  it('a 429 waited out, then answered', async () => {
    const limit = createInFlightLimit(1);
    org.org.injectFault({ path: users, kind: 'status', status: 429, count: 1, headers: { 'x-rate-limit-limit': '600', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': second() } });
    await expectSettlesFree(limit, send(client(limit)));
  });

  it('a 503 sent again', async () => {
    const limit = createInFlightLimit(1);
    // Retry-After 0: ky's own retry (oktaKyHooks) would otherwise wait out the org's X-Rate-Limit-Reset.
    org.org.injectFault({ path: users, kind: 'status', status: 503, count: 1, headers: { 'retry-after': '0' } });
    await expectSettlesFree(limit, send(client(limit)));
  });

  it("the attempt's timeout, its answer held", async () => {
    const limit = createInFlightLimit(1);
    org.org.injectFault({ path: users, kind: 'hold' });
    await expectSettlesFree(limit, send(client(limit, 200)));
  });

  it('the caller aborts while the body is read', async () => {
    const limit = createInFlightLimit(1);
    const controller = new AbortController();
    const response = await send(client(limit), controller.signal);
    controller.abort();
    await expectSettlesFree(limit, response.text());
  });
});

describe.each(kyDrivers)('the maxInFlight slot when a hook of yours throws, through %s', (_, send) => {
  const yours = new Error('your hook refused');
  const refuse = (): never => {
    throw yours;
  };
  it.each([
    ['beforeRequest', { beforeRequest: [refuse] }],
    ['afterResponse', { afterResponse: [refuse] }],
    ['beforeError', { beforeRequest: [refuse], beforeError: [refuse] }],
  ] as [string, Hooks][])('%s: your error, as itself', async (_, hooks) => {
    const limit = createInFlightLimit(1);
    const call = send(client(limit), undefined, hooks);
    await expect(call).rejects.toBe(yours);
    await expectSettlesFree(limit, call);
  });
});
