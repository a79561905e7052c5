import { checkScopes } from '../internal/validate.js';
import { configError } from '../errors.js';
import type { OktaStorage } from '../token-cache/storage.js';

/** Scopes as one space-separated string, read by the package's one scope parser ({@link checkScopes}; `options`: the factory's, whose `scope` it names). @internal */
export function normalizeScope(input: unknown, name: string, options?: object): string {
  return checkScopes(input, name, options).join(' ');
}

/**
 * The scopes a sign-in call asks for (`startSignIn`'s, `startDeviceSignIn`'s): its own `scopes`, else the client's
 * (`fallback`); OAuth's `scope` in their place refused by the factories' one refusal ({@link checkScopes}). @internal
 *
 * @example
 * ```ts
 * callScope({ scopes: ['openid', 'profile'] }, 'openid', 'startSignIn: scopes'); // 'openid profile'
 * callScope({ scope: 'openid profile' }, 'openid', 'startSignIn: scopes'); // INVALID_CONFIG: The scope option is not ours: use scopes.
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.3
 */
export const callScope = (options: { readonly scopes?: unknown }, fallback: string, name: string): string =>
  options.scopes === undefined && !Object.hasOwn(options, 'scope') ? fallback : normalizeScope(options.scopes, name, options);

/** The parameters of an authorization response that decide its outcome (RFC 6749 §4.1.2 and §4.1.2.1, RFC 9207). @internal */
export const responseParameters = ['code', 'state', 'iss', 'error', 'error_description', 'error_uri'];

/**
 * An absolute redirect URI without a fragment (RFC 6749 §3.1.2): https,
 * http (Okta allows it for loopback and development), or a private-use
 * scheme for native apps (`com.acme.app:/callback`). A sign-in's own (`callback`) has none of the
 * response's parameters in its query: every callback would read as repeated or as an error. @internal
 */
export function normalizeRedirectUri(input: unknown, name: string, callback?: boolean): string {
  if (typeof input !== 'string' && !(input instanceof URL)) throw configError(`${name} must be an absolute URL string.`);
  // The text checked is the text returned (a URL's href: its hash is '' for a bare #, which href keeps).
  const text = typeof input === 'string' ? input : input.href;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw configError(`${name} is not an absolute URL.`);
  }
  // A '#' anywhere starts a fragment, an empty one included (RFC 6749 §3.1.2: none).
  if (text.includes('#')) throw configError(`${name} must not have a fragment.`);
  if (['javascript:', 'data:', 'file:', 'blob:'].includes(url.protocol)) throw configError(`${name} cannot use ${url.protocol}.`);
  const taken = callback && responseParameters.find((parameter) => url.searchParams.has(parameter));
  if (taken) throw configError(`${name} has a query parameter "${taken}", which Okta's answer to the sign-in sets (RFC 6749 §4.1.2): name yours otherwise.`);
  return text;
}

/** A non-negative finite number option. @internal */
export function nonNegative(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw configError(`${name} must be a non-negative number.`);
  return value;
}

/**
 * A sign-in `storage` option (the client's, a credential's, `restoreCredential`'s): an OktaStorage
 * (`get`, `set`, `remove`), else `INVALID_CONFIG` naming `name` and the fix, before it is called: the
 * browser's Web Storage object itself (`getItem`, `setItem`) is the likely mistake. @internal
 */
export function checkStorage(value: unknown, name: string): OktaStorage | undefined {
  const storage = value as Partial<Record<keyof OktaStorage, unknown>> | null | undefined;
  if (value !== undefined && (typeof value !== 'object' || typeof storage?.get !== 'function' || typeof storage.set !== 'function' || typeof storage.remove !== 'function')) {
    throw configError(`${name} must be an OktaStorage (get, set, remove), such as createSessionStorage(); wrap a Web Storage (getItem, setItem) in createWebStorage().`);
  }
  return storage as OktaStorage | undefined;
}

/**
 * The key a credential's tokens go under: `storageKey`, else the client's one key; over a storage
 * shared by processes (it offers `singleFlight`: the Redis store) every user would share that one,
 * so none given there is `INVALID_CONFIG` naming `name`. @internal
 */
export function tokenStorageKey(clientId: string, storage: OktaStorage | undefined, storageKey: string | null | undefined, name: string): string {
  if (storageKey == null && storage?.singleFlight) throw configError(`${name}: a storage with singleFlight (shared by processes) needs a storageKey per user and session.`);
  return storageKey ?? `okta-oauth:${clientId}:tokens`;
}
