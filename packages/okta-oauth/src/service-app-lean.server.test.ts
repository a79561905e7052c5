/**
 * `createServiceAppCredential` from `@org/okta-oauth/service-app` (a CryptoKey, or a PEM/JWK read by
 * importPrivateKey) against @org/okta-emulator over real HTTP.
 */
import { inspect } from 'node:util';
import { createOktaFetch } from '@org/okta-auth-core';
import { compactVerify, importJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { importPrivateKey } from './client-auth/import-private-key.js';
import { isOktaOAuthError } from './errors.js';
import * as root from './index.js';
import * as serviceAppEntry from './service-app-entry.js';
import { createServiceAppCredential as createFromRoot } from './service-app.js';
import { createServiceAppCredential, privateKeyJwt } from './service-app-lean.js';
import { createMemoryTokenStore } from './token-cache/token-store.js';
import { kmsKey } from './test-helpers/keys.js';
import { claims, emulator, header, useEmulators } from './test-helpers/org.js';
import { recordingFetch } from './test-helpers/wire.js';

useEmulators();

describe('service app from @org/okta-oauth/service-app', () => {
  it.each([
    ['RSA', 'pem', 'RS256'],
    ['RSA', 'jwk', 'RS256'],
    ['EC', 'pem', 'ES256'],
    ['EC', 'jwk', 'ES256'],
  ] as const)('an %s key as %s, read by importPrivateKey, signs %s assertions Okta accepts; the tokens are DPoP-bound', async (keyType, keyForm, alg) => {
    const org = await emulator({ seed: { users: 1 } }); // and the org's seeded super admin
    const app = org.createServiceApp({ keyType, requireDpop: true, scopes: ['okta.users.read'] });
    const imported = await importPrivateKey(keyForm === 'pem' ? app.privateKeyPem : app.privateJwk, keyForm === 'pem' ? { keyId: app.keyId } : {});
    const wire = recordingFetch();
    const credential = createServiceAppCredential({ orgUrl: org.url, clientId: app.clientId, ...imported, scopes: ['okta.users.read'], dpop: 'required', allowInsecureLoopback: true, fetch: wire.fetch });
    const okta = createOktaFetch({ credential, fetch: wire.fetch });
    expect(((await (await okta('/api/v1/users')).json()) as unknown[]).length).toBe(2);
    expect(((await (await okta('/api/v1/users')).json()) as unknown[]).length).toBe(2);
    const [first] = wire.tokenRequests();
    expect(org.counters().tokenRequests.client_credentials?.success).toBe(1);
    expect(header(first?.form?.get('client_assertion'))).toMatchObject({ alg, kid: app.keyId });
    expect(claims(first?.form?.get('client_assertion'))).toMatchObject({ iss: app.clientId, sub: app.clientId, aud: `${org.url}/oauth2/v1/token` });
    expect(wire.apiRequests().map((request) => request.headers.get('authorization')?.split(' ')[0])).toEqual(['DPoP', 'DPoP']);
  });

  it('shares a token store with the root entry given the same key as PEM: the imported key has the same cache binding', async () => {
    const org = await emulator({ seed: { users: 1 } });
    const app = org.createServiceApp({ keyType: 'EC', requireDpop: false, scopes: ['okta.users.read'] });
    const tokenStore = createMemoryTokenStore();
    const common = { orgUrl: org.url, clientId: app.clientId, scopes: ['okta.users.read'], dpop: 'off', tokenStore, allowInsecureLoopback: true } as const;
    const wire = recordingFetch();
    const fromPem = createOktaFetch({ credential: createFromRoot({ ...common, privateKey: app.privateKeyPem, keyId: app.keyId }), fetch: wire.fetch });
    const fromCryptoKey = createOktaFetch({ credential: createServiceAppCredential({ ...common, ...(await importPrivateKey(app.privateKeyPem, { keyId: app.keyId })) }), fetch: wire.fetch });
    expect((await fromPem('/api/v1/users')).status).toBe(200);
    expect((await fromCryptoKey('/api/v1/users')).status).toBe(200);
    expect(wire.apiRequests()).toHaveLength(2);
    expect(org.counters().tokenRequests.client_credentials).toEqual({ success: 1 });
    // A non-extractable key imported elsewhere proves no public half: its tokens are its own.
    const own = await crypto.subtle.importKey('jwk', app.privateJwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
    const fromOwnKey = createOktaFetch({ credential: createServiceAppCredential({ ...common, privateKey: own, keyId: app.keyId }) });
    expect((await fromOwnKey('/api/v1/users')).status).toBe(200);
    expect(org.counters().tokenRequests.client_credentials).toEqual({ success: 2 });
  });

  it.each(['RSA', 'EC'] as const)('privateKeyJwt from /service-app with an imported %s CryptoKey signs assertions Okta accepts and jose verifies', async (keyType) => {
    const org = await emulator({ seed: { users: 1 } });
    const app = org.createServiceApp({ keyType, requireDpop: true, scopes: ['okta.users.read'] });
    const { privateKey, ...keyOptions } = await importPrivateKey(app.privateKeyPem, { keyId: app.keyId });
    const wire = recordingFetch();
    const credential = createServiceAppCredential({ orgUrl: org.url, clientId: app.clientId, clientAuth: privateKeyJwt(privateKey, keyOptions), scopes: ['okta.users.read'], allowInsecureLoopback: true, fetch: wire.fetch });
    expect((await createOktaFetch({ credential, fetch: wire.fetch })('/api/v1/users')).status).toBe(200);
    const assertion = wire.tokenRequests()[0]?.form?.get('client_assertion') ?? '';
    const alg = keyType === 'RSA' ? 'RS256' : 'ES256';
    expect(header(assertion)).toMatchObject({ alg, kid: app.keyId });
    const verified = await compactVerify(assertion, await importJWK({ ...app.publicJwk, alg }, alg));
    expect(verified.protectedHeader.alg).toBe(alg);
  });

  it('privateKeyJwt from /service-app takes a KMS signer returning DER signatures (converted to r‖s on that path only)', async () => {
    const org = await emulator({ seed: { users: 1 } });
    const kms = await kmsKey('kms-lean', true);
    const app = org.createServiceApp({ scopes: ['okta.users.read'], publicJwks: [kms.publicJwk], requireDpop: false });
    const wire = recordingFetch();
    const credential = createServiceAppCredential({ orgUrl: org.url, clientId: app.clientId, clientAuth: privateKeyJwt(kms.signer), scopes: ['okta.users.read'], dpop: 'off', allowInsecureLoopback: true, fetch: wire.fetch });
    expect((await createOktaFetch({ credential, fetch: wire.fetch })('/api/v1/users')).status).toBe(200);
    const assertion = wire.tokenRequests()[0]?.form?.get('client_assertion') ?? '';
    await compactVerify(assertion, await importJWK({ ...kms.publicJwk, alg: 'ES256' }, 'ES256'));
    expect(kms.calls()).toBe(wire.tokenRequests().length);
  });

  it('privateKeyJwt from /service-app refuses a PEM or JWK with INVALID_CONFIG naming importPrivateKey, never echoing the key; options with a signer are INVALID_KEY', async () => {
    const org = await emulator();
    const app = org.createServiceApp({ keyType: 'EC', scopes: ['okta.users.read'] });
    for (const key of [app.privateKeyPem, JSON.stringify(app.privateJwk), app.privateJwk]) {
      const error: unknown = (() => {
        try {
          privateKeyJwt(key as never, { keyId: app.keyId });
        } catch (e) {
          return e;
        }
      })();
      expect(isOktaOAuthError(error) && error.code).toBe('INVALID_CONFIG');
      expect((error as Error).message).toMatch(/^The key is (a string \(PEM or JWK text\)|not a CryptoKey): privateKeyJwt from @org\/okta-oauth\/service-app takes a CryptoKey or a signer \{ alg, kid, sign \}\. Read a PEM or private JWK with importPrivateKey/);
      const shown = `${String(error)} ${inspect(error, { depth: 5 })} ${JSON.stringify(error)}`;
      expect(shown).not.toContain(app.privateKeyPem.split('\n')[1]);
      expect(shown).not.toContain(String((app.privateJwk as { d?: string }).d));
    }
    // The entries: `@org/okta-oauth`'s privateKeyJwt and createServiceAppCredential read every form, `/service-app`'s do not.
    expect(serviceAppEntry.privateKeyJwt).toBe(privateKeyJwt);
    expect(root.privateKeyJwt).not.toBe(privateKeyJwt);
    expect(root.privateKeyJwt(app.privateKeyPem, { keyId: app.keyId }).method).toBe('private_key_jwt');
    expect(serviceAppEntry.createServiceAppCredential).toBe(createServiceAppCredential);
    expect(root.createServiceAppCredential).toBe(createFromRoot);
    const kms = await kmsKey('kms-lean');
    expect(() => privateKeyJwt(kms.signer, { keyId: 'k' })).toThrow(/Give alg and kid in the signer itself/);
    expect(() => privateKeyJwt(undefined as never)).toThrow(/privateKeyJwt needs the private key/);
  });
});
