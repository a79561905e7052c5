// Every entry point of the library packages, as a consumer imports them, and the values whose
// types come from WebCrypto built from `crypto.subtle` (DOM's or Node's, whichever the project has).
import * as core from '@org/okta-auth-core';
import * as coreKy from '@org/okta-auth-core/ky';
import * as oauth from '@org/okta-oauth';
import * as oauthServiceApp from '@org/okta-oauth/service-app';
import * as oauthSignIn from '@org/okta-oauth/sign-in';
import * as oauthIdTokenJwks from '@org/okta-oauth/id-token-jwks';
import * as ssws from '@org/okta-ssws';
import * as redisStore from '@org/okta-token-store-redis';
import * as durableObjectStore from '@org/okta-token-store-durable-object';

export const entryPoints = [core, coreKy, oauth, oauthServiceApp, oauthSignIn, oauthIdTokenJwks, ssws, redisStore, durableObjectStore] as const;

// A Worker's own namespace binding type (as @cloudflare/workers-types declares it, reduced) is accepted.
declare const tokens: { idFromName(name: string): { toString(): string }; get(id: { toString(): string }): { fetch(input: string | Request | URL, init?: RequestInit): Promise<Response> } };
export const durableObjectStorage: oauth.OktaStorage = durableObjectStore.createDurableObjectTokenStorage({ namespace: tokens });
export const durableObjectClass: new (state: durableObjectStore.DurableObjectStateLike) => { fetch(request: Request): Promise<Response> } = durableObjectStore.OktaTokenStoreObject;

export const spaClient: oauth.SignInClientBase = oauthSignIn.createSignInClient({
  orgUrl: 'https://acme.okta.com',
  clientId: '0oa1',
  redirectUri: 'https://app.example.com/callback',
  scopes: ['openid'],
  idTokenVerifier: oauthIdTokenJwks.jwksIdTokenVerifier,
});
export const verifier: oauthSignIn.IdTokenVerifier = oauth.jwksIdTokenVerifier;
export const signOutOf: (client: oauth.SignInClientBase, tokens: oauth.UserTokens) => Promise<oauth.SignOutResult> = oauthSignIn.signOut;
export const restoreOf: typeof oauth.restoreCredential = oauthSignIn.restoreCredential;
export const signOutCredential: (client: oauth.SignInClientBase, credential: oauthSignIn.UserCredentialBase) => Promise<oauth.SignOutResult> = oauthSignIn.signOut;
/** The `/sign-in` credential has no signOut() (signOut(client, credential) is the function); the root's `UserCredential` has. */
export const signInCredentialHasNoSignOut: 'signOut' extends keyof oauthSignIn.UserCredentialBase ? never : true = true;
/** A storage of one's own (a native app's keychain) typed from the entry the app imports: `/sign-in` names the contract as the root does. */
const kept = new Map<string, string>();
export const ownSignInStorage: oauthSignIn.OktaStorage = {
  get: (key) => kept.get(key),
  set: (key, value, options?: oauthSignIn.StorageSetOptions) => {
    if ((options?.expiresAt ?? Infinity) > Date.now()) kept.set(key, value);
  },
  remove: (key) => void kept.delete(key),
};
export const sameStorageContract: oauth.OktaStorage = ownSignInStorage;
export const rootCredentialSignsOut: oauth.UserCredential['signOut'] extends (options?: oauth.SignOutOptions) => Promise<oauth.SignOutResult> ? true : never = true;

export const credential: core.OktaCredential = ssws.createSswsCredential({ orgUrl: 'https://acme.okta.com', token: 'x' });
export const okta: core.OktaFetch = core.createOktaFetch({ credential });

const dpopKeyPair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
const clientKey = await crypto.subtle.importKey('jwk', { kty: 'EC', crv: 'P-256', x: '', y: '', d: '' }, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);

