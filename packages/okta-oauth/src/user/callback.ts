import { scrub } from '@org/okta-auth-core/internal';
import { equalSecret } from './callback-flights.js';
import { callStorage, requestTokens, signInClaims, type ClientContext } from './context.js';
import { OktaSignInError, type OktaSignInErrorCode } from './errors.js';
import type { IdTokenClaims } from './id-token.js';
import { oauthErrorFields } from '../token-endpoint/token-error.js';
import { configError, readOptions } from '../errors.js';
import type { UserTokens } from './tokens.js';
import { checkOwner, checkTransaction, checkTransactionAge, transactionId, transactionKey, type SignInTransaction } from './transaction.js';
import { dropTransaction } from './transaction-list.js';
import { responseParameters } from './validate.js';

/**
 * Options of {@link SignInClient.finishSignIn}.
 * @example
 * ```ts
 * await client.finishSignIn(req.originalUrl, session.signIn, { signal: AbortSignal.timeout(10_000) });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 */
export interface FinishSignInOptions {
  /**
   * Stops this call; the code exchange (its token request and key fetch) stops too, unless
   * another call finishing the same callback (a UI framework's effect run twice) still waits.
   */
  readonly signal?: AbortSignal | undefined;
}

/**
 * A finished sign-in: the tokens, and the validated ID token claims (when `openid` was granted).
 * @example
 * ```ts
 * const { tokens, claims } = await client.finishSignIn(callbackUrl, transaction);
 * console.log(`Signed in as ${claims?.preferred_username}`);
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#TokenResponse
 */
export interface SignInResult {
  /** The tokens; give them to `client.credential()`. */
  readonly tokens: UserTokens;
  /** The validated ID token's claims, when `openid` was asked for. */
  readonly claims: IdTokenClaims | undefined;
}

/** Callback errors that mean "no session / interaction needed" (OIDC Core §3.1.2.6). */
const loginRequiredErrors = new Set(['login_required', 'interaction_required', 'consent_required', 'account_selection_required']);

/**
 * A callback's parameters, its URL at a redirect URI (`at`), and its URL as parsed for the parameters
 * (neither when the app passed its parameters alone): a path and query is read at the sign-in's
 * redirect URI, the transaction's, known only once it is taken from storage (a per-call one may be on
 * another host than the client's); until then at the client's, and the flight's fingerprint reads that
 * URL. `at` parses the callback again only at another redirect URI than that one.
 */
type Callback = readonly [params: URLSearchParams, at?: (redirectUri: string) => URL, url?: URL];

/** What a path and query is parsed against before the transaction is known: only its query is read then. */
const anyBase = 'https://callback.invalid/';

/** The callback's URL: `href`, or a path and query at `redirectUri` (the transaction's, or the client's before it is known). */
function urlOf(href: string, redirectUri: string | undefined): URL {
  try {
    return new URL(href, redirectUri ?? anyBase);
  } catch {
    throw new OktaSignInError('INVALID_CALLBACK', 'The callback URL is not a URL: pass the full URL Okta redirected to (or its path and query).');
  }
}

function callbackParams(callback: string | URL | URLSearchParams, base: string | undefined): Callback {
  if (callback instanceof URLSearchParams) return [callback];
  // A URL is read by its href, as is one of another realm (an iframe's) or a
  // framework's URL object (Next.js's `request.nextUrl`); an object without one is no URL.
  const href = typeof callback === 'string' ? callback : (callback as { href?: unknown } | null)?.href;
  if (typeof href !== 'string') {
    throw configError('finishSignIn takes the callback first: the URL Okta redirected to (a string, its path and query, a URL, or its URLSearchParams).');
  }
  const url = urlOf(href, base);
  if (url.hash.length > 1 && url.search === '') {
    throw new OktaSignInError('INVALID_CALLBACK', 'The callback has its parameters in the fragment; this client uses response_mode=query.');
  }
  return [url.searchParams, (redirectUri) => (redirectUri === base ? url : urlOf(href, redirectUri)), url];
}

/** Scheme, host, port and path: where a response came to, without its query. */
const pathOf = (url: URL): string => `${url.protocol}//${url.host}${url.pathname}`;

/** The query parameters that are not the response's: a redirect URI's own, which a response keeps before its parameters (RFC 6749 §3.1.2). */
const ownQuery = (url: URL): string[][] => [...url.searchParams].filter(([name]) => !responseParameters.includes(name));

/**
 * Refuses a callback that came to another address than the sign-in's redirect URI (RFC 9700
 * §4.4.2): with Okta, which sends no `iss`, an app signing users in at several orgs tells their
 * responses apart by a redirect URI per org (its path, or its own query), and a response brought to
 * another org's route would send its code, and the verifier, to that org's token endpoint (a mix-up).
 * Compared: the path, and each of the redirect URI's own query parameters with its values (an app may
 * tell its orgs apart by `?org=` on one path), read the same way from both.
 */
