/**
 * The transport options a credential carries (`OktaCredential.retry`, `timeoutMs`, `logger`: what
 * okta-oauth's factories were given), in every driver, against the emulator, as its `maxInFlight` is
 * (`rate-limit/credential-limit.server.test.ts`): a client given none of its own takes the
 * credential's, one given its own takes its own (credopts140: an OIN app given `retry: { limit: 0 }`
 * and a logger had its API calls wait out a 429 with the default retry, logged to no one).
 */
import { failure } from '@org/okta-test-utils';
import ky from 'ky';
import { describe, expect, it } from 'vitest';
import type { OktaLogEvent } from '../config/logger.js';
import type { OktaTransportOptions } from '../config/transport.js';
import type { OktaCredential } from '../credential.js';
import { isOktaAuthError } from '../errors/errors.js';
import { createOktaKy } from '../ky/create-okta-ky.js';
import { oktaKyHooks } from '../ky/hooks.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { executeOktaRequest } from './execute.js';
import { createOktaFetch } from './okta-fetch.js';

const org = useApiTokenOrg();

type Client = Pick<OktaTransportOptions, 'retry' | 'logger' | 'timeoutMs'> & { readonly credential: OktaCredential };
const path = 'api/v1/users?limit=1';
const drivers: Record<string, (client: Client) => Promise<Response>> = {
  createOktaFetch: (client) => createOktaFetch(client)(`/${path}`),
  executeOktaRequest: (client) => executeOktaRequest(() => Promise.resolve(new Request(`${org.org.url}/${path}`)), { ...client, origin: org.org.url }),
  createOktaKy: (client) => createOktaKy(client)(path),
  'oktaKyHooks on your own instance': (client) => ky.create({ baseUrl: `${org.org.url}/`, retry: { limit: 3 }, hooks: oktaKyHooks(client) })(path),
};

/** The org's API token credential carrying `fields` (what okta-oauth's factories set). */
const carrying = (fields: Omit<Client, 'credential'>): OktaCredential => Object.assign(org.ssws(org.org.url), fields);
/** One 429 whose reset is this second: a retry would wait about 1 s, then get 200. */
const one429 = () => org.org.injectFault({ path: '/api/v1/users', kind: 'status', status: 429, count: 1, headers: { 'X-Rate-Limit-Reset': String(Math.floor(Date.now() / 1000)) } });
const usersAsked = () => org.org.counters().requests['GET /api/v1/users'] ?? 0;

describe.each(Object.entries(drivers))("the credential's transport options through %s", (_, send) => {
  it('a client given none takes its retry and logger: one 429 is RATE_LIMITED at once, logged to its logger', async () => {
    one429();
    const events: OktaLogEvent[] = [];
    const error = await failure(send({ credential: carrying({ retry: { limit: 0 }, logger: (event) => events.push(event) }) }), isOktaAuthError);
    expect(error.code).toBe('RATE_LIMITED');
    expect(usersAsked()).toBe(1);
    expect(events.map((event) => event.type)).toEqual(['request', 'response', 'error']);
    expect(events[1]).toMatchObject({ type: 'response', status: 429 });
  });

  it("a client's own retry and logger win over the credential's", async () => {
    one429();
    const mine: string[] = [];
    const its: string[] = [];
    const credential = carrying({ retry: { limit: 0 }, logger: (event) => its.push(event.type) });
    expect((await send({ credential, retry: { limit: 1 }, logger: (event) => mine.push(event.type) })).status).toBe(200);
    expect(usersAsked()).toBe(2);
    expect(mine).toContain('backoff');
    expect(its).toEqual([]);
  });

  it('a client given none takes its timeoutMs: an authorize that never settles is TIMEOUT after it', async () => {
    const credential = { ...carrying({ timeoutMs: 200 }), authorize: () => new Promise<never>(() => undefined) };
    const error = await failure(send({ credential }), isOktaAuthError);
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toContain('timeoutMs');
    expect(usersAsked()).toBe(0);
  }, 10_000);
});
