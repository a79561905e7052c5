import type { OktaEmulator } from '../index.js';
import { Browser, pkce, signIn } from './browser.js';
import { postToken } from './oauth.js';

export const REDIRECT = 'http://localhost:5173/callback';

/** Sign a user in through the page and exchange the code (public client). */
export async function userTokens(org: OktaEmulator, clientId: string, login: string, password: string, scope = 'openid profile email offline_access', browser = new Browser()): Promise<Record<string, string> & { access_token: string }> {
  const { verifier, challenge } = pkce();
  const loc = await signIn(org, browser, { clientId, redirectUri: REDIRECT, challenge, scope }, login, password);
  const res = await postToken(org, { grant_type: 'authorization_code', code: loc.searchParams.get('code')!, redirect_uri: REDIRECT, client_id: clientId, code_verifier: verifier });
  if (res.status !== 200) throw new Error(`code exchange failed ${res.status}`);
  return res.json();
}
