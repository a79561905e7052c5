/**
 * The advice on a scope an OIN integration's token lacks (Okta's 403 E0000006 with the scope in `WWW-Authenticate`),
 * against @org/okta-emulator: the customer org's admin grants an OIN integration's scopes, and only among those the
 * integration declares, so the service app's fix ("grant it to the app (Okta API Scopes tab)": the partner has no
 * such tab in the customer's org) is not given to it (rev168c). The service app's words are unchanged
 * (`service-app.server.test.ts`). One advice builder for both, by the credential's kind (`app-advice.ts`), which the
 * token endpoint's `invalid_scope`/`consent_required` hint and the admin-role advice go through too (left168: both
 * said the service app's words to an OIN integration).
 */
import { createOktaFetch, isOktaApiError } from '@org/okta-auth-core';
import { describe, expect, it } from 'vitest';
import { createOinAppCredential } from '../oin-app.js';
import { emulator, useEmulators } from '../test-helpers/org.js';

useEmulators();

const adminGrants = "have the customer org's admin grant it to the integration (only among the scopes it declares).";

describe("an OIN integration's token lacking a scope", () => {
  it.each([
    ['requested but not granted at install', ['okta.users.read', 'okta.groups.read'], `it was requested but Okta did not grant it; ${adminGrants}`],
    ['not requested', ['okta.users.read'], `add it to the credential's scopes and ${adminGrants}`],
  ])('%s: the customer org admin grants it, not the Okta API Scopes tab', async (_name, scopes, says) => {
    const org = await emulator();
    const app = org.createOinApp({ scopes: ['okta.users.read'] });
    const credential = createOinAppCredential({ orgUrl: org.url, clientId: app.clientId, clientSecret: app.clientSecret, scopes, allowInsecureLoopback: true });
    const error: unknown = await createOktaFetch({ credential })('/api/v1/groups').catch((e: unknown) => e);
    expect(isOktaApiError(error) && error.status).toBe(403);
    const message = (error as Error).message;
    expect(message).toContain(`The access token lacks the scope okta.groups.read: ${says} The token was granted: okta.users.read.`);
    expect(message).not.toContain('Okta API Scopes tab');
  });

  it('the token is granted the scope but the call is refused (403 E0000006): the customer org decides what the integration may do, not an admin role the partner assigns', async () => {
    const org = await emulator();
    const app = org.createOinApp({ scopes: ['okta.users.read'] });
    // Okta's refusal of a token that has the scope: E0000006 with the granted scope in the challenge.
    org.injectFault({ path: '/api/v1/users', kind: 'status', status: 403, body: { errorCode: 'E0000006', errorSummary: 'You do not have permission to perform the requested action' }, headers: { 'WWW-Authenticate': 'Bearer authorization_uri="http://127.0.0.1/oauth2/v1/authorize", realm="http://127.0.0.1", scope="okta.users.read", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="/api/v1/users"' } });
    const credential = createOinAppCredential({ orgUrl: org.url, clientId: app.clientId, clientSecret: app.clientSecret, scopes: ['okta.users.read'], allowInsecureLoopback: true });
    const error: unknown = await createOktaFetch({ credential })('/api/v1/users').catch((e: unknown) => e);
    expect(isOktaApiError(error) && error.status).toBe(403);
    const message = (error as Error).message;
    expect(message).toContain("The access token has the scope okta.users.read this needs, so the customer org does not allow the integration this action on this resource: only the customer org's admin can change what it may do.");
    expect(message).not.toContain('assign the app a role');
  });
});

describe("an OIN integration's token request for scopes its org did not grant", () => {
  it.each([
    ['none of them granted at install (consent_required)', ['okta.groups.read'], 'consent_required'],
    ['one the org authorization server does not have (invalid_scope)', ['okta.users.read', 'custom.reports'], 'invalid_scope'],
  ])('%s: the customer org admin grants them, not the Okta API Scopes tab', async (_name, scopes, oauthError) => {
    const org = await emulator();
    const app = org.createOinApp({ scopes: ['okta.users.read'] });
    const credential = createOinAppCredential({ orgUrl: org.url, clientId: app.clientId, clientSecret: app.clientSecret, scopes, allowInsecureLoopback: true });
    const error: unknown = await createOktaFetch({ credential })('/api/v1/users').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', error: oauthError, status: 400 });
    const message = (error as Error).message;
    expect(message).toContain(`Requested: "${scopes.join(' ')}". Have the customer org's admin grant these scopes to the integration (only among the scopes it declares) or request fewer.`);
    expect(message).not.toContain('Okta API Scopes tab');
  });
});
