// Service app: private_key_jwt client credentials, DPoP-bound tokens (cached, renewed), then an API call.
import { createOktaFetch } from '@org/okta-auth-core';
import { createServiceAppCredential } from '@org/okta-oauth/service-app';

export async function listUsers(orgUrl: string, clientId: string, privateKey: CryptoKey, keyId: string): Promise<unknown> {
  const credential = createServiceAppCredential({ orgUrl, clientId, privateKey, keyId, scopes: ['okta.users.read'], dpop: 'required' });
  const okta = createOktaFetch({ credential });
  return (await okta('/api/v1/users')).json();
}
