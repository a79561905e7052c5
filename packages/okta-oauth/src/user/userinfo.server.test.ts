/**
 * `userInfo(client, credential)` over real HTTP against @org/okta-emulator: the signed-in user's
 * claims from `/oauth2/v1/userinfo`, asked with the credential's own access token (Bearer, or
 * DPoP with its proof), renewed once after a 401 `invalid_token` as for any call; the groups
 * claim; a credential without an ID token refused before anything is sent (no `sub` to compare
 * with, OIDC Core §5.3.2); Okta's `insufficient_scope` challenge read as for any call.
 */
import { createOktaFetch, isOktaApiError, isOktaAuthError } from '@org/okta-auth-core';
import { failure } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import { recordingFetch } from '../test-helpers/wire.js';
import { restoreCredential, userInfo } from './client-functions.js';
import { createMemoryStorage } from './storage.js';
import { login, redirectUri, signIn, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();
const userinfoPath = 'GET /oauth2/v1/userinfo';

describe('userInfo', () => {
  it("returns the signed-in user's claims, asked with the credential's Bearer token, sub as the ID token's", async () => {
    const wire = recordingFetch();
    const client = env.spa({ fetch: wire.fetch });
    const result = await signIn(client);
    const credential = client.credential(result);
    const claims = await userInfo(client, credential);
    expect(claims).toMatchObject({ sub: env.userId, name: 'Ada Admin', preferred_username: login, given_name: 'Ada', family_name: 'Admin' });
    expect(claims.sub).toBe(result.claims?.sub);
    expect(Object.isFrozen(claims)).toBe(true);
    const asked = wire.sent.filter((r) => r.url.pathname === '/oauth2/v1/userinfo');
    expect(asked).toHaveLength(1);
    expect(asked[0]?.method).toBe('GET');
    expect(asked[0]?.headers.get('authorization')).toBe(`Bearer ${result.tokens.accessToken.reveal()}`);
    expect(asked[0]?.headers.get('accept')).toBe('application/json');
  });

  it('returns the groups claim when the app configures one and the groups scope is granted', async () => {
    const app = env.org.createSignInApp({ type: 'spa', redirectUris: [redirectUri], groupsClaim: { filter: 'REGEX', value: '.*' } });
    const client = env.client(app, { scopes: ['openid', 'email', 'groups'] });
    const claims = await userInfo(client, client.credential(await signIn(client)));
    expect(claims).toMatchObject({ sub: env.userId, email: login, email_verified: true, groups: expect.arrayContaining(['Everyone']) });
  });

  it("with DPoP-bound tokens: sends the credential's proof for the userinfo URL and the token", async () => {
    const app = env.org.createSignInApp({ type: 'spa', redirectUris: [redirectUri], scopes: ['okta.users.read'], requireDpop: true });
    const wire = recordingFetch();
    const client = env.client(app, { dpop: 'required', fetch: wire.fetch });
    const result = await signIn(client);
    expect(result.tokens.tokenType).toBe('DPoP');
    const claims = await userInfo(client, client.credential(result));
    expect(claims.sub).toBe(env.userId);
    const asked = wire.sent.filter((r) => r.url.pathname === '/oauth2/v1/userinfo').at(-1);
    expect(asked?.headers.get('authorization')).toBe(`DPoP ${result.tokens.accessToken.reveal()}`);
    const proof = asked?.headers.get('dpop')?.split('.')[1];
    const payload = JSON.parse(Buffer.from(proof ?? '', 'base64url').toString()) as { htu: string; htm: string; ath: string };
    expect(payload).toMatchObject({ htu: `${env.org.url}/oauth2/v1/userinfo`, htm: 'GET' });
    expect(payload.ath).toMatch(/^[\w-]{43}$/);
  });

  it('renews the access token once after a 401 invalid_token, as for any call', async () => {
    const client = env.spa();
    const credential = client.credential(await signIn(client));
    env.org.revokeAccessTokens();
    env.org.resetCounters();
    expect((await userInfo(client, credential)).sub).toBe(env.userId);
    expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
    expect(env.org.counters().requests[userinfoPath]).toBe(2);
  });

  it('works for a credential restored from storage (the ID token claims decoded from the stored tokens)', async () => {
    const storage = createMemoryStorage();
    const client = env.spa({ storage });
    await client.credential(await signIn(client), { storage }).getAccessToken();
    const restored = await restoreCredential(client, { storage });
    if (restored === undefined) throw new Error('restoreCredential found no tokens');
    expect((await userInfo(client, restored, { signal: new AbortController().signal })).sub).toBe(env.userId);
  });

  it('the ID token claims a sign-in and a restored credential give are frozen to their nested arrays (amr), as the UserInfo claims', async () => {
    const storage = createMemoryStorage();
    const client = env.spa({ storage });
    const result = await signIn(client);
    await client.credential(result, { storage }).getAccessToken();
    const restored = await restoreCredential(client, { storage });
    const amrs = [result.claims?.amr, restored?.claims?.amr];
    expect(amrs).toEqual([['pwd'], ['pwd']]);
    expect(amrs.map((amr) => Object.isFrozen(amr))).toEqual([true, true]);
  });

  it('without an ID token (no openid scope): INVALID_CONFIG saying to ask for openid, nothing sent', async () => {
    const client = env.spa({ scopes: ['okta.users.read', 'offline_access'] });
    const credential = client.credential(await signIn(client));
    env.org.resetCounters();
    const refused = await failure(userInfo(client, credential), isOktaOAuthError);
    expect(refused).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(/no ID token.*add 'openid' to scopes/) });
    expect(env.org.counters().requests).toEqual({});
  });

  it("a 403 insufficient_scope: core's OktaApiError with the challenge's error and what to fix", async () => {
    const client = env.spa();
    const credential = client.credential(await signIn(client));
    const challenge = 'Bearer authorization_uri="http://x/oauth2/v1/authorize", realm="http://x", scope="openid", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="/oauth2/v1/userinfo"';
    // Okta's refusal has the challenge and no error body (the fault's body is an empty object).
    env.org.injectFault({ path: '/oauth2/v1/userinfo', kind: 'status', status: 403, body: {}, headers: { 'WWW-Authenticate': challenge }, count: 1 });
    const refused = await failure(userInfo(client, credential), isOktaApiError);
    // The UserInfo endpoint needs a token issued with openid (OIDC Core §5.3): a new sign-in asking for it, not an API scope grant.
    expect(refused).toMatchObject({
      status: 403,
      missingScope: 'openid',
      message: expect.stringMatching(/insufficient_scope.*missing scope openid.*The UserInfo endpoint needs an access token issued with openid \(OIDC Core §5\.3; this one's: openid .*\): sign the user in again with openid in scopes\.$/),
    });
    expect(refused.message).not.toContain('Okta API Scopes tab');
    expect(refused.message).not.toContain(credential.tokens?.accessToken.reveal() ?? 'no token');
  });

  it("the UserInfo advice is userInfo's call's only: the same credential's own call of another API, refused for openid, is told to sign in again with it", async () => {
    const client = env.spa();
    const credential = client.credential(await signIn(client));
    const challenge = 'Bearer realm="http://x", scope="openid", error="insufficient_scope", error_description="The access token provided does not contain the required scopes."';
    for (const path of ['/api/v1/users/me', '/oauth2/v1/userinfo']) env.org.injectFault({ path, kind: 'status', status: 403, body: {}, headers: { 'WWW-Authenticate': challenge }, count: 1 });
    const own = await failure(createOktaFetch({ credential })('/api/v1/users/me'), isOktaApiError);
    const asked = await failure(userInfo(client, credential), isOktaApiError);
    expect(own).toMatchObject({ missingScope: 'openid', hint: expect.stringMatching(/^The user's token lacks openid \(granted: openid .*\): sign the user in again with openid in scopes\.$/) });
    expect(asked.hint).toMatch(/^The UserInfo endpoint needs an access token issued with openid \(OIDC Core §5\.3; this one's: openid .*\): sign the user in again with openid in scopes\.$/);
  });

  it('refuses what is not a sign-in client, tokens, and another client’s credential (INVALID_CONFIG, nothing sent)', async () => {
    const client = env.spa();
    const result = await signIn(client);
    const other = env.spa();
    env.org.resetCounters();
    const cases: [unknown, unknown, RegExp][] = [
      [{}, client.credential(result), /userInfo: pass the client createSignInClient returned/],
      [client, result.tokens, /userInfo: pass the credential client\.credential\(tokens\) made/],
      [client, undefined, /userInfo: pass the credential client\.credential\(tokens\) made/],
      [other, client.credential(result), /another sign-in client/],
    ];
    for (const [c, target, message] of cases) {
      const refused = await failure(userInfo(c as never, target as never), isOktaAuthError);
      expect(refused).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(message) });
    }
    expect(env.org.counters().requests[userinfoPath]).toBeUndefined();
  });
});
