/**
 * The claims' side of core's one reading of the org's clock (`orgClockOffsetMs` bounded to a day by `dateOffsetMs`,
 * docs/security-history.md "Eighteenth session: the org's clock, read once"): a client assertion is still
 * signed on the org's time when its clock is up to a day from ours (20 hours ahead: one re-signed
 * retry, then the token), and not when it is two days off, a `Date` that is not followed (the
 * assertion stays on the local clock, and Okta refuses it). Core's 429 waits follow any `Date`
 * (`org-clock.server.test.ts` in core). The re-signed retry's bound, a correction over 30 s, is
 * pinned here too, to the millisecond (`server-clock.test.ts` pins `skewed` alone). Over real HTTP against @org/okta-emulator, which checks
 * each assertion's times on its own clock and counts the token requests.
 */
import { describe, expect, it, vi } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import { claims, emulator, serviceApp, useEmulators } from '../test-helpers/org.js';

useEmulators();

describe("client assertions on the org's clock", () => {
  it('20 hours ahead: re-signed once on its time, and the token', async () => {
    const org = await emulator({ seed: { users: 1 } });
    org.setClockOffset(20 * 3600);
    const { okta, wire } = serviceApp(org);
    const before = Math.floor(Date.now() / 1000);
    expect((await okta('/api/v1/users')).status).toBe(200);
    const after = Math.floor(Date.now() / 1000);
    const signed = wire.tokenRequests().map((r) => claims(r.form?.get('client_assertion')).iat ?? 0);
    // The first on the local clock, the last (after DPoP's nonce retry) on the org's: read before and after the
    // call, less the offset's bias into the past (Date's one-second resolution, read after the round trip).
    expect(signed[0]).toBeGreaterThanOrEqual(before);
    expect(signed[0]).toBeLessThanOrEqual(after);
    expect(signed.at(-1)).toBeGreaterThanOrEqual(before + 20 * 3600 - 2);
    expect(signed.at(-1)).toBeLessThanOrEqual(after + 20 * 3600);
    expect(org.counters().tokenRequests.client_credentials?.success).toBe(1);
  });

  it('two days ahead: its Date is not followed; the assertion stays on the local clock and is refused', async () => {
    const org = await emulator({ seed: { users: 1 } });
    org.setClockOffset(2 * 86_400);
    const { okta, wire } = serviceApp(org);
    const before = Math.floor(Date.now() / 1000);
    const error: unknown = await okta('/api/v1/users').catch((e: unknown) => e);
    const after = Math.floor(Date.now() / 1000);
    expect(isOktaOAuthError(error) && error.code).toBe('TOKEN_REQUEST_FAILED');
    const signed = wire.tokenRequests().map((r) => claims(r.form?.get('client_assertion')).iat ?? 0);
    // No re-signed retry (the clock did not move), and the one assertion's iat is local.
    expect(signed).toHaveLength(1);
    expect(signed[0]).toBeGreaterThanOrEqual(before);
    expect(signed[0]).toBeLessThanOrEqual(after);
  });

  // The re-sign bound (docs/SECURITY.md, Bounds: "one re-signed retry when a refused request's
  // correction is over 30 s"), over HTTP. The emulator refuses an assertion whose iat is ahead of
  // its clock (no leeway), so an org 30 s behind refuses the first one; the refusal's Date (whole
  // seconds) then corrects the clock by exactly 30 s, or by 30.001 s when the local clock is one
  // millisecond past the second. Date is frozen, the org's clock with it (it runs in this process),
  // so the correction is exact whatever the machine's load.
  it('re-signs after a refusal when the correction is over 30 s, to the millisecond: 30 s is refused, 30.001 s re-signed and granted', async () => {
    const outcomes: [number, number, unknown][] = [];
    for (const pastTheSecond of [0, 1]) {
      const org = await emulator();
      const second = Math.ceil(Date.now() / 1000) * 1000;
      vi.useFakeTimers({ toFake: ['Date'], now: second + pastTheSecond });
      try {
        org.setClockOffset(-30);
        const { okta, wire } = serviceApp(org, { requireDpop: false });
        const outcome = await okta('/api/v1/users').then((answer) => answer.status, (error: unknown) => (isOktaOAuthError(error) ? error.code : error));
        const signed = wire.tokenRequests().map((r) => claims(r.form?.get('client_assertion')).iat ?? 0);
        // The first assertion on the local clock; a re-signed one on the org's (30 s behind).
        expect(signed).toEqual([second / 1000, second / 1000 - 30].slice(0, signed.length));
        outcomes.push([pastTheSecond, signed.length, outcome]);
      } finally {
        vi.useRealTimers();
      }
    }
    expect(outcomes).toEqual([
      [0, 1, 'TOKEN_REQUEST_FAILED'],
      [1, 2, 200],
    ]);
  });
});
