import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator } from '../index.js';
import { REQUEST_LOG_ENTRIES } from './request-log.js';
import { basic, clientAssertion, form, JWT_BEARER, postToken } from '../test-helpers/oauth.js';

/** `org.requests()` and `GET /__emulator/requests`: what the org was sent, secrets redacted. */
describe('request log', () => {
  let org: OktaEmulator;
  beforeAll(async () => {
    org = await startEmulator({ seed: { users: 2 } });
  });
  afterAll(() => org.close());

  it('lists what was sent, with the fault and status, and no secret', async () => {
    const { token } = org.createApiToken();
    const { clientId, clientSecret } = org.createOinApp({ scopes: ['okta.users.read'] });
    const faultId = org.injectFault({ path: '/api/v1/groups', kind: 'status', status: 503, count: 1 });
    expect((await fetch(`${org.url}/api/v1/users?limit=1&after=x`, { headers: { Authorization: `SSWS ${token}` } })).status).toBe(200);
    expect((await fetch(`${org.url}/api/v1/groups`, { headers: { Authorization: `SSWS ${token}` } })).status).toBe(503);
    const tokenRes = await fetch(`${org.url}/oauth2/v1/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${btoa(`${clientId}:${clientSecret}`)}`, DPoP: 'not.a.proof', Cookie: 'sid=secret-cookie-value' },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'okta.users.read', client_secret: clientSecret, client_assertion: 'assertion-secret', client_id: 'x'.repeat(10_000) }).toString(),
    });
    await tokenRes.body?.cancel();
    await fetch(`${org.url}/oauth2/v1/userinfo?access_token=query-secret-token&code=query-code`);

    const log = org.requests();
    const json = JSON.stringify(log);
    for (const secret of [token, clientSecret, btoa(`${clientId}:${clientSecret}`), 'not.a.proof', 'secret-cookie-value', 'assertion-secret', 'query-secret-token', 'query-code']) {
      expect(json).not.toContain(secret);
    }
    expect(log.map((e) => `${e.method} ${e.path} ${e.status ?? '-'}`)).toEqual([
      'GET /api/v1/users 200',
      'GET /api/v1/groups 503',
      `POST /oauth2/v1/token ${tokenRes.status}`,
      'GET /oauth2/v1/userinfo 400',
    ]);
    expect(log[0]).toMatchObject({ query: { limit: '1', after: 'x' }, authorization: 'SSWS', dpop: false, cookie: false });
    expect(log[1]).toMatchObject({ fault: { id: faultId, kind: 'status' } });
    // Only the named fields, each value cut at 256 characters.
    expect(log[2]).toMatchObject({ authorization: 'Basic', dpop: true, cookie: true, form: { grant_type: 'client_credentials', scope: 'okta.users.read', client_id: `${'x'.repeat(256)}…` } });
    expect(Object.keys(log[2]?.form ?? {}).sort()).toEqual(['client_id', 'grant_type', 'scope']);
    expect(log[3]?.query).toEqual({ access_token: '[redacted]', code: '[redacted]' });

    // path and since; the admin route answers the same.
    expect(org.requests({ path: '/api/v1/groups' }).map((e) => e.status)).toEqual([503]);
    expect(org.requests({ since: log[1]?.seq }).map((e) => e.path)).toEqual(['/oauth2/v1/token', '/oauth2/v1/userinfo']);
    const res = await fetch(`${org.url}/__emulator/requests?path=%2Fapi%2Fv1%2Fusers`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([log[0]]);
    // The admin API's own requests are not logged.
    expect(org.requests()).toHaveLength(4);
  });

  it('names the client the org authenticated (Basic, a client assertion without client_id), none when it refused it; a type field shown', async () => {
    const service = org.createServiceApp({ keyType: 'EC', scopes: ['okta.users.read'], requireDpop: false });
    const oin = org.createOinApp({ scopes: ['okta.users.read'] });
    const since = org.requests().at(-1)?.seq ?? 0;
    // private_key_jwt sends no client_id (RFC 7523 §3): the org knows the client from the verified assertion.
    const viaAssertion = await postToken(org, { grant_type: 'client_credentials', scope: 'okta.users.read', client_assertion_type: JWT_BEARER, client_assertion: await clientAssertion(org, service) });
    expect(viaAssertion.status).toBe(200);
    const { access_token: accessToken } = (await viaAssertion.json()) as { access_token: string };
    await (await postToken(org, { grant_type: 'client_credentials', scope: 'okta.users.read' }, { Authorization: basic(oin.clientId, oin.clientSecret) })).body?.cancel();
    await (await postToken(org, { grant_type: 'client_credentials', scope: 'okta.users.read' }, { Authorization: basic(oin.clientId, 'wrong') })).body?.cancel();
    const revoke = form({ token: accessToken, token_type_hint: 'access_token', client_assertion_type: JWT_BEARER, client_assertion: await clientAssertion(org, service, { aud: `${org.url}/oauth2/v1/revoke` }) });
    expect((await fetch(`${org.url}/oauth2/v1/revoke`, revoke)).status).toBe(200);

    const log = org.requests({ since });
    expect(log.map((e) => [e.path, e.status, e.clientId])).toEqual([
      ['/oauth2/v1/token', 200, service.clientId],
      ['/oauth2/v1/token', 200, oin.clientId],
      ['/oauth2/v1/token', 401, undefined],
      ['/oauth2/v1/revoke', 200, service.clientId],
    ]);
    expect(log[0]?.form).toEqual({ grant_type: 'client_credentials', scope: 'okta.users.read', client_assertion_type: JWT_BEARER });
    expect(log[3]?.form).toEqual({ token_type_hint: 'access_token', client_assertion_type: JWT_BEARER });
    expect(JSON.stringify(log)).not.toContain(accessToken);
  });

  it(`keeps the last ${REQUEST_LOG_ENTRIES} requests`, async () => {
    for (let i = 0; i < REQUEST_LOG_ENTRIES + 5; i++) await (await fetch(`${org.url}/oauth2/v1/keys?n=${i}`)).body?.cancel();
    const log = org.requests();
    expect(log).toHaveLength(REQUEST_LOG_ENTRIES);
    expect(log.at(-1)?.query).toEqual({ n: String(REQUEST_LOG_ENTRIES + 4) });
  });
});
