/**
 * What the lean entry points' types admit is what they run (rev167a M1, L2): `createSignInClient`
 * of `@org/okta-oauth/sign-in` refuses `clientSecret`, `privateKey` (`keyId`) and DPoP with
 * `INVALID_CONFIG`, and its client's `startDeviceSignIn` and `introspect`; `createServiceAppCredential`
 * of `@org/okta-oauth/service-app` a PEM or JWK `privateKey`. Those calls no longer type-check: each
 * `@ts-expect-error` below is a test, as `tsc` (the package's typecheck) fails on an unused one;
 * the runtime refusals stay for JavaScript callers, checked here too. The root entry's types are
 * unchanged, and `exactOptionalPropertyTypes` (this repo's setting) takes an `undefined` where the
 * runtime does. What ran before and the runtime takes still compiles (rev167d M2): /sign-in's
 * `dpop: 'off'`, an `undefined` shorthand, the root `SignInClientBase`'s device sign-in, and
 * `toStorable()`'s row in an app's own type.
 */
import type { OktaCredential, Secret } from '@org/okta-auth-core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as Root from './index.js';
import * as ServiceApp from './service-app-entry.js';
import * as SignIn from './sign-in-entry.js';

const orgUrl = 'https://acme.okta.com';
const base = { orgUrl, clientId: '0oa1b2c3d4', redirectUri: 'https://app.example.com/callback', scopes: ['openid'] };
const pem = '-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----';
const refused = (make: () => unknown): unknown => {
  try {
    make();
  } catch (error) {
    return error;
  }
  return 'made';
};
const invalidConfig = expect.objectContaining({ code: 'INVALID_CONFIG' });

describe('@org/okta-oauth/sign-in: the types refuse what the client refuses', () => {
  it('takes no clientSecret, privateKey, keyId nor DPoP option', () => {
    // @ts-expect-error -- the clientSecret shorthand is the root entry's (clientAuth: clientSecretBasic(secret) here)
    expect(refused(() => SignIn.createSignInClient({ ...base, clientSecret: 'a-secret-value' }))).toEqual(invalidConfig);
    // @ts-expect-error -- the privateKey shorthand is the root entry's (clientAuth: privateKeyJwt(key) here)
    expect(refused(() => SignIn.createSignInClient({ ...base, privateKey: pem, keyId: 'key-2026-01' }))).toEqual(invalidConfig);
    // @ts-expect-error -- keyId goes with privateKey
    expect(refused(() => SignIn.createSignInClient({ ...base, keyId: 'key-2026-01' }))).toEqual(invalidConfig);
    // @ts-expect-error -- DPoP is the root entry's
    expect(refused(() => SignIn.createSignInClient({ ...base, dpop: 'required' }))).toEqual(invalidConfig);
    // @ts-expect-error -- DPoP is the root entry's
    expect(refused(() => SignIn.createSignInClient({ ...base, dpopAlgorithm: 'ES256' }))).toEqual(invalidConfig);
    const dpopKeyPair = {} as Root.WebCryptoKeyPair;
    // @ts-expect-error -- DPoP is the root entry's
    expect(refused(() => SignIn.createSignInClient({ ...base, dpopKeyPair }))).toEqual(invalidConfig);
    // A named options value of this entry's type holds none of them either.
    // @ts-expect-error -- not in /sign-in's SignInClientOptions
    const named: SignIn.SignInClientOptions = { ...base, clientSecret: 'a-secret-value' };
    expect(named.clientId).toBe(base.clientId);
    // Each takes undefined alone (none), dpop its 'off' and false too: what the client runs with.
    expectTypeOf<SignIn.SignInClientOptions['clientSecret' | 'privateKey' | 'keyId' | 'dpopAlgorithm' | 'dpopKeyPair']>().toEqualTypeOf<undefined>();
    expectTypeOf<SignIn.SignInClientOptions['dpop']>().toEqualTypeOf<'off' | false | undefined>();
    expectTypeOf<SignIn.SignInClientOptions['clientAuth']>().toEqualTypeOf<Root.ClientAuth | undefined>();
  });

  it('types startDeviceSignIn and introspect to take no call, and refuses them when called', async () => {
    const client = SignIn.createSignInClient(base);
    expectTypeOf(client).toEqualTypeOf<SignIn.SignInClientBase>();
    expectTypeOf<Parameters<SignIn.SignInClientBase['startDeviceSignIn']>>().toEqualTypeOf<[unavailable: never]>();
    expectTypeOf<Parameters<SignIn.SignInClientBase['introspect']>>().toEqualTypeOf<[unavailable: never]>();
    // @ts-expect-error -- device sign-in is the root entry's client's
    await expect(client.startDeviceSignIn()).rejects.toEqual(invalidConfig);
    // @ts-expect-error -- introspection is the root entry's client's
    await expect(client.introspect('token')).rejects.toEqual(invalidConfig);
  });

  it('takes a root client wherever it takes its own (signOut, metadata, restoreCredential, userInfo)', () => {
    expectTypeOf(Root.signOut).parameter(0).toEqualTypeOf<Root.SignInClientBase>();
    expectTypeOf<SignIn.SignInClientBase>().toExtend<Root.SignInClientBase>();
    expectTypeOf<Root.SignInClient>().toExtend<Root.SignInClientBase>();
    expectTypeOf<ReturnType<typeof Root.createSignInClient>>().toExtend<Parameters<typeof SignIn.metadata>[0]>();
    expectTypeOf<ReturnType<typeof SignIn.createSignInClient>>().toExtend<Parameters<typeof SignIn.restoreCredential>[0]>();
    expectTypeOf<ReturnType<typeof SignIn.createSignInClient>>().toExtend<Parameters<typeof SignIn.userInfo>[0]>();
  });
});

