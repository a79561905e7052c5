/**
 * A credential's token requests under the `maxInFlight` limit (core's `createInFlightLimit`), against
 * the emulator: Okta's concurrency limit counts every request to the org, the token endpoint's too,
 * so a limit given to a factory's transport options caps its token requests, and one limit given to
 * the credential and its client caps everything the process sends to the org. The emulator's `hold`
 * fault keeps an answer in flight until the test lets it go, and `counters().maxInFlight` reads the
 * most the org had in flight at once. A slot is taken after authorizing, so a cold call's token
 * request never waits behind its own call.
 */
import { createInFlightLimit, createOktaFetch, type InFlightLimit, type OktaCredential } from '@org/okta-auth-core';
import type { OktaEmulator } from '@org/okta-emulator';
import { failure, until } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import { createOinAppCredential } from '../oin-app.js';
import { createServiceAppCredential } from '../service-app.js';
import { emulator, useEmulators } from '../test-helpers/org.js';
import { signIn, useSignInOrg } from '../user/test-helpers/sign-in-org.js';

useEmulators();

/** A new cold credential of a new app of `org` whose factory was given `maxInFlight`. */
type Factory = (org: OktaEmulator, maxInFlight: InFlightLimit) => OktaCredential;
const factories: Record<string, Factory> = {
  createServiceAppCredential: (org, maxInFlight) => {
    const app = org.createServiceApp({ keyType: 'EC', requireDpop: true, scopes: ['okta.users.read'] });
    return createServiceAppCredential({ orgUrl: org.url, clientId: app.clientId, privateKey: app.privateKeyPem, keyId: app.keyId, scopes: ['okta.users.read'], allowInsecureLoopback: true, maxInFlight });
  },
  createOinAppCredential: (org, maxInFlight) => {
    const app = org.createOinApp({ scopes: ['okta.users.read'] });
    return createOinAppCredential({ orgUrl: org.url, ...app, scopes: ['okta.users.read'], allowInsecureLoopback: true, maxInFlight });
  },
};

const tokenPath = '/oauth2/v1/token';
const tokenRequests = (org: OktaEmulator): number => org.counters().requests[`POST ${tokenPath}`] ?? 0;

describe.each(Object.entries(factories))('maxInFlight given to %s', (_, make) => {
  it('its token request takes a slot: two cold calls under a limit of 1 send one thing at a time', async () => {
    const org = await emulator({ seed: { users: 1 } });
    const limit = createInFlightLimit(1);
    const credential = make(org, limit);
    const okta = createOktaFetch({ credential, maxInFlight: limit });
    const id = org.injectFault({ path: tokenPath, kind: 'hold', count: 1 });
    const calls = [okta('/api/v1/users'), okta('/api/v1/users')];
    await until(() => org.heldAnswers(id) === 1, 'the token request held');
    // The token request holds the one slot; the two calls wait for the token, not yet for a slot.
    expect([limit.inFlight, limit.waiting]).toEqual([1, 0]);
    org.clearFaults();
    expect((await Promise.all(calls)).map((response) => response.status)).toEqual([200, 200]);
    expect(org.counters().maxInFlight).toBe(1);
    expect([limit.inFlight, limit.waiting]).toEqual([0, 0]);
  });

  it('the credential carries the limit: a client given no maxInFlight takes it, for the calls and the token request', async () => {
    const org = await emulator({ seed: { users: 1 } });
    const limit = createInFlightLimit(1);
    const credential = make(org, limit);
    expect(credential.maxInFlight).toBe(limit);
    const okta = createOktaFetch({ credential });
    const id = org.injectFault({ path: '/api/v1/users', kind: 'hold' });
    const calls = [okta('/api/v1/users'), okta('/api/v1/users')];
    await until(() => org.heldAnswers(id) === 1 && limit.waiting === 1, 'one call held, the other waiting for its slot');
    org.clearFaults();
    expect((await Promise.all(calls)).map((response) => response.status)).toEqual([200, 200]);
    expect(org.counters().maxInFlight).toBe(1);
    expect([limit.inFlight, limit.waiting]).toEqual([0, 0]);
  });

  it('no deadlock: a cold token request waits for the slot an API call holds, then goes', async () => {
    const org = await emulator({ seed: { users: 1 } });
    const limit = createInFlightLimit(1);
    const warm = createOktaFetch({ credential: make(org, limit), maxInFlight: limit });
    expect((await warm('/api/v1/users')).status).toBe(200);
    const id = org.injectFault({ path: '/api/v1/users', kind: 'hold', count: 1 });
    const first = warm('/api/v1/users');
    await until(() => org.heldAnswers(id) === 1, 'the warm call in flight');
    const before = tokenRequests(org);
    // Another credential of the org, cold, on the same limit: its token request waits for the slot, unsent.
    const cold = createOktaFetch({ credential: make(org, limit), maxInFlight: limit });
    const second = [cold('/api/v1/users'), cold('/api/v1/users')];
    await until(() => limit.waiting === 1, "the cold credential's token request waiting");
    expect(tokenRequests(org)).toBe(before);
    org.clearFaults();
    expect((await Promise.all([first, ...second])).map((response) => response.status)).toEqual([200, 200, 200]);
    expect(tokenRequests(org)).toBeGreaterThan(before);
    expect(org.counters().maxInFlight).toBe(1);
    expect([limit.inFlight, limit.waiting]).toEqual([0, 0]);
  });

  it('refuses a maxInFlight not made by createInFlightLimit (INVALID_CONFIG), as core does', async () => {
    const org = await emulator();
    const error = failure.sync(() => make(org, 10 as unknown as InFlightLimit), isOktaOAuthError);
    expect(error).toMatchObject({ code: 'INVALID_CONFIG', message: 'The maxInFlight option must be the limit createInFlightLimit(n) returned, not a copy.' });
  });
});

describe('maxInFlight given to createSignInClient', () => {
  const env = useSignInOrg();

  it("the credential's refresh takes a slot: two calls with an expired token under a limit of 1 send one thing at a time", async () => {
    const clock = { now: Date.now() };
    const limit = createInFlightLimit(1);
    const signInClient = env.spa({ now: () => clock.now, maxInFlight: limit });
    const { tokens } = await signIn(signInClient);
    const credential = signInClient.credential(tokens);
    // An hour later, on both clocks: the next call refreshes.
    clock.now += 3600_000;
    env.org.setClockOffset(3600);
    env.org.resetCounters();
    // The credential carries the client's limit: no maxInFlight given to createOktaFetch.
    expect(credential.maxInFlight).toBe(limit);
    const okta = createOktaFetch({ credential });
    const id = env.org.injectFault({ path: tokenPath, kind: 'hold', count: 1 });
    const calls = [okta(env.userPath), okta(env.userPath)];
    await until(() => env.org.heldAnswers(id) === 1, 'the refresh held');
    expect([limit.inFlight, limit.waiting]).toEqual([1, 0]);
    env.org.clearFaults();
    expect((await Promise.all(calls)).map((response) => response.status)).toEqual([200, 200]);
    expect(env.org.counters()).toMatchObject({ maxInFlight: 1, tokenRequests: { refresh_token: { success: 1 } } });
    expect([limit.inFlight, limit.waiting]).toEqual([0, 0]);
  });
});
