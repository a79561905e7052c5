/**
 * Another library's option name given to one of our factories is refused by name with ours where
 * its confusion happens: ky's and other HTTP clients' `timeout` and `retries`, and okta-sdk-nodejs's
 * executor's `maxRetries` and `requestTimeout` (fiftieth session), by every factory that takes
 * transport options (core's `normalizeTransport`, which also refuses any name but `limit` and
 * `maxWaitMs` inside `retry`), okta-auth-js's `issuer`, `tokenManager` and `maxClockSkew` and
 * OAuth's `client_secret` (fiftieth session), okta-auth-js's `storageManager`, `transactionStorage`,
 * `onTokens`, `redirect_uri` and `restoreOriginalUri` (fifty-second session), a credential's
 * `renewBeforeSeconds` and `storageKey` (fifty-fourth session), okta-auth-js's `authorizeUrl`, `tokenUrl`,
 * `userinfoUrl`, `revokeUrl` and `logoutUrl` and Okta's .NET SDK's `authorizationServerId`, each pointing at a
 * custom authorization server (sixty-third session, oauth168a) by the sign-in client, okta-auth-js's `maxAge` and
 * `originalUri` by its `startSignIn`,
 * through every entry point that exports one, and a factory's `allowInsecureLoopback`
 * by `createMultiOrgCredentials`, and a list's query parameters given as a walk's options (fiftieth
 * session, fourth: `limit` to `paginate` and `paginatePages`, `limit` and okta-sdk-nodejs's `since` to
 * `pollSystemLog`, each read from the URL's query and ignored as an option). A missing
 * `orgUrl` (or `issuer`, `domain`, okta-sdk-nodejs's `oktaDomain` in its place) is refused naming
 * `orgUrl`. Before the forty-ninth session each was ignored, or (no orgUrl) refused as "must be a
 * string …, got undefined" (docs/CONVENTIONS.md, "Code"). The messages quote names, never a value.
 */
import { createOktaFetch, isOktaAuthError, paginate, paginatePages, pollSystemLog, type OktaCredential } from '@org/okta-auth-core';
import { createOktaKy, oktaKyHooks } from '@org/okta-auth-core/ky';
import { createMultiOrgCredentials, createOinAppCredential, createServiceAppCredential, createSignInClient } from '@org/okta-oauth';
import { createServiceAppCredential as leanServiceApp } from '@org/okta-oauth/service-app';
import { createSignInClient as leanSignIn } from '@org/okta-oauth/sign-in';
import { createSswsCredential } from '@org/okta-ssws';
import { failure } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';

const orgUrl = 'https://acme.okta.com';
const token = `00${'a'.repeat(40)}`;
const secret = 'do-not-echo-this-value-1234';
const clientId = '0oa1bcd2efGHIJ3kl4m5';
// A CryptoKey: the one form both entry points' service app factories take.
const { privateKey } = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
const credential: OktaCredential = createSswsCredential({ orgUrl, token });

type Factory = (options: Record<string, unknown>) => unknown;
/** A factory, called here with options its type does not allow. */
const factory = (create: (options: never) => unknown): Factory => create as Factory;
const signIn = { orgUrl, clientId, redirectUri: 'https://app.example.com/callback', scopes: 'openid' };
const serviceApp = { orgUrl, clientId, privateKey, scopes: 'okta.users.read' };
/** Each factory, its name, options it accepts, and the other libraries' names it refuses. */
// okta-sdk-nodejs's Client options, which a config spread into a factory carries (migrate147: each was ignored, a proxy silently not used).
const sdkNames = ['httpsProxy', 'requestExecutor', 'cacheStore', 'cacheMiddleware'];
// okta-auth-js's (and Okta's .NET SDK's authorizationServerId) names for a custom authorization server's endpoints, ignored until oauth168a.
const customServerNames = ['authorizeUrl', 'tokenUrl', 'userinfoUrl', 'revokeUrl', 'logoutUrl', 'authorizationServerId'];
const orgServer = "orgUrl alone (the org authorization server's endpoints come from its discovery document; custom authorization servers are not supported)";
const transportNames = ['timeout', 'retries', 'maxRetries', 'requestTimeout', ...sdkNames];
const serviceAppNames = [...transportNames, 'kid', 'authorizationMode'];
const signInNames = [...transportNames, 'issuer', 'tokenManager', 'maxClockSkew', 'client_secret', 'storageManager', 'transactionStorage', 'onTokens', 'redirect_uri', 'restoreOriginalUri', 'renewBeforeSeconds', 'storageKey', ...customServerNames];
const factories: [string, Factory, Record<string, unknown>, string[]][] = [
  ['createOktaFetch', factory(createOktaFetch), { credential }, transportNames],
  ['createOktaKy', factory(createOktaKy), { credential }, transportNames],
  ['oktaKyHooks', factory(oktaKyHooks), { credential }, transportNames],
  ['createSswsCredential', factory(createSswsCredential), { orgUrl, token }, sdkNames],
  ['createServiceAppCredential', factory(createServiceAppCredential), serviceApp, serviceAppNames],
  ['createServiceAppCredential (service-app)', factory(leanServiceApp), serviceApp, serviceAppNames],
  ['createOinAppCredential', factory(createOinAppCredential), { orgUrl, clientId, clientSecret: secret, scopes: 'okta.users.read' }, transportNames],
  ['createSignInClient', factory(createSignInClient), signIn, signInNames],
  ['createSignInClient (sign-in)', factory(leanSignIn), signIn, signInNames],
  ['createMultiOrgCredentials', factory(createMultiOrgCredentials), { create: () => credential }, ['allowInsecureLoopback']],
];
const withTransport = factories.filter(([, , , refused]) => refused.includes('timeout'));
const withOrgUrl = factories.filter(([, , accepted]) => 'orgUrl' in accepted);

