import { parseOrgUrl, type Secret } from '@org/okta-auth-core';
import { abortableSleep, refuseForeignOptions } from '@org/okta-auth-core/internal';
import type { DpopSession } from '../dpop/dpop-session.js';
import type { ClientPrivateKeyInput } from '../client-auth/client-key.js';
import { bindClientAuth, type ClientAuth } from '../client-auth/client-auth.js';
import { noClientAuth } from '../client-auth/client-secret.js';
import { configError } from '../errors.js';
import { localClock, type ClockMaker } from '../internal/clock.js';
import { checkClientId, checkTransport } from '../internal/validate.js';
import { backToPage, startSignIn, type StartSignInOptions } from './authorize.js';
import { CallbackFlights } from './callback-flights.js';
import { finishSignIn, type FinishSignInOptions, type SignInResult } from './callback.js';
import { registerContext, type ClientContext } from './context.js';
import { createUserCredential } from './credential.js';
import type { UserCredentialOptions } from './credential-options.js';
import { DiscoveryCache } from './discovery.js';
import type { IdTokenClaims, IdTokenVerifier } from './id-token.js';
import { fetchKeySet } from './jwks.js';
import type { SignInClientBase, SignInClientOptions } from './sign-in-options.js';
import { memoryStorageOf } from './storage.js';
import { holdsUserTokens } from './token-entry.js';
import { signInHints, type OAuthHints } from '../token-endpoint/token-error.js';
import type { UserTokens } from './tokens.js';
import type { SignInTransaction } from './transaction.js';
import { checkStorage, nonNegative, normalizeRedirectUri, normalizeScope } from './validate.js';

/**
 * The optional parts of a sign-in client, given by the entry point that creates it: what is not
 * given here is not in the bundle. `createSignInClient` from `@org/okta-oauth` gives them all
 * (and adds device sign-in, introspection and the methods of `SignInClient`); the one from
 * `@org/okta-oauth/sign-in` none (its app passes a verifier or a `clientAuth` it imports itself). @internal
 */
export interface SignInParts {
  /** The signature check when the options name none. */
  readonly idTokenVerifier?: IdTokenVerifier | undefined;
  /** `clientSecret`: the `clientSecretBasic` shorthand (a browser or native app has no secret). */
  readonly clientSecretBasic?: ((secret: string | Secret) => ClientAuth) | undefined;
  /** `privateKey` (+ `keyId`): the `privateKeyJwt` shorthand. */
  readonly privateKeyJwt?: ((key: ClientPrivateKeyInput, options: { keyId?: string | undefined }) => ClientAuth) | undefined;
  /** The DPoP options read (`checkDpop`) and the DPoP part they ask for (none: `off`). */
  readonly dpop?: ((origin: string, options: SignInClientOptions) => DpopSession | undefined) | undefined;
  /** The check of restored DPoP tokens' key (`dpopBound`), with `dpop`. */
  readonly dpopBound?: ClientContext['dpopBound'];
  /** The server clock, for every client (the root entry's, which has DPoP); without it, only `clientSecretJwt` and `privateKeyJwt` bring one. */
  readonly serverClock?: ClockMaker | undefined;
  /** The hints for every OAuth endpoint's refusals; none: `signInHints` (no DPoP nor device sign-in: the root entry's client adds theirs). */
  readonly hints?: OAuthHints | undefined;
  /** `credential.signOut()`: revocation (`signOutSession`); without it the credential has no such method. */
  readonly signOut?: ClientContext['signOut'];
  /** The revocation of a renewal another tab's sign-out left (`revokeUnkept`); without it that renewal is only dropped. */
  readonly revokeUnkept?: ClientContext['revokeUnkept'];
  /** The revocation of another user's tokens a credential's first write replaced (`revokeReplaced`); without it they are only overwritten. */
  readonly revokeReplaced?: ClientContext['revokeReplaced'];
  /** `startSignIn({ pushed: true })`: the pushed authorization request (RFC 9126); without it, `missing`. */
  readonly pushAuthorization?: ClientContext['pushAuthorization'];
  /** One renewal per user across processes sharing a storage with `singleFlight` (`userFleet`); without it each process renews its own. */
  readonly userFleet?: ClientContext['userFleet'];
}