describe('what ran before the lean types still compiles (rev167d M2)', () => {
  it("(a) /sign-in takes dpop: 'off' and false, which it runs with (no DPoP)", () => {
    const off = SignIn.createSignInClient({ ...base, dpop: 'off' });
    const no = SignIn.createSignInClient({ ...base, dpop: false });
    expect([off.clientId, no.clientId]).toEqual([base.clientId, base.clientId]);
  });

  it('(b) /sign-in takes an undefined clientSecret, privateKey, keyId, dpopAlgorithm and dpopKeyPair (an unset env var), as no option', () => {
    // An env var the SPA build never sets (a string would be refused at run time, and is in the types).
    const env: { readonly SECRET?: undefined } = {};
    const client = SignIn.createSignInClient({ ...base, clientSecret: env.SECRET, privateKey: undefined, keyId: undefined, dpopAlgorithm: undefined, dpopKeyPair: undefined });
    expect(client.clientId).toBe(base.clientId);
  });

  it("(c) a helper typed with the root entry's SignInClientBase starts a device sign-in and introspects, and still takes the /sign-in client", () => {
    const startDevice = (client: Root.SignInClientBase) => client.startDeviceSignIn();
    const introspect = (client: Root.SignInClientBase) => client.introspect('token');
    expectTypeOf(startDevice).parameter(0).toExtend<Root.SignInClientBase>();
    expectTypeOf(introspect).returns.resolves.toEqualTypeOf<Root.IntrospectionResult>();
    const spa: Root.SignInClientBase = SignIn.createSignInClient(base);
    expect(spa.clientId).toBe(base.clientId);
  });

  it("(d) toStorable()'s row copies into an app's own type under exactOptionalPropertyTypes", () => {
    const row: { accessToken: string; refreshToken?: string; expiresAt?: number; idToken?: string; scope?: string; dpopJkt?: string } = Root.UserTokens.fromStorable({
      version: 1,
      accessToken: 'a',
      tokenType: 'Bearer',
    }).toStorable();
    expect(row.accessToken).toBe('a');
  });
});

describe('the root entry keeps every option and method', () => {
  it('types the root client and its options as before', () => {
    expectTypeOf(Root.createSignInClient).parameter(0).toEqualTypeOf<Root.SignInClientOptions>();
    expectTypeOf(Root.createSignInClient).returns.toEqualTypeOf<Root.SignInClient>();
    expectTypeOf<SignIn.SignInClient>().toEqualTypeOf<Root.SignInClient>();
    expectTypeOf<Root.SignInClientOptions['clientSecret']>().toEqualTypeOf<string | Secret | undefined>();
    expectTypeOf<Root.SignInClient['startDeviceSignIn']>().toBeFunction();
    expectTypeOf<Root.SignInClient['introspect']>().toBeFunction();
    const options: Root.SignInClientOptions = { ...base, clientSecret: 'a-secret-value', dpop: 'required', dpopAlgorithm: 'ES256' };
    expect(options.dpop).toBe('required');
    expectTypeOf(Root.createServiceAppCredential).parameter(0).toEqualTypeOf<Root.ServiceAppCredentialOptions>();
    expectTypeOf<Root.ServiceAppCredentialOptions['privateKey']>().toEqualTypeOf<Root.ClientPrivateKeyInput | undefined>();
  });
});

