/**
 * A user sign-in client on the scripted org (no sockets): each of its paths answers what the test
 * says, the others the org's defaults (discovery document, signing keys); a stored transaction and
 * its good callback, and a code answer carrying a given ID token.
 */
import { createSignInClient, type SignInClient, type SignInTransaction } from '@org/okta-oauth';
import { discoveryDocument, idTokenClaims, json, ORIGIN, REDIRECT, scriptedFetch, signJwt, signingKey, type Route } from './scripted.js';

/** What the scripted org answers at each sign-in path; unset paths keep the defaults (or 404). */
export interface UserOrg {
  discovery?: Route;
  token?: Route;
  keys?: Route;
  device?: Route;
  introspect?: Route;
}

/** A sign-in client (web app, client secret) on the scripted org. */
export function userClient(org: UserOrg, extra: Partial<Parameters<typeof createSignInClient>[0]> = {}): SignInClient {
  const routes: Record<string, Route> = {
    '/.well-known/openid-configuration': org.discovery ?? (() => json(200, discoveryDocument())),
    '/oauth2/v1/keys': org.keys ?? (() => json(200, { keys: [signingKey.jwk] })),
  };
  if (org.token !== undefined) routes['/oauth2/v1/token'] = org.token;
  if (org.device !== undefined) routes['/oauth2/v1/device/authorize'] = org.device;
  if (org.introspect !== undefined) routes['/oauth2/v1/introspect'] = org.introspect;
  return createSignInClient({ orgUrl: ORIGIN, clientId: '0oaWeb', clientSecret: 'web-secret-123', redirectUri: REDIRECT, scopes: ['openid', 'offline_access', 'okta.users.read'], retry: false, fetch: scriptedFetch(routes), ...extra });
}

/** The stored sign-in transaction the callbacks finish. */
export const transaction: SignInTransaction = {
  state: 'state-0123456789abcdef',
  nonce: 'nonce-0123456789abcdef',
  codeVerifier: 'verifier-0123456789abcdef0123456789abcdef0123',
  redirectUri: REDIRECT,
  createdAt: Date.now(),
  scope: 'openid offline_access okta.users.read',
};
/** The good callback URL for `transaction`. */
export const goodCallback = `${REDIRECT}?code=abc&state=${transaction.state}&iss=${encodeURIComponent(ORIGIN)}`;
/** A signed ID token for `transaction`. */
export const signedIdToken = () => signJwt({ alg: 'RS256', kid: 'k1', typ: 'JWT' }, idTokenClaims('0oaWeb', transaction.nonce));
/** A code answer with user tokens and `idToken`. */
export const codeAnswer = (idToken: string): Route => () => json(200, { access_token: 'eyJ.user.at', token_type: 'Bearer', expires_in: 3600, scope: 'openid offline_access okta.users.read', refresh_token: 'rt-123456789', id_token: idToken });
