import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { claims, emulator, header, serviceApp, useEmulators } from '../test-helpers/org.js';

useEmulators();

/** PKCS#1 and SEC1 PEMs, as `openssl` writes them and `@okta/okta-sdk-nodejs` reads them, get tokens from the org. */
describe('service app: PKCS#1 and SEC1 private keys', () => {
  it.each([
    ['openssl genrsa -traditional (PKCS#1)', ['genrsa', '-traditional', '2048'], 'RS256', /BEGIN RSA PRIVATE KEY/],
    ['openssl ecparam -genkey (SEC1 P-256)', ['ecparam', '-name', 'prime256v1', '-genkey'], 'ES256', /BEGIN EC PRIVATE KEY/],
    ['openssl ecparam -genkey (SEC1 P-521)', ['ecparam', '-name', 'secp521r1', '-genkey'], 'ES512', /BEGIN EC PRIVATE KEY/],
  ] as const)('a key from %s gets a token', async (_name, args, alg, label) => {
    const pem = execFileSync('openssl', args, { encoding: 'utf8' });
    expect(pem).toMatch(label);
    const publicJwk = { ...(createPublicKey(createPrivateKey(pem)).export({ format: 'jwk' }) as JWK), kid: 'legacy-key' };
    const org = await emulator({ seed: { users: 1 } });
    const registered = org.createServiceApp({ scopes: ['okta.users.read'], requireDpop: false, keyCount: 1, publicJwks: [publicJwk] });
    const { okta, wire } = serviceApp(org, {}, { clientId: registered.clientId, privateKey: pem, keyId: 'legacy-key', dpop: 'off' });
    expect((await okta('/api/v1/users')).status).toBe(200);
    const assertion = wire.tokenRequests()[0]?.form?.get('client_assertion');
    expect(header(assertion)).toMatchObject({ alg, kid: 'legacy-key' });
    expect(claims(assertion).iss).toBe(registered.clientId);
  });

  it.each([
    ['RSA', 'pkcs1'],
    ['EC', 'sec1'],
  ] as const)('the org-generated %s key exported as %s gets a token', async (keyType, type) => {
    const org = await emulator({ seed: { users: 1 } });
    const created = org.createServiceApp({ keyType, scopes: ['okta.users.read'], requireDpop: true });
    const pem = createPrivateKey(created.privateKeyPem).export({ format: 'pem', type }).toString();
    const { okta } = serviceApp(org, {}, { clientId: created.clientId, privateKey: pem, keyId: created.keyId });
    expect((await okta('/api/v1/users')).status).toBe(200);
  });
});
