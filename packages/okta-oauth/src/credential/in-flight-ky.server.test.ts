/**
 * A credential's token requests under a shared `maxInFlight` limit of 1 on the paths the fetch-driver
 * tests (`in-flight-limit.server.test.ts`) leave out: the ky drivers (`createOktaKy`, `oktaKyHooks` on
 * your own instance), a revoked token's challenge retry, a resource's DPoP nonce retry, and a token
 * request that waits for a slot past its bound. None may deadlock: a slot is taken after authorizing
 * and given back at the answer's headers, so nothing holds one while it waits for a token.
 */
import { createInFlightLimit, createOktaFetch, isOktaAuthError, type InFlightLimit } from '@org/okta-auth-core';
import { createOktaKy, oktaKyHooks } from '@org/okta-auth-core/ky';
import type { OktaEmulator } from '@org/okta-emulator';
import { failure, until } from '@org/okta-test-utils';
import ky from 'ky';
import { describe, expect, it } from 'vitest';
import { createServiceAppCredential, type ServiceAppCredentialOptions } from '../service-app.js';
import { emulator, useEmulators } from '../test-helpers/org.js';
import { signIn, useSignInOrg } from '../user/test-helpers/sign-in-org.js';

useEmulators();

/** A cold DPoP service app credential of `org` whose factory was given `limit`. */
function credentialOf(org: OktaEmulator, limit: InFlightLimit, options: Partial<ServiceAppCredentialOptions> = {}) {
  const app = org.createServiceApp({ keyType: 'EC', requireDpop: true, scopes: ['okta.users.read'] });
  return createServiceAppCredential({ orgUrl: org.url, clientId: app.clientId, privateKey: app.privateKeyPem, keyId: app.keyId, scopes: ['okta.users.read'], allowInsecureLoopback: true, maxInFlight: limit, ...options });
}

describe('a limit of 1 shared by a credential and its ky clients', () => {
  it("a revoked token's challenge and a resource's DPoP nonce retry get their new token or proof: no deadlock", async () => {
    const org = await emulator({ seed: { users: 1 } });
    const limit = createInFlightLimit(1);
    const credential = credentialOf(org, limit);
    const api = createOktaKy({ credential, maxInFlight: limit });
    const own = ky.create({ prefix: org.url, hooks: oktaKyHooks({ credential, maxInFlight: limit }) });
    const okta = createOktaFetch({ credential, maxInFlight: limit });
    const three = async () => (await Promise.all([api.get('api/v1/users'), own.get('api/v1/users'), okta('/api/v1/users')])).map((response) => response.status);
    expect(await three()).toEqual([200, 200, 200]);
    org.revokeAccessTokens();
    expect(await three()).toEqual([200, 200, 200]);
    org.requireResourceNonce(true);
    expect(await three()).toEqual([200, 200, 200]);
    expect(org.counters().maxInFlight).toBe(1);
    expect([limit.inFlight, limit.waiting]).toEqual([0, 0]);
  });

  it("a token request past its slot's wait fails with the limit's TIMEOUT, naming the limit and the token endpoint", async () => {
    const org = await emulator({ seed: { users: 1 } });
    const limit = createInFlightLimit(1);
    const warm = createOktaFetch({ credential: credentialOf(org, limit), maxInFlight: limit });
    expect((await warm('/api/v1/users')).status).toBe(200);
    const id = org.injectFault({ path: '/api/v1/users', kind: 'hold', count: 1 });
    const held = warm('/api/v1/users');
    await until(() => org.heldAnswers(id) === 1, 'the warm call held');
    // Another credential of the org, cold: its token request waits at most retry.maxWaitMs for the one slot.
    const cold = createOktaKy({ credential: credentialOf(org, limit, { retry: { maxWaitMs: 100 } }), maxInFlight: limit });
    const error = await failure(cold.get('api/v1/users'), isOktaAuthError);
    expect(error).toMatchObject({ code: 'TIMEOUT', message: expect.stringMatching(/^POST [\w.:-]+\/oauth2\/v1\/token waited 100 ms for a slot of its in-flight limit \(maxInFlight, 1 at once\) and was not sent/) });
    org.clearFaults();
    expect((await held).status).toBe(200);
    // The cold credential's token request was never sent.
    expect(org.counters().tokenRequests).toMatchObject({ client_credentials: { success: 1 } });
  });
});

describe('a sign-in credential under a limit of 1 through ky', () => {
  const env = useSignInOrg();

  it('its refresh holds the one slot while the ky calls that wait for it hold none', async () => {
    const clock = { now: Date.now() };
    const limit = createInFlightLimit(1);
    const signInClient = env.spa({ now: () => clock.now, maxInFlight: limit });
    const credential = signInClient.credential((await signIn(signInClient)).tokens);
    clock.now += 3600_000;
    env.org.setClockOffset(3600);
    const path = env.userPath.slice(1);
    const api = createOktaKy({ credential, maxInFlight: limit });
    const own = ky.create({ prefix: env.org.url, hooks: oktaKyHooks({ credential, maxInFlight: limit }) });
    const id = env.org.injectFault({ path: '/oauth2/v1/token', kind: 'hold', count: 1 });
    const calls = [api.get(path), own.get(path)];
    await until(() => env.org.heldAnswers(id) === 1, 'the refresh held');
    expect([limit.inFlight, limit.waiting]).toEqual([1, 0]);
    env.org.clearFaults();
    expect((await Promise.all(calls)).map((response) => response.status)).toEqual([200, 200]);
    expect(env.org.counters()).toMatchObject({ maxInFlight: 1, tokenRequests: { refresh_token: { success: 1 } } });
  });
});
