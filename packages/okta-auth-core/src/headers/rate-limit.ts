/**
 * Okta's rate-limit headers on a response.
 * @example
 * ```ts
 * const info: RateLimitInfo = parseRateLimit(response.headers);
 * if (info.remaining !== undefined && info.reset !== undefined && info.remaining < 10) {
 *   console.log(`slow down until ${new Date(info.reset * 1000).toISOString()} (Okta's clock)`);
 * }
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export interface RateLimitInfo {
  /** `X-Rate-Limit-Limit`: requests allowed in the window. */
  readonly limit?: number;
  /** `X-Rate-Limit-Remaining`: requests left in the window. */
  readonly remaining?: number;
  /** `X-Rate-Limit-Reset`: when the window resets, in UTC epoch seconds (Okta's clock). */
  readonly reset?: number;
}

/**
 * Reads one numeric rate-limit header. A header sent twice arrives
 * comma-joined (`"1700000000, 1700000005"`); the largest value wins, so the
 * wait is long enough for every window. Anything that is not a plain
 * non-negative integer is ignored.
 */
function readNumberHeader(headers: Headers, name: string): number | undefined {
  const raw = headers.get(name);
  if (raw === null || raw.length > 200) return undefined;
  let best: number | undefined;
  for (const part of raw.split(',')) {
    const text = part.trim();
    if (!/^\d{1,15}$/.test(text)) continue;
    const value = Number(text);
    if (best === undefined || value > best) best = value;
  }
  return best;
}

/** The three forms of an HTTP-date (RFC 9110 §5.6.7): IMF-fixdate, RFC 850, asctime (ends in its year, GMT unsaid). */
const httpDate = /^[a-z]{3,9},? (?:\d\d[ -][a-z]{3}[ -]\d\d(?:\d\d)? \d\d:\d\d:\d\d GMT|[a-z]{3} [ \d]\d \d\d:\d\d:\d\d \d{4})$/i;

/**
 * The one reader of an HTTP-date (RFC 9110 §5.6.7: `Date`, `Retry-After`), in ms since the epoch;
 * `NaN` when absent or not in one of its three forms (an IMF-fixdate, `Sun, 06 Nov 1994 08:49:37
 * GMT`, or an obsolete RFC 850 or asctime date). Nothing else is handed to `Date.parse`, which
 * takes almost anything: `1.5` is 5 January 2001, `-5` 1 May 2001. The org's clock is read with it
 * by {@link orgClockOffsetMs}; `Retry-After` as a date too. @internal
 */
export function parseHttpDate(text: string | null | undefined): number {
  if (text === null || text === undefined || !httpDate.test(text)) return Number.NaN;
  // `Date.parse` reads an asctime date in local time.
  return Date.parse(/\d$/.test(text) ? `${text} GMT` : text);
}

/**
 * The one reading of the org's clock: how far it is ahead of `localNow` (ms; negative: behind) by
 * an answer's `Date`; `undefined` without one that parses, or one more than `maxMs` off. How far it
 * is believed is its use's:
 * - a 429's wait (`answerClock`: `rateLimitWait`, the rate-limit coordinator's reset): any
 *   distance. A wait is the answer's `X-Rate-Limit-Reset` less its own `Date`, two numbers of one
 *   answer, so a device whose clock is days off still waits what Okta means, and a hostile `Date`
 *   gains nothing a hostile reset alone would not: every wait is capped by `retry.maxWaitMs` (and
 *   half of `timeoutMs`) anyway. Bounded to a day, a device two days behind would take each 429's
 *   wait for two days and give up.
 * - the claims `@org/okta-oauth` signs and checks (client assertions, DPoP proofs, ID tokens; its
 *   `dateOffsetMs`): at most a day. What is signed or accepted outlives the answer: a broken or
 *   hostile `Date` is not a clock to sign by (an assertion dated a year ahead could be replayed
 *   for a year) nor to accept an expired ID token by. @internal
 */
export function orgClockOffsetMs(headers: Headers, localNow: number, maxMs = Infinity): number | undefined {
  const offset = parseHttpDate(headers.get('date')) - localNow;
  // NaN (no Date) fails the bound too.
  return Math.abs(offset) <= maxMs ? offset : undefined;
}

/** Okta's clock when it answered (the answer's `Date`, however far off), or `localNow` when it has none that parses. @internal */
export function answerClock(headers: Headers, localNow: number = Date.now()): number {
  return localNow + (orgClockOffsetMs(headers, localNow) ?? 0);
}

/**
 * Reads `X-Rate-Limit-Limit`, `-Remaining` and `-Reset`.
 *
 * @example
 * ```ts
 * const { remaining, reset } = parseRateLimit(response.headers);
 * ```
 * @see https://developer.okta.com/docs/reference/rl2-monitor/
 */
export function parseRateLimit(headers: Headers): RateLimitInfo {
  const info: { -readonly [K in keyof RateLimitInfo]: number } = {};
  for (const key of ['limit', 'remaining', 'reset'] as const) {
    const value = readNumberHeader(headers, `x-rate-limit-${key}`);
    if (value !== undefined) info[key] = value;
  }
  return info;
}

/**
 * How long to wait before retrying a 429, in milliseconds: Okta's
 * `X-Rate-Limit-Reset` measured against the response's own `Date` (Okta's
 * clock, so a skewed local clock does not matter) plus one second. Falls
 * back to `Retry-After`, then to `undefined` when the response says nothing.
 *
 * @example
 * ```ts
 * const wait = rateLimitWait(response.headers); // e.g. 12000
 * ```
 * @see https://developer.okta.com/docs/reference/rl2-client-based/
 */
export function rateLimitWait(headers: Headers, localNow: number = Date.now()): number | undefined {
  const reset = readNumberHeader(headers, 'x-rate-limit-reset');
  const serverNow = answerClock(headers, localNow);
  if (reset !== undefined) {
    return Math.max(0, reset * 1000 - serverNow) + 1000;
  }
  // Whole seconds or an HTTP-date (RFC 9110 §10.2.3); anything else (`1.5`, `-5`) is no wait at
  // all, so the caller's default backoff applies, as without the header.
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter !== undefined) {
    if (/^\d{1,9}$/.test(retryAfter)) return Number(retryAfter) * 1000;
    const at = parseHttpDate(retryAfter);
    if (Number.isFinite(at)) return Math.max(0, at - serverNow);
  }
  return undefined;
}
