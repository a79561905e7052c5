/**
 * A credential's `maxInFlight` (limit94) as a hostile or buggy credential gives it: a getter that
 * answers a different limit each read is read once per client (once per call with
 * `executeOktaRequest`, whose client is the call), and not at all when the option is given; a getter
 * that throws is user code, which propagates as itself when the client is made, nothing sent (as a
 * credential's throwing `kind` or `authorize` does); a credential carried to another origin is refused
 * before a slot is taken (the origin check comes first, in every driver).
 */
import { failure } from '@org/okta-test-utils';
import ky from 'ky';
import { describe, expect, it, vi } from 'vitest';
import type { OktaCredential } from '../credential.js';
import { isOktaAuthError } from '../errors/errors.js';
import { createOktaKy } from '../ky/create-okta-ky.js';
import { oktaKyHooks } from '../ky/hooks.js';
import { executeOktaRequest } from '../request/execute.js';
import { createOktaFetch } from '../request/okta-fetch.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { useScriptedServer } from '../test-helpers/scripted-server.js';
import { createInFlightLimit, type InFlightLimit } from './in-flight-limit.js';

const org = useApiTokenOrg();
// Another origin, answering 200 to whatever reaches it: nothing may.
const elsewhere = useScriptedServer();

/** A client of one driver: `send(path or URL)` makes one GET, resolving with the answer. */
type Make = (options: { credential: OktaCredential; maxInFlight?: InFlightLimit }, origin?: string) => (target: string) => Promise<Response>;

const drivers: Record<string, Make> = {
  createOktaFetch: (options) => {
    const okta = createOktaFetch(options);
    return (target) => okta(target);
  },
  // Its client is the call: the options are read on each.
  executeOktaRequest: (options, origin = org.org.url) => (target) => executeOktaRequest(() => Promise.resolve(new Request(new URL(target, org.org.url))), { ...options, origin }),
  createOktaKy: (options) => {
    const api = createOktaKy(options);
    return (target) => api(target.replace(/^\//, ''));
  },
  'oktaKyHooks on your own instance': (options) => {
    const own = ky.create({ baseUrl: `${org.org.url}/`, hooks: oktaKyHooks(options) });
    return (target) => own(target.replace(/^\//, ''));
  },
};

/** The org's API token credential with `maxInFlight` as `get` answers it. */
const withGetter = (get: () => unknown): OktaCredential => Object.defineProperty(org.ssws(org.org.url), 'maxInFlight', { get, enumerable: true });

describe.each(Object.entries(drivers))("a hostile credential's maxInFlight through %s", (name, make) => {
  it('a getter that answers another limit each read: read once per client, each call under the first', async () => {
    const limits = [createInFlightLimit(1), createInFlightLimit(1), createInFlightLimit(1)];
    let reads = 0;
    const taken: number[] = [];
    for (const [i, limit] of limits.entries()) {
      const acquire = limit.acquire.bind(limit);
      vi.spyOn(limit, 'acquire').mockImplementation((options) => (taken.push(i), acquire(options)));
    }
    const send = make({ credential: withGetter(() => limits[reads++]) });
    expect((await send('/api/v1/users')).status).toBe(200);
    expect((await send('/api/v1/users')).status).toBe(200);
    // executeOktaRequest's client is the call: read once per call, so the second took the second limit.
    expect({ reads, taken }).toEqual(name === 'executeOktaRequest' ? { reads: 2, taken: [0, 1] } : { reads: 1, taken: [0, 0] });
  });

  it('a getter that throws: its error as itself when the client is made, nothing sent; not read at all when the option is given', async () => {
    const thrown = new Error('the getter failed');
    const credential = withGetter(() => {
      throw thrown;
    });
    org.org.resetCounters();
    // The client is made inside: executeOktaRequest's refusal is the call's rejection, the others' a throw.
    expect(await failure((async () => make({ credential })('/api/v1/users'))())).toBe(thrown);
    expect(org.org.counters().requests).toEqual({});
    const limit = createInFlightLimit(1);
    expect((await make({ credential, maxInFlight: limit })('/api/v1/users')).status).toBe(200);
  });

  it("carried to another origin: refused before a slot of the credential's limit is taken, nothing sent there", async () => {
    const limit = createInFlightLimit(1);
    const acquire = vi.spyOn(limit, 'acquire');
    const credential = Object.assign(org.ssws(org.org.url), { maxInFlight: limit });
    const target = `${elsewhere.url}/api/v1/users`;
    // executeOktaRequest is given the other origin; the others an absolute URL of it.
    const error = await failure((async () => make({ credential }, elsewhere.url)(target))(), isOktaAuthError);
    expect(error.code).toBe('ORIGIN_MISMATCH');
    expect(acquire).not.toHaveBeenCalled();
    expect(elsewhere.requests).toHaveLength(0);
  });
});
