/**
 * The values one request signs anew for each attempt: its client assertions (`client_assertion`)
 * and DPoP proofs (`DPoP`). Core scrubs an answer of the secrets of the attempt that got it; a
 * request sent again (a `use_dpop_nonce` or clock-skew retry, a 429) has earlier attempts whose
 * assertion is still valid for its minutes, and the last answer can echo it. The trail lists
 * them for every later attempt and reader of that request, and lives as long as the request
 * (one entry per attempt, bounded by the retries). @internal
 */
export interface AttemptTrail {
  /** Notes what the attempt about to be sent signed. */
  note(headers: Headers, body: URLSearchParams): void;
  /** The assertions and proofs of every attempt noted so far. */
  values(): readonly string[];
}

/** A trail for one request. @internal */
export function attemptTrail(): AttemptTrail {
  const sent: string[] = [];
  return {
    note(headers, body) {
      for (const value of [body.get('client_assertion'), headers.get('dpop')]) if (value !== null && value !== '') sent.push(value);
    },
    values: () => sent,
  };
}
