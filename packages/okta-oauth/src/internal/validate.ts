import { OktaAuthError, type OktaTransportOptions } from '@org/okta-auth-core';
import { isNqchars, isOktaHost, jwtShape, normalizeTransport, quotedProblem, refuseForeignOptions, shortenedCopy } from '@org/okta-auth-core/internal';
import { configError } from '../errors.js';
import type { DpopAlgorithm } from '../dpop/dpop-key.js';
import type { OktaStorage } from '../token-cache/storage.js';
import type { TokenStore } from '../token-cache/token-store.js';
import type { DpopMode } from '../token-endpoint/token-endpoint.js';
import type { WebCryptoKeyPair } from './web-crypto.js';
import { isSigningAlgorithm, refusedName, signingAlgorithms } from './algorithms.js';

function fail(message: string): never {
  throw configError(message);
}

/**
 * What a token or secret holds and a scope does not: 32 or more base64/base64url characters in a
 * row (an API token has 42, a client secret 40 or more; the words of Okta's scope names are far shorter).
 */
const secretRun = /[\w+/=-]{32}/;

/**
 * How a scope entry that looks like a token is shown instead of itself (`checkScopes`' refusal, the
 * `invalid_scope` hint's list of the scopes requested); `undefined` for one worth quoting. @internal
 */
export function tokenLike(entry: string): string | undefined {
  return secretRun.test(entry) ? `(${entry.length} characters, like a token or secret)` : undefined;
}

/** @internal */
export function checkClientId(value: unknown, name = 'clientId'): string {
  if (typeof value !== 'string' || value.trim() === '') fail(`${name} is missing: give the app's client id (Client ID on the app's General tab, such as "0oa1bcd2efGHIJ3kl4m5").`);
  const trimmed = value.trim();
  // Core's one check of quotes around a configured value (`docker run --env-file` keeps those of VAR="…").
  const quoted = quotedProblem(trimmed);
  if (quoted) fail(`${name} ${quoted}`);
  // What no client id is and a secret's shape is (core's one JWT pattern, a PEM), or an example shortened (a README's `0oa…`),
  // before the printable check (a PEM has spaces, `…` is not ASCII): said so, never quoted. A long id alone is no secret's
  // shape: an app created through Okta's Apps API may set its own client_id.
  const give = `give the app's Client ID (its General tab), such as "0oa1bcd2efGHIJ3kl4m5"`;
  if (shortenedCopy.test(trimmed)) fail(`${name} is shortened ("…" or "..." inside it, as in an example): ${give}, whole.`);
  if (jwtShape.test(trimmed) || trimmed.includes('-----BEGIN')) fail(`${name} looks like a token or secret (not shown): ${give}.`);
  if (!/^[\x21-\x7E]+$/.test(trimmed) || trimmed.length > 200) fail(`${name} is not a client id: it must be printable ASCII with no spaces.`);
  // Okta's client ids are letters, digits and $-_.+!*'(), (its Apps API): a URL, or an Okta org's host, was pasted in the wrong place. Not quoted.
  if (/^[a-z][a-z\d+.-]*:\/\//i.test(trimmed) || isOktaHost(hostShaped.exec(trimmed)?.[1] ?? '')) {
    fail(`${name} is a URL, not a client id: ${give}; the org URL goes in orgUrl.`);
  }
  return trimmed;
}

/** A host name, with a port or a path or not (`acme.okta.com`, `acme-admin.oktapreview.com/admin/…`): core's `isOktaHost` says whether it is an org's. */
const hostShaped = /^([\w-]+(?:\.[\w-]+)+)(?::\d+)?(?:\/|$)/;

/**
 * OpenID Connect scopes (those of Okta's org authorization server): a signed-in user's, which
 * a client credentials grant, having no user, cannot request (Okta answers `invalid_scope`,
 * "Cannot request 'openid' scopes using client credentials"). @internal
 */
export const userScopes: readonly string[] = ['openid', 'profile', 'email', 'address', 'phone', 'offline_access', 'groups'];

