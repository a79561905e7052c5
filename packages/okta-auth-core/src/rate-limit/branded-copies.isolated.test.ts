/**
 * The drivers take a `maxInFlight` limit only as `createInFlightLimit` made it, and a
 * `rateLimitCoordinator` only as `coordinateRateLimits` wrapped it (their `Symbol.for` brands, as the
 * errors'). Every legitimate path must still pass: one made by another copy of core (two installs, or
 * `@org/okta-token-store-redis` resolving its own peer copy) is taken, and its slots and budgets are
 * the ones used; the limit frozen is still the limit. A copy of one (`{ ...limit }`: the brand is not
 * enumerable, the counts' getters become numbers) is refused before anything is sent.
 */
import { describe, expect, it, vi } from 'vitest';
import type { OktaCredential } from '../credential.js';
import { createOktaKy } from '../ky/create-okta-ky.js';
import { createOktaFetch } from '../request/okta-fetch.js';
import { createInFlightLimit, type InFlightLimit } from './in-flight-limit.js';
import { coordinateRateLimits, type CoordinatedRateLimits } from './rate-limit-coordinator.js';

const credential: OktaCredential = { kind: 'ssws', origin: 'https://acme.okta.com', authorize: () => Promise.resolve({ authorization: 'SSWS x' }) };

/** Another copy of core's modules, as a second install would load them (nothing shared but the global symbol registry). */
async function anotherCopy(): Promise<{ createInFlightLimit: typeof createInFlightLimit; coordinateRateLimits: typeof coordinateRateLimits }> {
  vi.resetModules();
  const [limits, coordinators] = await Promise.all([import('./in-flight-limit.js'), import('./rate-limit-coordinator.js')]);
  return { createInFlightLimit: limits.createInFlightLimit, coordinateRateLimits: coordinators.coordinateRateLimits };
}

type Send = (options: { fetch: typeof globalThis.fetch; maxInFlight?: InFlightLimit; rateLimitCoordinator?: CoordinatedRateLimits }) => Promise<Response>;

const drivers: Record<string, Send> = {
  createOktaFetch: (options) => createOktaFetch({ credential, retry: false, ...options })('/api/v1/users'),
  createOktaKy: (options) => createOktaKy({ credential, retry: false, ...options })('api/v1/users'),
};

describe.each(Object.entries(drivers))('%s', (_, send) => {
  it("takes a limit and a coordinator another copy of core made, and uses that limit's slot and that coordinator's budget", async () => {
    const other = await anotherCopy();
    expect(other.createInFlightLimit).not.toBe(createInFlightLimit);
    const limit = other.createInFlightLimit(1);
    const reserve = vi.fn(() => 0);
    const rateLimitCoordinator = other.coordinateRateLimits({ reserve, observe: () => undefined });
    const inFlight: number[] = [];
    const fetch = vi.fn<typeof globalThis.fetch>(() => (inFlight.push(limit.inFlight), Promise.resolve(Response.json([]))));
    expect((await send({ fetch, maxInFlight: limit, rateLimitCoordinator })).status).toBe(200);
    expect({ inFlight, after: limit.inFlight, reserved: reserve.mock.calls.length > 0 }).toEqual({ inFlight: [1], after: 0, reserved: true });
  });

  it('takes a frozen limit and coordinator', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(() => Promise.resolve(Response.json([])));
    const maxInFlight = Object.freeze(createInFlightLimit(1));
    const rateLimitCoordinator = Object.freeze(coordinateRateLimits({ reserve: () => 0, observe: () => undefined }));
    expect((await send({ fetch, maxInFlight, rateLimitCoordinator })).status).toBe(200);
  });

  it('refuses a copy of a limit or a coordinator (a spread): INVALID_CONFIG naming the option, nothing sent', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>();
    const limit = createInFlightLimit(1);
    await expect((async () => send({ fetch, maxInFlight: { ...limit } }))()).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('The maxInFlight option must be the limit createInFlightLimit(n) returned, not a copy') });
    const coordinator = coordinateRateLimits({ reserve: () => 0, observe: () => undefined });
    await expect((async () => send({ fetch, rateLimitCoordinator: { ...coordinator } }))()).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('The rateLimitCoordinator option must be the coordinator coordinateRateLimits({ reserve, observe }) returned, not a copy') });
    expect(fetch).not.toHaveBeenCalled();
  });
});
