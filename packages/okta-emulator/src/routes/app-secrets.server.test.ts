/**
 * The Apps API's client secrets (`/api/v1/apps/{appId}/credentials/secrets`), as a rotation script uses them:
 * create a second secret, move to it, deactivate and delete the old one; Okta's lifecycle refusals; the
 * scopes; and the same records as the admin controls and `/token`.
 */
import { describe, expect, it } from 'vitest';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { appsApi, type AppsAnswer } from '../test-helpers/apps-api.js';
import { ssws } from '../test-helpers/http.js';
import { basic, postToken, serviceToken } from '../test-helpers/oauth.js';

const env = useApiTokenOrg({ seed: { users: 1 } });

const call = (path: string, method = 'GET', body?: unknown, headers: Record<string, string> = ssws(env.token)): Promise<AppsAnswer> => appsApi(env.org, path, method, body, headers);

const grant = (clientId: string, secret: string): Promise<Response> =>
  postToken(env.org, { grant_type: 'client_credentials', scope: 'okta.users.read' }, { Authorization: basic(clientId, secret) });

const validation = (cause: string): unknown => ({
  errorCode: 'E0000001',
  errorSummary: expect.stringMatching(/^Api validation failed: /),
  errorLink: 'E0000001',
  errorId: expect.stringMatching(/^oae/),
  errorCauses: [{ errorSummary: cause }],
});

