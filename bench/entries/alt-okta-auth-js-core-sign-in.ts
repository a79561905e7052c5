// @okta/okta-auth-js/core (its smallest entry point): browser sign-in with PKCE (redirect), the callback, then the access token.
import { OktaAuth } from '@okta/okta-auth-js/core';

export function createAuth(issuer: string, clientId: string, redirectUri: string): OktaAuth {
  return new OktaAuth({ issuer, clientId, redirectUri, pkce: true, scopes: ['openid', 'profile', 'offline_access'] });
}

export async function signIn(auth: OktaAuth): Promise<void> {
  await auth.signInWithRedirect();
}

export async function handleCallback(auth: OktaAuth): Promise<string | undefined> {
  await auth.handleLoginRedirect();
  return auth.getAccessToken();
}
