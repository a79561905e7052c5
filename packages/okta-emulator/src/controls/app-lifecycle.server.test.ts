/**
 * An app deactivated, as an admin's uninstall of an OIN integration does at Okta: its client is
 * refused at every endpoint that authenticates it, its tokens are refused by the API; activated
 * again, it gets new tokens (the old ones stay revoked).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator } from '../index.js';
import { basic, postToken } from '../test-helpers/oauth.js';

let org: OktaEmulator;
beforeAll(async () => {
  org = await startEmulator({ seed: { users: 1 } });
});
afterAll(() => org.close());

const failed = "Invalid value for 'client_id' parameter."; // as for an unknown client (FIDELITY C17)
const grant = (clientId: string, secret: string): Promise<Response> =>
  postToken(org, { grant_type: 'client_credentials', scope: 'okta.users.read' }, { Authorization: basic(clientId, secret) });
const users = (token: string): Promise<Response> => fetch(`${org.url}/api/v1/users`, { headers: { Authorization: `Bearer ${token}` } });
const tokenOf = async (response: Response): Promise<string> => ((await response.json()) as { access_token: string }).access_token;

describe('deactivateApp and activateApp', () => {
  it('an OIN app deactivated: invalid_client at /token and /revoke, its token refused by the API; activated: new tokens work', async () => {
    const oin = org.createOinApp({ scopes: ['okta.users.read'] });
    const other = org.createOinApp({ scopes: ['okta.users.read'] });
    const token = await tokenOf(await grant(oin.clientId, oin.clientSecret));
    const otherToken = await tokenOf(await grant(other.clientId, other.clientSecret));
    expect((await users(token)).status).toBe(200);

    org.deactivateApp(oin.clientId);
    const refused = await grant(oin.clientId, oin.clientSecret);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ error: 'invalid_client', error_description: failed });
    const revoke = await fetch(`${org.url}/oauth2/v1/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', Authorization: basic(oin.clientId, oin.clientSecret) },
      body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
    });
    expect(revoke.status).toBe(401);
    const api = await users(token);
    expect(api.status).toBe(401);
    expect(api.headers.get('www-authenticate')).toContain('invalid_token');
    // Another installation is untouched.
    expect((await users(otherToken)).status).toBe(200);
    const app = await fetch(`${org.url}/api/v1/apps/${oin.clientId}`, { headers: { Authorization: `SSWS ${org.createApiToken().token}` } });
    expect(((await app.json()) as { status: string }).status).toBe('INACTIVE');

    org.activateApp(oin.clientId);
    const again = await grant(oin.clientId, oin.clientSecret);
    expect(again.status).toBe(200);
    expect((await users(await tokenOf(again))).status).toBe(200);
    expect((await users(token)).status).toBe(401);
  });

  it('over /__emulator, and an unknown client id is NOT_FOUND', async () => {
    const oin = org.createOinApp({ scopes: ['okta.users.read'] });
    expect((await fetch(`${org.url}/__emulator/apps/${oin.clientId}/deactivate`, { method: 'POST' })).status).toBe(204);
    expect((await grant(oin.clientId, oin.clientSecret)).status).toBe(401);
    expect((await fetch(`${org.url}/__emulator/apps/${oin.clientId}/activate`, { method: 'POST' })).status).toBe(204);
    expect((await grant(oin.clientId, oin.clientSecret)).status).toBe(200);
    const unknown = await fetch(`${org.url}/__emulator/apps/0oaNope/deactivate`, { method: 'POST' });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ code: 'NOT_FOUND', option: 'clientId' });
    expect(() => org.activateApp(oin.clientSecret)).toThrow(/the value of a client secret, not a client id/);
    expect(() => org.activateApp(oin.clientSecret)).not.toThrow(oin.clientSecret);
  });
});