/** Another library's name, the value a user would give, and ours. */
const confusions: Record<string, [unknown, string]> = {
  timeout: [1000, 'timeoutMs'],
  retries: [5, 'retry'],
  maxRetries: [5, 'retry.limit'],
  requestTimeout: [1000, 'timeoutMs'],
  // A proxy or a cache goes in a fetch of your own, the executor's work, retries, is retry's (trim151: words the bundles hold already; trim149 had one advice for the four).
  httpsProxy: ['http://proxy.example.com:3128', 'fetch'],
  requestExecutor: [{}, 'retry'],
  cacheStore: [{}, 'fetch'],
  // null is the SDK's way to turn its cache off: named too, so the caller learns there is none.
  cacheMiddleware: [null, 'fetch'],
  kid: ['key-2026-01', 'keyId'],
  authorizationMode: ['PrivateKey', 'the factory you call'],
  allowInsecureLoopback: [true, "allowInsecureLoopback in the options of the factory create calls (createOinAppCredential's)"],
  issuer: [`${orgUrl}/oauth2/default`, 'orgUrl'],
  // The client's storage holds the sign-in transaction only: tokens given to it were lost on reload (fifty-second session, spa143).
  tokenManager: [{ storage: 'sessionStorage' }, "credential(result, { storage }) for tokens; the client's storage holds only the sign-in transaction"],
  storageManager: [{ token: { storageType: 'localStorage' } }, "credential(result, { storage }) for tokens; the client's storage holds only the sign-in transaction"],
  transactionStorage: [{}, 'storage'],
  onTokens: [() => undefined, 'credential(result, { onTokens })'],
  // A credential's own options, ignored by the client (fifty-fourth session, web154a).
  renewBeforeSeconds: [120, 'credential(result, { renewBeforeSeconds })'],
  storageKey: ['user:00u1', 'credential(result, { storageKey })'],
  redirect_uri: ['https://app.example.com/callback', 'redirectUri'],
  restoreOriginalUri: [() => undefined, 'sessionStorage: keep location.href before startSignIn(), go back after finishSignIn()'],
  maxClockSkew: [300, 'clockSkewSeconds'],
  // A sign-in at a custom authorization server's endpoints went to the org authorization server's (rev168c).
  authorizeUrl: [`${orgUrl}/oauth2/default/v1/authorize`, orgServer],
  tokenUrl: [`${orgUrl}/oauth2/default/v1/token`, orgServer],
  userinfoUrl: [`${orgUrl}/oauth2/default/v1/userinfo`, orgServer],
  revokeUrl: [`${orgUrl}/oauth2/default/v1/revoke`, orgServer],
  logoutUrl: [`${orgUrl}/oauth2/default/v1/logout`, orgServer],
  authorizationServerId: ['default', orgServer],
  // Ignored, it made a confidential web client a public one, refused only at the code exchange (invalid_client).
  client_secret: [secret, 'clientSecret'],
};
const missingOrgUrl = 'The Okta org URL is missing or not a string: set orgUrl to your org, such as "https://acme.okta.com".';

/** The typed error a factory throws (each checks its options synchronously). */
const refusal = (run: () => unknown) => failure.sync(run, (error): error is Error & { code: string } => error instanceof Error && 'code' in error);