/** Where okta-auth-js's token options go: tokens are the credential's, not the client's. */
const tokens = "credential(result, { storage }) for tokens; the client's storage holds only the sign-in transaction";
/** okta-auth-js's endpoints of a custom authorization server (and Okta's .NET SDK's `authorizationServerId`): the README's "User sign-in". */
const orgServer = "orgUrl alone (the org authorization server's endpoints come from its discovery document; custom authorization servers are not supported)";

/** What the `/sign-in` entry point leaves out, and where it is. @internal */
export function missing(what: string): Error {
  return configError(`${what} is not part of createSignInClient from @org/okta-oauth/sign-in: use createSignInClient from @org/okta-oauth.`);
}

/** `keyId` goes with `privateKey` only: the one check of it, for the options and the environment. @internal */
export function refuseLoneKeyId(options: { readonly keyId?: unknown; readonly privateKey?: unknown }): void {
  if (options.keyId !== undefined && options.privateKey === undefined) throw configError('keyId is only for privateKey (a signer carries its own kid).');
}

/** `clientAuth`, or its shorthands `clientSecret` and `privateKey` (+ `keyId`): at most one; none is a public client. */
function signInClientAuth(options: SignInClientOptions, parts: SignInParts): ClientAuth {
  const given = [options.clientAuth, options.clientSecret, options.privateKey].filter((value) => value !== undefined).length;
  if (given > 1) throw configError('Give one of clientAuth, clientSecret and privateKey: clientSecret and privateKey are shorthands for clientAuth.');
  refuseLoneKeyId(options);
  if (options.clientAuth !== undefined) return options.clientAuth;
  if (options.clientSecret !== undefined) {
    if (parts.clientSecretBasic === undefined) throw missing('The clientSecret shorthand (pass clientAuth: clientSecretBasic(secret) instead)');
    return parts.clientSecretBasic(options.clientSecret);
  }
  if (options.privateKey !== undefined) {
    if (parts.privateKeyJwt === undefined) throw missing('The privateKey shorthand (pass clientAuth: privateKeyJwt(key) instead)');
    return parts.privateKeyJwt(options.privateKey, { keyId: options.keyId });
  }
  return noClientAuth();
}

/**
 * The one sign-in client, with the optional parts its entry point gives and the methods it adds
 * (`more`, which may replace the device and introspection stubs): both `createSignInClient`
 * functions are this, so they cannot drift. @internal
 */
