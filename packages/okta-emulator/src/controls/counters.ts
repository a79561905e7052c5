import { keepRecent } from '../state/recent.js';

/**
 * A snapshot of the emulator's request counters.
 *
 * @example
 * ```ts
 * const { requests, tokenRequests, origins, maxInFlight } = org.counters();
 * requests['GET /api/v1/users'];                       // 3
 * tokenRequests.client_credentials?.use_dpop_nonce;    // 1
 * Object.keys(origins);                                // [] : no request carried an Origin
 * maxInFlight;                                         // 2 : the most requests in flight at once
 * ```
 * @see https://developer.okta.com/docs/reference/rl2-monitor/
 */
export interface CounterSnapshot {
  /** Requests per endpoint, keyed `"<METHOD> <route template>"`, e.g. `"GET /api/v1/users"` or `"GET /api/v1/users/:id"`. */
  requests: Record<string, number>;
  /**
   * Token-endpoint requests per grant type, then per outcome (`"success"` or the OAuth error code): those the
   * token endpoint answered itself. One answered instead by a `status`, `html`, `redirect` or `drop` fault, a
   * rate limit's 429 or the concurrent limit's is counted in `requests` (`"POST /oauth2/v1/token"`) only: it never
   * reached the endpoint, which reads its grant (a fault's `error` is the test's, not an outcome of the grant).
   */
  tokenRequests: Record<string, Record<string, number>>;
  /**
   * Org requests (preflights included) that carried a non-empty `Origin`, per origin, e.g.
   * `{ "http://localhost:5173": 4 }`: a browser's, or a server runtime that sends one (Okta would take
   * it for a browser's: CORS, the browser rules at `/token`). Empty for a server's calls.
   */
  origins: Record<string, number>;
  /**
   * The most org requests in flight at once since the last reset (from a request's start to its
   * answer's end; a held or slow one included), starting from those in flight at the reset: what
   * Okta's concurrent limit counts.
   */
  maxInFlight: number;
  /** Requests answered Okta's concurrent-limit 429 (`setConcurrencyLimit`) since the last reset. */
  concurrencyLimited: number;
}

/**
 * The most keys each counter map keeps: a request to an unknown path is counted by its path, and a
 * token request by the `grant_type` it names, so each new one is a new key; past this many the
 * least recently counted goes (its count starts again). Okta's routes and grant types are a few dozen.
 */
export const maxCounterKeys = 1000;

export class Counters {
  #requests = new Map<string, number>();
  #token = new Map<string, Map<string, number>>();
  #origins = new Map<string, number>();
  #inFlight = 0;
  #maxInFlight = 0;
  #concurrencyLimited = 0;

  /** Org requests in flight now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** One org request starts; the function returned ends it (once, however often it is called). */
  enter(): () => void {
    this.#inFlight++;
    this.#maxInFlight = Math.max(this.#maxInFlight, this.#inFlight);
    let left = false;
    return () => {
      if (!left) this.#inFlight--;
      left = true;
    };
  }

  countConcurrencyLimited(): void {
    this.#concurrencyLimited++;
  }

  /** One org request, by its route's key, and by its `Origin` when it carried a non-empty one. */
  countRequest(key: string, origin?: string): void {
    keepRecent(this.#requests, key, (this.#requests.get(key) ?? 0) + 1, maxCounterKeys);
    if (origin !== undefined && origin !== '') keepRecent(this.#origins, origin, (this.#origins.get(origin) ?? 0) + 1, maxCounterKeys);
  }

  countToken(grant: string, outcome: string): void {
    const byOutcome = keepRecent(this.#token, grant, this.#token.get(grant) ?? new Map<string, number>(), maxCounterKeys);
    keepRecent(byOutcome, outcome, (byOutcome.get(outcome) ?? 0) + 1, maxCounterKeys);
  }

  snapshot(): CounterSnapshot {
    // Object.fromEntries makes own keys only: a grant_type "__proto__" is a count, not the snapshot's prototype.
    const tokenRequests = Object.fromEntries([...this.#token].map(([grant, outcomes]) => [grant, Object.fromEntries(outcomes)]));
    return { requests: Object.fromEntries(this.#requests), tokenRequests, origins: Object.fromEntries(this.#origins), maxInFlight: this.#maxInFlight, concurrencyLimited: this.#concurrencyLimited };
  }

  reset(): void {
    this.#requests.clear();
    this.#token.clear();
    this.#origins.clear();
    this.#maxInFlight = this.#inFlight;
    this.#concurrencyLimited = 0;
  }
}
