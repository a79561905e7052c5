/**
 * A limit the credential carries (`OktaCredential.maxInFlight`: the org's, set by okta-oauth's
 * factories given `maxInFlight`), in every driver, against the emulator: a client given no
 * `maxInFlight` option takes the credential's, one given the option takes the option's, and a
 * credential's field that is no limit is refused as the option is (`INVALID_CONFIG`, nothing sent).
 * The emulator's `hold` fault keeps each answer in flight until the test lets it go.
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

interface Client {
  readonly credential: OktaCredential;
  readonly maxInFlight?: InFlightLimit;
  readonly fetch?: typeof fetch;
}
/** One GET of a user list through a driver, resolving with the answer (its body unread). */
type Send = (client: Client) => Promise<Response>;

const path = 'api/v1/users?limit=1';
const drivers: Record<string, Send> = {
  createOktaFetch: (client) => createOktaFetch(client)(`/${path}`),
  executeOktaRequest: (client) => executeOktaRequest(() => Promise.resolve(new Request(`${org.org.url}/${path}`)), { ...client, origin: org.org.url }),
  createOktaKy: (client) => createOktaKy(client)(path),
  'oktaKyHooks on your own instance': (client) => ky.create({ baseUrl: `${org.org.url}/`, fetch: client.fetch ?? globalThis.fetch, retry: { limit: 3 }, hooks: oktaKyHooks(client) })(path),
};

/** An API token credential of the org carrying `maxInFlight` (what okta-oauth's factories set). */
const carrying = (maxInFlight: unknown): OktaCredential => Object.assign(org.ssws(org.org.url), { maxInFlight });
const received = (): number => Object.values(org.org.counters().requests).reduce((sum, n) => sum + n, 0);

describe.each(Object.entries(drivers))("the credential's maxInFlight through %s", (_, send) => {
  it('caps a client given no maxInFlight option: 3 calls under a limit of 1 go one at a time', async () => {
    const id = org.org.injectFault({ path: '/api/v1/users', kind: 'hold' });
    const limit = createInFlightLimit(1);
    const calls = [0, 1, 2].map(() => send({ credential: carrying(limit) }));
    await until(() => org.org.heldAnswers(id) === 1 && limit.waiting === 2, 'one answer held, two calls waiting');
    expect(limit.inFlight).toBe(1);
    org.org.clearFaults();
    expect((await Promise.all(calls)).map((response) => response.status)).toEqual([200, 200, 200]);
    expect(org.org.counters().maxInFlight).toBe(1);
    expect([limit.inFlight, limit.waiting]).toEqual([0, 0]);
  });

  it("takes the maxInFlight option given over the credential's", async () => {
    const own = createInFlightLimit(1);
    const given = createInFlightLimit(1);
    const inFlightAtSend: number[][] = [];
    const spy: typeof fetch = (input, init) => (inFlightAtSend.push([own.inFlight, given.inFlight]), globalThis.fetch(input, init));
    expect((await send({ credential: carrying(own), maxInFlight: given, fetch: spy })).status).toBe(200);
    // Sent holding the option's slot, none of the credential's.
    expect(inFlightAtSend).toEqual([[0, 1]]);
  });

  it("refuses a credential's maxInFlight that is no limit (INVALID_CONFIG), nothing sent", async () => {
    org.org.resetCounters();
    const error = await failure((async () => send({ credential: carrying(10) }))(), isOktaAuthError);
    // Named as the credential's field (ext153b), not as an option the caller never gave.
    expect(error).toMatchObject({ code: 'INVALID_CONFIG', message: 'The credential.maxInFlight option must be the limit createInFlightLimit(n) returned, not a copy.' });
    expect(received()).toBe(0);
  });

  it("refuses a maxInFlight option of null as before, the credential's limit notwithstanding", async () => {
    const error = await failure((async () => send({ credential: carrying(createInFlightLimit(1)), maxInFlight: null as unknown as InFlightLimit }))(), isOktaAuthError);
    expect(error).toMatchObject({ code: 'INVALID_CONFIG', message: 'The maxInFlight option must be the limit createInFlightLimit(n) returned, not a copy.' });
  });

  // rev96: an object with an `acquire` of its own was taken as a limit; one whose acquire never
  // settled held the call past timeoutMs for ever, one resolving no function threw a raw TypeError
  // after the send. Only createInFlightLimit's limits (bounded waits and holds) are taken.
  it.each([
    ['the option', (limit: InFlightLimit): Client => ({ credential: org.ssws(org.org.url), maxInFlight: limit }), 'maxInFlight'],
    ["the credential's", (limit: InFlightLimit): Client => ({ credential: carrying(limit) }), 'credential.maxInFlight'],
  ])('refuses as %s an object with acquire that createInFlightLimit did not make (INVALID_CONFIG), nothing sent', async (_, client, named) => {
    org.org.resetCounters();
    const lookalike: InFlightLimit = { max: 1, inFlight: 0, waiting: 0, acquire: () => new Promise<() => void>(() => undefined) };
    const error = await failure((async () => send(client(lookalike)))(), isOktaAuthError);
    expect(error).toMatchObject({ code: 'INVALID_CONFIG', message: `The ${named} option must be the limit createInFlightLimit(n) returned, not a copy.` });
    expect(received()).toBe(0);
  });

  it("takes no check of a credential's maxInFlight when the option is given", async () => {
    const limit = createInFlightLimit(1);
    expect((await send({ credential: carrying(10), maxInFlight: limit })).status).toBe(200);
  });
});