export const serviceApp: core.OktaCredential = oauth.createServiceAppCredential({
  orgUrl: 'https://acme.okta.com',
  clientId: '0oa1',
  privateKey: clientKey,
  dpopKeyPair,
  scopes: ['okta.users.read'],
});
export const serviceAppOnly: core.OktaCredential = oauthServiceApp.createServiceAppCredential({
  orgUrl: 'https://acme.okta.com',
  clientId: '0oa1',
  privateKey: clientKey,
  dpopKeyPair: await oauthServiceApp.importDpopKeyPair(await crypto.subtle.exportKey('jwk', (await oauthServiceApp.generateDpopKeyPair('ES256', { extractable: true })).privateKey)),
  scopes: ['okta.users.read'],
});
// /service-app's privateKeyJwt takes a CryptoKey or a signer (no PEM or JWK in its type).
export const serviceAppAuth: oauth.ClientAuth = oauthServiceApp.privateKeyJwt(clientKey, { keyId: 'k1' });
export const fromPem: oauth.ClientPrivateKeyInput = '-----BEGIN RSA PRIVATE KEY-----';
export const importKey: typeof oauthServiceApp.importPrivateKey = oauth.importPrivateKey;
export const imported: (pem: string) => Promise<oauth.ImportedPrivateKey> = (pem) => oauthServiceApp.importPrivateKey(pem, { keyId: 'k1', algorithm: 'RS256' });
export const pair: oauth.WebCryptoKeyPair = dpopKeyPair;
export const key: oauth.WebCryptoKey = dpopKeyPair.privateKey;
export const signIn: oauth.SignInClient = oauth.createSignInClient({
  orgUrl: 'https://acme.okta.com',
  clientId: '0oa2',
  redirectUri: 'https://app.example/callback',
  scopes: ['openid'],
  dpop: 'required',
  dpopKeyPair,
});
// Every optional option takes `undefined` as its absence (exactOptionalPropertyTypes): a value forwarded from a config that may lack it.
declare const forwarded: { readonly n?: number | undefined; readonly b?: boolean | undefined; readonly pair?: oauth.WebCryptoKeyPair | undefined };
export const forwardedRetry: core.RetryOptions = { limit: forwarded.n, maxWaitMs: forwarded.n };
export const forwardedOrgUrl: core.OrgUrlOptions = { allowInsecureLoopback: forwarded.b };
export const forwardedDpop: oauth.SignInClientOptions['dpop'] = { keyPair: forwarded.pair, algorithm: undefined };
export const storedRow: oauth.UserTokens = oauth.UserTokens.fromStorable({ version: 1, accessToken: 'a', tokenType: 'Bearer', refreshToken: forwarded.pair === undefined ? undefined : 'r', expiresAt: forwarded.n });
export const metadataOf = (client: oauth.SignInClient, signal: AbortSignal | undefined): Promise<oauth.OrgServerMetadata> => client.metadata({ signal });

// The lean entries' types refuse what they refuse at run time (INVALID_CONFIG): each unused directive fails the compile.
export const leanRefused = (): unknown[] => [
  // @ts-expect-error -- /sign-in takes no clientSecret shorthand (clientAuth: clientSecretBasic(secret))
  oauthSignIn.createSignInClient({ orgUrl: 'https://acme.okta.com', clientId: '0oa1', scopes: ['openid'], clientSecret: 's' }),
  // @ts-expect-error -- nor DPoP (the root entry's createSignInClient)
  oauthSignIn.createSignInClient({ orgUrl: 'https://acme.okta.com', clientId: '0oa1', scopes: ['openid'], dpop: 'required' }),
  // @ts-expect-error -- device sign-in is the root entry's client's
  oauthSignIn.createSignInClient({ orgUrl: 'https://acme.okta.com', clientId: '0oa1', scopes: ['openid'] }).startDeviceSignIn(),
  // @ts-expect-error -- /service-app's privateKey is a CryptoKey (importPrivateKey reads a PEM)
  oauthServiceApp.createServiceAppCredential({ orgUrl: 'https://acme.okta.com', clientId: '0oa1', privateKey: fromPem, scopes: ['okta.users.read'] }),
];

// What compiled before the lean types and runs still compiles (rev167d M2).
declare const unsetSecret: undefined;
export const leanKept = (): unknown[] => [
  oauthSignIn.createSignInClient({ orgUrl: 'https://acme.okta.com', clientId: '0oa1', scopes: ['openid'], dpop: 'off' }),
  oauthSignIn.createSignInClient({ orgUrl: 'https://acme.okta.com', clientId: '0oa1', scopes: ['openid'], dpop: false, clientSecret: unsetSecret }),
  ((client: oauth.SignInClientBase) => [client.startDeviceSignIn(), client.introspect('token')])(spaClient),
];
export const storedCopy: { accessToken: string; refreshToken?: string; expiresAt?: number } = oauth.UserTokens.fromStorable({ version: 1, accessToken: 'a', tokenType: 'Bearer' }).toStorable();