/**
 * Refuses {@link userScopes} among a client credentials grant's scopes (service apps, OIN apps),
 * naming them (fixed names, never a configured value), before anything is sent.
 * @see https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/
 * @internal
 */
export function refuseUserScopes(scopes: readonly string[], name = 'scopes'): readonly string[] {
  const asked = scopes.filter((scope) => userScopes.includes(scope));
  if (asked.length > 0) {
    fail(
      `${name} has ${asked.join(', ')}: OpenID Connect scopes are a signed-in user's, not a client credentials grant's (Okta answers invalid_scope): request only Okta API scopes, such as "okta.users.read"; to sign a user in, use createSignInClient.`,
    );
  }
  return scopes;
}

/**
 * The longest `scope` parameter Okta takes: 1024 characters.
 * @see https://developer.okta.com/docs/reference/api/oidc/#scope-values
 */
const maxScopeParameter = 1024;

/** How to give `scopes`, for a refused entry that is not one scope. */
const scopeForms = 'give one scope per array entry, such as ["okta.users.read", "okta.groups.read"], or the whole list as one string separated by spaces.';

/**
 * One scope name: RFC 6749's NQCHARs (core's `isNqchars`) without a comma, which the string form
 * separates scopes with and no Okta scope name holds (Okta API, OpenID Connect, `ssf.*` and custom
 * scopes alike), so an array entry `'a,b'` is two scopes, as the string `'a,b'` is.
 */
function isScopeName(value: string): boolean {
  return isNqchars(value) && !value.includes(',');
}

/**
 * The one scope parser of the package, for service apps, OIN apps and user sign-in alike:
 * an array of scope names, one per entry, or one string whose scopes are separated by spaces or
 * commas (`'a,b'` and `'a b'` are both two scopes: no Okta scope name contains a comma, and an
 * environment variable is often written comma-separated). An array entry holding several
 * (`['a,b']`, `['a b']`) is refused, saying to give one scope per entry, never sent as one. Returns the de-duplicated scopes in
 * the given order; a refusal is `INVALID_CONFIG`, and so is a list longer than Okta takes
 * (1024 characters joined by spaces, as sent). `options`, a factory's, missing `scopes` and holding
 * OAuth's `scope` (oauth4webapi's, openid-client's spelling), is refused as `The scope option is not
 * ours: use scopes.`
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.3
 * @internal
 */
export function checkScopes(value: unknown, name = 'scopes', options?: object): readonly string[] {
  let list: unknown[];
  if (typeof value === 'string') list = value.split(/[\s,]+/).filter(Boolean);
  else if (Array.isArray(value)) list = value as unknown[];
  else {
    // OAuth's spelling in its place (not beside it: a spread record may hold both) is named by the one refusal of another library's name.
    if (options) refuseForeignOptions(options, { scope: 'scopes' }, configError);
    fail(`${name} is missing: list the Okta scopes the app was granted, such as ["okta.users.read"].`);
  }
  if (list.length === 0) fail(`${name} is empty: Okta needs at least one scope, such as "okta.users.read" (the app must have been granted it).`);
  const scopes: string[] = [];
  for (const scope of list) {
    // An entry that is not a string is named by its type, never shown (an object may hold a secret).
    if (typeof scope !== 'string') fail(`${name} has an entry that is not a string (${Array.isArray(scope) ? 'an array' : scope === null ? 'null' : typeof scope}): ${scopeForms}`);
    // A refused entry is quoted (at most 60 characters) only when it could be a mistyped scope: one that looks like a token is described.
    const described = tokenLike(scope);
    // One scope name or not, tested once for the three checks below.
    const single = isScopeName(scope);
    // Then core's one check of quotes (`docker run --env-file` keeps those of OKTA_CLIENT_SCOPES="…"; a list split from one keeps them at its ends;
    // its message shows no value), for every entry but one that looks like a token and breaks the scope rule: a token pasted in quotes is said to be
    // a token first. One that looks like a token and keeps the rule (a long custom scope in single quotes) is checked for quotes too.
    const quoted = described === undefined || single ? quotedProblem(scope) : undefined;
    if (quoted) fail(`${name} has an entry that ${quoted}`);
    const parts = scope.split(/[\s,]+/).filter(Boolean);
    if (!single && described === undefined && parts.length > 1 && parts.every(isScopeName)) fail(`${name} has an entry holding several scopes, ${JSON.stringify(scope).slice(0, 60)}: ${scopeForms}`);
    if (!single) {
      fail(`${name} has an invalid entry${described === undefined ? ` ${JSON.stringify(scope).slice(0, 60)}` : `, not shown ${described}`}: scopes are single words such as "okta.users.read".`);
    }
    if (!scopes.includes(scope)) scopes.push(scope);
  }
  // Okta answers a longer `scope` parameter invalid_scope (OIDC reference, "Scope values"): the length, not the scopes, is said.
  const length = scopes.join(' ').length;
  if (length > maxScopeParameter) fail(`${name} ask for ${length} characters (joined by spaces), over Okta's ${maxScopeParameter} for the scope parameter: ask for fewer scopes.`);
  return scopes;
}

