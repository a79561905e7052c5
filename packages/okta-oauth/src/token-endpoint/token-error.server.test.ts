import { describe, expect, it } from 'vitest';
import { emulator, serviceApp, useEmulators } from '../test-helpers/org.js';

useEmulators();

describe('token request errors: wording', () => {
  it('a missing kid when the app has several keys says to set keyId / OKTA_CLIENT_KEYID, with single periods', async () => {
    const org = await emulator();
    const created = org.createServiceApp({ keyType: 'EC', scopes: ['okta.users.read'], requireDpop: false, keyCount: 2 });
    const { okta } = serviceApp(org, {}, { clientId: created.clientId, privateKey: created.privateKeyPem, keyId: undefined, dpop: 'off' });
    const error: unknown = await okta('/api/v1/users').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', error: 'invalid_client' });
    const message = (error as Error).message;
    expect(message).toMatch(/set keyId \(OKTA_CLIENT_KEYID\)/);
    expect(message).not.toMatch(/\.\./);
  });

  it('an unknown kid keeps the registration hint and has no doubled period', async () => {
    const org = await emulator();
    const created = org.createServiceApp({ keyType: 'EC', scopes: ['okta.users.read'], requireDpop: false });
    const { okta } = serviceApp(org, {}, { clientId: created.clientId, privateKey: created.privateKeyPem, keyId: 'not-registered', dpop: 'off' });
    const message = ((await okta('/api/v1/users').catch((e: unknown) => e)) as Error).message;
    // Okta's description (whatever its wording) ends in one period, then the hint.
    expect(message).toMatch(/\(401 invalid_client\): [^.]+\bkid\b[^.]*\. Check the client id, that the app's public key with kid "not-registered"/);
    expect(message).not.toMatch(/\.\./);
  });
});
