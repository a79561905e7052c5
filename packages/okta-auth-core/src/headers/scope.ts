import { isNqchars } from './tokens.js';

/** The longest scope list quoted or accepted: every `okta.*` scope together is a few KiB. @internal */
export const maxScopeLength = 8192;

/**
 * Whether `value` is a scope list of RFC 6749 §3.3's syntax (scope tokens of printable ASCII but
 * `"` and `\`, separated by spaces; only spaces counts) of at most {@link maxScopeLength}
 * characters. The one rule for a scope that is quoted or kept: the scope an `insufficient_scope`
 * challenge names (`OktaApiError.missingScope`), okta-oauth's granted scope. @internal
 *
 * @see https://datatracker.ietf.org/doc/html/rfc6749#section-3.3
 */
export function isScopeList(value: string): boolean {
  // Scope tokens (NQCHAR runs) between spaces, empty ones taken: any number of spaces, none counts too.
  return value.length <= maxScopeLength && value.split(' ').every((scope) => scope === '' || isNqchars(scope));
}