/** @internal */
export function checkDpopMode(value: unknown, defaultMode: DpopMode = 'auto'): DpopMode {
  if (value === undefined) return defaultMode;
  if (value === 'required' || value === 'auto' || value === 'off') return value;
  if (value === true) fail('dpop is true: use "required" (Bearer answers are an error) or "auto".');
  if (value === false) fail('dpop is false: use "off".');
  return fail(`dpop must be "required", "auto" or "off", not ${refusedName(value)}.`);
}

/** The DPoP options every factory takes, checked. @internal */
export interface CheckedDpop {
  readonly mode: DpopMode;
  readonly algorithm: DpopAlgorithm | undefined;
  readonly keyPair: WebCryptoKeyPair | undefined;
}

/**
 * The one reading of the DPoP options (`dpop`, `dpopAlgorithm`, `dpopKeyPair`) for service apps
 * and user sign-in. With `legacy`, the sign-in client's deprecated shapes are accepted as
 * aliases: `true` is `'required'`, `false` is `'off'`, `{ keyPair?, algorithm? }` is
 * `'required'` with that key pair and algorithm (the service apps call {@link checkDpopOptions},
 * so their bundles do not carry the aliases).
 * @internal
 */
export function checkDpop(options: { readonly dpop?: unknown; readonly dpopAlgorithm?: unknown; readonly dpopKeyPair?: unknown }, defaultMode: DpopMode, legacy = false): CheckedDpop {
  const { dpop } = options;
  if (legacy && (dpop === true || dpop === false || (typeof dpop === 'object' && dpop !== null))) {
    const old: { readonly algorithm?: unknown; readonly keyPair?: unknown } = typeof dpop === 'object' ? dpop : {};
    options = { dpop: dpop === false ? 'off' : 'required', dpopAlgorithm: old.algorithm ?? options.dpopAlgorithm, dpopKeyPair: old.keyPair ?? options.dpopKeyPair };
  }
  return checkDpopOptions(options, defaultMode);
}

/**
 * The DPoP options as documented, without the sign-in client's deprecated aliases. `dpopKeyPair` or
 * `dpopAlgorithm` without `dpop` where the default is `'off'` (sign-in) is `'required'`, as the
 * deprecated `dpop: { keyPair }` was; beside `dpop: 'off'` either is refused (it would be ignored).
 * @internal
 */
export function checkDpopOptions(options: { readonly dpop?: unknown; readonly dpopAlgorithm?: unknown; readonly dpopKeyPair?: unknown }, defaultMode: DpopMode): CheckedDpop {
  const given = options.dpopKeyPair !== undefined ? 'dpopKeyPair' : options.dpopAlgorithm !== undefined ? 'dpopAlgorithm' : undefined;
  const mode = checkDpopMode(options.dpop, given !== undefined && defaultMode === 'off' ? 'required' : defaultMode);
  if (mode === 'off' && given !== undefined) fail(`dpop is "off" beside ${given}, which would be ignored: drop one of them (without dpop, ${given} means "required").`);
  return { mode, algorithm: checkDpopAlgorithm(options.dpopAlgorithm), keyPair: checkDpopKeyPair(options.dpopKeyPair) };
}

