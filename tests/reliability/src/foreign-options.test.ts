/**
 * Another library's option name given to one of our factories (ky's `timeout`, okta-auth-js's
 * `issuer`, `pkce`, `tokenManager`, `maxClockSkew`, okta-sdk-nodejs's or a tenant record's
 * `oktaDomain` in place of `orgUrl`) is refused by name with ours, in every factory family, through
 * every entry point that exports one; a missing `orgUrl` is refused naming it. Before the
 * forty-ninth session each was ignored, or (no orgUrl) refused as "must be a string …, got
 * undefined" (docs/CONVENTIONS.md, "Code"). The message quotes option names, never a value.
 */
import { createOktaFetch, isOktaAuthError, type OktaCredential } from '@org/okta-auth-core';
import { createOktaKy, oktaKyHooks } from '@org/okta-auth-core/ky';
import { createOinAppCredential, createServiceAppCredential, createSignInClient } from '@org/okta-oauth';
import { createServiceAppCredential as leanServiceApp } from '@org/okta-oauth/service-app';
import { createSignInClient as leanSignIn } from '@org/okta-oauth/sign-in';
import { createSswsCredential } from '@org/okta-ssws';
import { failure } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';

const orgUrl = 'https://acme.okta.com';
const token = `00${'a'.repeat(40)}`;
const secret = 'do-not-echo-this-value-1234';
// A CryptoKey: the one form both entry points' service app factories take.
const { privateKey } = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
const credential: OktaCredential = createSswsCredential({ orgUrl, token });

type Factory = (options: Record<string, unknown>) => unknown;
/** A factory, called here with options its type does not allow. */
const factory = (create: (options: never) => unknown): Factory => create as Factory;
/** Each factory, its name in the message, and options it accepts. */
const transport: [string, Factory, Record<string, unknown>][] = [
  ['createOktaFetch', factory(createOktaFetch), { credential }],
  ['createOktaKy', factory(createOktaKy), { credential }],
  ['oktaKyHooks', factory(oktaKyHooks), { credential }],
];
const withOrgUrl: [string, Factory, Record<string, unknown>][] = [
  ['createSswsCredential', factory(createSswsCredential), { orgUrl, token }],
  ['createServiceAppCredential', factory(createServiceAppCredential), { orgUrl, clientId: '0oa1bcd2efGHIJ3kl4m5', privateKey, scopes: 'okta.users.read' }],
  ['createServiceAppCredential', factory(leanServiceApp), { orgUrl, clientId: '0oa1bcd2efGHIJ3kl4m5', privateKey, scopes: 'okta.users.read' }],
  ['createOinAppCredential', factory(createOinAppCredential), { orgUrl, clientId: '0oa1bcd2efGHIJ3kl4m5', clientSecret: secret, scopes: 'okta.users.read' }],
  ['createSignInClient', factory(createSignInClient), { orgUrl, clientId: '0oa1bcd2efGHIJ3kl4m5', redirectUri: 'https://app.example.com/callback', scopes: 'openid' }],
  ['createSignInClient', factory(leanSignIn), { orgUrl, clientId: '0oa1bcd2efGHIJ3kl4m5', redirectUri: 'https://app.example.com/callback', scopes: 'openid' }],
];

/** Another library's name, the value a user would give, and what the message must tell them to do. */
const confusions: [string, unknown, RegExp][] = [
  ['timeout', 1000, /use timeoutMs\.$/],
  ['retries', 5, /use retry: \{ limit \}/],
  ['issuer', `${orgUrl}/oauth2/default`, /use orgUrl \(tokens come from the org authorization server, not \/oauth2\/default\)\.$/],
  ['pkce', false, /leave it out \(PKCE is always on\)/],
  ['tokenManager', { storage: 'sessionStorage' }, /use storage\.$/],
  ['maxClockSkew', 300, /use clockSkewSeconds\.$/],
];

/** The typed error a factory throws (each checks its options synchronously). */
const refusal = (run: () => unknown) => failure.sync(run, (error): error is Error & { code: string } => error instanceof Error && 'code' in error);

describe.each([...transport, ...withOrgUrl])('%s', (name, create, accepted) => {
  it('accepts its own options', () => {
    expect(create(accepted)).toBeDefined();
  });

  it('reads only the options own names: one set on a polluted Object.prototype is no caller\'s', () => {
    const polluted = Object.prototype as Record<string, unknown>;
    polluted.timeout = 1000;
    polluted.oktaDomain = 'https://tenant-marker.okta.com';
    try {
      expect(create(accepted)).toBeDefined();
    } finally {
      delete polluted.timeout;
      delete polluted.oktaDomain;
    }
  });

  it('takes pkce: true, what happens here anyway', () => {
    expect(create({ ...accepted, pkce: true })).toBeDefined();
  });

  it.each(confusions)('refuses %s by name, with ours, quoting no value', (option, value, fix) => {
    const error = refusal(() => create({ ...accepted, [option]: value }));
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toMatch(new RegExp(`^${name}: the option ${option} is not one of ours; `));
    expect(error.message).toMatch(fix);
    expect(error.message).not.toContain(secret);
    expect(error.message).not.toContain('sessionStorage');
  });
});

describe.each(withOrgUrl)('%s without orgUrl', (name, create, accepted) => {
  const rest = { ...accepted, orgUrl: undefined };
  it('refuses a missing orgUrl naming the option', () => {
    const error = refusal(() => create(rest));
    expect(isOktaAuthError(error) && error.code).toBe('INVALID_ORG_URL');
    expect(error.message).toBe('The Okta org URL is missing: set orgUrl to your org, such as "https://acme.okta.com".');
  });

  it.each(['domain', 'oktaDomain', 'issuer'])('refuses %s given in its place, naming orgUrl', (alias) => {
    const error = refusal(() => create({ ...rest, [alias]: 'https://tenant-marker.okta.com' }));
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toMatch(new RegExp(`^${name}: the option ${alias} is not one of ours; use orgUrl \\(`));
    expect(error.message).not.toContain('tenant-marker');
  });

  it('takes domain and oktaDomain beside orgUrl (a tenant record spread into the options)', () => {
    expect(create({ ...accepted, domain: orgUrl, oktaDomain: orgUrl })).toBeDefined();
  });
});
