/**
 * What createMultiOrgCredentials does with a create() that returns no credential (a missing
 * `return`, an `async` create that reads the secret from a vault) and a clock that is no function:
 * a typed error saying what to pass, never a runtime TypeError or a message about `undefined`
 * (docs/security-history.md, "OIN service apps red-teamed (Thirty-fifth session)").
 */
import { runInNewContext } from 'node:vm';
import { createInFlightLimit, isOktaAuthError, type OktaCredential } from '@org/okta-auth-core';
import { failure, useUnhandledRejections } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { createMultiOrgCredentials } from './multi-org.js';

const org = 'https://a.okta.com';
const credential: OktaCredential = { kind: 'fake', origin: org, authorize: () => Promise.resolve({ authorization: 'Bearer t' }) };

describe('create() that returns no credential', () => {
  const unhandled = useUnhandledRejections();

  it.each([
    ['nothing (a missing return)', undefined, 'undefined'],
    ['null', null, 'null'],
    ['text', 'https://a.okta.com', 'a string'],
    ['an object without authorize()', { kind: 'fake', origin: org }, 'an object without authorize()'],
    ['an object without origin', { kind: 'fake', authorize: () => Promise.resolve({}) }, 'an object without origin'],
  ])('%s: INVALID_CONFIG saying what create() must return, and nothing is held', async (_, returned, got) => {
    const orgs = createMultiOrgCredentials<object>({ create: () => returned as never });
    const error = await failure(() => orgs.get(org, {}), isOktaAuthError);
    expect([error.code, error.message]).toEqual([
      'INVALID_CONFIG',
      `create(orgUrl, tenant) must return the credential for the org (such as createOinAppCredential({ orgUrl, ... })), not ${got}.`,
    ]);
    expect(orgs.size).toBe(0);
  });

  it('a Promise (an async create): INVALID_CONFIG saying to read the tenant first, and its rejection is not left unhandled', async () => {
    const orgs = createMultiOrgCredentials<object>({ create: (async () => Promise.reject(new Error('vault down'))) as never });
    const error = await failure(() => orgs.get(org, {}), isOktaAuthError);
    expect([error.code, error.message]).toEqual([
      'INVALID_CONFIG',
      "create(orgUrl, tenant) returned a Promise: it must return the credential itself. Read the tenant's secret (from your vault or database) before get(orgUrl, tenant), and pass it in the tenant.",
    ]);
    expect(orgs.size).toBe(0);
    expect(await unhandled.settled()).toEqual([]);
  });

  it("another realm's rejected Promise (an async create in Next.js's edge sandbox, here a node:vm context's): its rejection is not left unhandled", async () => {
    const foreign = runInNewContext('() => Promise.reject(new Error("vault down"))') as () => Promise<never>;
    const orgs = createMultiOrgCredentials<object>({ create: foreign as never });
    const error = await failure(() => orgs.get(org, {}), isOktaAuthError);
    expect(error.code).toBe('INVALID_CONFIG');
    expect(await unhandled.settled()).toEqual([]);
  });

  it('a thenable that is no Promise (a PromiseLike of another library, no catch()): the same INVALID_CONFIG, not a TypeError', async () => {
    const thenable = { then: (resolve: (value: OktaCredential) => void) => resolve(credential) };
    const orgs = createMultiOrgCredentials<object>({ create: () => thenable as never });
    const error = await failure(() => orgs.get(org, {}), isOktaAuthError);
    expect([error.code, error.message]).toEqual([
      'INVALID_CONFIG',
      "create(orgUrl, tenant) returned a Promise: it must return the credential itself. Read the tenant's secret (from your vault or database) before get(orgUrl, tenant), and pass it in the tenant.",
    ]);
    expect(orgs.size).toBe(0);
  });

  it('a credential still works when create() returns one (the check refuses only what is none)', async () => {
    const orgs = createMultiOrgCredentials<object>({ create: () => credential });
    await expect(orgs.get(org, {}).authorize({ method: 'GET', url: new URL(`${org}/api/v1/users`) })).resolves.toEqual({ authorization: 'Bearer t' });
  });

  it("forwards the in-flight limit create()'s credential carries (the org's), so a client given get()'s needs no maxInFlight", () => {
    const maxInFlight = createInFlightLimit(10);
    const orgs = createMultiOrgCredentials<{ n: number }>({ create: (_, { n }) => (n === 1 ? { ...credential, maxInFlight } : credential) });
    expect(orgs.get(org, { n: 1 }).maxInFlight).toBe(maxInFlight);
    // A credential without one: none.
    expect(orgs.get(org, { n: 2 }).maxInFlight).toBeUndefined();
  });
});

describe('now', () => {
  it.each([
    ['text', 'Date.now'],
    ['a number', 1_700_000_000_000],
    ['an object', { now: Date.now }],
  ])('given %s is INVALID_CONFIG when the factory is made, not a TypeError on the first get()', async (_, now) => {
    const error = await failure(() => createMultiOrgCredentials({ create: () => credential, now: now as never }), isOktaAuthError);
    expect([error.code, error.message]).toEqual(['INVALID_CONFIG', 'now must be a function returning the time in milliseconds (such as Date.now), or nothing.']);
  });

  it('null is the default clock, as nothing is', () => {
    const orgs = createMultiOrgCredentials({ create: () => credential, now: null as never });
    expect(orgs.get(org, {})).toBe(orgs.get(org, {}));
  });
});
