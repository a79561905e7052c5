/**
 * Claims a refresh or `userInfo` would hand the app, echoing the secrets of the request that got them,
 * are refused as a sign-in's ID token's are (`id-token-echo.server.test.ts`): a refresh's ID token
 * carrying the refresh token it spent or the client secret is `ID_TOKEN_INVALID` (reason `malformed`),
 * the credential keeping its tokens and claims and storing nothing; a UserInfo answer carrying the
 * access token or DPoP proof it was asked with is `INVALID_RESPONSE`, its claims not returned. None of
 * them in the refusal however it is shown. Over the emulator: the client's `fetch` rewrites the answer,
 * and the org itself writes them into the user's profile (the root client's default verifier checks
 * the refresh's ID token the org signed).
 */
import { isOktaAuthError } from '@org/okta-auth-core';
import { failure } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { clientSecretBasic } from '../client-auth/client-secret.js';
import { userInfo } from './client-functions.js';
import { createSignInClient as createRootSignInClient } from './sign-in-client.js';
import { leanSignInClient as createLeanSignInClient } from './test-helpers/sign-in-org.js';
import type { SignInClientBase, SignInClientOptions } from './sign-in-options.js';
import { createMemoryStorage } from './storage.js';
import { echoingFetch, placings, shown, type TokenExchange } from './test-helpers/claims-echo.js';
import { clientFor, login, redirectUri, signIn, signInFailure, useSignInOrg } from './test-helpers/sign-in-org.js';
import type { UserTokens } from './tokens.js';

const env = useSignInOrg();

type Create = (options: SignInClientOptions) => SignInClientBase;
const entries: readonly [string, Create, Partial<SignInClientOptions>][] = [
  ['@org/okta-oauth/sign-in', createLeanSignInClient, {}],
  // A verifier that takes the rewritten token (the org-signed case below has the default one).
  ['@org/okta-oauth', createRootSignInClient, { idTokenVerifier: () => Promise.resolve() }],
];

/** The admin's profile changed through the Users API, as the org's admin would. */
async function setName(firstName: string, lastName = 'Admin'): Promise<void> {
  const { token } = env.org.createApiToken({ user: login });
  const response = await fetch(new URL(env.userPath, env.org.url), {
    method: 'POST',
    headers: { authorization: `SSWS ${token}`, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ profile: { firstName, lastName } }),
  });
  expect(response.status).toBe(200);
}

/** A signed-in credential of a confidential web app (`client_secret_basic`), its storage's writes and what onTokens heard. */
async function signedIn(create: Create, options: Partial<SignInClientOptions>) {
  const app = env.org.createSignInApp({ type: 'web', redirectUris: [redirectUri], scopes: ['okta.users.read'], refreshTokenRotation: 'rotate' });
  const secret = app.clientSecret ?? '';
  const client = clientFor(env.org, { clientId: app.clientId }, { ...options, clientAuth: clientSecretBasic(secret) }, create);
  const result = await signIn(client);
  const written: string[] = [];
  const told: (UserTokens | null)[] = [];
  const memory = createMemoryStorage();
  const storage = { get: (key: string) => memory.get(key), set: (key: string, value: string) => (written.push(value), memory.set(key, value)), remove: (key: string) => memory.remove(key) };
  const credential = client.credential(result, { storage, onTokens: (tokens) => void told.push(tokens) });
  await credential.getAccessToken();
  return { client, credential, result, secret, written, told };
}