describe.each(factories)('%s', (_name, create, accepted, refused) => {
  it('accepts its own options, and pkce: true (PKCE is always on)', () => {
    expect(create(accepted)).toBeDefined();
    expect(create({ ...accepted, pkce: true })).toBeDefined();
  });

  it("reads only the options' own names: one set on a polluted Object.prototype is no caller's", () => {
    const polluted = Object.prototype as Record<string, unknown>;
    polluted.timeout = 1000;
    polluted.issuer = 'https://tenant-marker.okta.com';
    try {
      expect(create(accepted)).toBeDefined();
    } finally {
      delete polluted.timeout;
      delete polluted.issuer;
    }
  });

  it.runIf(refused.length > 0).each(refused)('refuses %s by name, with ours, quoting no value (undefined too)', (option) => {
    const [value, ours] = confusions[option]!;
    for (const given of [value, undefined]) {
      const error = refusal(() => create({ ...accepted, [option]: given }));
      expect(error.code).toBe('INVALID_CONFIG');
      expect(error.message).toBe(`The ${option} option is not ours: use ${ours}.`);
    }
  });
});

describe.each(withOrgUrl)('%s without orgUrl', (_name, create, accepted, refused) => {
  const rest = { ...accepted, orgUrl: undefined };
  it('refuses a missing orgUrl naming the option', () => {
    const error = refusal(() => create(rest));
    expect(isOktaAuthError(error) && error.code).toBe('INVALID_ORG_URL');
    expect(error.message).toBe(missingOrgUrl);
  });

  it.each(['domain', 'oktaDomain', 'issuer'])('refuses %s given in its place, naming orgUrl, quoting no value', (alias) => {
    const error = refusal(() => create({ ...rest, [alias]: 'https://tenant-marker.okta.com' }));
    // The sign-in client refuses issuer by name (its own table); elsewhere the missing orgUrl says what to set.
    expect(error.message).toBe(refused.includes(alias) ? `The ${alias} option is not ours: use orgUrl.` : missingOrgUrl);
    expect(error.message).not.toContain('tenant-marker');
  });

  it('takes domain and oktaDomain beside orgUrl (a tenant record spread into the options)', () => {
    expect(create({ ...accepted, domain: orgUrl, oktaDomain: orgUrl })).toBeDefined();
  });
});

describe.each(withTransport)('%s: retry', (_name, create, accepted) => {
  // Ours and small: okta-sdk-nodejs's, ky's and a near miss's names inside it were ignored before the fiftieth session.
  it.each(['maxWait', 'maxRetries', 'retries', 'methods', 'statusCodes'])('refuses %s inside retry, saying its shape and naming it', (key) => {
    const error = refusal(() => create({ ...accepted, retry: { limit: 2, [key]: 90_000 } }));
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toBe(`The retry option must be false or { limit?, maxWaitMs? }: ${key} is not one of them.`);
  });

  it('names the first key that is not ours, printable and at most 40 characters', () => {
    expect(refusal(() => create({ ...accepted, retry: { maxWait: 1, maxRetries: 1 } })).message).toBe('The retry option must be false or { limit?, maxWaitMs? }: maxWait is not one of them.');
    expect(refusal(() => create({ ...accepted, retry: { 'max\r\nWait': 1 } })).message).toMatch(/^The retry option must be false or \{ limit\?, maxWaitMs\? \}: max +Wait is not one of them\.$/);
    expect(refusal(() => create({ ...accepted, retry: { ['k'.repeat(100)]: 1 } })).message).toBe(`The retry option must be false or { limit?, maxWaitMs? }: ${'k'.repeat(40)}… is not one of them.`);
    expect(refusal(() => create({ ...accepted, retry: 5 })).message).toBe('The retry option must be false or { limit?, maxWaitMs? }.');
  });

  it('takes limit and maxWaitMs, either or both, and an empty retry', () => {
    for (const retry of [{}, { limit: 4 }, { maxWaitMs: 1000 }, { limit: 0, maxWaitMs: 0 }]) expect(create({ ...accepted, retry })).toBeDefined();
  });
});

describe.each(factories.filter(([, , accepted]) => 'clientId' in accepted))('%s: OAuth wire names in place of ours', (_name, create, accepted) => {
  // No rows (each would cost every bundle with the factory): the factory's own refusal names ours (docs/CONVENTIONS.md, "Code").
  it.each([
    ['client_id', 'clientId', 'clientId is missing: '],
    // Named by the one refusal of another library's name (fifty-second session, spa143: "scopes is missing" did not say scope was seen).
    ['scope', 'scopes', 'The scope option is not ours: use scopes.'],
  ])('%s in place of %s is refused naming %s', (wire, ours, says) => {
    const { [ours]: value, ...rest } = accepted;
    const error = refusal(() => create({ ...rest, [wire]: value }));
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message.startsWith(says)).toBe(true);
  });
});

