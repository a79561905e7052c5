import type { Secret } from '@org/okta-auth-core';
import { clientSecretBasic } from '../client-auth/client-secret.js';
import { privateKeyJwt } from '../client-auth/private-key-jwt.js';
import { dpopBound, dpopPart } from '../dpop/dpop-session.js';
import { serverClock } from '../internal/server-clock.js';
import { checkDpop } from '../internal/validate.js';
import { everyPageHint } from '../token-endpoint/browser-hint.js';
import { devicePollNote } from '../token-endpoint/endpoint-failure.js';
import { deviceGrantHint, signInDpopHint, signInHints } from '../token-endpoint/token-error.js';
import { signedInProofHint } from './signed-in-proof-hint.js';
import { metadata, restoreCredential, signOut } from './client-functions.js';
import { startDeviceSignIn, type StartDeviceSignInOptions } from './device.js';
import { jwksIdTokenVerifier } from './id-token-jwks.js';
import { introspect, revokeUnkept, signOutSession, type IntrospectOptions, type SignOutOptions } from './revocation.js';
import { pushAuthorizationRequest } from './pushed-authorization.js';
import { buildSignInClient, type SignInParts } from './sign-in-build.js';
import { userFleet } from './user-fleet.js';
import { revokeReplaced } from './token-entry.js';
import type { SignInClient, SignInClientOptions } from './sign-in-options.js';
import type { UserTokens } from './tokens.js';
import type { UserCredentialBase } from './credential-options.js';

export type { SignInClient, SignInClientOptions } from './sign-in-options.js';

/** Everything: the main entry point's client. */
const allParts: SignInParts = {
  idTokenVerifier: jwksIdTokenVerifier,
  clientSecretBasic,
  privateKeyJwt,
  dpop: (origin, options) => dpopPart(origin, checkDpop(options, 'off', true)),
  dpopBound,
  serverClock,
  signOut: signOutSession,
  revokeUnkept,
  revokeReplaced,
  pushAuthorization: pushAuthorizationRequest,
  userFleet,
  hints: { ...signInHints, dpop: signInDpopHint, grant: deviceGrantHint, proof: signedInProofHint, page: everyPageHint, poll: devicePollNote },
};

/**
 * Creates a sign-in client for one OIDC app on one Okta org: authorization
 * code + PKCE for web apps and SPAs, device sign-in for CLIs, then a
 * self-renewing credential for Okta's APIs, sign-out and introspection. ID token
 * signatures are checked with {@link jwksIdTokenVerifier} unless `idTokenVerifier` says
 * otherwise. A browser or native app that needs none of device sign-in, DPoP, `privateKey` or
 * introspection ships less with the `createSignInClient` of `@org/okta-oauth/sign-in`.
 *
 * @throws {OktaOAuthError} `INVALID_CONFIG` (or core `INVALID_ORG_URL`) naming the bad option.
 * @example
 * ```ts
 * import { createOktaFetch } from '@org/okta-auth-core';
 * import { createSignInClient } from '@org/okta-oauth';
 *
 * declare const callbackUrl: string; // where Okta redirected
 * const client = createSignInClient({
 *   orgUrl: 'https://acme.okta.com',
 *   clientId: '0oa1b2c3d4',
 *   redirectUri: 'https://app.example.com/callback',
 *   scopes: ['openid', 'offline_access', 'okta.users.read'],
 * });
 * const { url, transaction } = await client.startSignIn();
 * // … the user signs in at url; Okta redirects to the callback …
 * const { tokens, claims } = await client.finishSignIn(callbackUrl, transaction);
 * const okta = createOktaFetch({ credential: client.credential(tokens) });
 * ```
 * @see https://developer.okta.com/docs/guides/implement-oauth-for-okta/main/
 * @see https://www.rfc-editor.org/rfc/rfc9700
 */
export function createSignInClient(options: SignInClientOptions): SignInClient {
  // With allParts.signOut every credential of this client has signOut(): a UserCredential.
  return buildSignInClient(options, allParts, (ctx, client) => ({
    startDeviceSignIn: (deviceOptions?: StartDeviceSignInOptions) => startDeviceSignIn(ctx, deviceOptions),
    introspect: (token: string | Secret, introspectOptions?: IntrospectOptions) => introspect(ctx, token, introspectOptions),
    restoreCredential: (restoreOptions: Parameters<SignInClient['restoreCredential']>[0]) => restoreCredential(client, restoreOptions),
    signOut: (target: UserTokens | UserCredentialBase, signOutOptions?: SignOutOptions) => signOut(client, target, signOutOptions),
    metadata: (metadataOptions?: { signal?: AbortSignal }) => metadata(client, metadataOptions),
  })) as SignInClient;
}
