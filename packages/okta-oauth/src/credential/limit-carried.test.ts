/**
 * The in-flight limit an okta-oauth credential carries (limit94), as an attacker reads it: printed
 * (`JSON.stringify`, `util.inspect`) the credential shows the limit's counts and nothing secret, as the
 * multi-org wrapper does; the wrapper of an org removed with `delete()` still carries the limit, but a
 * client given it refuses each call before a slot is taken, so a removed org holds no slot of it.
 */
import { inspect } from 'node:util';
import { coordinateRateLimits, createInFlightLimit, createOktaFetch, isOktaAuthError, Secret } from '@org/okta-auth-core';
import { failure } from '@org/okta-test-utils';
import { describe, expect, it, vi } from 'vitest';
import { createMultiOrgCredentials } from '../multi-org.js';
import { createOinAppCredential } from '../oin-app.js';
import { createServiceAppCredential } from '../service-app.js';
import { testKey } from '../test-helpers/keys.js';

const orgUrl = 'https://acme.okta.com';
const clientSecret = 'a-very-secret-client-secret-0123456789';
const key = testKey('p256').pem;
const pemBody = key.split('\n')[1] ?? '';

describe('a credential carrying its limit, printed', () => {
  const limit = createInFlightLimit(10);
  const made = {
    'a service app': createServiceAppCredential({ orgUrl, clientId: '0oa1', privateKey: key, scopes: ['okta.users.read'], maxInFlight: limit }),
    'an OIN app': createOinAppCredential({ orgUrl, clientId: '0oa2', clientSecret: new Secret(clientSecret), scopes: ['okta.users.read'], maxInFlight: limit }),
    "createMultiOrgCredentials' wrapper": createMultiOrgCredentials<object>({ create: (url) => createOinAppCredential({ orgUrl: url, clientId: '0oa3', clientSecret, scopes: ['okta.users.read'], maxInFlight: limit }) }).get(orgUrl, {}),
  };

  it.each(Object.entries(made))('%s shows its kind, origin and the limit’s counts, nothing secret', (_, credential) => {
    expect(JSON.parse(JSON.stringify(credential))).toMatchObject({ origin: orgUrl, maxInFlight: { max: 10, inFlight: 0, waiting: 0 } });
    for (const shown of [JSON.stringify(credential), inspect(credential, { depth: 10, showHidden: true, getters: true })]) {
      expect(shown).not.toContain(clientSecret);
      expect(shown).not.toContain(pemBody);
    }
  });
});

// journey120 left it open whether `util.inspect` matched core's TSDoc ("kind and origin only"); a printing of
// its own costs service-app-dpop 48 B gzip over its budget, so the TSDoc now says what is shown: pinned here.
describe('an app credential without a limit, printed', () => {
  it.each([
    ['a service app', () => createServiceAppCredential({ orgUrl, clientId: '0oa1', privateKey: key, scopes: ['okta.users.read'] }), 'service-app'],
    ['an OIN app', () => createOinAppCredential({ orgUrl, clientId: '0oa2', clientSecret, scopes: ['okta.users.read'] }), 'oin-app'],
  ])('%s: JSON kind and origin; inspect those, the carried transport options undefined and its methods, nothing secret', (_, make, kind) => {
    const credential = make();
    expect(JSON.parse(JSON.stringify(credential))).toEqual({ kind, origin: orgUrl });
    const shown = inspect(credential, { depth: 10, showHidden: true, getters: true });
    expect(shown.replace(/\s+/g, ' ')).toMatch(
      new RegExp(`^\\{ kind: '${kind}', origin: '${orgUrl}', maxInFlight: undefined, retry: undefined, timeoutMs: undefined, logger: undefined, authorize: \\[AsyncFunction: authorize\\]`),
    );
    // Both can also revoke their token (`OinAppCredential.revoke()`, offboarding; `ServiceAppCredential.revoke()`).
    expect(Object.keys(credential)).toEqual(['kind', 'origin', 'maxInFlight', 'retry', 'timeoutMs', 'logger', 'authorize', 'challenge', 'explain', 'revoke']);
    for (const secret of [clientSecret, pemBody]) expect(shown).not.toContain(secret.slice(0, 16));
  });
});

// size96 builds the credential from `...setup.transport`: of the transport options it keeps what its
// clients take (credopts140: the limit, retry, timeout and logger; `carriedTransport`), never the fetch,
// coordinator or User-Agent it was given; printed, the logger is a function's name and nothing secret.
describe('a credential given every transport option', () => {
  const transport = {
    fetch: vi.fn<typeof globalThis.fetch>(),
    logger: vi.fn(),
    retry: { limit: 1 },
    timeoutMs: 5_000,
    userAgent: 'Oktaprise/1.1',
    rateLimitCoordinator: coordinateRateLimits({ reserve: () => 0, observe: () => undefined }),
    maxInFlight: createInFlightLimit(3),
  };
  it.each([
    ['a service app', () => createServiceAppCredential({ orgUrl, clientId: '0oa1', privateKey: key, scopes: ['okta.users.read'], ...transport })],
    ['an OIN app', () => createOinAppCredential({ orgUrl, clientId: '0oa2', clientSecret, scopes: ['okta.users.read'], ...transport })],
  ])('%s carries its kind, origin, limit, retry, timeout and logger, none of the others', (_, make) => {
    const credential = make();
    // An OIN credential's revoke() (offboard140) is a method, as authorize is.
    expect(Object.keys(credential).filter((name) => !['authorize', 'challenge', 'explain', 'revoke'].includes(name))).toEqual(['kind', 'origin', 'maxInFlight', 'retry', 'timeoutMs', 'logger']);
    expect(credential).toMatchObject({ maxInFlight: transport.maxInFlight, retry: transport.retry, timeoutMs: 5_000, logger: transport.logger });
    expect(inspect(credential, { depth: 1 })).not.toMatch(/fetch|rateLimitCoordinator|userAgent|Oktaprise/);
    expect(JSON.parse(JSON.stringify(credential))).toMatchObject({ retry: { limit: 1 }, timeoutMs: 5_000 });
  });
});

describe("a multi-org wrapper's limit after delete()", () => {
  it('is still carried, but a client given the wrapper refuses each call before taking a slot, sending nothing', async () => {
    const limit = createInFlightLimit(1);
    const acquire = vi.spyOn(limit, 'acquire');
    const orgs = createMultiOrgCredentials<object>({ create: (url) => createOinAppCredential({ orgUrl: url, clientId: '0oa4', clientSecret, scopes: ['okta.users.read'], maxInFlight: limit }) });
    const credential = orgs.get(orgUrl, {});
    expect(orgs.delete(orgUrl)).toBe(true);
    expect(credential.maxInFlight).toBe(limit);
    const fetch = vi.fn<typeof globalThis.fetch>();
    const error = await failure(createOktaFetch({ credential, fetch })('/api/v1/users'), isOktaAuthError);
    expect(error).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('was removed with delete()') });
    expect(acquire).not.toHaveBeenCalled();
    expect(fetch).not.toHaveBeenCalled();
    expect([limit.inFlight, limit.waiting]).toEqual([0, 0]);
  });
});