function checkArrival(at: URL | undefined, transaction: SignInTransaction): void {
  const redirectUri = new URL(transaction.redirectUri);
  const place = (url: URL) => JSON.stringify([pathOf(url), [...redirectUri.searchParams.keys()].map((name) => url.searchParams.getAll(name))]);
  if (at !== undefined && place(at) !== place(redirectUri)) {
    throw new OktaSignInError(
      'INVALID_CALLBACK',
      `The callback came to another address than this sign-in's redirect URI (${transaction.redirectUri}), as another authorization server's response would (mix-up, RFC 9700 §4.4). Behind a proxy that changes the scheme or host, pass the path and query the server received instead of an absolute URL; behind one that strips a path prefix, your public address joined with them.`,
    );
  }
}

/**
 * Refuses a callback that repeats one of them (RFC 6749 §3.1: parameters must not be included more
 * than once): this client would read the first value where the app's own router may read the last,
 * so the two could judge a different state, issuer or code.
 */
function singleValued(params: URLSearchParams): void {
  const repeated = responseParameters.find((name) => params.getAll(name).length > 1);
  if (repeated !== undefined) {
    throw new OktaSignInError('INVALID_CALLBACK', `The callback repeats the parameter ${repeated}, which an authorization response never does (RFC 6749 §3.1): it was tampered with.`);
  }
}

/**
 * The sign-in's transaction, taken from the client's storage: one use only, a transaction never
 * survives its callback, whatever the outcome; and where the storage compares (`removeIfEqual`),
 * only the one client of those sharing it that removed it goes on. One the app passed (kept in the
 * user's own session: what binds the callback to this user agent, RFC 9700 §4.5) is taken too where
 * the storage holds it: of processes over one shared storage finishing the same callback at once,
 * only the one that took it exchanges the code; a storage that does not hold it (another process's
 * memory) lets the call go on. One found by state that names another client (another org's, of the
 * same client id, over a shared storage) is refused before it is taken: the client that started it
 * still finishes it.
 */
async function loadTransaction(ctx: ClientContext, params: URLSearchParams, given: SignInTransaction | undefined, signal: AbortSignal | undefined): Promise<SignInTransaction> {
  const state = given === undefined ? params.get('state') : given.state;
  if (state === null || state === '') {
    throw new OktaSignInError('STATE_MISMATCH', 'The callback has no state, and no transaction was passed: it was not started by this client.');
  }
  const id = await transactionId(state);
  const stored = await callStorage(ctx, 'get()', () => ctx.storage.get(transactionKey(ctx.clientId, id)), signal);
  const notJson = Symbol('not JSON');
  let parsed: unknown = notJson;
  if (given === undefined && typeof stored === 'string') {
    try {
      parsed = JSON.parse(stored);
    } catch {
      // refused once used up, below
    }
    // Another org's client's, of the same client id (a shared storage): refused, and left to it.
    checkOwner(parsed, ctx);
  }
  if ((given === undefined && (stored === null || stored === undefined)) || !(await dropTransaction(ctx, id, signal, typeof stored === 'string' ? stored : undefined))) {
    // No storage and no sign-in of its own: a SPA given no storage loses every transaction to the redirect.
    const lost = given === undefined && ctx.noStorage ? ' This client has no storage and started no sign-in: the one that did kept it in memory. Give that client and this one storage: createSessionStorage() in a browser.' : '';
    throw new OktaSignInError('STATE_MISMATCH', `The callback's state matches no sign-in in progress (already finished, started in another browser or tab, or forged).${lost}`);
  }
  if (given !== undefined) return given; // checked by finishSignIn
  if (parsed === notJson) throw new OktaSignInError('INVALID_TRANSACTION', 'The stored sign-in transaction is not JSON.');
  return checkTransaction(parsed, ctx);
}

/**
 * Finishes an authorization code sign-in from the callback (RFC 6749 §4.1.2,
 * RFC 9207, RFC 7636, OIDC Core §3.1.3.7). Order, as RFC 9207 §2.4 asks:
 * issuer, then state, then an error, then the code exchange.
 * @internal
 */