/** @internal */
export function checkDpopAlgorithm(value: unknown): DpopAlgorithm | undefined {
  if (value === undefined) return undefined;
  if (!isSigningAlgorithm(value)) fail(`dpopAlgorithm must be one of ${signingAlgorithms.join(', ')}.`);
  return value;
}

/** @internal */
export function checkDpopKeyPair(value: unknown): WebCryptoKeyPair | undefined {
  if (value === undefined) return undefined;
  const pair = typeof value === 'object' ? (value as { privateKey?: unknown; publicKey?: unknown } | null) : null;
  if (pair === null || typeof CryptoKey === 'undefined' || !(pair.privateKey instanceof CryptoKey) || !(pair.publicKey instanceof CryptoKey)) {
    fail('dpopKeyPair must be a WebCrypto CryptoKeyPair ({ privateKey, publicKey }).');
  }
  return value as WebCryptoKeyPair;
}

/** @internal */
export function checkTokenStore(value: unknown): TokenStore | OktaStorage | undefined {
  if (value === undefined) return undefined;
  const store = typeof value === 'object' ? (value as { get?: unknown; set?: unknown; delete?: unknown; remove?: unknown } | null) : null;
  if (store === null || typeof store.get !== 'function' || typeof store.set !== 'function' || (typeof store.remove !== 'function' && typeof store.delete !== 'function')) {
    fail('tokenStore must be an OktaStorage (get, set, remove) or a TokenStore (get, set, delete).');
  }
  return value as TokenStore | OktaStorage;
}

/** @internal */
export function checkOptionalString(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') fail(`${name} must be a non-empty string when given.`);
  return value.trim();
}

/**
 * A key id (`keyId`, a signer's `kid`), sent as the client assertion's JWS `kid` and named in
 * the token errors' hints: printable ASCII without whitespace, at most 128 characters. RFC 7517
 * leaves a `kid`'s form open; Okta's are 20-character ids or 43-character thumbprints, and a PEM
 * or a secret given here by mistake is refused without being shown.
 * @see https://www.rfc-editor.org/rfc/rfc7517#section-4.5
 * @internal
 */
export function checkKeyId(value: unknown, name = 'keyId'): string | undefined {
  const id = checkOptionalString(value, name);
  const quoted = quotedProblem(id ?? ''); // none for none
  if (quoted) fail(`${name} ${quoted}`);
  if (id !== undefined && !/^[\x21-\x7E]{1,128}$/.test(id)) fail(`${name} is not a key id: give the kid of the app's public key in Okta (printable ASCII without spaces, at most 128 characters).`);
  return id;
}

/**
 * The transport options a factory passes on to the core (the rest of its options are its own): every
 * one, `maxInFlight` too (its token requests count against the limit it is given). Checked to list
 * them all ({@link ListsEvery}), so an option core adds is not accepted, checked and then dropped here.
 */
const transportOptionNames = ['fetch', 'retry', 'timeoutMs', 'logger', 'userAgent', 'rateLimitCoordinator', 'maxInFlight'] as const;

/** `L` when it names every transport option, else `never`: a type error where a list is checked with it. */
type ListsEvery<L extends readonly (keyof OktaTransportOptions)[]> = [Exclude<keyof OktaTransportOptions, L[number]>] extends [never] ? L : never;

/**
 * Picks the transport options every factory passes to the core, checked by the core's one
 * validator (`normalizeTransport`); its `INVALID_CONFIG` is rethrown as this package's error.
 * @internal
 */
export function checkTransport(options: OktaTransportOptions): OktaTransportOptions {
  try {
    normalizeTransport(options);
  } catch (error) {
    if (error instanceof OktaAuthError && error.code === 'INVALID_CONFIG') fail(error.message);
    throw error;
  }
  const out: Record<string, unknown> = {};
  for (const name of transportOptionNames satisfies ListsEvery<typeof transportOptionNames>) if (options[name] !== undefined) out[name] = options[name];
  return out;
}
