import { OktaAuthError } from '../errors/errors.js';
import { printable } from '../errors/printable.js';
import { checkCount } from './count.js';
import type { OktaLogger } from './logger.js';
import { isUserAgentPrefix, userAgentRule } from './user-agent.js';
import { coordinatedBrand, type CoordinatedRateLimits } from '../rate-limit/rate-limit-coordinator.js';
import { inFlightLimitBrand, type InFlightLimit } from '../rate-limit/in-flight-limit.js';
import { isBranded } from '../errors/errors.js';
import type { OktaCredential } from '../credential.js';

/**
 * How 429 answers are retried. Okta's own SDKs' defaults: two retries.
 * @example
 * ```ts
 * const retry: RetryOptions = { limit: 4, maxWaitMs: 120_000 };
 * const okta = createOktaFetch({ credential, retry });
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export interface RetryOptions {
  /**
   * How many times a 429 is retried; `0`: none. It counts 429 retries only: a GET or PUT whose
   * connection was reset is still sent again (once), and one answered 408, 500, 502, 503 or 504
   * (twice; ky's own retries, with `createOktaKy`; never a DELETE, which is not idempotent at Okta,
   * nor a POST or PATCH).
   * For one attempt per call, pass `retry: false`. @default 2
   */
  readonly limit?: number | undefined;
  /**
   * The most the client waits in total across the retries of one request, in
   * ms: its 429s' waits, a rate-limit coordinator's (the `rateLimitCoordinator`
   * option: each asked within what is left) and the backoffs before a 5xx or 408 retry (`createOktaFetch`: 0.3 s,
   * then 0.6 s; `createOktaKy`: ky's before each of its own retries) all count. A 429's wait that would go past it is
   * not started: the 429 is returned as a `RATE_LIMITED` error at once, its message saying so; nor a backoff: the
   * answer is the call's error as after the last retry (or the failure, for ky's resend of a reset connection).
   * The default waits out one of Okta's one-minute windows:
   * a 429 early in a window asks its reset (the window's end, in whole seconds) less the answer's
   * `Date` (rounded down) plus 1 s, up to 62 s. @default 65000
   */
  readonly maxWaitMs?: number | undefined;
}

/**
 * The transport options every package accepts: injectable fetch, retries,
 * timeout, logger and User-Agent.
 *
 * @example
 * ```ts
 * const options: OktaTransportOptions = { retry: { limit: 4 }, timeoutMs: 10_000, userAgent: 'Oktaprise/1.1' };
 * // One attempt per call (a job that must not send a PUT twice, a test that counts requests):
 * const once: OktaTransportOptions = { retry: false };
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export interface OktaTransportOptions {
  /**
   * The fetch to use. What it throws or rejects with (a circuit breaker, a tracing wrapper) is
   * `NETWORK_ERROR` (`TIMEOUT` or `ABORTED` for an abort), its `cause` only if it is a runtime's own
   * network error (an `Error` with only the fields Node.js and undici give one) quoting no value the attempt sent, and a GET, PUT, HEAD or OPTIONS is sent once more (not with `retry: false`;
   * never a POST, PATCH or DELETE). What it resolves with is checked as Okta's answer. It is waited for within the
   * attempt's `timeoutMs` and your abort, as `authorize` is, even when it drops the signal it is given.
   * @default globalThis.fetch, looked up at call time
   */
  readonly fetch?: typeof fetch | undefined;
  /**
   * 429 retries ({@link RetryOptions}). `false`: one attempt per call, no retry of any kind (no
   * 429 wait, no resend of a GET or PUT whose connection was reset, no retry of a 5xx or
   * 408), except the credential's one challenge retry (a DPoP nonce, a revoked
   * token), a protocol step a DPoP call cannot do without. With `oktaKyHooks`, ky's own retries
   * are your instance's `retry` option's.
   */
  readonly retry?: RetryOptions | false | undefined;
  /** Per attempt, in ms, including reading the body. @default 30000 */
  readonly timeoutMs?: number | undefined;
  /** Receives request, response, backoff, retry and error events; never secrets. */
  readonly logger?: OktaLogger | undefined;
  /** Your product token, prepended to the User-Agent (`Oktaprise/1.1`). */
  readonly userAgent?: string | undefined;
  /**
   * Shares rate-limit budgets across clients (a fleet on Redis, a Worker's isolates on a Durable Object): a coordinator wrapped by
   * `coordinateRateLimits` (`createRedisRateLimitCoordinator` and `createDurableObjectRateLimitCoordinator` return one); default: each client on its own.
   */
  readonly rateLimitCoordinator?: CoordinatedRateLimits | undefined;
  /**
   * Caps the attempts in flight at once (Okta's concurrency limit): a limit made by
   * `createInFlightLimit(n)`, which clients of one org may share. An attempt over it waits its
   * turn (first come, first served) at most `retry.maxWaitMs` and half of what remains of
   * `timeoutMs` when the wait begins (with `retry: false`, that half; with ky, also half of what
   * remains of the call's ky `timeout` or `totalTimeout` where shorter), in whole ms, then is not
   * sent (`TIMEOUT`, naming the setting that bounded the wait). Default: no cap.
   */
  readonly maxInFlight?: InFlightLimit | undefined;
}

