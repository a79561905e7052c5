/**
 * Security round 2 (issue 12), input that cannot go on the wire: a restored access token or a
 * `userAgent` with CR/LF or non-ASCII characters, a URL with a user name and password, an admin
 * domain with a root dot. Each is refused up front with a typed error that quotes no secret,
 * identically through `createOktaFetch` and ky, and the 127.0.0.1 org receives nothing.
 */
import { createOktaFetch, isOktaAuthError, parseOrgUrl } from '@org/okta-auth-core';
import { createOktaKy } from '@org/okta-auth-core/ky';
import { createSignInClient, UserTokens } from '@org/okta-oauth';
import { createSswsCredential } from '@org/okta-ssws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outcome } from './test-helpers/calls.js';
import { json, startHostileOrg, type HostileOrg } from './test-helpers/hostile.js';
import { LeakHarness } from './test-helpers/leaks.js';

let org: HostileOrg;
beforeEach(async () => {
  org = await startHostileOrg();
  org.route('/api/v1/users', (_request, res) => {
    json(res, 200, []);
  });
});
afterEach(async () => {
  await org.close();
});

const apiToken = '00hostileHostileHostileHostile0000000000';
const codeOf = (result: { ok: boolean; error?: unknown }): string | undefined => (!result.ok && isOktaAuthError(result.error) ? result.error.code : undefined);

/** What `make` threw (undefined when it returned). */
function thrown(make: () => unknown): unknown {
  try {
    make();
    return undefined;
  } catch (error) {
    return error;
  }
}

/** Nothing of `secret` in any printed form of the error (message, stack, cause chain, JSON, inspect). */
function quotesNothing(error: unknown, secret: string): void {
  const harness = new LeakHarness();
  harness.collect('error', error);
  harness.addSecrets([secret, secret.replace(/[\r\n]/g, ''), ...secret.split(/[\r\n]+/).filter((part) => part.length >= 12)]);
  expect(harness.scan()).toEqual([]);
}

function restoredCredential(accessToken: string) {
  const client = createSignInClient({
    orgUrl: org.url,
    clientId: '0oa-hostile',
    redirectUri: 'http://127.0.0.1:5173/callback',
    scopes: ['openid', 'okta.users.read'],
    allowInsecureLoopback: true,
  });
  // The constructor (tokens the app restored itself): fromStorable refuses such a token already.
  return client.credential(new UserTokens({ accessToken, tokenType: 'Bearer', expiresAt: Date.now() + 3_600_000 }));
}

describe('a restored access token that cannot go in a header (item 13)', () => {
  it.each([
    ['CR/LF', 'eyJhbGciOi.restored-token-part\r\nX-Injected: 1'],
    ['non-ASCII', 'eyJhbGciOi.restored-tökén-part-0000000000'],
  ])('with %s is refused before sending, as INVALID_CONFIG quoting no token, through fetch and ky alike', async (_what, accessToken) => {
    const viaFetch = await outcome(createOktaFetch({ credential: restoredCredential(accessToken) })('/api/v1/users'));
    const viaKy = await outcome(createOktaKy({ credential: restoredCredential(accessToken), retry: false }).get('api/v1/users').json());
    expect([codeOf(viaFetch), codeOf(viaKy)]).toEqual(['INVALID_CONFIG', 'INVALID_CONFIG']);
    expect((viaFetch as { error: Error }).error.message).toBe((viaKy as { error: Error }).error.message);
    quotesNothing((viaFetch as { error: unknown }).error, accessToken);
    quotesNothing((viaKy as { error: unknown }).error, accessToken);
    expect(org.requests.filter((r) => r.path === '/api/v1/users')).toEqual([]);
  });
});

describe('a userAgent that cannot go in a header (item 13)', () => {
  it.each([
    ['CR/LF', 'Oktaprise/1.1\r\nX-Injected: 1'],
    ['non-ASCII', 'Oktaprisé/1.1'],
  ])('with %s is refused when the client is made, as INVALID_CONFIG, by createOktaFetch and createOktaKy alike', (_what, userAgent) => {
    const credential = createSswsCredential({ orgUrl: org.url, token: apiToken, allowInsecureLoopback: true });
    const viaFetch = thrown(() => createOktaFetch({ credential, userAgent }));
    const viaKy = thrown(() => createOktaKy({ credential, userAgent }));
    expect([isOktaAuthError(viaFetch) && viaFetch.code, isOktaAuthError(viaKy) && viaKy.code]).toEqual(['INVALID_CONFIG', 'INVALID_CONFIG']);
    quotesNothing(viaFetch, apiToken);
    expect(org.requests).toEqual([]);
  });
});

describe('a header of your own that cannot be sent (same class as item 13)', () => {
  it('with CR/LF is INVALID_CONFIG quoting no value, through fetch and ky alike; nothing is sent', async () => {
    const credential = createSswsCredential({ orgUrl: org.url, token: apiToken, allowInsecureLoopback: true });
    const value = 'custom-header-secret-0000\r\nX-Injected: 1';
    const viaFetch = await outcome(createOktaFetch({ credential })('/api/v1/users', { headers: { 'x-custom': value } }));
    const viaKy = await outcome((async () => createOktaKy({ credential, retry: false }).get('api/v1/users', { headers: { 'x-custom': value } }).json())());
    expect([codeOf(viaFetch), codeOf(viaKy)]).toEqual(['INVALID_CONFIG', 'INVALID_CONFIG']);
    quotesNothing((viaFetch as { error: unknown }).error, value);
    quotesNothing((viaKy as { error: unknown }).error, value);
    expect(org.requests).toEqual([]);
  });
});

describe('URLs (item 14)', () => {
  it('a URL with a user name and password is a typed INVALID_CONFIG quoting neither, through fetch and ky alike; nothing is sent', async () => {
    const credential = createSswsCredential({ orgUrl: org.url, token: apiToken, allowInsecureLoopback: true });
    const password = 'url-password-sentinel-0000';
    const url = `${org.url.replace('http://', `http://admin:${password}@`)}/api/v1/users`;
    const viaFetch = await outcome(createOktaFetch({ credential })(url));
    const viaKy = await outcome((async () => createOktaKy({ credential, retry: false }).get(url).json())());
    expect([codeOf(viaFetch), codeOf(viaKy)]).toEqual(['INVALID_CONFIG', 'INVALID_CONFIG']);
    quotesNothing((viaFetch as { error: unknown }).error, password);
    quotesNothing((viaKy as { error: unknown }).error, password);
    expect(org.requests).toEqual([]);
  });

  it.each(['https://acme-admin.okta.com.', 'https://acme-admin.okta.com./', 'https://acme-admin.oktapreview.com..'])(
    'the admin domain with a root dot (%s) is refused as INVALID_ORG_URL naming the org domain',
    (orgUrl) => {
      const result = thrown(() => parseOrgUrl(orgUrl));
      expect(isOktaAuthError(result) && result.code).toBe('INVALID_ORG_URL');
      expect((result as Error).message).toMatch(/Admin Console domain.*https:\/\/acme\.okta/);
    },
  );

  it('an org URL ending its host name with a dot is refused (another origin than the one Okta names)', () => {
    expect(() => parseOrgUrl('https://acme.okta.com.')).toThrow(/must not end its host name with a dot: use "https:\/\/acme\.okta\.com"/);
  });
});
