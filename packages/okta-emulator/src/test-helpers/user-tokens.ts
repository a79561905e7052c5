import { useOrgPerFile } from '@org/okta-test-utils';
import { startEmulator, type EmulatorOptions, type OktaEmulator, type SignInAppCredentials } from '../index.js';
import { Browser, pkce, signIn } from './browser.js';
import { postToken } from './oauth.js';

export const REDIRECT = 'http://localhost:5173/callback';

/** Exchange an authorization code for `REDIRECT` at the token endpoint, with the PKCE verifier when given. */
export function exchangeCode(org: OktaEmulator, clientId: string, code: string, verifier: string | undefined, extra: Record<string, string> = {}, headers: Record<string, string> = {}): Promise<Response> {
  return postToken(org, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: clientId, ...(verifier === undefined ? {} : { code_verifier: verifier }), ...extra }, headers);
}

/** Sign a user in through the page and exchange the code (public client). */
export async function userTokens(org: OktaEmulator, clientId: string, login: string, password: string, scope = 'openid profile email offline_access', browser = new Browser()): Promise<Record<string, string> & { access_token: string }> {
  const { verifier, challenge } = pkce();
  const loc = await signIn(org, browser, { clientId, redirectUri: REDIRECT, challenge, scope }, login, password);
  const res = await exchangeCode(org, clientId, loc.searchParams.get('code')!, verifier);
  if (res.status !== 200) throw new Error(`code exchange failed ${res.status}`);
  return res.json();
}

/** Bob's (not an admin) `authorization: Bearer …` header with these scopes, from a new SPA of `org` granted both self scopes (Bob as {@link useSignInApps} creates him). */
export async function bobBearer(org: OktaEmulator, scope: string): Promise<Record<string, string>> {
  const app = org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT], scopes: ['okta.users.read.self', 'okta.users.manage.self'] });
  const { access_token } = await userTokens(org, app.clientId, 'bob@example.com', 'Bob-Pass1', scope);
  return { authorization: `Bearer ${access_token}` };
}

export interface SignInApps {
  /** The org of the running tests. */
  readonly org: OktaEmulator;
  /** A SPA (public client, PKCE) that may ask for okta.users.read. */
  readonly spa: SignInAppCredentials;
  /** A web app (client secret). */
  readonly web: SignInAppCredentials;
}

/**
 * Starts an org before the tests of the calling file or block and closes it after: Ada, an admin
 * (ada@example.com, Correct-Horse1), Bob, not one (bob@example.com, Bob-Pass1), a SPA and a web app,
 * both redirecting to `REDIRECT`; `options` for {@link startEmulator} (the shared `useOrgPerFile`). Read the fields inside tests.
 */
export function useSignInApps(options: EmulatorOptions = {}): SignInApps {
  return useOrgPerFile(() => startEmulator(options), (org) => {
    org.createUser({ login: 'ada@example.com', password: 'Correct-Horse1', firstName: 'Ada', lastName: 'Lovelace', admin: true });
    org.createUser({ login: 'bob@example.com', password: 'Bob-Pass1', firstName: 'Bob', lastName: 'Builder' });
    const spa = org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT], postLogoutRedirectUris: ['http://localhost:5173/'], scopes: ['okta.users.read'] });
    return { spa, web: org.createSignInApp({ type: 'web', redirectUris: [REDIRECT] }) };
  }, 'useSignInApps');
}