export interface NormalizedRetry {
  readonly limit: number;
  readonly maxWaitMs: number;
  /** `retry: false`: no retry but the credential's challenge. */
  readonly off?: true;
}

/**
 * One message shape for every option of core: "The <option> option must be <what it takes>."
 * (`INVALID_CONFIG`).
 * @internal
 */
export function checkOption(ok: boolean, option: string, must: string): void {
  if (!ok) throw new OktaAuthError('INVALID_CONFIG', `The ${option} option must be ${must}.`);
}

/**
 * The one refusal of another library's name for an option, which a factory would otherwise ignore
 * while the caller believes it in force: an own option (any value, `undefined` too: the name is the
 * mistake) named in `names` is refused with `refuse` (the package's `INVALID_CONFIG`, core's by
 * default) as "The <name> option is not ours: use <ours>.", quoting no value. Not an allowlist
 * (docs/CONVENTIONS.md, "Code"): each table is data kept where its confusion happens, so its names
 * ship only in the bundles that have that factory: {@link normalizeTransport}'s (`timeout`,
 * `retries`, okta-sdk-nodejs's `maxRetries` and `requestTimeout`, and {@link sdkClientOptions}: every
 * factory that takes transport options; okta-ssws's `createSswsCredential` refuses the latter too), the walks' (`paginate`'s `limit`, `pollSystemLog`'s `limit` and `since`: the URL's query),
 * okta-oauth's sign-in client's, service app factory's (`kid`, `authorizationMode`) and `createMultiOrgCredentials`'.
 * @example
 * ```ts
 * refuseForeignOptions({ timeout: 1000 }, { timeout: 'timeoutMs' });
 * // throws INVALID_CONFIG: The timeout option is not ours: use timeoutMs.
 * ```
 * @see https://github.com/sindresorhus/ky#timeout
 * @internal
 */
export function refuseForeignOptions(options: object, names: Readonly<Record<string, string>>, refuse = (message: string): Error => new OktaAuthError('INVALID_CONFIG', message)): void {
  // Own names only, of the table and of the options: one set on a polluted Object.prototype is no caller's.
  for (const [name, ours] of Object.entries(names)) if (Object.hasOwn(options, name)) throw refuse(`The ${name} option is not ours: use ${ours}.`);
}

/**
 * Whether a caller's `signal` is none (`undefined`, `null`) or an AbortSignal, this realm's or
 * another's (an object with a boolean `aborted` and `addEventListener`/`removeEventListener`): the
 * one test, of {@link checkSignal} and of a credential's `authorize(attempt)`. @internal
 */
export function isSignalOrNone(signal: unknown): boolean {
  const like = signal as { aborted?: unknown; addEventListener?: unknown; removeEventListener?: unknown } | null | undefined;
  return like == null || (typeof like === 'object' && typeof like.aborted === 'boolean' && typeof like.addEventListener === 'function' && typeof like.removeEventListener === 'function');
}

/**
 * The one check of a caller's `signal` option (a call's, a walk's, any options argument's through
 * `readOptions`), before anything is sent: none or an AbortSignal ({@link isSignalOrNone}); else
 * `refuse` (the package's `INVALID_CONFIG`) naming the option, where the runtime threw its own
 * `TypeError` (`AbortSignal.any`'s) or a wait's listener threw. @internal
 */
export function checkSignal(signal: unknown, refuse = (message: string): Error => new OktaAuthError('INVALID_CONFIG', message)): void {
  if (!isSignalOrNone(signal)) throw refuse("The signal option must be an AbortSignal, such as an AbortController's signal or AbortSignal.timeout(ms).");
}

/**
 * okta-sdk-nodejs's `Client` options that a config spread into a factory carries, each ignored there
 * (a proxy not used, a cache believed on): the table of {@link normalizeTransport} and of okta-ssws's
 * `createSswsCredential`, for {@link refuseForeignOptions}, first in the former (first refused): a proxy
 * or a cache goes in a `fetch` of your own, the executor's retries in `retry` (docs/MIGRATING.md says more:
 * `httpsProxy` a `fetch` with undici's `ProxyAgent`, the executor's events a `logger`; we cache no answers).
 * `cacheMiddleware: null` (the SDK's cache turned off) is refused too: the name says there is none. Each
 * advice is a word the bundles hold already (trim151: fewer bytes in every bundle).
 * @example
 * ```ts
 * refuseForeignOptions({ httpsProxy: 'http://proxy:3128' }, sdkClientOptions);
 * // throws INVALID_CONFIG: The httpsProxy option is not ours: use fetch.
 * ```
 * @see https://github.com/okta/okta-sdk-nodejs#configuration-reference
 * @internal
 */
