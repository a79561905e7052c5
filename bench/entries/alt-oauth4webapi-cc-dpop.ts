// oauth4webapi: client credentials with private_key_jwt and DPoP, then a DPoP-bound API call.
import * as o from 'oauth4webapi';

export async function listUsers(orgUrl: string, clientId: string, privateKey: CryptoKey, kid: string): Promise<unknown> {
  const issuer = new URL(orgUrl);
  const as = await o.processDiscoveryResponse(issuer, await o.discoveryRequest(issuer, { algorithm: 'oidc' }));
  const client: o.Client = { client_id: clientId };
  const clientAuth = o.PrivateKeyJwt({ key: privateKey, kid });
  const dpop = o.DPoP(client, await o.generateKeyPair('ES256'));
  const grant = () => o.clientCredentialsGrantRequest(as, client, clientAuth, { scope: 'okta.users.read' }, { DPoP: dpop });
  let response = await grant();
  let tokens: o.TokenEndpointResponse;
  try {
    tokens = await o.processClientCredentialsResponse(as, client, response);
  } catch (error) {
    if (!o.isDPoPNonceError(error)) throw error;
    response = await grant();
    tokens = await o.processClientCredentialsResponse(as, client, response);
  }
  const api = await o.protectedResourceRequest(tokens.access_token, 'GET', new URL('/api/v1/users', orgUrl), new Headers(), null, { DPoP: dpop });
  return api.json();
}
