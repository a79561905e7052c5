// The two character sets that HTTP and OAuth values are tested against here, each written once.
// Different grammars, kept apart: a tchar excludes what an NQCHAR allows (`"` aside, `(),/:;<=>?@[]{}`).

/** RFC 9110 §5.6.2's `tchar`, ASCII only (no `u` flag: `\w` is `[A-Za-z0-9_]`), one or more. */
const token = /^[!#$%&'*+\-.^\w`|~]+$/;

/** RFC 6749 §A.1's NQCHAR (%x21 / %x23-5B / %x5D-7E: printable ASCII but `"` and `\`), one or more. */
const nqchars = /^[!#-[\]-~]+$/;

/**
 * Whether `value` is an RFC 9110 `token` (1*tchar): ASCII letters, digits and ``!#$%&'*+-.^_`|~``.
 * The one test of a request's method (`attemptMethod`) and of the `userAgent` option's product
 * tokens (`isUserAgentPrefix`). @internal
 *
 * @example
 * ```ts
 * isHttpToken('PROPFIND'); // true
 * isHttpToken('pa tch'); // false
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-5.6.2
 */
export function isHttpToken(value: string): boolean {
  return token.test(value);
}

/**
 * Whether `value` is 1*NQCHAR (RFC 6749 §A.1: printable ASCII but space, `"` and `\`): a scope
 * token (RFC 6749 §3.3, `isScopeList` and okta-oauth's check of configured scopes) and a DPoP
 * nonce (RFC 9449 §8.1, okta-oauth's `DPoP-Nonce` reading). @internal
 *
 * @example
 * ```ts
 * isNqchars('okta.users.read'); // true
 * isNqchars('say "hi"'); // false
 * ```
 * @see https://datatracker.ietf.org/doc/html/rfc6749#appendix-A.1
 */
export function isNqchars(value: string): boolean {
  return nqchars.test(value);
}
