import { OktaAuthError } from '../errors/errors.js';
import { isHttpToken } from '../headers/tokens.js';

/**
 * The one reading of a request's method, in both drivers: upper-cased, as the attempt names it to
 * the credential (a DPoP proof's `htm`), to errors and logs, and as it is sent (`fetch` upper-cases
 * only DELETE, GET, HEAD, OPTIONS, POST and PUT; ky those and PATCH and QUERY). One that is no HTTP
 * method token (RFC 9110 §9.1) is `INVALID_CONFIG` before anything is authorized or sent: a
 * non-ASCII letter is never upper-cased into an ASCII one (`'po\u017Ft'.toUpperCase()` is `POST`).
 * `null` is refused too: `fetch` reads it as the method `"null"`, ky as none (a GET).
 * Not quoted. @internal
 *
 * @example
 * ```ts
 * attemptMethod('patch'); // 'PATCH'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-9.1
 */
export function attemptMethod(method: unknown): string {
  if (typeof method !== 'string' || !isHttpToken(method)) {
    throw new OktaAuthError('INVALID_CONFIG', 'The method must be an HTTP method of ASCII letters, such as PATCH, or left out for a GET (not null): nothing was sent.');
  }
  return method.toUpperCase();
}
