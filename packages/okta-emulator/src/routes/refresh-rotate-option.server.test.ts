/**
 * A sign-in app's `refreshTokenRotation: 'rotate'` is taken and rotates, where its type's default
 * would not: a native app (Okta keeps a native or web app's refresh token by default) given
 * 'rotate' answers a new refresh token at each refresh. (mut98: the option check's 'rotate' emptied
 * survived; every test gave 'static' or nothing.)
 */
import { describe, expect, it } from 'vitest';
import { Browser, pkce, signIn } from '../test-helpers/browser.js';
import { postToken } from '../test-helpers/oauth.js';
import { exchangeCode, REDIRECT, useSignInApps } from '../test-helpers/user-tokens.js';

describe("a sign-in app's refreshTokenRotation: 'rotate'", () => {
  const env = useSignInApps();

  it('a native app given it rotates its refresh token (its type keeps it by default)', async () => {
    const app = env.org.createSignInApp({ type: 'native', redirectUris: [REDIRECT], refreshTokenRotation: 'rotate' });
    const { verifier, challenge } = pkce();
    const code = (await signIn(env.org, new Browser(), { clientId: app.clientId, redirectUri: REDIRECT, challenge, scope: 'openid offline_access' }, 'ada@example.com', 'Correct-Horse1')).searchParams.get('code')!;
    const first = (await (await exchangeCode(env.org, app.clientId, code, verifier)).json()) as { refresh_token: string };
    const next = (await (await postToken(env.org, { grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: app.clientId })).json()) as { refresh_token?: string };
    expect(next.refresh_token).toEqual(expect.any(String));
    expect(next.refresh_token).not.toBe(first.refresh_token);
  });
});
