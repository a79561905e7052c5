/**
 * Two copies of `@org/okta-oauth` and of core in one app (two installs, a bundler's two chunks, a test
 * runner's second load), against the emulator on 127.0.0.1. Copy B is this package and core loaded
 * again after `vi.resetModules()` (as core's `rate-limit/branded-copies.isolated.test.ts` does):
 * nothing shared but the realm's global symbol registry. Before rev166a's fixes, a token request's 429
 * under copy B's driver waited until the attempt's `TIMEOUT` (copy B's attempt bound unknown here), the
 * other copy's `Secret` was "missing or empty", and refusing the other copy's client did not say why.
 */
import { createOktaFetch, Secret } from '@org/okta-auth-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { clientSecretBasic, createServiceAppCredential, createSignInClient, isOktaOAuthError, signOut } from './index.js';
import { same } from './multi-org-tenant.js';
import { clientFor, postLogoutRedirectUri, redirectUri, scopes, signIn, useSignInOrg } from './user/test-helpers/sign-in-org.js';
import type * as CoreModule from '@org/okta-auth-core';
import type * as KyModule from '@org/okta-auth-core/ky';
import type * as OAuthModule from './index.js';

const env = useSignInOrg();

type Core = typeof CoreModule & typeof KyModule;
let coreB: Core;
let oauthB: typeof OAuthModule;

beforeAll(async () => {
  vi.resetModules();
  const [core, ky, oauth] = await Promise.all([import('@org/okta-auth-core'), import('@org/okta-auth-core/ky'), import('./index.js')]);
  coreB = { ...core, ...ky };
  oauthB = oauth;
  expect(coreB.createOktaFetch).not.toBe(createOktaFetch);
  expect(oauthB.createSignInClient).not.toBe(createSignInClient);
});

/** What a call failed with: its code and whether this package's guard takes it. */
const failed = (work: Promise<unknown>): Promise<{ code?: unknown; ours: boolean; message: string }> =>
  work.then(
    () => ({ ours: false, message: 'it did not fail' }),
    (error: unknown) => ({ code: (error as { code?: unknown }).code, ours: isOktaOAuthError(error), message: (error as Error).message }),
  );

describe("a service app credential driven by the other copy's drivers", () => {
  it("fails a token request's 429 whose wait the attempt cannot spare at once (RATE_LIMITED), as under its own copy's driver, never TIMEOUT", async () => {
    const { org } = env;
    const app = org.createServiceApp({ scopes: ['okta.users.read'] });
    const drivers: Record<string, (credential: ReturnType<typeof createServiceAppCredential>) => Promise<unknown>> = {
      'createOktaFetch (this copy)': (credential) => createOktaFetch({ credential, timeoutMs: 3_000, retry: false })('/api/v1/users'),
      'createOktaFetch (copy B)': (credential) => coreB.createOktaFetch({ credential, timeoutMs: 3_000, retry: false })('/api/v1/users'),
      'createOktaKy (copy B)': (credential) => coreB.createOktaKy({ credential, timeoutMs: 3_000, retry: false }).get('api/v1/users'),
    };
    for (const [driver, send] of Object.entries(drivers)) {
      // Okta's window resets in 20 s: past half of the 3 s the attempt has, so the credential must not wait for it.
      org.injectFault({ path: '/oauth2/v1/token', kind: 'status', status: 429, headers: { 'x-rate-limit-limit': '10', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 20) }, count: 1 });
      const credential = createServiceAppCredential({ orgUrl: org.url, clientId: app.clientId, privateKey: app.privateKeyPem, keyId: app.keyId, scopes: ['okta.users.read'], allowInsecureLoopback: true });
      const outcome = await failed(send(credential));
      expect({ driver, code: outcome.code, ours: outcome.ours }).toEqual({ driver, code: 'RATE_LIMITED', ours: true });
      expect(outcome.message).toContain("Okta's token endpoint is still rate limiting this client");
    }
  });
});

describe("the app's own core copy's Secret, given to this package", () => {
  it('is the client secret of a sign-in client (clientSecret, clientSecretBasic), signs in, and introspects as a token', async () => {
    const { org } = env;
    const app = org.createSignInApp({ type: 'web', redirectUris: [redirectUri], postLogoutRedirectUris: [postLogoutRedirectUri], scopes: ['okta.users.read'] });
    const secret = String(app.clientSecret);
    for (const options of [{ clientSecret: new coreB.Secret(secret) }, { clientAuth: clientSecretBasic(new coreB.Secret(secret)) }]) {
      const client = clientFor(org, { clientId: app.clientId }, options);
      const result = await signIn(client);
      expect((await client.introspect(new coreB.Secret(result.tokens.accessToken.reveal()))).active).toBe(true);
    }
  });

  it('is compared by what it holds between tenants (multi-org), and a look-alike is no secret', () => {
    expect(same(new Secret('one'), new coreB.Secret('one'))).toBe(true);
    expect(same(new Secret('one'), new coreB.Secret('two'))).toBe(false);
    const forged = { '@org/okta-auth-core/secret': true, reveal: () => 'x'.repeat(40) };
    expect(() => clientSecretBasic(forged as unknown as Secret)).toThrow('clientSecret is missing or empty');
  });
});

describe("this package's refusal of the other copy's client, credential or tokens", () => {
  it('says the other copy may have made it (two installs): use one', async () => {
    const { org } = env;
    const app = org.createSignInApp({ type: 'web', redirectUris: [redirectUri], postLogoutRedirectUris: [postLogoutRedirectUri], scopes: ['okta.users.read'] });
    const client = clientFor(org, app);
    const clientB = oauthB.createSignInClient({ orgUrl: org.url, allowInsecureLoopback: true, clientId: app.clientId, clientSecret: app.clientSecret, redirectUri, scopes });
    const result = await signIn(client);
    const credential = client.credential(result);
    const twoInstalls = 'or it was made by another copy of @org/okta-oauth (two installs): use one.';
    const refusals = [
      await failed(oauthB.signOut(client, credential)),
      await failed(oauthB.userInfo(client, credential)),
      await failed(Promise.resolve().then(() => clientB.credential(result))),
      await failed(oauthB.signOut(clientB, result.tokens)),
    ];
    expect(refusals.map(({ code, message }) => ({ code, message }))).toEqual([
      { code: 'INVALID_CONFIG', message: `signOut: pass the client createSignInClient returned, ${twoInstalls}` },
      { code: 'INVALID_CONFIG', message: `userInfo: pass the client createSignInClient returned, ${twoInstalls}` },
      { code: 'INVALID_CONFIG', message: `credential: pass the UserTokens from finishSignIn, poll() or UserTokens.fromStorable(), ${twoInstalls}` },
      { code: 'INVALID_CONFIG', message: `signOut: pass the UserTokens to revoke, or the credential client.credential() made, ${twoInstalls}` },
    ]);
    // Its own copy still takes them.
    expect((await signOut(client, credential)).notRevoked).toEqual([]);
  });
});
