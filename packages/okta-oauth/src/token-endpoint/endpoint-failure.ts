import type { OAuthErrorContext } from './token-error.js';

/**
 * What a failed answer of an OAuth endpoint (token, revocation, introspection, PAR, device
 * authorization) says Okta did, then what follows the message's description and hint: a 4xx is
 * Okta refusing the request (nothing follows), a 5xx Okta failing to answer it, not a refusal (a
 * user reading "refused" looks for a mistake of theirs), followed by whether it went again: sent
 * once (a POST, which core never sends again), or `after`: a device sign-in's poll goes on (RFC
 * 8628 §3.5: the root client's {@link devicePollNote}, given by its hints, so no other bundle carries
 * it). The one wording of both, for every endpoint's message; a pair, not an object, for the
 * bundles (no property names). @internal
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export function answerFailure(status: number, after = ' It was sent once, not again: try again later.'): readonly [verb: 'refused' | 'could not answer', after: string] {
  return status < 500 ? ['refused', ''] : ['could not answer', after];
}

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
