import { callStorage, type ClientContext } from './context.js';
import { randomId, refuseForeignOptions } from '@org/okta-auth-core/internal';
import { protocolParams } from './discovery.js';
import { codeChallengeS256 } from './pkce.js';
import { transactionId, transactionKey, type SignInTransaction } from './transaction.js';
import { expiresAtOf, listTransaction } from './transaction-list.js';
import { callScope, normalizeRedirectUri } from './validate.js';
import { configError, readOptions } from '../errors.js';

/**
 * Options of {@link SignInClient.startSignIn}.
 * @example
 * ```ts
 * const { url } = await client.startSignIn({ loginHint: 'ada@example.com', prompt: 'login', maxAgeSeconds: 300, acrValues: 'urn:okta:loa:2fa:any' });
 * ```
 * @see https://developer.okta.com/docs/reference/api/oidc/#authorize
 */
export interface StartSignInOptions {
  /** Scopes for this sign-in instead of the client's. */
  readonly scopes?: readonly string[] | string | undefined;
  /** Redirect URI for this sign-in instead of the client's (must be registered on the app). */
  readonly redirectUri?: string | URL | undefined;
  /** Pre-fills the username on Okta's sign-in page. */
  readonly loginHint?: string | undefined;
  /** `none` (no UI: fails with `LOGIN_REQUIRED` without a session), `login`, `consent`, or `login consent`. */
  readonly prompt?: 'none' | 'login' | 'consent' | 'login consent' | undefined;
  /** Require an authentication no older than this many seconds (`max_age`, 0 to 2147483647; 0 with `prompt: 'none'` is refused; needs the `openid` scope); the ID token's `auth_time` is then checked. */
  readonly maxAgeSeconds?: number | undefined;
  /**
   * Step-up: the authentication context classes to meet, space separated (`acr_values`: Okta's `urn:okta:loa:1fa:any`,
   * `urn:okta:loa:2fa:any`, …; needs the `openid` scope). The ID token's `acr` must then be one of them, else
   * `ID_TOKEN_INVALID` (reason `acr`): Okta ignores a value it does not support, and a client that asked for a
   * step-up takes no token without it.
   * @see https://developer.okta.com/docs/guides/step-up-authentication/main/
   */
  readonly acrValues?: string | undefined;
  /** Sends the user straight to an identity provider (Okta's `idp` parameter). */
  readonly idp?: string | undefined;
  /** Any other authorization request parameters (`ui_locales`, …). Cannot override the protocol ones (`acr_values` is `acrValues`). */
  readonly extraParams?: Readonly<Record<string, string>> | undefined;
  /**
   * Push the authorization request to the org's PAR endpoint first (RFC 9126), with the client's
   * own authentication: the URL then holds only `client_id` and `request_uri`. Unset: pushed when
   * discovery says `require_pushed_authorization_requests: true`. `INVALID_CONFIG` on an org
   * without a PAR endpoint and in `@org/okta-oauth/sign-in`.
   */
  readonly pushed?: boolean | undefined;
  /** Aborts the discovery request (and the pushed authorization request). */
  readonly signal?: AbortSignal | undefined;
}

/**
 * What {@link SignInClient.startSignIn} returns.
 * @example
 * ```ts
 * const { url, transaction } = await client.startSignIn();
 * session.signIn = transaction;
 * res.redirect(url.href);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 */
export interface StartedSignIn {
  /** Send the user here (`res.redirect(url.href)`, `location.assign(url)`). */
  readonly url: URL;
  /** Keep this until the callback (plain JSON; also kept in the client's storage, keyed by the SHA-256 of its `state`). */
  readonly transaction: SignInTransaction;
}

/** What to do in place of okta-auth-js's `restoreOriginalUri` and `originalUri`: the app's own, we keep no page to go back to. @internal */
export const backToPage = 'sessionStorage: keep location.href before startSignIn(), go back after finishSignIn()';

