/**
 * The reset a coordinator is told (`observe`'s `resetAt`), over real HTTP against
 * @org/okta-emulator, whose clock and `Date` run two days ahead or behind: Okta's
 * `X-Rate-Limit-Reset` less the same answer's `Date`, on the local clock. It decides which window a
 * reservation counts in and what a waiter is told (the Redis coordinator starts a new window when
 * the reset moves on, and tells a waiter `resetAt` less its now): on the org's clock, a fleet two
 * days off would be told to wait two days (past every `maxWaitMs`: no coordination), or count every
 * answer in a window long over. Bracketed by the local clock read before and after the call.
 */
import ky from 'ky';
import { describe, expect, it } from 'vitest';
import { createOktaKy } from '../ky/create-okta-ky.js';
import { oktaKyHooks } from '../ky/hooks.js';
import { createOktaFetch } from '../request/okta-fetch.js';
import { coordinateRateLimits, type RateLimitObservation } from './rate-limit-coordinator.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';

const org = useApiTokenOrg();
const twoDays = 2 * 86_400;

type Call = (observations: RateLimitObservation[], answers: Headers[]) => Promise<unknown>;

/** A coordinator that keeps what it is told, and a fetch that keeps each answer's headers. */
function recording(observations: RateLimitObservation[], answers: Headers[]) {
  const rateLimitCoordinator = coordinateRateLimits({ reserve: () => 0, observe: (_scope, observation) => void observations.push(observation) });
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await globalThis.fetch(input, init);
    answers.push(response.headers);
    return response;
  };
  return { credential: org.ssws(org.org.url), rateLimitCoordinator, fetch };
}

const drivers: [string, Call][] = [
  ['createOktaFetch', (o, a) => createOktaFetch(recording(o, a))('/api/v1/users').then((r) => r.json())],
  ['createOktaKy', (o, a) => createOktaKy(recording(o, a)).get('api/v1/users').json()],
  ['oktaKyHooks', (o, a) => { const options = recording(o, a); return ky.create({ baseUrl: `${org.org.url}/`, fetch: options.fetch, hooks: oktaKyHooks(options) }).get('api/v1/users').json(); }],
];

/** One call: what the coordinator was told, the answer's headers, and the local clock around it. */
async function observed(call: Call): Promise<{ observation: RateLimitObservation | undefined; answer: Headers | undefined; before: number; after: number }> {
  const observations: RateLimitObservation[] = [];
  const answers: Headers[] = [];
  const before = Date.now();
  await call(observations, answers);
  const after = Date.now();
  expect([observations.length, answers.length]).toEqual([1, 1]);
  return { observation: observations[0], answer: answers[0], before, after };
}

describe.each(drivers)('the reset a coordinator is told, through %s', (_, call) => {
  it.each([
    ['two days ahead', twoDays],
    ['two days behind', -twoDays],
  ])("an org whose clock is %s: Okta's reset less the answer's Date, on the local clock (within the minute's window)", async (_label, offset) => {
    org.org.setClockOffset(offset);
    const { observation, answer, before, after } = await observed(call);
    const resetMs = Number(answer?.get('x-rate-limit-reset')) * 1000;
    const untilReset = resetMs - Date.parse(answer?.get('date') ?? '');
    expect(untilReset).toBeGreaterThanOrEqual(0);
    expect(untilReset).toBeLessThanOrEqual(61_000);
    expect(observation).toMatchObject({ status: 200, limit: 600, remaining: 599 });
    expect(observation?.resetAt).toBeGreaterThanOrEqual(before + untilReset);
    expect(observation?.resetAt).toBeLessThanOrEqual(after + untilReset);
  });

  it("an answer without a Date: the reset as Okta gave it (the org's clock taken for the local one)", async () => {
    org.org.injectFault({ path: '/api/v1/users', kind: 'headers', headers: { Date: '' }, count: 1 });
    const { observation, answer } = await observed(call);
    expect(answer?.get('date')).toBeNull();
    expect(observation?.resetAt).toBe(Number(answer?.get('x-rate-limit-reset')) * 1000);
  });

  it('an answer without X-Rate-Limit-Reset: no reset (undefined, not NaN), its limit and remaining still told', async () => {
    org.org.injectFault({ path: '/api/v1/users', kind: 'headers', headers: { 'X-Rate-Limit-Reset': '' }, count: 1 });
    const { observation } = await observed(call);
    expect(observation).toEqual({ status: 200, limit: 600, remaining: 599, resetAt: undefined });
  });
});