export const sdkClientOptions: Readonly<Record<string, string>> = { httpsProxy: 'fetch', requestExecutor: 'retry', cacheStore: 'fetch', cacheMiddleware: 'fetch' };

/** What the retry option takes, in its refusals. */
const retryShape = 'false or { limit?, maxWaitMs? }';

/** What {@link normalizeTransport} decides for a client. @internal */
export interface Transport {
  readonly retry: NormalizedRetry;
  readonly timeoutMs: number;
  readonly limit: InFlightLimit | undefined;
  readonly logger: OktaLogger | undefined;
}

/** Core's `timeoutMs` when none is given: also what bounds `readPage`'s read of a page your own fetcher got. @internal */
export const defaultTimeoutMs = 30_000;

/**
 * The one validator of {@link OktaTransportOptions}, used by every package: throws
 * `INVALID_CONFIG` naming the option. Also the one place that decides a client's `retry`,
 * `timeoutMs`, `logger` and in-flight limit (`limit`): each option if given, else its
 * credential's (what an okta-oauth factory was given), checked alike.
 * @internal
 */
export function normalizeTransport(options: OktaTransportOptions & { readonly credential?: OktaCredential | undefined }): Transport {
  // ky's and other HTTP clients' names, and okta-sdk-nodejs's executor's and Client's, which every driver and factory would ignore (a call believed bounded would not be).
  refuseForeignOptions(options, { ...sdkClientOptions, timeout: 'timeoutMs', retries: 'retry', maxRetries: 'retry.limit', requestTimeout: 'timeoutMs' });
  // Each option given (null too: refused below, as any option's), else the credential's: read once per client.
  const { credential: own } = options;
  const { retry = own?.retry, timeoutMs = own?.timeoutMs ?? defaultTimeoutMs, logger = own?.logger, userAgent, rateLimitCoordinator: coordinator, maxInFlight: limit = own?.maxInFlight } = options;
  // A value taken from the credential is named as its field (`credential.timeoutMs`), not as the client's option.
  const named = (option: 'retry' | 'timeoutMs' | 'logger' | 'maxInFlight'): string => (own && options[option] === undefined ? 'credential.' : '') + option;
  // Checked once per client: a trailing slash made every call ORIGIN_MISMATCH naming the very origin called, garbage an invalid URL.
  const origin = own?.origin ?? '';
  checkOption(!own || (URL.canParse(origin) && new URL(origin).origin === origin), 'credential.origin', 'an origin such as "https://acme.okta.com"');
  checkOption(options.fetch === undefined || typeof options.fetch === 'function', 'fetch', 'a function compatible with globalThis.fetch');
  checkOption(logger === undefined || typeof logger === 'function', named('logger'), 'a function that takes one event');
  // Checked up front: a line break or non-ASCII character would otherwise fail every request.
  checkOption(isUserAgentPrefix(userAgent), 'userAgent', userAgentRule);
  checkOption(
    // Wrapped by coordinateRateLimits (its brand): a look-alike's wait and report would be awaited unbounded.
    coordinator === undefined || isBranded(coordinator, coordinatedBrand),
    'rateLimitCoordinator',
    'the coordinator coordinateRateLimits({ reserve, observe }) returned, not a copy',
  );
  checkOption(
    // Made by createInFlightLimit (its brand, across copies of core): an acquire of one's own is awaited unbounded.
    limit === undefined || isBranded(limit, inFlightLimitBrand),
    named('maxInFlight'),
    'the limit createInFlightLimit(n) returned, not a copy',
  );
  checkOption(retry === undefined || retry === false || (typeof retry === 'object' && (retry as unknown) !== null), named('retry'), retryShape);
  // Ours and small, so an allowlist: another name inside it (maxWait, maxRetries, ky's methods) would be ignored. The first
  // is named (a key is no secret; printable, at most 40 characters: no line break of it in a log), so the caller sees which.
  // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing -- `false` too: no key.
  for (const key of Object.keys(retry || {})) checkOption(key === 'limit' || key === 'maxWaitMs', named('retry'), `${retryShape}: ${printable(key, [], 40)} is not one of them`);
  checkOption(typeof timeoutMs === 'number' && Number.isFinite(timeoutMs) && timeoutMs > 0, named('timeoutMs'), 'a positive number of milliseconds');
  if (retry === false) return { retry: { limit: 0, maxWaitMs: 0, off: true }, timeoutMs, limit, logger };
  const count = checkCount(retry?.limit, `${named('retry')}.limit`, 2, [0, 20]);
  const maxWaitMs = retry?.maxWaitMs ?? 65_000;
  checkOption(Number.isFinite(maxWaitMs) && maxWaitMs >= 0, `${named('retry')}.maxWaitMs`, 'a non-negative number of milliseconds');
  return { retry: { limit: count, maxWaitMs }, timeoutMs, limit, logger };
}