export function buildSignInClient<More extends object = object>(
  options: SignInClientOptions,
  parts: SignInParts,
  more?: (ctx: ClientContext, client: SignInClientBase) => More,
): SignInClientBase & More {
  if (typeof options !== 'object' || (options as unknown) === null) throw configError('createSignInClient needs an options object.');
  // okta-auth-js's names, and OAuth's client_secret (a confidential client made public) and redirect_uri, which would be ignored (docs/CONVENTIONS.md,
  // "Code"): before the org URL, so an `issuer` given in its place says to use orgUrl (whose check explains a `/oauth2/default` path). Tokens are the
  // credential's (`credential(result, { storage, storageKey, onTokens, renewBeforeSeconds })`), not the client's, whose storage holds the transaction. Not refused, harmless as ignored:
  // `pkce` (always on), `responseType` (always code), `services` (renewal on demand, no timers), `cookies` (none are set).
  refuseForeignOptions(
    options,
    {
      issuer: 'orgUrl',
      tokenManager: tokens,
      storageManager: tokens,
      transactionStorage: 'storage',
      onTokens: 'credential(result, { onTokens })',
      renewBeforeSeconds: 'credential(result, { renewBeforeSeconds })',
      storageKey: 'credential(result, { storageKey })',
      restoreOriginalUri: backToPage,
      maxClockSkew: 'clockSkewSeconds',
      client_secret: 'clientSecret',
      redirect_uri: 'redirectUri',
      authorizeUrl: orgServer,
      tokenUrl: orgServer,
      userinfoUrl: orgServer,
      revokeUrl: orgServer,
      logoutUrl: orgServer,
      authorizationServerId: orgServer,
    },
    configError,
  );
  const org = parseOrgUrl(options.orgUrl, { allowInsecureLoopback: options.allowInsecureLoopback === true });
  const clientId = checkClientId(options.clientId);
  const scope = normalizeScope(options.scopes, 'scopes', options);
  const redirectUri = options.redirectUri === undefined ? undefined : normalizeRedirectUri(options.redirectUri, 'redirectUri', true);
  const postLogoutRedirectUri =
    options.postLogoutRedirectUri === undefined ? undefined : normalizeRedirectUri(options.postLogoutRedirectUri, 'postLogoutRedirectUri');
  const clockSkewSeconds = nonNegative(options.clockSkewSeconds, 120, 'clockSkewSeconds');
  const transactionMaxAgeSeconds = nonNegative(options.transactionMaxAgeSeconds, 1800, 'transactionMaxAgeSeconds');
  const now = options.now ?? (() => Date.now());
  if (typeof now !== 'function') throw configError('now must be a function returning epoch milliseconds.');
  const idTokenVerifier = options.idTokenVerifier ?? parts.idTokenVerifier;
  if (idTokenVerifier !== undefined && typeof idTokenVerifier !== 'function') throw configError('idTokenVerifier must be a function, such as jwksIdTokenVerifier.');
  const sleep = options.sleep ?? abortableSleep;
  const clientAuth = bindClientAuth(clientId, signInClientAuth(options, parts));
  const http = { ...checkTransport(options), origin: org.origin };
  const discovery = new DiscoveryCache(http);
  let dpop: DpopSession | undefined;
  if (parts.dpop !== undefined) dpop = parts.dpop(org.origin, options);
  else if ((options.dpop !== undefined && options.dpop !== 'off' && options.dpop !== false) || options.dpopKeyPair !== undefined || options.dpopAlgorithm !== undefined) {
    throw missing('DPoP');
  }
  // A JavaScript caller's null is no storage, as undefined: the default.
  const givenStorage = checkStorage(options.storage ?? undefined, 'storage');
  const ctx: ClientContext = {
    origin: org.origin,
    clientId,
    http,
    discovery,
    fetchKeys: async () => fetchKeySet(http, (await discovery.get()).jwksUri),
    idTokenVerifier,
    clientAuth,
    redirectUri,
    postLogoutRedirectUri,
    scope,
    clockSkewSeconds,
    transactionMaxAgeSeconds,
    storage: givenStorage ?? memoryStorageOf(),
    noStorage: givenStorage === undefined,
    dpop,
    dpopBound: parts.dpopBound,
    hints: parts.hints ?? signInHints,
    now,
    // Okta's clock where something signs with the time (the root entry's clients, this entry's JWT client authentications).
    clock: (parts.serverClock ?? clientAuth.serverClock ?? localClock)(now),
    sleep,
    callbacks: new CallbackFlights(now, transactionMaxAgeSeconds * 1000),
    signOut: parts.signOut,
    revokeUnkept: parts.revokeUnkept,
    revokeReplaced: parts.revokeReplaced,
    pushAuthorization: parts.pushAuthorization ?? (() => Promise.reject(missing('PAR (startSignIn pushed)'))),
    userFleet: parts.userFleet,
  };
  // Device sign-in and introspection are the root client's (`more`): stubs here, refused by the /sign-in client, whose type takes no call of either.
  const client: SignInClientBase & { toJSON(): unknown } = {
    origin: org.origin,
    clientId,
    startSignIn: (startOptions?: StartSignInOptions) => startSignIn(ctx, startOptions),
    finishSignIn: (callbackUrl: string | URL | URLSearchParams, transaction?: SignInTransaction, finishOptions?: FinishSignInOptions) =>
      finishSignIn(ctx, callbackUrl, transaction, finishOptions),
    startDeviceSignIn: () => Promise.reject(missing('Device sign-in')),
    credential(tokens: UserTokens | SignInResult, credentialOptions?: UserCredentialOptions) {
      const result = holdsUserTokens(tokens) ? tokens : undefined;
      const initialClaims: IdTokenClaims | undefined = result?.claims;
      return createUserCredential(ctx, result?.tokens ?? (tokens as UserTokens), initialClaims, credentialOptions);
    },
    introspect: () => Promise.reject(missing('Introspection')),
    toJSON: () => ({ origin: org.origin, clientId }),
  };
  registerContext(client, ctx);
  return Object.freeze(Object.assign(client, more?.(ctx, client)));
}
