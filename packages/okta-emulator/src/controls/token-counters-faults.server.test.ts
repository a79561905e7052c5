/**
 * What `counters().tokenRequests` counts, as its TSDoc and the README say (a new user's review of the OIN
 * path, fifty-first session, found it undocumented): the token requests the endpoint answered itself. One a
 * fault answered never reached it, so it is in `requests` only.
 */
import { afterEach, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator } from '../index.js';
import { basic, postToken } from '../test-helpers/oauth.js';

let org: OktaEmulator | undefined;
afterEach(async () => {
  await org?.close();
  org = undefined;
});

it('a token request a status fault answered is in requests, not in tokenRequests; the endpoint\'s own refusal is in both', async () => {
  org = await startEmulator();
  const app = org.createOinApp({ scopes: ['okta.users.read'] });
  const form = { grant_type: 'client_credentials', scope: 'okta.users.read' };
  expect((await postToken(org, form, { Authorization: basic(app.clientId, app.clientSecret) })).status).toBe(200);
  org.injectFault({ path: '/oauth2/v1/token', kind: 'status', status: 401, body: { error: 'invalid_client' }, count: 1 });
  expect((await postToken(org, form, { Authorization: basic(app.clientId, app.clientSecret) })).status).toBe(401);
  expect((await postToken(org, form, { Authorization: basic(app.clientId, 'wrong') })).status).toBe(401);
  expect(org.counters()).toMatchObject({ requests: { 'POST /oauth2/v1/token': 3 }, tokenRequests: { client_credentials: { success: 1, invalid_client: 1 } } });
});
