/**
 * Each client's OAuth hints over real HTTP against @org/okta-emulator: the service app, the OIN app
 * and the sign-in clients get their hints from their factory (`serviceAppHints`, `oinAppHints`,
 * `signInHints`, the root entry's with `signInDpopHint` and `deviceGrantHint`), so that a bundle carries
 * only what its client can be told, at every endpoint the client calls (token, revocation,
 * introspection, device authorization). Whatever the factory, the message says what
 * `everyOAuthHint`, the reference chosen by the context alone, says for that client's context.
 */
import { createOktaFetch } from '@org/okta-auth-core';
import type { OktaEmulator } from '@org/okta-emulator';
import { describe, expect, it } from 'vitest';
import { createOinAppCredential } from '../oin-app.js';
import { emulator, serviceApp, useEmulators } from '../test-helpers/org.js';
import { signOut } from '../user/client-functions.js';
import { createSignInClient as createRootSignInClient } from '../user/sign-in-client.js';
import { leanSignInClient as createSignInClient } from '../user/test-helpers/sign-in-org.js';
import type { SignInClientBase } from '../user/sign-in-options.js';
import { clientFor, redirectUri, scopes, signIn } from '../user/test-helpers/sign-in-org.js';
import { everyOAuthHint, oauthHint, type OAuthErrorContext } from './token-error.js';

useEmulators();

/** The OAuth errors a hint is written for. */
const errors = ['invalid_client', 'invalid_scope', 'invalid_dpop_proof', 'use_dpop_nonce', 'unauthorized_client', 'access_denied'];
const deviceGrant = 'urn:ietf:params:oauth:grant-type:device_code';

/** What the reference appends for this error in this context (the endpoints quote the description before it). */
const referenceHint = (error: string, context: Omit<OAuthErrorContext, 'hints'>): string => oauthHint(error, { ...context, hints: everyOAuthHint }, 'Scripted refusal');

/** Fails the org's next request to `path` with `error`, then returns the message of what `work` throws or reports. */
async function refusedWith(org: OktaEmulator, path: string, error: string, work: () => Promise<unknown>): Promise<string> {
  org.injectFault({ path, kind: 'status', status: 400, body: { error, error_description: 'Scripted refusal' }, count: 1 });
  const thrown: unknown = await work().then(
    (reported) => reported,
    (e: unknown) => e,
  );
  expect(thrown).toMatchObject({ error });
  return (thrown as Error).message;
}

/** Checks an endpoint's message: every endpoint's is in one shape ("…: Scripted refusal.<hint> (<host>, request …)", `endpointFailure`); `token` names the request it refused. */
function expectHint(message: string, token: boolean, hint: string): void {
  expect(hint).not.toBe('');
  expect(message).toContain(`${token ? 'the token request' : 'the request'} (400 `);
  expect(message).toContain(`: Scripted refusal.${hint} (`);
  expect(message).toMatch(/\. \([\w.:-]+, request [^)]+\)$/);
}

describe('OAuth hints: each factory gives what its client can be told, worded as the reference', () => {
  for (const mode of ['required', 'off'] as const) {
    it(`a service app (private_key_jwt, client credentials, dpop ${mode}): the token endpoint`, async () => {
      const org = await emulator();
      for (const error of errors) {
        const { okta, keyId } = serviceApp(org, { requireDpop: mode === 'required' }, { dpop: mode });
        const message = await refusedWith(org, '/oauth2/v1/token', error, () => okta('/api/v1/users'));
        expectHint(message, true, referenceHint(error, { clientAuth: { method: 'private_key_jwt', keyId }, dpop: { mode }, grantType: 'client_credentials', scope: 'okta.users.read' }));
      }
    });
  }

  it('an OIN app (client secret, client credentials, no DPoP): the token endpoint', async () => {
    const org = await emulator();
    const app = org.createOinApp({ scopes: ['okta.users.read'] });
    for (const error of errors) {
      const credential = createOinAppCredential({ orgUrl: org.url, clientId: app.clientId, clientSecret: app.clientSecret, scopes: ['okta.users.read'], allowInsecureLoopback: true });
      const message = await refusedWith(org, '/oauth2/v1/token', error, () => createOktaFetch({ credential })('/api/v1/users'));
      expectHint(message, true, referenceHint(error, { clientAuth: { method: 'client_secret_basic', keyId: undefined }, dpop: undefined, grantType: 'client_credentials', scope: 'okta.users.read' }));
    }
  });

  interface SignInCase {
    readonly name: string;
    readonly make: (org: OktaEmulator) => SignInClientBase & { introspect?: unknown; startDeviceSignIn?: unknown };
    readonly method: string;
    readonly dpop: OAuthErrorContext['dpop'];
    /** The root entry's client: introspection (a confidential client only) and device sign-in. */
    readonly root: 'spa' | 'web' | undefined;
  }
  const spa = (org: OktaEmulator) => org.createSignInApp({ type: 'spa', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
  const cases: SignInCase[] = [
    { name: 'the /sign-in client (a public client, no DPoP)', make: (org) => clientFor(org, spa(org), {}, createSignInClient), method: 'none', dpop: undefined, root: undefined },
    { name: 'the root entry\'s public client with DPoP', make: (org) => clientFor(org, spa(org), { dpop: 'auto' }, createRootSignInClient), method: 'none', dpop: { mode: 'auto' }, root: 'spa' },
    {
      name: 'the root entry\'s confidential client without DPoP',
      make: (org) => clientFor(org, org.createSignInApp({ type: 'web', redirectUris: [redirectUri], scopes: ['okta.users.read'] }), {}, createRootSignInClient),
      method: 'client_secret_basic',
      dpop: undefined,
      root: 'web',
    },
  ];
  for (const { name, make, method, dpop, root } of cases) {
    it(`${name}: the code exchange, revocation${root === 'web' ? ', introspection' : ''}${root === undefined ? '' : ', device authorization'}`, async () => {
      const org = await emulator();
      org.createUser({ login: 'ada@example.com', password: 'Correct-Horse-9', admin: true, firstName: 'Ada', lastName: 'Admin' });
      const clientAuth = { method, keyId: undefined };
      for (const error of errors) {
        const client = make(org);
        // A code exchange and a revocation name no scope; the device authorization sends the client's.
        expectHint(await refusedWith(org, '/oauth2/v1/token', error, () => signIn(client)), true, referenceHint(error, { clientAuth, dpop, grantType: 'authorization_code' }));
        const { tokens } = await signIn(client);
        const revoked = async (): Promise<unknown> => (await signOut(client, tokens)).notRevoked[0]?.error;
        expectHint(await refusedWith(org, '/oauth2/v1/revoke', error, revoked), false, referenceHint(error, { clientAuth, dpop }));
        if (root === undefined) continue;
        const rootClient = client as ReturnType<typeof createRootSignInClient>;
        if (root === 'web') {
          expectHint(await refusedWith(org, '/oauth2/v1/introspect', error, () => rootClient.introspect(tokens.accessToken)), false, referenceHint(error, { clientAuth, dpop }));
        }
        const device = referenceHint(error, { clientAuth, dpop, grantType: deviceGrant, scope: scopes.join(' ') });
        expectHint(await refusedWith(org, '/oauth2/v1/device/authorize', error, () => rootClient.startDeviceSignIn()), false, device);
      }
    });
  }
});
