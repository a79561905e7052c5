/**
 * An OIN credential's `invalid_client`, answered by the emulator itself (a new user's review of the OIN
 * path, fifty-first session): its hint said "SPA and Native apps take none" (no OIN integration is
 * either), never that the customer may have removed or deactivated the integration, and a secret
 * stored with an env file's quotes got the same words as any wrong secret.
 */
import { createOktaFetch, isOktaAuthError } from '@org/okta-auth-core';
import { failure } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { createOinAppCredential } from '../oin-app.js';
import { emulator, useEmulators } from '../test-helpers/org.js';

useEmulators();

/** The message of the OIN credential's first call, its secret `clientSecret`. */
async function refused(clientSecret: (secret: string) => string): Promise<{ message: string; secret: string }> {
  const org = await emulator();
  const app = org.createOinApp({ scopes: ['okta.users.read'] });
  const credential = createOinAppCredential({ orgUrl: org.url, clientId: app.clientId, clientSecret: clientSecret(app.clientSecret), scopes: ['okta.users.read'], allowInsecureLoopback: true });
  const error = await failure(() => createOktaFetch({ credential })('/api/v1/users'), isOktaAuthError);
  expect(error).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', status: 401, error: 'invalid_client' });
  return { message: error.message, secret: app.clientSecret };
}

describe("an OIN credential's invalid_client hint", () => {
  it('names the per-org secret and an integration the customer removed or deactivated, and no app type an OIN integration is not', async () => {
    const { message } = await refused(() => 'not-the-secret-0123456789abcdef0123456789');
    expect(message).toMatch(
      /\. Check the client id and secret \(an OIN secret is per customer org, and a rotated one is refused once deactivated in Okta\), that the customer has not removed or deactivated the integration, and that the app's client authentication is client_secret_basic \(client_secret_post: clientAuth: clientSecretPost\(secret\)\)\. \([\w.:-]+, request [^)]+\)$/,
    );
    expect(message).not.toMatch(/SPA|Native|quotes/);
  });

  it.each([
    ['double quotes', (secret: string) => `"${secret}"`],
    ['single quotes', (secret: string) => `'${secret}'`],
    ['one quote left at its end', (secret: string) => `${secret}"`],
  ])('says a secret in %s is in quotes, in the words of core (as for the org URL), quoting nothing of it', async (_, quote) => {
    const { message, secret } = await refused(quote);
    expect(message).toMatch(/\. The secret is wrapped in quotes \(or has one at an end\): remove them\. Check the client id and secret \(an OIN secret/);
    expect(message).not.toContain(secret.slice(0, 12));
  });
});
