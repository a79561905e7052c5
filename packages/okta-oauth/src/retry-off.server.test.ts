/**
 * `retry: false` is one attempt per call (core README, "Retries"), except the credential's challenge
 * retry: a DPoP call answered `use_dpop_nonce` cannot succeed without it (RFC 9449 §9), so it is a
 * protocol step, not a retry to turn off. A service app with DPoP and `retry: false`, on an org that
 * requires the resource nonce, through every driver: the call succeeds with one challenge round trip
 * (the emulator counts two requests), and the token endpoint's own nonce round trip still happens.
 * (Each driver's one attempt on a 5xx, a reset or a 429: core's `retry-off.server.test.ts`.)
 */
import { createOktaFetch, type OktaCredential } from '@org/okta-auth-core';
import { createOktaKy, oktaKyHooks } from '@org/okta-auth-core/ky';
import ky from 'ky';
import { describe, expect, it } from 'vitest';
import { claims, emulator, serviceApp, useEmulators } from './test-helpers/org.js';

useEmulators();

const drivers: Record<string, (credential: OktaCredential, fetch: typeof globalThis.fetch) => (path: string) => Promise<number>> = {
  createOktaFetch: (credential, fetch) => {
    const okta = createOktaFetch({ credential, fetch, retry: false });
    return async (path) => (await okta(path)).status;
  },
  createOktaKy: (credential, fetch) => {
    const api = createOktaKy({ credential, fetch, retry: false });
    return async (path) => (await api.get(path.slice(1))).status;
  },
  // The README's instance for one attempt per call: ky's own retries are the instance's, 1 is the challenge's.
  oktaKyHooks: (credential, fetch) => {
    const api = ky.create({ baseUrl: `${credential.origin}/`, fetch, retry: { limit: 1, methods: [] }, hooks: oktaKyHooks({ credential, retry: false }) });
    return async (path) => (await api.get(path.slice(1))).status;
  },
};

describe.each(Object.keys(drivers))('retry: false through %s, with DPoP', (name) => {
  it('still answers a resource use_dpop_nonce challenge once, with the new nonce, and the token request its own', async () => {
    const org = await emulator({ seed: { users: 1 }, dpopNonceLifetimeSeconds: 60 });
    const { credential, wire } = serviceApp(org, {}, { retry: false });
    const call = drivers[name]!(credential, wire.fetch);
    expect(await call('/api/v1/users')).toBe(200);
    // A nonce round trip at the token endpoint (use_dpop_nonce, then the token), with retry: false too.
    expect(org.counters().tokenRequests.client_credentials).toEqual({ use_dpop_nonce: 1, success: 1 });
    org.requireResourceNonce(true);
    org.setClockOffset(240); // the token endpoint's nonce is now too old
    org.resetCounters();
    expect(await call('/api/v1/users')).toBe(200);
    expect(org.counters().requests).toEqual({ 'GET /api/v1/users': 2 });
    const [challenged, retried] = wire.apiRequests().slice(-2);
    expect(claims(retried?.headers.get('dpop')).nonce).not.toBe(claims(challenged?.headers.get('dpop')).nonce);
    expect(claims(retried?.headers.get('dpop')).nonce).toBeTruthy();
  });
});
