import { requestNote } from './rate-limited.js';
import type { OAuthErrorContext, TokenErrorBody } from './token-error.js';

/**
 * The one message of an OAuth endpoint's failed answer (token, revocation, introspection, PAR,
 * device authorization; a 429 is `rateLimitedError`'s): "Okta's <endpoint> refused <request>
 * (<status> <error>): <description>.<hint><after> (<host>, request <id>)". A 4xx is Okta refusing the
 * request (nothing follows the hint); a 5xx Okta failing to answer it, not a refusal (a user
 * reading "refused" looks for a mistake of theirs), followed by whether it went again: sent once (a
 * POST, which core never sends again), or `after5xx`: a revocation's {@link sentOnceNote}, a device
 * sign-in's poll going on (RFC 8628 §3.5: the root client's {@link devicePollNote}, given by its
 * hints, so no other bundle carries it). Okta's description (read and cleaned by `readOAuthError`)
 * loses its final period, never doubled; the org's host (among many orgs, which one) and the
 * answer's `X-Okta-Request-Id`, which Okta support asks for, end it (`requestNote`). @internal
 *
 * @example
 * ```ts
 * endpointFailure('revocation endpoint', 'the request', { status: 400, requestId: 'r1', origin: 'https://acme.okta.com', error: 'invalid_request', description: 'Bad.' }, '');
 * // "Okta's revocation endpoint refused the request (400 invalid_request): Bad. (acme.okta.com, request r1)"
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export function endpointFailure(endpoint: string, request: string, body: TokenErrorBody, hint: string, after5xx = ' It was sent once, not again: try again later.'): string {
  return `Okta's ${endpoint} ${body.status < 500 ? 'refused' : 'could not answer'} ${request} (${body.status}${body.error === undefined ? '' : ` ${body.error}`})${body.description === undefined ? '' : `: ${withoutFinalPeriod(body.description)}`}.${hint}${body.status < 500 ? '' : after5xx}${requestNote(body)}`;
}

/**
 * The fields of an OAuth endpoint's failed answer beside {@link endpointFailure}'s message: one that
 * names an OAuth error has them all (its description as RFC 6749's `error_description`, Okta's own
 * words); one that names none, no `error_description`: what the reader says the body was instead
 * ("an empty body") is in the message only. Its status, request id and origin either way; a 429's
 * `RATE_LIMITED` takes them too, with its `rateLimit` and wait beside them. @internal
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export const failureFields = (body: TokenErrorBody): TokenErrorBody & { readonly error_description: string | undefined } => ({ ...body, error_description: body.error && body.description });

/**
 * What follows a revocation's 5xx: no advice to try again, since a sign-out has dropped the tokens
 * by then (whoever still holds one, `signOut(client, tokens)`'s caller, may revoke it again). @internal
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2.2.1
 */
export const sentOnceNote = ' It was sent once, not again.';

/**
 * What follows a token endpoint's 5xx for a client with device sign-in (the root entry's sign-in
 * client): a device poll goes on after it (RFC 8628 §3.5), where every other request was sent once.
 * Only that client's bundle carries it.
 *
 * @example
 * ```ts
 * const hints: OAuthHints = { ...signInHints, poll: devicePollNote };
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc8628#section-3.5
 * @internal
 */
export const devicePollNote = ({ grantType }: OAuthErrorContext): string | undefined => (grantType?.endsWith(':device_code') === true ? ' The device sign-in polls on.' : undefined);

/** A description as a message quotes it before its own period: Okta's end with one most of the time, never written twice. @internal */
export function withoutFinalPeriod(text: string): string {
  let end = text.length;
  while (end > 0 && (text[end - 1] === '.' || text[end - 1] === ' ')) end--;
  return text.slice(0, end);
}