describe("a list's query parameter given as a walk's option", () => {
  // A fetcher that must not be called: each refusal comes before any request.
  const okta = createOktaFetch({ credential, fetch: () => Promise.reject(new Error('nothing may be sent')) });
  const first = (walk: AsyncGenerator) => failure(walk.next(), (error): error is Error & { code: string } => isOktaAuthError(error));
  const walks: [string, string, string, (options: Record<string, unknown>) => AsyncGenerator][] = [
    ['paginate', 'limit', "the list URL's query (?limit=200)", (options) => paginate(okta, '/api/v1/users', options)],
    ['paginatePages', 'limit', "the list URL's query (?limit=200)", (options) => paginatePages(okta, '/api/v1/users', options)],
    ['pollSystemLog', 'limit', "the URL's query (?limit=1000)", (options) => pollSystemLog(okta, '/api/v1/logs', options)],
    ['pollSystemLog', 'since', "the URL's query (?since=2026-12-01T00:00:00Z)", (options) => pollSystemLog(okta, '/api/v1/logs', options)],
  ];

  it.each(walks)('%s refuses %s by name, with the query, quoting no value (undefined too), nothing sent', async (_name, option, ours, walk) => {
    for (const given of [200, '2026-12-01T00:00:00Z', undefined]) {
      const error = await first(walk({ [option]: given }));
      expect([error.code, error.message]).toEqual(['INVALID_CONFIG', `The ${option} option is not ours: use ${ours}.`]);
    }
  });
});

describe("OAuth's scope given to a sign-in call in place of scopes", () => {
  // Ignored until fix145 (the factories refused it, spa143): the sign-in asked for the client's scopes, less than the caller believed.
  const send = { fetch: () => Promise.reject(new Error('nothing may be sent')) };
  const calls: [string, (options: Record<string, unknown>) => Promise<unknown>][] = [
    ['startSignIn', (options) => createSignInClient({ ...signIn, ...send }).startSignIn(options)],
    ['startSignIn (sign-in)', (options) => leanSignIn({ ...signIn, ...send }).startSignIn(options)],
    ['startDeviceSignIn', (options) => createSignInClient({ ...signIn, ...send }).startDeviceSignIn(options)],
  ];

  const refused = (call: Promise<unknown>) => failure(call, (caught): caught is Error & { code: string } => caught instanceof Error);

  it.each(calls)('%s refuses it naming scopes, before anything is sent', async (_name, call) => {
    const error = await refused(call({ scope: 'openid profile offline_access' }));
    expect([error.code, error.message]).toEqual(['INVALID_CONFIG', 'The scope option is not ours: use scopes.']);
    // Beside scopes (a spread record may hold both), scopes are read, as by the factories: the call goes on to send (this fetch refuses).
    expect((await refused(call({ scope: 'openid', scopes: 'openid profile' }))).code).toBe('NETWORK_ERROR');
  });
});

describe("okta-auth-js's names given to startSignIn in place of ours", () => {
  // Ignored until oauth168a: a max_age not sent (no auth_time checked), an original URI never gone back to.
  const send = { fetch: () => Promise.reject(new Error('nothing may be sent')) };
  const calls: [string, (options: Record<string, unknown>) => Promise<unknown>][] = [
    ['startSignIn', (options) => createSignInClient({ ...signIn, ...send }).startSignIn(options)],
    ['startSignIn (sign-in)', (options) => leanSignIn({ ...signIn, ...send }).startSignIn(options)],
  ];
  const names: [string, unknown, string][] = [
    ['maxAge', 300, 'maxAgeSeconds'],
    ['originalUri', 'https://app.example.com/orders/42', 'sessionStorage: keep location.href before startSignIn(), go back after finishSignIn()'],
  ];

  it.each(calls)('%s refuses each by name, with ours, quoting no value (undefined too), before anything is sent', async (_name, call) => {
    for (const [option, value, ours] of names) {
      for (const given of [value, undefined]) {
        const error = await failure(call({ [option]: given }), (caught): caught is Error & { code: string } => caught instanceof Error);
        expect([error.code, error.message]).toEqual(['INVALID_CONFIG', `The ${option} option is not ours: use ${ours}.`]);
      }
    }
    // acrValues is ours, as okta-auth-js spells it: sent (this fetch refuses).
    expect((await failure(call({ acrValues: 'urn:okta:loa:2fa:any' }), (caught): caught is Error & { code: string } => caught instanceof Error)).code).toBe('NETWORK_ERROR');
  });
});
