/**
 * createOinAppCredential given what only a service app takes (a JavaScript caller, or tenant data
 * spread into the options): DPoP asked for is refused rather than silently dropped (an OIN
 * credential sends Bearer tokens), and a private key without a secret is told which factory takes
 * it (docs/security-history.md, "OIN service apps red-teamed (Thirty-fifth session)").
 */
import { isOktaAuthError } from '@org/okta-auth-core';
import { failure } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { createOinAppCredential } from './oin-app.js';

const oin = { orgUrl: 'https://customer.okta.com', clientId: '0oa9', clientSecret: 'a-very-secret-client-secret', scopes: ['okta.users.read'] };

describe('what only a service app takes', () => {
  it.each([
    ['dpop: required', { dpop: 'required' }, 'dpop'],
    ['dpop: auto', { dpop: 'auto' }, 'dpop'],
    ['a dpopKeyPair', { dpopKeyPair: {} }, 'dpopKeyPair'],
    ['a dpopAlgorithm', { dpopAlgorithm: 'ES256' }, 'dpopAlgorithm'],
    // 'off' is accepted for dpop only: another option given 'off' is still given.
    ['a dpopKeyPair of off', { dpopKeyPair: 'off' }, 'dpopKeyPair'],
    ['a dpopAlgorithm of off', { dpopAlgorithm: 'off' }, 'dpopAlgorithm'],
  ])('%s is INVALID_CONFIG (no silent Bearer token), naming the option, never the secret', async (_, patch, name) => {
    const error = await failure(() => createOinAppCredential({ ...oin, ...patch }), isOktaAuthError);
    expect([error.code, error.message]).toEqual([
      'INVALID_CONFIG',
      `${name}: an OIN API service integration's tokens are Bearer tokens obtained with the client secret, and Okta offers it no DPoP. DPoP-bound tokens are for an API service app of your own in the org, with its private key (createServiceAppCredential), not for an OIN integration.`,
    ]);
    expect(JSON.stringify({ error, message: error.message, cause: error.cause })).not.toContain(oin.clientSecret);
  });

  it.each([
    ['dpop: off', { dpop: 'off' }],
    ['dpop: undefined', { dpop: undefined }],
    ['dpop: null', { dpop: null }],
  ])('%s is what an OIN credential does already: accepted', (_, patch) => {
    expect(createOinAppCredential({ ...oin, ...patch }).kind).toBe('oin-app');
  });

  it('a privateKey without a clientSecret is INVALID_CONFIG naming the factory that takes a key', async () => {
    const noSecret = { orgUrl: oin.orgUrl, clientId: oin.clientId, scopes: oin.scopes };
    const error = await failure(() => createOinAppCredential({ ...noSecret, privateKey: '-----BEGIN PRIVATE KEY-----\nMIIEv\n-----END PRIVATE KEY-----' } as never), isOktaAuthError);
    expect([error.code, error.message]).toEqual([
      'INVALID_CONFIG',
      "clientSecret is missing: give the client secret Okta generated for this customer org's installation. (A privateKey is for an API service app of your own: createServiceAppCredential.)",
    ]);
    expect(error.message).not.toContain('MIIEv');
  });

  it('neither clientSecret nor privateKey: INVALID_CONFIG asking for the secret, with no word of a key', async () => {
    const error = await failure(() => createOinAppCredential({ orgUrl: oin.orgUrl, clientId: oin.clientId, scopes: oin.scopes }), isOktaAuthError);
    expect([error.code, error.message]).toEqual(['INVALID_CONFIG', "clientSecret is missing: give the client secret Okta generated for this customer org's installation."]);
  });
});

describe('the options themselves', () => {
  it.each([
    ['nothing', undefined],
    ['null', null],
    ['text', 'https://customer.okta.com'],
  ])('%s is INVALID_CONFIG asking for an options object, not a TypeError', async (_, options) => {
    const error = await failure(() => createOinAppCredential(options as never), isOktaAuthError);
    expect([error.code, error.message]).toEqual(['INVALID_CONFIG', 'createOinAppCredential needs an options object.']);
  });

  it('an http:// loopback org is refused without allowInsecureLoopback, taken with it (tests against the emulator)', async () => {
    const loopback = { ...oin, orgUrl: 'http://127.0.0.1:8080' };
    const error = await failure(() => createOinAppCredential(loopback), isOktaAuthError);
    expect(error.code).toBe('INVALID_ORG_URL');
    expect(createOinAppCredential({ ...loopback, allowInsecureLoopback: true }).origin).toBe('http://127.0.0.1:8080');
  });
});
