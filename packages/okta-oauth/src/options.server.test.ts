/**
 * One reading of an optional options argument across the public surface of `@org/okta-oauth`
 * (docs/CONVENTIONS.md, "Code"): `null` is none, as `undefined` (the call ends as it does
 * without options); anything else that is not an object is INVALID_CONFIG naming the argument,
 * never a runtime TypeError nor a string read as options. Every entry point's factories and the
 * sign-in client's and credential's methods, against the emulator on 127.0.0.1.
 */
import { isOktaAuthError } from '@org/okta-auth-core';
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientSecretJwt } from './client-auth/client-secret.js';
import { importPrivateKey } from './client-auth/import-private-key.js';
import { privateKeyJwt } from './client-auth/private-key-jwt.js';
import { generateDpopKeyPair } from './dpop/dpop-key-pair.js';
import { serviceAppCredentialFromEnv } from './service-app-env.js';
import { privateKeyJwt as leanPrivateKeyJwt } from './service-app-lean.js';
import { createMemoryTokenStore } from './token-cache/token-store.js';
import { metadata, signOut } from './user/client-functions.js';
import { createJwksIdTokenVerifier } from './user/id-token-jwks.js';
import { createSignInClient } from './user/sign-in-client.js';
import { signInClientFromEnv } from './user/sign-in-env.js';
import { createSignInClient as createLeanSignInClient } from './user/sign-in-lean.js';
import { createMemoryStorage } from './user/storage.js';
import { UserTokens } from './user/tokens.js';

let org: OktaEmulator;
let app: { clientId: string; clientSecret?: string | undefined };
let key: CryptoKey;
let jwk: JsonWebKey;
const redirectUri = 'http://127.0.0.1:5173/callback';
beforeAll(async () => {
  org = await startEmulator();
  app = org.createSignInApp({ type: 'web', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
  key = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])).privateKey;
  jwk = await crypto.subtle.exportKey('jwk', key);
});
afterAll(async () => {
  await org.close();
});

const publicOptions = () => ({ orgUrl: org.url, allowInsecureLoopback: true, clientId: app.clientId, redirectUri, scopes: ['openid', 'okta.users.read'] });
const clientOptions = () => ({ ...publicOptions(), clientSecret: app.clientSecret });
const client = () => createSignInClient(clientOptions());
/** A public client of /sign-in (which takes no clientSecret shorthand). */
const leanClient = () => createLeanSignInClient(publicOptions());
const tokens = () => new UserTokens({ accessToken: `access-token-${crypto.randomUUID()}`, tokenType: 'Bearer', expiresAt: Date.now() + 3_600_000, scope: 'okta.users.read' });
const env = () => ({ OKTA_CLIENT_ORGURL: org.url, OKTA_CLIENT_CLIENTID: app.clientId, OKTA_CLIENT_SCOPES: 'okta.users.read' });

/** How a call ended: `ok`, our typed error's code and message, or what else it threw. */
async function outcome(run: () => unknown): Promise<string> {
  try {
    await run();
    return 'ok';
  } catch (error) {
    // Each answer's own request id (every OAuth endpoint's message ends with it) is no difference between the calls.
    return isOktaAuthError(error) ? `${error.code}: ${error.message.replace(/([ (]|, )request [^)]*\)/g, '$1request …)')}` : `raw ${String(error)}`;
  }
}

/** Each call, named as its refusal names it, made afresh for each argument (a sign-out or a sign-in leaves state). */
const calls: readonly (readonly [what: string, make: () => (options: never) => unknown, named?: string])[] = [
  ['clientSecretJwt(clientSecret, options)', () => (options) => clientSecretJwt('s'.repeat(40), options)],
  ['privateKeyJwt(key, options)', () => (options) => privateKeyJwt(key, options)],
  ['privateKeyJwt(key, options) of /service-app', () => (options) => leanPrivateKeyJwt(key, options)],
  ['importPrivateKey(key, options)', () => (options) => importPrivateKey(jwk, options)],
  ['generateDpopKeyPair(algorithm, options)', () => (options) => generateDpopKeyPair('ES256', options)],
  ['createMemoryTokenStore(options)', () => (options) => createMemoryTokenStore(options)],
  ['createMemoryStorage(options)', () => (options) => createMemoryStorage(options)],
  ['createJwksIdTokenVerifier(options)', () => (options) => createJwksIdTokenVerifier(options)],
  ['serviceAppCredentialFromEnv(env, options)', () => (options) => serviceAppCredentialFromEnv(env(), options)],
  ['signInClientFromEnv(env, options)', () => (options) => signInClientFromEnv(env(), options)],
  ['startSignIn(options)', () => (options) => client().startSignIn(options)],
  ['startSignIn(options) of /sign-in', () => (options) => leanClient().startSignIn(options)],
  ['startDeviceSignIn(options)', () => (options) => client().startDeviceSignIn(options)],
  ['finishSignIn(callbackUrl, transaction, options)', () => (options) => client().finishSignIn(`${redirectUri}?code=c&state=s`, undefined, options)],
  ['credential(tokens, options)', () => (options) => client().credential(tokens(), options)],
  ['credential(tokens, options) of /sign-in', () => (options) => leanClient().credential(tokens(), options)],
  ['getAccessToken(options)', () => (options) => client().credential(tokens()).getAccessToken(options)],
  ['credential.signOut(options)', () => (options) => client().credential(tokens()).signOut(options), 'signOut(…, options)'],
  ['client.signOut(tokens, options)', () => (options) => client().signOut(tokens(), options), 'signOut(…, options)'],
  ['signOut(client, tokens, options)', () => (options) => signOut(client(), tokens(), options), 'signOut(…, options)'],
  ['introspect(token, options)', () => (options) => client().introspect('token-value', options)],
  ['metadata(client, options)', () => (options) => metadata(client(), options)],
  ['client.metadata(options)', () => (options) => client().metadata(options), 'metadata(client, options)'],
];

/** The argument each refusal names: the row's, or its name without the entry point or owner. */
const named = (what: string, given?: string) => given ?? what.replace(/ of \/.*$/, '').replace(/^(client|credential)\./, '');

describe('an optional options argument', () => {
  it.each(calls.map(([what, make]) => [what, make] as const))('%s: null is as nothing', async (_, make) => {
    expect(await outcome(() => make()(null as never))).toBe(await outcome(() => make()(undefined as never)));
  });

  const wrong = [
    ['a string', 'text'],
    ['a number', 42],
    ['an array', []],
  ] as const;
  it.each(calls.flatMap(([what, make, name]) => wrong.map(([kind, value]) => [what, kind, value, make, named(what, name)] as const)))('%s given %s: INVALID_CONFIG naming the argument', async (_, kind, value, make, name) => {
    expect(await outcome(() => make()(value as never))).toBe(`INVALID_CONFIG: ${name} takes an options object or nothing, not ${kind}.`);
  });
});
