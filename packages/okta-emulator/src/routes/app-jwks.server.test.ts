/**
 * The Apps API's public keys (`/api/v1/apps/{appId}/credentials/jwks`), as a service app's key rotation
 * uses them: add the new public key, sign with it, deactivate and delete the old one; Okta's lifecycle
 * refusals; the scopes; and the same records as the admin controls and `/token`.
 */
import { failure } from '@org/okta-test-utils';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import type { ServiceAppCredentials } from '../index.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { appsApi, type AppsAnswer } from '../test-helpers/apps-api.js';
import { ssws } from '../test-helpers/http.js';
import { newKeyPair } from '../state/key-pair.js';
import { clientAssertion, JWT_BEARER, postToken, serviceToken } from '../test-helpers/oauth.js';

const env = useApiTokenOrg();

const call = (path: string, method = 'GET', body?: unknown, headers: Record<string, string> = ssws(env.token)): Promise<AppsAnswer> => appsApi(env.org, path, method, body, headers);

/** A new EC key pair named `kid`: its public JWK, and credentials that sign client assertions with it. */
function newKey(clientId: string, kid: string): { publicJwk: JWK; signer: ServiceAppCredentials } {
  const { publicKey, privateKey } = newKeyPair('EC');
  const publicJwk = { ...(publicKey.export({ format: 'jwk' }) as JWK), kid };
  const privateKeyPem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  return { publicJwk, signer: { clientId, keyId: kid, privateKeyPem, privateJwk: { alg: 'ES256' }, publicJwk } };
}

const tokenWith = async (signer: ServiceAppCredentials): Promise<Response> =>
  postToken(env.org, { grant_type: 'client_credentials', scope: 'okta.users.read', client_assertion_type: JWT_BEARER, client_assertion: await clientAssertion(env.org, signer) });

const validation = (cause: unknown): unknown => ({ errorCode: 'E0000001', errorSummary: 'Api validation failed: JsonWebKey', errorLink: 'E0000001', errorId: expect.stringMatching(/^oae/), errorCauses: [{ errorSummary: cause }] });

