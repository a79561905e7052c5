import { OktaAuthError } from '../errors/errors.js';
import { checkSignal } from './transport.js';

/**
 * Reads an optional options argument the one way every package does (docs/CONVENTIONS.md,
 * "Code"): `undefined` or `null` is none (`{}`), an object (not an array) is itself, anything
 * else is refused with `refuse` (the package's `INVALID_CONFIG`) naming the argument, so a
 * JavaScript caller never gets a runtime `TypeError` from reading a field of it. Its `signal`, the
 * option every package's calls share, is checked here too ({@link checkSignal}), before anything is
 * sent. @internal
 */
export function readOptions<T extends object>(value: T | null | undefined, what: string, refuse = (message: string): Error => new OktaAuthError('INVALID_CONFIG', message)): Partial<T> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw refuse(`${what} takes an options object or nothing, not ${Array.isArray(value) ? 'an array' : `a ${typeof value}`}.`);
  checkSignal((value as { signal?: unknown }).signal, refuse);
  return value;
}

/** What `issuer`, `domain` and `oktaDomain` mean here: okta-auth's tokens are the org authorization server's. */
const useOrgUrl = 'use orgUrl (tokens come from the org authorization server, not /oauth2/default)';

/**
 * The one table of option names from ky and Okta's SDKs (okta-auth-js, okta-sdk-nodejs) that a
 * factory would otherwise ignore while the caller believes them in force, each with what to do here.
 * Refused by name, not every unknown key (docs/CONVENTIONS.md, "Code": an allowlist per factory costs
 * every bundle and breaks spreading a config object). `domain` and `oktaDomain` only name the org URL:
 * they are refused only where `orgUrl` is missing ({@link refuseForeignOptions}' `noOrgUrl`), and are
 * harmless beside it (a tenant record spread into the options); so is `pkce: true`, refused otherwise.
 */
const foreignOptions: Readonly<Record<string, string>> = {
  timeout: 'use timeoutMs',
  retries: 'use retry: { limit }',
  issuer: useOrgUrl,
  pkce: 'leave it out (PKCE is always on)',
  tokenManager: 'use storage',
  maxClockSkew: 'use clockSkewSeconds',
};

/**
 * Refuses, with `refuse` (the package's `INVALID_CONFIG`, core's by default), an option named as in
 * another library ({@link foreignOptions}): `<factory>: the option <x> is not one of ours; use <y>.`
 * Only names are quoted, never a value. With `noOrgUrl` (the org URL reader's, `readOrgUrlOption`,
 * when `orgUrl` is missing), `domain` and `oktaDomain` too.
 * @example
 * ```ts
 * refuseForeignOptions({ credential, timeout: 1000 }, 'createOktaFetch');
 * // throws: createOktaFetch: the option timeout is not one of ours; use timeoutMs.
 * ```
 * @see https://github.com/okta/okta-auth-js#configuration-reference
 * @internal
 */
export function refuseForeignOptions(options: object, factory: string, refuse = (message: string): Error => new OktaAuthError('INVALID_CONFIG', message), noOrgUrl = false): void {
  const given = options as Record<string, unknown>;
  const table = noOrgUrl ? { ...foreignOptions, domain: useOrgUrl, oktaDomain: useOrgUrl } : foreignOptions;
  // Own keys only, of the table and of the options: a name set on a polluted Object.prototype is no caller's.
  // `pkce: true` (okta-auth-js's usual setting) is what happens here: kept, as nothing is ignored by it.
  for (const name of Object.keys(table)) if (Object.hasOwn(given, name) && given[name] != null && !(name === 'pkce' && given[name] === true)) throw refuse(`${factory}: the option ${name} is not one of ours; ${table[name]}.`);
}
