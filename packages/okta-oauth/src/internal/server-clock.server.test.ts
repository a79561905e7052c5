/**
 * The claims' side of core's one reading of the org's clock (`orgClockOffsetMs` bounded to a day by `dateOffsetMs`,
 * docs/security-history.md "Eighteenth session: the org's clock, read once"): a client assertion is still
 * signed on the org's time when its clock is up to a day from ours (20 hours ahead: one re-signed
 * retry, then the token), and not when it is two days off, a `Date` that is not followed (the
 * assertion stays on the local clock, and Okta refuses it). Core's 429 waits follow any `Date`
 * (`org-clock.server.test.ts` in core). Over real HTTP against @org/okta-emulator, which checks
 * each assertion's times on its own clock and counts the token requests.
 */
import { describe, expect, it } from 'vitest';
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
});
