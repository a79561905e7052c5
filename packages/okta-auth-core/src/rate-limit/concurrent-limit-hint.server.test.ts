/**
 * Okta's concurrent limit over real HTTP (@org/okta-emulator's `setConcurrencyLimit`): its 429 says
 * `X-Rate-Limit-Limit: 0`, and a `RATE_LIMITED` past `retry.limit` names it and `maxInFlight`, not
 * "raise retry.limit" (page152: more retries only send more calls into the same limit); a
 * per-minute 429 still says to raise it.
 */
import { describe, expect, it } from 'vitest';
import { createOktaFetch } from '../request/okta-fetch.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { rejection } from '../test-helpers/outcome.js';

const emulated = useApiTokenOrg();
const okta = () => createOktaFetch({ credential: emulated.ssws(emulated.org.url), retry: { limit: 0 } });
const concurrent = "not retried: retry.limit (0) spent; Okta's concurrent limit: cap calls with maxInFlight: createInFlightLimit(n)";

describe("a 429 of Okta's concurrent limit", () => {
  it('past retry.limit, names the limit and maxInFlight in the hint and the message', async () => {
    const { org } = emulated;
    org.setConcurrencyLimit(1);
    const held = org.injectFault({ path: '/api/v1/users', kind: 'hold', count: 1, holdMs: 10_000 });
    const first = okta()('/api/v1/users?limit=1');
    while (org.heldAnswers(held) === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const error = await rejection(() => okta()('/api/v1/users?limit=1'));
    org.releaseHeld(held);
    await (await first).body?.cancel();
    expect(error).toMatchObject({ code: 'RATE_LIMITED', rateLimit: { limit: 0, remaining: 0 }, hint: concurrent });
    expect(error.message.endsWith(`: ${concurrent}`)).toBe(true);
  });

  it('a per-minute 429 past retry.limit still says to raise it', async () => {
    emulated.org.setRateLimit('/api/v1/users', 1);
    await (await okta()('/api/v1/users?limit=1')).body?.cancel();
    const error = await rejection(() => okta()('/api/v1/users?limit=1'));
    expect(error).toMatchObject({ code: 'RATE_LIMITED', hint: 'not retried: retry.limit (0) spent; raise retry.limit' });
  });
});
