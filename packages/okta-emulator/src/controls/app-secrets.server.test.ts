/**
 * Rotating a client secret, as an OIN partner (or a web app's operator) does at Okta: add a second
 * secret (both work), move the processes to it, deactivate the old one (its requests get
 * `invalid_client`, its tokens still work).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator, type ServiceAppCredentials } from '../index.js';
import { refusal } from '../test-helpers/refusal.js';
import { basic, clientAssertion, JWT_BEARER, postToken } from '../test-helpers/oauth.js';

let org: OktaEmulator;
beforeAll(async () => {
  org = await startEmulator({ seed: { users: 1 } });
});
afterAll(() => org.close());

const grant = (clientId: string, secret: string): Promise<Response> =>
  postToken(org, { grant_type: 'client_credentials', scope: 'okta.users.read' }, { Authorization: basic(clientId, secret) });

describe('addAppSecret and deactivateAppSecret', () => {
  it("an OIN app: both secrets work, the old one is refused once deactivated, its tokens stay valid", async () => {
    const oin = org.createOinApp({ scopes: ['okta.users.read'] });
    expect(oin.secretId).toMatch(/^ocs[0-9A-Za-z]{17}$/);
    const first = await grant(oin.clientId, oin.clientSecret);
    expect(first.status).toBe(200);
    const issued = (await first.json()) as { access_token: string };

    const added = org.addAppSecret(oin.clientId);
    expect(added).toMatchObject({ clientId: oin.clientId, secretId: expect.stringMatching(/^ocs/) });
    expect(added.secretId).not.toBe(oin.secretId);
    expect(added.clientSecret).not.toBe(oin.clientSecret);
    expect((await grant(oin.clientId, oin.clientSecret)).status).toBe(200);
    expect((await grant(oin.clientId, added.clientSecret)).status).toBe(200);

    org.deactivateAppSecret(oin.clientId, oin.secretId);
    const refused = await grant(oin.clientId, oin.clientSecret);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: 'invalid_client', error_description: 'The client secret supplied for a confidential client is invalid.' });
    expect((await grant(oin.clientId, added.clientSecret)).status).toBe(200);
    const users = await fetch(`${org.url}/api/v1/users`, { headers: { Authorization: `Bearer ${issued.access_token}` } });
    expect(users.status).toBe(200);
  });

  it('a client_secret_post and a client_secret_jwt web app, over /__emulator', async () => {
    const revokeUrl = `${org.url}/oauth2/v1/revoke`;
    const revoke = (form: Record<string, string>): Promise<Response> =>
      fetch(revokeUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: 't', ...form }) });
    const hs256 = (clientId: string, secret: string): Promise<string> =>
      clientAssertion(org, { clientId } as ServiceAppCredentials, { alg: 'HS256', kid: null, aud: revokeUrl, key: new TextEncoder().encode(secret) });
    const add = async (clientId: string): Promise<{ secretId: string; clientSecret: string }> => {
      const res = await fetch(`${org.url}/__emulator/apps/${clientId}/secrets`, { method: 'POST' });
      expect(res.status).toBe(200);
      return (await res.json()) as { secretId: string; clientSecret: string };
    };
    const deactivate = (clientId: string, secretId: string): Promise<Response> => fetch(`${org.url}/__emulator/apps/${clientId}/secrets/${secretId}/deactivate`, { method: 'POST' });

    const post = org.createSignInApp({ type: 'web', redirectUris: ['http://localhost/cb'], tokenEndpointAuthMethod: 'client_secret_post' });
    const postNew = await add(post.clientId);
    expect((await revoke({ client_id: post.clientId, client_secret: postNew.clientSecret })).status).toBe(200);
    expect((await deactivate(post.clientId, post.secretId ?? '')).status).toBe(204);
    expect((await revoke({ client_id: post.clientId, client_secret: post.clientSecret ?? '' })).status).toBe(401);
    expect((await revoke({ client_id: post.clientId, client_secret: postNew.clientSecret })).status).toBe(200);

    const jwt = org.createSignInApp({ type: 'web', redirectUris: ['http://localhost/cb'], tokenEndpointAuthMethod: 'client_secret_jwt' });
    const jwtNew = await add(jwt.clientId);
    expect((await revoke({ client_assertion_type: JWT_BEARER, client_assertion: await hs256(jwt.clientId, jwt.clientSecret ?? '') })).status).toBe(200);
    expect((await revoke({ client_assertion_type: JWT_BEARER, client_assertion: await hs256(jwt.clientId, jwtNew.clientSecret) })).status).toBe(200);
    expect((await deactivate(jwt.clientId, jwt.secretId ?? '')).status).toBe(204);
    const refused = await revoke({ client_assertion_type: JWT_BEARER, client_assertion: await hs256(jwt.clientId, jwt.clientSecret ?? '') });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: 'invalid_client', error_description: 'The client_assertion signature is invalid.' });
    expect((await revoke({ client_assertion_type: JWT_BEARER, client_assertion: await hs256(jwt.clientId, jwtNew.clientSecret) })).status).toBe(200);
    const again = await deactivate(jwt.clientId, jwt.secretId ?? '');
    expect(await again.json()).toMatchObject({ code: 'NOT_FOUND', option: 'secretId' });
  });

  it("keeps Okta's limits (two secrets, never none) and refuses what has no secret, naming the argument", () => {
    const oin = org.createOinApp({ scopes: ['okta.users.read'] });
    expect(refusal(() => org.deactivateAppSecret(oin.clientId, oin.secretId))).toMatchObject({ code: 'INVALID_OPTION', option: 'secretId', message: expect.stringContaining('only active client secret') });
    org.addAppSecret(oin.clientId);
    expect(refusal(() => org.addAppSecret(oin.clientId))).toMatchObject({ code: 'INVALID_OPTION', option: 'clientId', message: expect.stringContaining("Okta's limit") });
    org.deactivateAppSecret(oin.clientId, oin.secretId);
    expect(org.addAppSecret(oin.clientId).clientId).toBe(oin.clientId);

    const service = org.createServiceApp({ scopes: ['okta.users.read'] });
    const spa = org.createSignInApp({ type: 'spa', redirectUris: ['http://localhost/cb'] });
    const keyed = org.createSignInApp({ type: 'web', redirectUris: ['http://localhost/cb'], tokenEndpointAuthMethod: 'private_key_jwt', keyType: 'EC' });
    expect(refusal(() => org.addAppSecret('0oanothere'))).toEqual({ code: 'NOT_FOUND', option: 'clientId', message: 'addAppSecret: no app with client id "0oanothere": give the clientId that createOinApp or createSignInApp returned.' });
    expect(refusal(() => org.deactivateAppSecret('0oanothere', 'ocsnone'))).toEqual({ code: 'NOT_FOUND', option: 'clientId', message: 'deactivateAppSecret: no app with client id "0oanothere": give the clientId that createOinApp or createSignInApp returned.' });
    for (const app of [service, spa, keyed]) {
      expect(refusal(() => org.addAppSecret(app.clientId))).toMatchObject({ code: 'INVALID_OPTION', option: 'clientId', message: expect.stringContaining('client secret') });
    }
    expect(refusal(() => org.deactivateAppSecret(service.clientId, 'ocsnone'))).toMatchObject({ code: 'INVALID_OPTION', option: 'clientId' });
    expect(refusal(() => org.deactivateAppSecret(oin.clientId, 'ocsnosuchsecret'))).toEqual({ code: 'NOT_FOUND', option: 'secretId', message: 'deactivateAppSecret: the app has no active client secret with id "ocsnosuchsecret": give the secretId that createOinApp, createSignInApp or addAppSecret returned.' });
  });
});
