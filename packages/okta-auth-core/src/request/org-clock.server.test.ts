/**
 * A 429's wait follows the org's `Date` however far it is from the local clock (`orgClockOffsetMs`
 * without a bound, docs/security-history.md "Eighteenth session: the org's clock, read once"): the wait is the
 * answer's `X-Rate-Limit-Reset` less its own `Date`, so a device whose clock is two days behind
 * the org's waits what Okta means (about a second here) and gets the answer, through every driver.
 * Bounded to a day, as the claims' clock is in `@org/okta-oauth`, it would take the wait for two
 * days, past `retry.maxWaitMs`, and give up (`RATE_LIMITED`, one request). Over real HTTP against
 * @org/okta-emulator, whose clock and `Date` run two days ahead; it counts the requests.
 */
import ky from 'ky';
import { describe, expect, it } from 'vitest';
import { isOktaAuthError } from '../errors/errors.js';
import { createOktaKy } from '../ky/create-okta-ky.js';
import { oktaKyHooks } from '../ky/hooks.js';
import { createOktaFetch } from './okta-fetch.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';

const org = useApiTokenOrg();
const twoDays = 2 * 86_400;
const users = 'api/v1/users';

const drivers: [string, (origin: string) => (path: string) => Promise<Response>][] = [
  ['createOktaFetch', () => { const okta = createOktaFetch({ credential: org.ssws(org.org.url) }); return (path) => okta(`/${path}`); }],
  ['createOktaKy', () => { const okta = createOktaKy({ credential: org.ssws(org.org.url) }); return (path) => okta.get(path); }],
  ['oktaKyHooks', (origin) => { const okta = ky.create({ baseUrl: `${origin}/`, retry: { limit: 2, methods: ['get'] }, hooks: oktaKyHooks({ credential: org.ssws(origin) }) }); return (path) => okta.get(path); }],
];

describe.each(drivers)("a 429 from an org whose clock is two days ahead, through %s", (_, driver) => {
  it("is waited out by the answer's own Date (about a second), not two days: the answer, after two requests", async () => {
    org.org.setClockOffset(twoDays);
    // The org's window resets now on its clock: Okta's wait is the one second added.
    const reset = String(Math.floor(Date.now() / 1000) + twoDays);
    org.org.injectFault({ path: `/${users}`, kind: 'status', status: 429, count: 1, headers: { 'X-Rate-Limit-Reset': reset } });
    org.org.resetCounters();
    const result = await driver(org.org.url)(users).then((response) => response.status, (error: unknown) => (isOktaAuthError(error) ? error.code : String(error)));
    expect({ result, received: org.org.counters().requests }).toEqual({ result: 200, received: { 'GET /api/v1/users': 2 } });
  });
});
