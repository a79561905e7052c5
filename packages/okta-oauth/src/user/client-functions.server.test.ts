/**
 * `signOut`, `restoreCredential` and `metadata` as functions taking the client, over real HTTP
 * against @org/okta-emulator: the `/sign-in` client has no such methods, the root client's
 * methods are these functions, and anything but a client made by `createSignInClient` is refused.
 */
import { createOktaFetch } from '@org/okta-auth-core';
import type { OktaEmulator } from '@org/okta-emulator';
import { beforeEach, describe, expect, it } from 'vitest';
import { recordingFetch } from '../test-helpers/wire.js';
import { metadata, restoreCredential, signOut } from './client-functions.js';
import { createSignInClient } from './sign-in-lean.js';
import type { SignInClientBase, SignInClientOptions } from './sign-in-options.js';
import { createMemoryStorage } from './storage.js';
import { postLogoutRedirectUri, signIn, signInFailure as failure, spaOf, useSignInOrg } from './test-helpers/sign-in-org.js';
import { UserTokens } from './tokens.js';

const env = useSignInOrg();
let org: OktaEmulator;
beforeEach(() => {
  ({ org } = env);
});
const lean = (options: Partial<SignInClientOptions> = {}): SignInClientBase => spaOf(org, options, undefined, createSignInClient);

describe('signOut, restoreCredential and metadata of @org/okta-oauth/sign-in', () => {
  it('leaves them off the /sign-in client; the root client has them as methods', () => {
    const client = lean();
    for (const name of ['signOut', 'restoreCredential', 'metadata']) expect(name in client).toBe(false);
    const root = spaOf(org);
    for (const name of ['signOut', 'restoreCredential', 'metadata'] as const) expect(typeof root[name]).toBe('function');
  });

  it('signOut(client, tokens) revokes both tokens at Okta and builds the end-session URL', async () => {
    const wire = recordingFetch();
    const client = lean({ fetch: wire.fetch });
    const { tokens } = await signIn(client);
    const result = await signOut(client, tokens, { state: 'bye' });
    expect(result.revoked).toEqual(['refresh_token', 'access_token']);
    expect(result.notRevoked).toEqual([]);
    const revokes = wire.sent.filter((r) => r.url.pathname === '/oauth2/v1/revoke');
    expect(revokes.map((r) => r.form?.get('token_type_hint'))).toEqual(['refresh_token', 'access_token']);
    const okta = createOktaFetch({ credential: client.credential(tokens) });
    expect((await failure(okta(env.userPath))).code).toBe('LOGIN_REQUIRED');
    expect(result.logoutUrl?.searchParams.get('id_token_hint')).toBe(tokens.idToken?.reveal());
    expect(result.logoutUrl?.searchParams.get('post_logout_redirect_uri')).toBe(postLogoutRedirectUri);
    expect(result.logoutUrl?.searchParams.get('state')).toBe('bye');
  });

  it('restoreCredential(client, { storage }) restores the tokens a credential kept, with their claims', async () => {
    const client = lean();
    const storage = createMemoryStorage();
    expect(await restoreCredential(client, { storage })).toBeUndefined();
    const { tokens } = await signIn(client);
    await client.credential(tokens, { storage }).getAccessToken();
    const restored = await restoreCredential(client, { storage });
    expect((await restored?.getAccessToken())?.reveal()).toBe(tokens.accessToken.reveal());
    expect(restored?.claims?.sub).toBe(env.userId);
    const okta = createOktaFetch({ credential: restored ?? client.credential(tokens) });
    expect((await okta(env.userPath)).status).toBe(200);
    await restored?.signOut();
    expect(await restoreCredential(client, { storage })).toBeUndefined();
  });

  it('metadata(client) fetches the discovery document once per client', async () => {
    const wire = recordingFetch();
    const client = lean({ fetch: wire.fetch });
    const first = await metadata(client);
    expect(first.issuer).toBe(org.url);
    expect(await metadata(client)).toBe(first);
    expect(wire.sent.filter((r) => r.url.pathname === '/.well-known/openid-configuration')).toHaveLength(1);
  });

  it('refuses what is not a sign-in client, and bad arguments, with INVALID_CONFIG naming the function', async () => {
    const client = lean();
    const copy = { ...client };
    const tokens = new UserTokens({ accessToken: 'at', tokenType: 'Bearer', expiresAt: Date.now() + 60_000 });
    expect(await failure(signOut(copy, tokens))).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('signOut') });
    expect(await failure(restoreCredential(null as never, { storage: createMemoryStorage() }))).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('restoreCredential') });
    expect(await failure(metadata({} as SignInClientBase))).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('metadata') });
    expect(await failure(signOut(client, 'at' as never))).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('UserTokens') });
    expect(await failure(restoreCredential(client, {} as never))).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('{ storage }') });
  });
});
