// @okta/okta-sdk-nodejs as a service app (PrivateKey mode: private_key_jwt, DPoP when Okta asks).
import { Client } from '@okta/okta-sdk-nodejs';

export async function listUsers(orgUrl: string, clientId: string, privateKey: string, keyId: string): Promise<unknown[]> {
  const client = new Client({ orgUrl, authorizationMode: 'PrivateKey', clientId, scopes: ['okta.users.read'], privateKey, keyId });
  const users: unknown[] = [];
  const collection = await client.userApi.listUsers();
  await collection.each((user) => {
    users.push(user);
  });
  return users;
}
