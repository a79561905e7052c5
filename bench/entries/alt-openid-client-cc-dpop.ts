// openid-client: client credentials with private_key_jwt and DPoP, then a DPoP-bound API call.
import * as oidc from 'openid-client';

export async function listUsers(orgUrl: string, clientId: string, privateKey: CryptoKey, kid: string): Promise<unknown> {
  const config = await oidc.discovery(new URL(orgUrl), clientId, undefined, oidc.PrivateKeyJwt({ key: privateKey, kid }));
  const dpop = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair('ES256'));
  const tokens = await oidc.clientCredentialsGrant(config, { scope: 'okta.users.read' }, { DPoP: dpop });
  const response = await oidc.fetchProtectedResource(config, tokens.access_token, new URL('/api/v1/users', orgUrl), 'GET', undefined, undefined, {
    DPoP: dpop,
  });
  return response.json();
}