describe('/api/v1/apps/{appId}/credentials/secrets', () => {
  it('rotates an OIN secret: create (value shown once), use, deactivate, delete; /token sees each step at once', async () => {
    const oin = env.org.createOinApp({ scopes: ['okta.users.read'] });
    const listed = await call(`${oin.clientId}/credentials/secrets`);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([
      {
        id: oin.secretId,
        status: 'ACTIVE',
        secret_hash: expect.stringMatching(/^[\w-]{22}$/),
        created: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        lastUpdated: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        _links: { deactivate: { href: `${env.org.url}/api/v1/apps/${oin.clientId}/credentials/secrets/${oin.secretId}/lifecycle/deactivate`, hints: { allow: ['POST'] } } },
      },
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(oin.clientSecret);

    const created = await call(`${oin.clientId}/credentials/secrets`, 'POST');
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.stringMatching(/^ocs[0-9A-Za-z]{17}$/), status: 'ACTIVE', client_secret: expect.any(String), secret_hash: expect.any(String) });
    const fresh = created.body as { id: string; client_secret: string; secret_hash: string };
    expect((await grant(oin.clientId, fresh.client_secret)).status).toBe(200);
    expect((await grant(oin.clientId, oin.clientSecret)).status).toBe(200);
    const read = await call(`${oin.clientId}/credentials/secrets/${fresh.id}`);
    expect(read.body).toMatchObject({ id: fresh.id, status: 'ACTIVE', secret_hash: fresh.secret_hash });
    expect(read.body).not.toHaveProperty('client_secret');

    const third = await call(`${oin.clientId}/credentials/secrets`, 'POST');
    expect(third).toEqual({ status: 400, body: validation("You've reached the maximum number of client secrets per client.") });

    const active = await call(`${oin.clientId}/credentials/secrets/${oin.secretId}`, 'DELETE');
    expect(active).toEqual({ status: 400, body: validation("You can't delete an active client secret. Deactivate the secret before deleting it.") });

    const off = await call(`${oin.clientId}/credentials/secrets/${oin.secretId}/lifecycle/deactivate`, 'POST');
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ id: oin.secretId, status: 'INACTIVE', _links: { activate: expect.anything(), delete: expect.anything() } });
    const refused = await grant(oin.clientId, oin.clientSecret);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: 'invalid_client' });
    // Still counted: Okta's two are active and inactive ones, so the admin control is refused too.
    expect(() => env.org.addAppSecret(oin.clientId)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));

    const last = await call(`${oin.clientId}/credentials/secrets/${fresh.id}/lifecycle/deactivate`, 'POST');
    expect(last).toEqual({ status: 400, body: validation("You can't deactivate the only active client secret.") });

    const on = await call(`${oin.clientId}/credentials/secrets/${oin.secretId}/lifecycle/activate`, 'POST');
    expect(on.body).toMatchObject({ status: 'ACTIVE' });
    expect((await grant(oin.clientId, oin.clientSecret)).status).toBe(200);
    await call(`${oin.clientId}/credentials/secrets/${oin.secretId}/lifecycle/deactivate`, 'POST');
    expect(await call(`${oin.clientId}/credentials/secrets/${oin.secretId}`, 'DELETE')).toEqual({ status: 204, body: undefined });
    expect((await call(`${oin.clientId}/credentials/secrets/${oin.secretId}`)).status).toBe(404);
    expect((await call(`${oin.clientId}/credentials/secrets`)).body.map((s: { id: string }) => s.id)).toEqual([fresh.id]);
    expect((await grant(oin.clientId, oin.clientSecret)).status).toBe(401);
    expect((await grant(oin.clientId, fresh.client_secret)).status).toBe(200);
  });

  it('takes a secret of the caller (bring your own), with Okta length and character rules; INACTIVE at create', async () => {
    const oin = env.org.createOinApp({ scopes: ['okta.users.read'] });
    const own = 'my-own-secret-of-forty-characters-long-xx';
    const short = await call(`${oin.clientId}/credentials/secrets`, 'POST', { client_secret: 'too-short' });
    expect(short).toEqual({ status: 400, body: validation("client_secret: 'client_secret' must be at least '14' characters long.") });
    expect(JSON.stringify(short.body)).not.toContain('too-short');
    const wide = await call(`${oin.clientId}/credentials/secrets`, 'POST', { client_secret: 'é'.repeat(20) });
    expect(wide.body.errorCauses[0].errorSummary).toMatch(/printable ASCII/);
    const created = await call(`${oin.clientId}/credentials/secrets`, 'POST', { client_secret: own, status: 'INACTIVE' });
    expect(created.body).toMatchObject({ status: 'INACTIVE', client_secret: own });
    expect((await grant(oin.clientId, own)).status).toBe(401);
    await call(`${oin.clientId}/credentials/secrets/${String(created.body.id)}/lifecycle/activate`, 'POST');
    expect((await grant(oin.clientId, own)).status).toBe(200);
  });

  it('a service app has no secrets: an empty list, and a create refused', async () => {
    const service = env.org.createServiceApp({ scopes: [] });
    expect(await call(`${service.clientId}/credentials/secrets`)).toEqual({ status: 200, body: [] });
    const created = await call(`${service.clientId}/credentials/secrets`, 'POST');
    expect(created).toEqual({ status: 400, body: validation("'client_secret' can't be used when 'token_endpoint_auth_method' is 'private_key_jwt'.") });
  });

  it('a secret added by the admin control is listed; one deactivated by it is gone', async () => {
    const oin = env.org.createOinApp({ scopes: ['okta.users.read'] });
    const added = env.org.addAppSecret(oin.clientId);
    const ids = async (): Promise<string[]> => (await call(`${oin.clientId}/credentials/secrets`)).body.map((s: { id: string }) => s.id);
    expect(await ids()).toEqual([oin.secretId, added.secretId]);
    env.org.deactivateAppSecret(oin.clientId, oin.secretId);
    expect(await ids()).toEqual([added.secretId]);
  });

  it('reads need okta.apps.read, writes okta.apps.manage; unknown apps and secrets are 404 E0000007', async () => {
    const oin = env.org.createOinApp({ scopes: ['okta.users.read'] });
    const reader = env.org.createServiceApp({ scopes: ['okta.apps.read'], requireDpop: false });
    const bearer = { Authorization: `Bearer ${(await serviceToken(env.org, reader, 'okta.apps.read')).access_token}` };
    expect((await call(`${oin.clientId}/credentials/secrets`, 'GET', undefined, bearer)).status).toBe(200);
    const write = await call(`${oin.clientId}/credentials/secrets`, 'POST', undefined, bearer);
    expect(write.status).toBe(403);
    const deactivate = await call(`${oin.clientId}/credentials/secrets/${oin.secretId}/lifecycle/deactivate`, 'POST', undefined, bearer);
    expect(deactivate.status).toBe(403);
    expect((await call(`${oin.clientId}/credentials/secrets`, 'GET', undefined, {})).status).toBe(403);

    const manager = env.org.createServiceApp({ scopes: ['okta.apps.manage'], requireDpop: false });
    const manage = { Authorization: `Bearer ${(await serviceToken(env.org, manager, 'okta.apps.manage')).access_token}` };
    expect((await call(`${oin.clientId}/credentials/secrets`, 'POST', undefined, manage)).status).toBe(201);

    const missing = await call('0oaNOSUCHAPP00000000/credentials/secrets');
    expect(missing).toMatchObject({ status: 404, body: { errorCode: 'E0000007', errorSummary: 'Not found: Resource not found: 0oaNOSUCHAPP00000000 (AppInstance)' } });
    // A secret's value put where its id goes is not quoted back.
    const byValue = await call(`${oin.clientId}/credentials/secrets/${encodeURIComponent(oin.clientSecret)}`);
    expect(byValue.status).toBe(404);
    expect(JSON.stringify(byValue.body)).not.toContain(oin.clientSecret);
  });
});
