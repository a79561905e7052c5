import { isHttpToken } from '../headers/tokens.js';
import { runtimeToken } from './runtime-globals.js';
import { VERSION } from './version.js';

/**
 * What the `userAgent` option takes, in the one message that refuses it (`normalizeTransport`,
 * `oktaUserAgent`): every character `isHttpToken` takes (RFC 9110 §5.6.2's tchar), named. @internal
 */
export const userAgentRule = 'product tokens such as "Oktaprise/1.1" (a name or name/version of ASCII letters, digits and !#$%&\'*+-.^_`|~, separated by single spaces; no line breaks)';

/**
 * The `User-Agent` value in Okta's convention,
 * `@org/okta-auth-core/<version> <runtime>/<version>`, with the caller's own
 * product tokens (`Oktaprise/1.1`) prepended when given.
 *
 * @throws {TypeError} when `prefix` is not a list of product tokens.
 * @example
 * ```ts
 * oktaUserAgent('Oktaprise/1.1'); // 'Oktaprise/1.1 @org/okta-auth-core/0.1.0 node/20.20.2'
 * ```
 * @see https://developer.okta.com/docs/reference/core-okta-api/#user-agent
 */
export function oktaUserAgent(prefix?: string): string {
  const own = `@org/okta-auth-core/${VERSION} ${runtimeToken()}`;
  if (!isUserAgentPrefix(prefix)) throw new TypeError(`userAgent must be ${userAgentRule}.`);
  return prefix ? `${prefix} ${own}` : own;
}

/**
 * The one rule of the `userAgent` option: none, empty, or at most 200 characters of product tokens.
 * Read by {@link oktaUserAgent} and `normalizeTransport`, which refuses what it does not take. @internal
 */
export function isUserAgentPrefix(prefix: unknown): prefix is string | undefined {
  return prefix === undefined || prefix === '' || (typeof prefix === 'string' && prefix.length <= 200 && prefix.split(' ').every(isProduct));
}

/** RFC 9110 §10.1.5's `product`: a token, with a `/` and a version token or not. */
function isProduct(product: string): boolean {
  const parts = product.split('/');
  return parts.length <= 2 && parts.every(isHttpToken);
}
