/**
 * The sign-in client's options, checked up front without a network. Everything that talks to Okta
 * runs against @org/okta-emulator over HTTP: sign-in-client.server.test.ts (sign-in, callback
 * failures, ID-token checks), credential-renewal.server.test.ts (renewal), device-sign-in.server.test.ts
 * (device sign-in), callback.server.test.ts (the authorize request, callbacks, discovery) and
 * credential.server.test.ts (storage, tabs, sign-out).
 */
import { inspect } from 'node:util';
import { isOktaAuthError } from '@org/okta-auth-core';
import { describe, expect, it } from 'vitest';
import { createSignInClient } from './sign-in-client.js';
import { createSignInClient as createLeanSignInClient } from './sign-in-lean.js';

describe('createSignInClient', () => {
  it('validates every option up front', () => {
    const base = { orgUrl: 'https://acme.okta.com', clientId: 'abc', scopes: ['openid'] };
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return isOktaAuthError(error) ? error.code : 'other';
      }
      return 'none';
    };
    expect(code(() => createSignInClient(base))).toBe('none');
    expect(code(() => createSignInClient({ ...base, clientId: '' }))).toBe('INVALID_CONFIG');
    expect(code(() => createSignInClient({ ...base, scopes: [] }))).toBe('INVALID_CONFIG');
    expect(code(() => createSignInClient({ ...base, scopes: ['a b"'] }))).toBe('INVALID_CONFIG');
    expect(code(() => createSignInClient({ ...base, redirectUri: 'https://app/cb#frag' }))).toBe('INVALID_CONFIG');
    expect(code(() => createSignInClient({ ...base, redirectUri: '/relative' }))).toBe('INVALID_CONFIG');
    expect(code(() => createSignInClient({ ...base, orgUrl: 'http://127.0.0.1:8080' }))).toBe('INVALID_ORG_URL');
    expect(code(() => createSignInClient({ ...base, orgUrl: 'http://127.0.0.1:8080', allowInsecureLoopback: true }))).toBe('none');
    expect(code(() => createSignInClient({ ...base, clientSecret: 's', privateKey: '-----BEGIN PRIVATE KEY-----' }))).toBe('INVALID_CONFIG');
    expect(code(() => createSignInClient({ ...base, clockSkewSeconds: -1 }))).toBe('INVALID_CONFIG');
    expect(code(() => createSignInClient({ ...base, clientSecret: '' }))).toBe('INVALID_CONFIG');
    expect(code(() => createSignInClient({ ...base, timeoutMs: -1 }))).toBe('INVALID_CONFIG');
    expect(code(() => createSignInClient({ ...base, fetch: 'nope' as never }))).toBe('INVALID_CONFIG');
    expect(code(() => createSignInClient({ ...base, dpop: 'required', dpopAlgorithm: 'HS256' as never }))).toBe('INVALID_CONFIG');
    expect(code(() => createSignInClient({ ...base, dpop: 'auto', dpopKeyPair: {} as never }))).toBe('INVALID_CONFIG');
    expect(code(() => createSignInClient({ ...base, dpop: 'sometimes' as never }))).toBe('INVALID_CONFIG');
    // Beside "off" a DPoP algorithm or key pair would be ignored: refused (alone, they mean "required").
    expect(code(() => createSignInClient({ ...base, dpop: 'off', dpopAlgorithm: 'ES384' }))).toBe('INVALID_CONFIG');
    expect(code(() => createSignInClient({ ...base, dpopAlgorithm: 'ES384' }))).toBe('none');
    // The deprecated shapes are still read, and checked the same way.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    expect(code(() => createSignInClient({ ...base, dpop: { algorithm: 'HS256' as never } }))).toBe('INVALID_CONFIG');
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    expect(code(() => createSignInClient({ ...base, dpop: { keyPair: {} as never } }))).toBe('INVALID_CONFIG');
    expect(code(() => createSignInClient({ ...base, dpop: true }))).toBe('none');
    expect(code(() => createSignInClient({ ...base, privateKey: 'not a key' }))).toBe('INVALID_KEY');
  });

  it('checks the client id by the one rule of service and OIN apps: printable ASCII, no spaces, at most 200 characters', () => {
    const base = { orgUrl: 'https://acme.okta.com', scopes: ['openid'] };
    for (const clientId of ['0oa\u001B[2J', '0oa spa', '0oaé', 'x'.repeat(201), ' ']) {
      let caught: unknown;
      try {
        createSignInClient({ ...base, clientId });
      } catch (error) {
        caught = error;
      }
      expect(caught).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(/^clientId is (not a client id: it must be printable ASCII with no spaces|missing)/) });
    }
    expect(createSignInClient({ ...base, clientId: ' 0oaspa ' }).clientId).toBe('0oaspa');
  });

  it('does not show its secret', () => {
    const client = createSignInClient({ orgUrl: 'https://acme.okta.com', clientId: 'abc', scopes: ['openid'], clientSecret: 'super-secret-value-9999' });
    expect(JSON.stringify(client)).not.toContain('super-secret');
    expect(inspect(client)).not.toContain('super-secret');
  });
});

// ru154: the client took a credential's options and ignored them (a renewal margin never applied, every user's tokens under the default key).
describe.each([
  ['@org/okta-oauth', createSignInClient],
  ['@org/okta-oauth/sign-in', createLeanSignInClient],
] as const)("createSignInClient (%s) refuses a credential's options", (_entry, create) => {
  it.each([
    ['renewBeforeSeconds', 120],
    ['storageKey', 'user:00u1'],
  ])('%s, naming credential()', (name, value) => {
    const options = { orgUrl: 'https://acme.okta.com', clientId: 'abc', scopes: ['openid'], [name]: value };
    expect(() => create(options)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', message: `The ${name} option is not ours: use credential(result, { ${name} }).` }));
  });
});
