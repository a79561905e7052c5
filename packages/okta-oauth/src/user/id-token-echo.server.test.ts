/**
 * An ID token whose claims echo the token request's secrets (the code, the code verifier, the client
 * secret, a client assertion) in a claim's value, in a nested claim or as a claim's name is refused
 * (`ID_TOKEN_INVALID`, reason `malformed`), as the granted scope and the device answer's fields are:
 * `result.claims` and `credential.claims` are the app's to log, so such claims carried the secrets into
 * its logs (rev162a). Over the emulator: the client's `fetch` rewrites the ID token of the token
 * endpoint's 200 (its signature left as it was: `@org/okta-oauth/sign-in` checks none; the root client
 * here has a verifier that takes it), and the root client's default verifier gets an ID token the org
 * signed with the user's profile and groups carrying them; the device grant's too. Claims holding a short
 * piece of a secret, the client id or common words still pass.
 */
import { fillSignInForm } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { clientSecretBasic, clientSecretJwt, clientSecretPost } from '../client-auth/client-secret.js';
import { privateKeyJwt } from '../client-auth/private-key-jwt.js';
import { createSignInClient as createRootSignInClient } from './sign-in-client.js';
import { leanSignInClient as createLeanSignInClient } from './test-helpers/sign-in-org.js';
import type { SignInClientBase, SignInClientOptions } from './sign-in-options.js';
import { createMemoryStorage } from './storage.js';
import { echoingFetch, placings, shown, type TokenExchange } from './test-helpers/claims-echo.js';
import { clientFor, login, password, redirectUri, signIn, signInFailure as failure, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();

type Method = 'client_secret_basic' | 'client_secret_post' | 'client_secret_jwt' | 'private_key_jwt';
/** Each kind of client, and which secret of its token request a case echoes (`secret`: the app's client secret). */
const kinds: readonly [string, Method | 'none', (exchange: TokenExchange, secret: string) => string | null][] = [
  ['a public client, its code verifier', 'none', (x) => x.form.get('code_verifier')],
  ['a public client, its code', 'none', (x) => x.form.get('code')],
  ['client_secret_basic, its secret', 'client_secret_basic', (_, secret) => secret],
  ['client_secret_post, its secret', 'client_secret_post', (x) => x.form.get('client_secret')],
  // Never sent: the client's own secret all the same.
  ['client_secret_jwt, its secret', 'client_secret_jwt', (_, secret) => secret],
  ['private_key_jwt, its assertion', 'private_key_jwt', (x) => x.form.get('client_assertion')],
];

type Create = (options: SignInClientOptions) => SignInClientBase;
const entries: readonly [string, Create, Partial<SignInClientOptions>][] = [
  ['@org/okta-oauth/sign-in', createLeanSignInClient, {}],
  // A verifier that takes the rewritten token: the signature is not what this is about (the org-signed case below).
  ['@org/okta-oauth', createRootSignInClient, { idTokenVerifier: () => Promise.resolve() }],
];

/** A client (given its fetch) of a new app of `method` on the test's org, its client secret, and what its storage was given. */
function clientOf(method: Method | 'none', create: Create, options: Partial<SignInClientOptions>) {
  const app =
    method === 'none'
      ? env.org.createSignInApp({ type: 'spa', redirectUris: [redirectUri], scopes: ['okta.users.read'] })
      : env.org.createSignInApp({ type: 'web', redirectUris: [redirectUri], scopes: ['okta.users.read'], tokenEndpointAuthMethod: method });
  const secret = app.clientSecret ?? '';
  const auths = { client_secret_basic: clientSecretBasic, client_secret_post: clientSecretPost, client_secret_jwt: clientSecretJwt };
  const clientAuth = method === 'none' ? {} : { clientAuth: method === 'private_key_jwt' ? privateKeyJwt(app.privateKeyPem ?? '', { keyId: app.keyId }) : auths[method](secret) };
  const written: string[] = [];
  const memory = createMemoryStorage();
  const storage = { get: (key: string) => memory.get(key), set: (key: string, value: string) => (written.push(value), memory.set(key, value)), remove: (key: string) => memory.remove(key) };
  const client = (fetch: typeof globalThis.fetch) => clientFor(env.org, { clientId: app.clientId }, { ...options, ...clientAuth, fetch, storage }, create);
  return { client, secret, written };
}

describe('an ID token whose claims echo the token request’s secrets', () => {
  for (const [entry, create, options] of entries) {
    kinds.forEach(([kind, method, pick], k) => {
      // Every placing through `/sign-in`; through the root client one each, in turn.
      const placed = Object.entries(placings).filter((_, p) => entry === '@org/okta-oauth/sign-in' || p === k % 3);
      for (const [where, place] of placed) {
        it(`is refused, nothing handed out, stored nor shown (${entry}, ${kind}, in ${where})`, async () => {
          const { client, secret, written } = clientOf(method, create, options);
          const wire = echoingFetch((x) => place(pick(x, secret) ?? ''));
          const refused = await failure(signIn(client(wire.fetch)));
          expect(refused).toMatchObject({ code: 'ID_TOKEN_INVALID', reason: 'malformed', message: expect.stringMatching(/a claim carries a secret of the token request/) });
          expect(refused.cause).toBeUndefined();
          expect(wire.exchanges).toHaveLength(1);
          const [{ form, headers, answer }] = wire.exchanges as [TokenExchange];
          expect(pick(wire.exchanges[0]!, secret)?.length).toBeGreaterThan(20);
          const sent = [secret, form.get('code'), form.get('code_verifier'), form.get('client_assertion'), form.get('client_secret'), headers.get('authorization')];
          const tokens = [answer.access_token, answer.refresh_token].filter((v): v is string => typeof v === 'string');
          expect(tokens).toHaveLength(2);
          for (const value of [...sent, ...tokens].filter((v): v is string => typeof v === 'string' && v !== '')) expect(shown(refused)).not.toContain(value);
          // The storage held the transaction (its code verifier), never the tokens.
          for (const stored of written) for (const token of tokens) expect(stored).not.toContain(token);
          // The root client revokes the tokens nobody gets (`revokeUnkept`); `/sign-in` has no revocation.
          expect(env.org.counters().requests['POST /oauth2/v1/revoke'] ?? 0).toBe(entry === '@org/okta-oauth' ? 2 : 0);
        });
      }
    });
  }

  it('is refused with the code verifier 10,000 arrays deep (no stack overflow: the payload is read as it came)', async () => {
    const { client } = clientOf('none', createLeanSignInClient, {});
    const wire = echoingFetch((x) => `"deep":${'['.repeat(10_000)}"${x.form.get('code_verifier') ?? ''}"${']'.repeat(10_000)}`);
    const refused = await failure(signIn(client(wire.fetch)));
    expect(refused).toMatchObject({ code: 'ID_TOKEN_INVALID', reason: 'malformed', message: expect.stringMatching(/a claim carries a secret of the token request/) });
    expect(shown(refused)).not.toContain(wire.exchanges[0]!.form.get('code_verifier'));
  });

  it('is refused from the device grant, its device code in a claim (@org/okta-oauth): the tokens revoked', async () => {
    const app = env.org.createSignInApp({ type: 'native', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
    const wire = echoingFetch((x) => placings['a claim value']!(x.form.get('device_code') ?? ''));
    const client = clientFor(env.org, app, { fetch: wire.fetch, sleep: () => Promise.resolve(), idTokenVerifier: () => Promise.resolve() }, createRootSignInClient);
    const device = await client.startDeviceSignIn();
    env.org.approveDevice(device.userCode, login);
    const refused = await failure(device.poll());
    expect(refused).toMatchObject({ code: 'ID_TOKEN_INVALID', reason: 'malformed', message: expect.stringMatching(/a claim carries a secret of the token request/) });
    const [{ form, answer }] = wire.exchanges as [TokenExchange];
    expect(form.get('device_code')?.length).toBeGreaterThan(20);
    for (const value of [form.get('device_code') ?? '-', answer.access_token as string]) expect(shown(refused)).not.toContain(value);
    expect(env.org.counters().requests['POST /oauth2/v1/revoke']).toBe(2);
  });

  it('still passes claims holding a short piece of a secret, the client id or common words', async () => {
    for (const [, create, options] of entries) {
      const { client, secret } = clientOf('client_secret_basic', create, options);
      const extra = (x: TokenExchange) => ({ hint: secret.slice(0, 7), code_end: x.form.get('code')?.slice(-7), client: x.form.get('client_id'), groups: ['Everyone', 'password', 'client_secret'] });
      const wire = echoingFetch(extra);
      const { claims } = await signIn(client(wire.fetch));
      expect(claims).toMatchObject({ hint: secret.slice(0, 7), groups: ['Everyone', 'password', 'client_secret'] });
    }
  });
});

describe('an ID token the org signed, its claims carrying the token request’s secrets (@org/okta-oauth, jwksIdTokenVerifier)', () => {
  it('is refused: the code verifier and the client secret in the user’s name, the code in a group’s name (the groups claim)', async () => {
    const api = env.org.createApiToken({ user: login });
    const okta = (path: string, method: string, body?: unknown) =>
      fetch(new URL(path, env.org.url), { method, headers: { authorization: `SSWS ${api.token}`, 'content-type': 'application/json', accept: 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const app = env.org.createSignInApp({ type: 'web', redirectUris: [redirectUri], scopes: ['okta.users.read'], groupsClaim: { filter: 'REGEX', value: '.*' } });
    const wire = echoingFetch(() => ({}));
    const client = clientFor(env.org, app, { fetch: wire.fetch, scopes: ['openid', 'profile', 'groups', 'offline_access'] }, createRootSignInClient);
    const { url, transaction } = await client.startSignIn();
    const callback = await fillSignInForm(url, login, password);
    const code = new URL(callback).searchParams.get('code') ?? '';
    // The org writes them into the ID token it signs: the user's profile, a group of theirs.
    expect((await okta(env.userPath, 'POST', { profile: { firstName: transaction.codeVerifier, lastName: app.clientSecret } })).status).toBe(200);
    const group = (await (await okta('/api/v1/groups', 'POST', { profile: { name: code } })).json()) as { id: string };
    expect((await okta(`/api/v1/groups/${group.id}/users/${env.userId}`, 'PUT')).status).toBe(204);
    const refused = await failure(client.finishSignIn(callback, transaction));
    expect(refused).toMatchObject({ code: 'ID_TOKEN_INVALID', reason: 'malformed', message: expect.stringMatching(/a claim carries a secret of the token request/) });
    const [{ answer }] = wire.exchanges as [TokenExchange];
    for (const value of [transaction.codeVerifier, code, app.clientSecret ?? '-', answer.access_token as string]) expect(shown(refused)).not.toContain(value);
    expect(env.org.counters().requests['POST /oauth2/v1/revoke']).toBe(2);
  });
});