/** @internal */
export async function startSignIn(ctx: ClientContext, given?: StartSignInOptions): Promise<StartedSignIn> {
  const options = readOptions(given, 'startSignIn(options)');
  // okta-auth-js's names for what is ours under another name (its `acrValues`, `loginHint`, `idp`, `prompt` are ours too).
  refuseForeignOptions(options, { maxAge: 'maxAgeSeconds', originalUri: backToPage }, configError);
  const redirectUri = options.redirectUri === undefined ? ctx.redirectUri : normalizeRedirectUri(options.redirectUri, 'startSignIn: redirectUri', true);
  if (redirectUri === undefined) {
    throw configError('startSignIn needs a redirectUri: pass it to createSignInClient (or to startSignIn).');
  }
  const scope = callScope(options, ctx.scope, 'startSignIn: scopes');
  const maxAge = options.maxAgeSeconds;
  // Okta's range for max_age is 0 to 2^31-1 (`invalid_max_age`), and prompt=none with max_age=0 asks for a sign-in
  // that may show no page (`invalid_prompt_for_zero_max_age`): both refused here, before any request.
  if (maxAge !== undefined && (!Number.isInteger(maxAge) || maxAge < 0 || maxAge > 2147483647)) {
    throw configError('startSignIn: maxAgeSeconds must be a whole number of seconds from 0 to 2147483647 (Okta\'s range), or unset.');
  }
  if (maxAge === 0 && options.prompt === 'none') {
    throw configError("startSignIn: prompt 'none' with maxAgeSeconds 0 cannot succeed (Okta refuses it): use prompt 'login' or a maxAgeSeconds above 0.");
  }
  // What maxAgeSeconds and acrValues ask for only the ID token shows (its auth_time, its acr; the access token is opaque):
  // without the openid scope none comes and nothing would be checked, so each is refused.
  const withIdToken = scope.split(' ').includes('openid');
  // One wording of what each needs (`withOpenid`: the claim checked), for both refusals.
  const withOpenid = (claim: string): string => `with the openid scope (the ID token's ${claim} is checked), or unset.`;
  if (maxAge !== undefined && !withIdToken) throw configError(`startSignIn: maxAgeSeconds must come ${withOpenid('auth_time')}`);
  const acrValues: unknown = options.acrValues;
  if (acrValues !== undefined && (typeof acrValues !== 'string' || acrValues.trim() === '' || !withIdToken)) {
    throw configError(`startSignIn: acrValues must be space-separated acr values (Okta's urn:okta:loa:…) ${withOpenid('acr')}`);
  }
  for (const name of Object.keys(options.extraParams ?? {})) {
    if (protocolParams.has(name)) {
      throw configError(`startSignIn: extraParams cannot set "${name}"; it is set by the client (use the dedicated option where there is one).`);
    }
  }
  const metadata = await ctx.discovery.get(options.signal);
  const transaction: SignInTransaction = {
    state: randomId(32),
    nonce: randomId(32),
    codeVerifier: randomId(48),
    redirectUri,
    createdAt: ctx.now(),
    scope,
    ...(maxAge === undefined ? {} : { maxAge }),
    ...(acrValues === undefined ? {} : { acrValues }),
    origin: ctx.origin,
    clientId: ctx.clientId,
  };
  const fields: Record<string, string | undefined> = {
    client_id: ctx.clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope,
    state: transaction.state,
    nonce: transaction.nonce,
    code_challenge: await codeChallengeS256(transaction.codeVerifier),
    code_challenge_method: 'S256',
    max_age: maxAge === undefined ? undefined : String(maxAge),
    acr_values: acrValues,
    prompt: options.prompt,
    login_hint: options.loginHint,
    idp: options.idp,
    ...options.extraParams,
  };
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) params.set(name, value);
  // Asked for (null is unset), or required by the org: the part decides (and checks `pushed`) and gives the URL's query
  // (RFC 9126 §4: `client_id` and `request_uri` alone, once pushed); `/sign-in`'s is INVALID_CONFIG.
  // A JavaScript caller's `pushed` may be anything: only unset, null and false mean a plain URL here.
  const asked: unknown = options.pushed ?? false;
  const query =
    asked !== false || metadata.raw.require_pushed_authorization_requests === true
      ? await ctx.pushAuthorization(ctx, metadata, options.pushed, params, options.signal)
      : params;
  const url = new URL(metadata.authorizationEndpoint);
  for (const [name, value] of query) url.searchParams.set(name, value);
  const id = await transactionId(transaction.state);
  // Its memory now holds transactions: a callback it cannot find is not another page's.
  ctx.noStorage = false;
  await listTransaction(ctx, id, transaction.createdAt, options.signal);
  // Expires with its age where the storage has TTLs: a storage that cannot list keys is swept only through the list.
  await callStorage(ctx, 'set()', () => ctx.storage.set(transactionKey(ctx.clientId, id), JSON.stringify(transaction), { expiresAt: expiresAtOf(ctx, transaction.createdAt) }), options.signal);
  return { url, transaction: Object.freeze(transaction) };
}
