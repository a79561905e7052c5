import { answerSecrets } from './answer.js';
import { scrub } from '../secrets/secret.js';

/**
 * A run of what must not reach a message, a log or a terminal: C0 and C1 control characters and
 * DEL (escapes, a `\r`, U+009B, an 8-bit CSI), the line and paragraph separators U+2028/U+2029 and
 * the bidirectional embeddings, overrides and isolates U+202A–U+202E, U+2066–U+2069 ("Trojan
 * Source") and the bidirectional marks U+200E, U+200F, U+061C (an echo in an error names no
 * right-to-left text worth them). Global: `printable` flattens each run to a space, the CLI escapes it. @internal
 */
// eslint-disable-next-line no-control-regex
export const unprintable = /[\0-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]+/g;

/**
 * The one cleaner of text an answer echoes (core's `OktaApiError`, okta-oauth's token and
 * sign-in errors, the CLI's echoes): scrubbed of `secrets` first (so no cut can split a secret),
 * each run of {@link unprintable} characters (controls, line separators, bidirectional
 * overrides) collapsed to one space, trimmed, then cut to `max` characters with an
 * ellipsis. Internal: exported from `@org/okta-auth-core/internal` only.
 *
 * @example
 * ```ts
 * printable('bad\r\n\r\nrequest \u202e', [], 400); // 'bad request'
 * ```
 * @see https://datatracker.ietf.org/doc/html/rfc6749#section-5.2
 */
export function printable(text: string, secrets: Iterable<string>, max = 400): string {
  const flat = scrub(text, secrets).replace(unprintable, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/**
 * An answer's `X-Okta-Request-Id` as every error, field and log event quotes it: {@link printable}
 * with the secrets of the attempt that got the answer and `extra` (an answer can echo what was
 * sent in any header), so no secret and no control character rides along; `undefined` when the
 * answer has none. The one reader of the id for `OktaApiError`, core's log events and the method
 * packages (given an answer's headers alone, it scrubs with `extra` only).
 * Internal: exported from `@org/okta-auth-core/internal` only.
 *
 * @example
 * ```ts
 * declare const response: Response;
 * const requestId = answerRequestId(response);
 * ```
 * @see https://developer.okta.com/docs/api/#response-headers
 */
export function answerRequestId(response: Pick<Response, 'headers'>, extra: Iterable<string> = []): string | undefined {
  const id = response.headers.get('x-okta-request-id');
  return id === null ? undefined : printable(id, [...answerSecrets(response), ...extra]);
}