describe('/api/v1/apps/{appId}/credentials/jwks', () => {
  it("rotates a service app's key: add, sign with it at once, deactivate and delete the old one", async () => {
    const app = env.org.createServiceApp({ scopes: ['okta.users.read'], requireDpop: false });
    const listed = await call(`${app.clientId}/credentials/jwks`);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([
      expect.objectContaining({ id: expect.stringMatching(/^pks[0-9A-Za-z]{17}$/), kid: app.keyId, kty: 'RSA', alg: 'RS256', use: 'sig', e: app.publicJwk.e, n: app.publicJwk.n, status: 'ACTIVE' }),
    ]);
    const oldId = listed.body[0].id as string;

    const next = newKey(app.clientId, 'key-2026-12');
    expect((await tokenWith(next.signer)).status).toBe(401);
    const added = await call(`${app.clientId}/credentials/jwks`, 'POST', { ...next.publicJwk, alg: 'ES256', use: 'sig', unknownField: 'ignored' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ kid: 'key-2026-12', kty: 'EC', crv: 'P-256', x: next.publicJwk.x, y: next.publicJwk.y, alg: 'ES256', status: 'ACTIVE' });
    expect(added.body).not.toHaveProperty('unknownField');
    expect((await tokenWith(next.signer)).status).toBe(200);
    expect((await call(`${app.clientId}/credentials/jwks/${String(added.body.id)}`)).body).toMatchObject({ kid: 'key-2026-12', status: 'ACTIVE' });

    const activeDelete = await call(`${app.clientId}/credentials/jwks/${oldId}`, 'DELETE');
    expect(activeDelete).toEqual({ status: 400, body: validation("You can't delete an active JSON Web Key. Deactivate the key before deleting it.") });
    const off = await call(`${app.clientId}/credentials/jwks/${oldId}/lifecycle/deactivate`, 'POST');
    expect(off.body).toMatchObject({ id: oldId, status: 'INACTIVE', _links: { activate: expect.anything(), delete: expect.anything() } });
    const old = await failure(serviceToken(env.org, app, 'okta.users.read'));
    expect(String(old)).toMatch(/401.*invalid_client/);

    const onlyOne = await call(`${app.clientId}/credentials/jwks/${String(added.body.id)}/lifecycle/deactivate`, 'POST');
    expect(onlyOne).toEqual({ status: 400, body: validation("Can't deactivate the only active JSON Web Key when the value for `token_endpoint_auth_method` is `private_key_jwt`.") });

    expect(await call(`${app.clientId}/credentials/jwks/${oldId}`, 'DELETE')).toEqual({ status: 204, body: undefined });
    expect((await call(`${app.clientId}/credentials/jwks`)).body.map((k: { kid: string }) => k.kid)).toEqual(['key-2026-12']);
    expect((await call(`${app.clientId}/credentials/jwks/${oldId}`)).body).toMatchObject({ errorCode: 'E0000007' });
  });

  it('an INACTIVE key is refused at /token until activated; the admin control and the API share the keys', async () => {
    const app = env.org.createServiceApp({ scopes: ['okta.users.read'], requireDpop: false });
    const next = newKey(app.clientId, 'parked');
    const added = await call(`${app.clientId}/credentials/jwks`, 'POST', { ...next.publicJwk, status: 'INACTIVE' });
    expect(added.body).toMatchObject({ status: 'INACTIVE' });
    expect((await tokenWith(next.signer)).status).toBe(401);
    await call(`${app.clientId}/credentials/jwks/${String(added.body.id)}/lifecycle/activate`, 'POST');
    expect((await tokenWith(next.signer)).status).toBe(200);

    const byControl = env.org.addAppKey(app.clientId, { keyType: 'EC' });
    expect((await call(`${app.clientId}/credentials/jwks`)).body.map((k: { kid: string }) => k.kid)).toEqual([app.keyId, 'parked', byControl.keyId]);
    env.org.deactivateAppKey(app.clientId, 'parked');
    expect((await call(`${app.clientId}/credentials/jwks`)).body.map((k: { kid: string }) => k.kid)).toEqual([app.keyId, byControl.keyId]);
  });

  it('refuses a second key without a kid, a duplicate kid, a short RSA key and an OIN app', async () => {
    const app = env.org.createServiceApp({ scopes: [] });
    const bare: JWK = { ...newKey(app.clientId, 'x').publicJwk };
    delete bare.kid;
    expect((await call(`${app.clientId}/credentials/jwks`, 'POST', bare)).body).toEqual(validation(expect.stringMatching(/^Each key should have a unique kid/)));
    expect((await call(`${app.clientId}/credentials/jwks`, 'POST', newKey(app.clientId, app.keyId).publicJwk)).body).toEqual(validation("All keys in the 'jwks' must have a unique `kid`."));
    const { publicKey: smallPem } = generateKeyPairSync('rsa', { modulusLength: 1024, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    const small = createPublicKey(smallPem).export({ format: 'jwk' });
    expect((await call(`${app.clientId}/credentials/jwks`, 'POST', { ...small, kid: 'small' })).body).toEqual(validation("RSA key length in the 'jwks' is less than '2,048' bits for the given key."));
    const oin = env.org.createOinApp({ scopes: [] });
    expect(await call(`${oin.clientId}/credentials/jwks`)).toEqual({ status: 200, body: [] });
    expect((await call(`${oin.clientId}/credentials/jwks`, 'POST', newKey(oin.clientId, 'k').publicJwk)).status).toBe(400);
  });

  it('reads need okta.apps.read, writes okta.apps.manage', async () => {
    const app = env.org.createServiceApp({ scopes: [] });
    const reader = env.org.createServiceApp({ scopes: ['okta.apps.read'], requireDpop: false });
    const bearer = { Authorization: `Bearer ${(await serviceToken(env.org, reader, 'okta.apps.read')).access_token}` };
    expect((await call(`${app.clientId}/credentials/jwks`, 'GET', undefined, bearer)).status).toBe(200);
    const write = await call(`${app.clientId}/credentials/jwks`, 'POST', newKey(app.clientId, 'w').publicJwk, bearer);
    expect(write.status).toBe(403);
    expect((await call(`${app.clientId}/credentials/jwks`)).body).toHaveLength(1);
  });
});
