/**
 * A snapshot of the emulator's request counters.
 *
 * @example
 * ```ts
 * const { requests, tokenRequests } = org.counters();
 * requests['GET /api/v1/users'];                       // 3
 * tokenRequests.client_credentials?.use_dpop_nonce;    // 1
 * ```
 * @see https://developer.okta.com/docs/reference/rl2-monitor/
 */
export interface CounterSnapshot {
  /** Requests per endpoint, keyed `"<METHOD> <route template>"`, e.g. `"GET /api/v1/users"` or `"GET /api/v1/users/:id"`. */
  requests: Record<string, number>;
  /** Token-endpoint requests per grant type, then per outcome (`"success"` or the OAuth error code). */
  tokenRequests: Record<string, Record<string, number>>;
}

export class Counters {
  #requests = new Map<string, number>();
  #token = new Map<string, Map<string, number>>();

  countRequest(key: string): void {
    this.#requests.set(key, (this.#requests.get(key) ?? 0) + 1);
  }

  countToken(grant: string, outcome: string): void {
    let byOutcome = this.#token.get(grant);
    if (byOutcome === undefined) {
      byOutcome = new Map();
      this.#token.set(grant, byOutcome);
    }
    byOutcome.set(outcome, (byOutcome.get(outcome) ?? 0) + 1);
  }

  snapshot(): CounterSnapshot {
    // Object.fromEntries makes own keys only: a grant_type "__proto__" is a count, not the snapshot's prototype.
    const tokenRequests = Object.fromEntries([...this.#token].map(([grant, outcomes]) => [grant, Object.fromEntries(outcomes)]));
    return { requests: Object.fromEntries(this.#requests), tokenRequests };
  }

  reset(): void {
    this.#requests.clear();
    this.#token.clear();
  }
}