describe('@org/okta-oauth/service-app: privateKey is a CryptoKey', () => {
  it('refuses a PEM or a JWK in the types as at run time', () => {
    const app = { orgUrl, clientId: '0oa1bcd2efGHIJ3kl4m5', keyId: 'key-2026-01', scopes: ['okta.users.read'] };
    // @ts-expect-error -- a PEM is read by importPrivateKey (or the root entry's factory)
    expect(refused(() => ServiceApp.createServiceAppCredential({ ...app, privateKey: pem }))).toEqual(invalidConfig);
    // @ts-expect-error -- a JWK too
    expect(refused(() => ServiceApp.createServiceAppCredential({ ...app, privateKey: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'd' } }))).toEqual(invalidConfig);
    expectTypeOf<ServiceApp.ServiceAppCredentialOptions['privateKey']>().toEqualTypeOf<ServiceApp.WebCryptoKey | undefined>();
    expectTypeOf(ServiceApp.createServiceAppCredential).parameter(0).toEqualTypeOf<ServiceApp.ServiceAppCredentialOptions>();
    // What importPrivateKey gives spreads into its options.
    expectTypeOf<ServiceApp.ImportedPrivateKey & { orgUrl: string; clientId: string; scopes: string[] }>().toExtend<ServiceApp.ServiceAppCredentialOptions>();
  });

  it("returns an OktaCredential without revoke() (revoke(credential) is it); the root entry's factory and serviceAppCredentialFromEnv a ServiceAppCredential, with revoke()", () => {
    expectTypeOf(ServiceApp.createServiceAppCredential).returns.toEqualTypeOf<OktaCredential>();
    expectTypeOf(ServiceApp.createServiceAppCredential).returns.not.toHaveProperty('revoke');
    expectTypeOf(Root.createServiceAppCredential).returns.toEqualTypeOf<Root.ServiceAppCredential>();
    expectTypeOf(ServiceApp.serviceAppCredentialFromEnv).returns.toEqualTypeOf<ServiceApp.ServiceAppCredential>();
    expectTypeOf<ServiceApp.ServiceAppCredential['revoke']>().toEqualTypeOf<(options?: ServiceApp.RevokeOptions) => Promise<void>>();
    // The function takes either entry's credential (as /sign-in's functions take the root's client), and is the root's too.
    expectTypeOf(ServiceApp.revoke).toEqualTypeOf<(credential: OktaCredential, options?: ServiceApp.RevokeOptions) => Promise<void>>();
    expectTypeOf<Root.ServiceAppCredential>().toExtend<Parameters<typeof ServiceApp.revoke>[0]>();
    expectTypeOf(Root.revoke).toEqualTypeOf(ServiceApp.revoke);
  });
});

describe('exactOptionalPropertyTypes: an undefined field where the runtime takes one', () => {
  it('UserTokens.fromStorable takes a row whose optional fields are string | undefined', () => {
    const row: { access: string; refresh: string | undefined; id: string | undefined } = { access: 'a', refresh: undefined, id: undefined };
    const tokens = Root.UserTokens.fromStorable({ version: 1, accessToken: row.access, tokenType: 'Bearer', refreshToken: row.refresh, idToken: row.id, expiresAt: undefined, scope: undefined, dpopJkt: undefined });
    expect(tokens.refreshToken).toBeUndefined();
    expect(tokens.toStorable().accessToken).toBe('a');
  });

  it("SignInClient's metadata takes { signal: undefined }, as the metadata function does", () => {
    const signal: AbortSignal | undefined = undefined as AbortSignal | undefined;
    expectTypeOf<Root.SignInClient['metadata']>().toBeCallableWith({ signal });
    expectTypeOf(Root.metadata).toBeCallableWith({} as Root.SignInClient, { signal });
  });
});