describe('a refresh whose ID token echoes the refresh request’s secrets', () => {
  for (const [entry, create, options] of entries) {
    for (const [where, place] of Object.entries(placings)) {
      for (const [what, pick] of [
        ['the refresh token', (x: TokenExchange) => x.form.get('refresh_token') ?? ''],
        ['the client secret', (x: TokenExchange) => atob(x.headers.get('authorization')?.split(' ')[1] ?? '').split(':')[1] ?? ''],
      ] as const) {
        it(`is refused, the credential keeping its tokens (${entry}, ${what} in ${where})`, async () => {
          const wire = echoingFetch((x) => (x.form.get('grant_type') === 'refresh_token' ? place(pick(x)) : {}));
          const { credential, result, secret, written, told } = await signedIn(create, { ...options, fetch: wire.fetch });
          const before = written.length;
          const refused = await signInFailure(credential.getAccessToken({ forceRefresh: true }));
          expect(refused).toMatchObject({ code: 'ID_TOKEN_INVALID', reason: 'malformed', message: expect.stringMatching(/a claim carries a secret of the token request/) });
          const refresh = wire.exchanges.at(-1)!;
          expect(refresh.form.get('grant_type')).toBe('refresh_token');
          expect(pick(refresh).length).toBeGreaterThan(20);
          for (const value of [secret, refresh.form.get('refresh_token') ?? '-', refresh.answer.access_token as string, refresh.answer.refresh_token as string]) {
            expect(shown(refused)).not.toContain(value);
            expect(shown(credential)).not.toContain(value);
          }
          expect(credential.tokens).toBe(result.tokens);
          expect(credential.claims).toBe(result.claims);
          expect(written.length).toBe(before);
          expect(told).toEqual([]);
        });
      }
    }
  }

  it('is refused when the org signed it (jwksIdTokenVerifier): the spent refresh token in the user’s name', async () => {
    const { credential, result } = await signedIn(createRootSignInClient, {});
    await setName(result.tokens.refreshToken!.reveal());
    const refused = await signInFailure(credential.getAccessToken({ forceRefresh: true }));
    expect(refused).toMatchObject({ code: 'ID_TOKEN_INVALID', reason: 'malformed', message: expect.stringMatching(/a claim carries a secret of the token request/) });
    expect(shown(refused)).not.toContain(result.tokens.refreshToken!.reveal());
    expect(credential.claims).toBe(result.claims);
  });
});

describe('a UserInfo answer echoing the request’s secrets', () => {
  /** A signed-in credential whose client's `fetch` answers `/oauth2/v1/userinfo` with `claims(request)` added to the real claims. */
  async function echoed(claims: (request: Request) => Record<string, unknown>, dpop = false) {
    const scripted: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      const real = await fetch(request.clone());
      if (new URL(request.url).pathname !== '/oauth2/v1/userinfo' || !real.ok) return real;
      return Response.json({ ...((await real.json()) as object), ...claims(request) });
    };
    const app = env.org.createSignInApp({ type: 'spa', redirectUris: [redirectUri], scopes: ['okta.users.read'], requireDpop: dpop });
    const client = clientFor(env.org, app, { fetch: scripted, ...(dpop ? { dpop: 'required' as const } : {}) }, createRootSignInClient);
    const result = await signIn(client);
    return { client, credential: client.credential(result), result };
  }

  for (const [where, place] of Object.entries(placings)) {
    it(`is refused (INVALID_RESPONSE), the access token in ${where}`, async () => {
      let sent = '';
      const { client, credential } = await echoed((request) => place((sent = request.headers.get('authorization')?.split(' ')[1] ?? '')));
      const refused = await failure(userInfo(client, credential), isOktaAuthError);
      expect(refused).toMatchObject({ code: 'INVALID_RESPONSE', message: expect.stringMatching(/UserInfo answer's claims carry a secret of the request/) });
      expect(sent.length).toBeGreaterThan(20);
      expect(shown(refused)).not.toContain(sent);
    });
  }

  it('is refused (INVALID_RESPONSE), the DPoP proof in a nested claim', async () => {
    const proofs: string[] = [];
    const { client, credential } = await echoed((request) => ({ address: { note: proofs[proofs.push(request.headers.get('dpop') ?? '') - 1] } }), true);
    const refused = await failure(userInfo(client, credential), isOktaAuthError);
    expect(refused).toMatchObject({ code: 'INVALID_RESPONSE', message: expect.stringMatching(/claims carry a secret of the request/) });
    expect(proofs.at(-1)?.length).toBeGreaterThan(20);
    for (const proof of proofs) expect(shown(refused)).not.toContain(proof);
  });

  it('is refused when the org sends it: the access token in the user’s name', async () => {
    const { client, credential, result } = await echoed(() => ({}));
    await setName(result.tokens.accessToken.reveal());
    const refused = await failure(userInfo(client, credential), isOktaAuthError);
    expect(refused).toMatchObject({ code: 'INVALID_RESPONSE', message: expect.stringMatching(/claims carry a secret of the request/) });
    expect(shown(refused)).not.toContain(result.tokens.accessToken.reveal());
  });

  it('still hands out claims that carry no secret', async () => {
    const { client, credential } = await echoed(() => ({ groups: ['Everyone'], nickname: 'Ada' }));
    expect(await userInfo(client, credential)).toMatchObject({ groups: ['Everyone'], nickname: 'Ada' });
  });
});
