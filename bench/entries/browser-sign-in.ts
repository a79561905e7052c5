// Browser user sign-in: authorization code + PKCE by redirect, the callback, then an API call with the user's token.
import { createOktaFetch } from '@org/okta-auth-core';
import { createSessionStorage, createSignInClient } from '@org/okta-oauth/sign-in';

function client(orgUrl: string, clientId: string, redirectUri: string) {
  return createSignInClient({ orgUrl, clientId, redirectUri, scopes: ['openid', 'profile', 'offline_access', 'okta.users.read'], storage: createSessionStorage() });
}

export async function signIn(orgUrl: string, clientId: string, redirectUri: string): Promise<void> {
  const { url } = await client(orgUrl, clientId, redirectUri).startSignIn();
  location.assign(url);
}

export async function handleCallback(orgUrl: string, clientId: string, redirectUri: string): Promise<unknown> {
  const signInClient = client(orgUrl, clientId, redirectUri);
  const result = await signInClient.finishSignIn(location.href);
  history.replaceState(null, '', '/');
  const okta = createOktaFetch({ credential: signInClient.credential(result) });
  return (await okta('/api/v1/users/me')).json();
}