export async function finishSignIn(
  ctx: ClientContext,
  callback: string | URL | URLSearchParams,
  given: SignInTransaction | undefined,
  finishOptions?: FinishSignInOptions,
): Promise<SignInResult> {
  const options = readOptions(finishOptions, 'finishSignIn(callbackUrl, transaction, options)');
  const transaction = given === undefined ? undefined : checkTransaction(given, ctx);
  const [params, at, url] = callbackParams(callback, transaction?.redirectUri ?? ctx.redirectUri);
  singleValued(params);
  const state = transaction?.state ?? params.get('state');
  if (state === null || state === '') return exchange(ctx, params, at, transaction, options.signal);
  // One flight per transaction, taken before anything is awaited: the same callback finished
  // twice at once with the same transaction (a UI framework running an effect twice, a
  // double-submitted form) shares one code exchange; anyone else naming this transaction is
  // refused, so a code exchange's tokens only reach the holder of the transaction (its PKCE
  // verifier) that made it. One caller's abort does not cancel the exchange for the other; the
  // last one's does.
  return ctx.callbacks.run(state, fingerprint(transaction, params, url), (signal) => exchange(ctx, params, at, transaction, signal), options.signal);
}

/** Everything that decides a callback's outcome: the transaction (or "from storage") and the callback's parameters. */
function fingerprint(transaction: SignInTransaction | undefined, params: URLSearchParams, at: URL | undefined): string {
  const fromCallback = ['code', 'state', 'iss', 'error', 'error_description'].map((name) => params.get(name));
  const fromTransaction =
    transaction === undefined
      ? ['storage']
      : [transaction.state, transaction.nonce, transaction.codeVerifier, transaction.redirectUri, transaction.createdAt, transaction.scope, transaction.maxAge, transaction.acrValues];
  // No address (parameters passed alone): `undefined`, which a JSON array holds as null.
  return JSON.stringify([fromTransaction, fromCallback, at && [pathOf(at), ownQuery(at)]]);
}

async function exchange(
  ctx: ClientContext,
  params: URLSearchParams,
  at: Callback[1],
  given: SignInTransaction | undefined,
  signal: AbortSignal | undefined,
): Promise<SignInResult> {
  const transaction = await loadTransaction(ctx, params, given, signal);
  checkTransactionAge(transaction, ctx.now(), ctx.transactionMaxAgeSeconds, ctx.clockSkewSeconds);
  checkArrival(at?.(transaction.redirectUri), transaction);
  const metadata = await ctx.discovery.get(signal);

  const iss = params.get('iss');
  if (iss === null) {
    if (metadata.issParameterSupported) {
      throw new OktaSignInError('ISSUER_MISMATCH', 'The callback has no iss parameter, which this org always sends (RFC 9207): it may come from another authorization server.');
    }
  } else if (iss !== metadata.issuer) {
    throw new OktaSignInError('ISSUER_MISMATCH', `The callback's iss names another issuer than ${metadata.issuer} (RFC 9207 mix-up defence).`);
  }

  const state = params.get('state');
  if (state === null || !equalSecret(state, transaction.state)) {
    throw new OktaSignInError(
      'STATE_MISMATCH',
      "The callback's state is not this sign-in's: the callback was forged, crossed with another sign-in, or replayed (a server passes the transaction it kept in this user's own session); start a new sign-in.",
    );
  }

  // Okta's words may echo what the authorize request carried (the state, the nonce) or what rides
  // with them (a code); a forged or mangled callback anything: none of this sign-in's secrets is shown.
  const secrets = [transaction.state, transaction.nonce, transaction.codeVerifier, params.get('code') ?? ''];
  const fields = oauthErrorFields(params.get('error'), params.get('error_description'), (text) => scrub(text, secrets));
  // An error response is one with an error parameter (RFC 6749 §4.1.2.1), whatever it reads as:
  // one blank or unprintable is still no grant, and a code beside it is never exchanged.
  if (params.has('error')) {
    const code: OktaSignInErrorCode =
      fields.error === 'access_denied' ? 'ACCESS_DENIED' : fields.error !== undefined && loginRequiredErrors.has(fields.error) ? 'LOGIN_REQUIRED' : 'AUTHORIZATION_ERROR';
    const named = fields.error ?? 'an error without a printable name';
    throw new OktaSignInError(code, `Okta ended the sign-in with ${named}${fields.description === undefined ? '' : ` (${fields.description})`}.`, {
      error: fields.error,
      error_description: fields.description,
    });
  }

  const code = params.get('code');
  if (code === null || code === '') throw new OktaSignInError('INVALID_CALLBACK', 'The callback has neither a code nor an error.');

  const tokens = await requestTokens(
    ctx,
    { grant_type: 'authorization_code', code, redirect_uri: transaction.redirectUri, code_verifier: transaction.codeVerifier },
    { signal },
  );
  const claims = await signInClaims(ctx, metadata, tokens, {
    nonce: transaction.nonce,
    maxAgeSeconds: transaction.maxAge,
    acrValues: transaction.acrValues,
    requireIdToken: transaction.scope.split(' ').includes('openid'),
    signal,
  });
  return Object.freeze({ tokens, claims });
}
