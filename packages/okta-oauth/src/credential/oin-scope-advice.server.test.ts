/**
 * The advice on a scope an OIN integration's token lacks (Okta's 403 E0000006 with the scope in `WWW-Authenticate`),
 * against @org/okta-emulator: the customer org's admin grants an OIN integration's scopes, and only among those the
 * integration declares, so the service app's fix ("grant it to the app (Okta API Scopes tab)": the partner has no
 * such tab in the customer's org) is not given to it (rev168c). The service app's words are unchanged
 * (`service-app.server.test.ts`). One advice builder for both, by the credential's kind (`app-advice.ts`).
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
});
