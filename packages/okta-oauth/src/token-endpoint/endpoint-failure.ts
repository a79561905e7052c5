/**
 * What a failed answer of an OAuth endpoint (token, revocation, introspection, PAR, device
 * authorization) says Okta did, then what follows the message's description and hint: a 4xx is
 * Okta refusing the request (nothing follows), a 5xx Okta failing to answer it, not a refusal (a
 * user reading "refused" looks for a mistake of theirs), followed by whether it went again: sent
 * once (a POST, which core never sends again), though a device sign-in's poll goes on (`polling`,
 * RFC 8628 §3.5). The one wording of both, for every endpoint's message; a pair, not an object,
 * for the bundles (no property names). @internal
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export function answerFailure(status: number, polling = false): readonly [verb: 'refused' | 'could not answer', after: string] {
  return status < 500 ? ['refused', ''] : ['could not answer', polling ? ' The device sign-in polls on.' : ' It was sent once, not again: try again later.'];
}

/** A description as a message quotes it before its own period: Okta's end with one most of the time, never written twice. @internal */
export function withoutFinalPeriod(text: string): string {
  let end = text.length;
  while (end > 0 && (text[end - 1] === '.' || text[end - 1] === ' ')) end--;
  return text.slice(0, end);
}
