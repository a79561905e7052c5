/**
 * The reasons an `@org/okta-auth-core` operation fails, for `switch`.
 *
 * - `INVALID_ORG_URL`: the org URL is malformed, not https, an admin domain or a placeholder.
 * - `INVALID_CONFIG`: an option or environment variable is missing or malformed.
 * - `ORIGIN_MISMATCH`: a request (absolute URL or `next` link) points at another origin than the credential's.
 * - `REDIRECT_BLOCKED`: Okta answered with a redirect the client will not follow with credentials.
 * - `API_ERROR`: Okta answered with a non-2xx status (see {@link OktaApiError}).
 * - `RATE_LIMITED`: still 429 after the allowed retries or wait (see {@link OktaApiError}).
 * - `NETWORK_ERROR`: the request never got an answer (connection refused, reset, DNS).
 * - `TIMEOUT`: an attempt took longer than the configured timeout.
 * - `ABORTED`: the caller's `AbortSignal` fired.
 * - `INVALID_RESPONSE`: Okta's answer could not be read (malformed JSON, headers or body).
 *
 * `isOktaAuthError` narrows `code` to `string` (it cannot know which packages threw): to `switch`
 * exhaustively, cast it to the union of the packages you use (`OktaAuthErrorCode | OktaSswsErrorCode`,
 * `| OAuthErrorCode` with `@org/okta-oauth`); `code satisfies never` in `default` then fails to
 * compile when an upgrade adds a code you do not handle.
 * @example
 * ```ts
 * function retryable(error: unknown): boolean {
 *   if (!isOktaAuthError(error)) return false;
 *   const code = error.code as OktaAuthErrorCode;
 *   switch (code) {
 *     case 'NETWORK_ERROR':
 *     case 'TIMEOUT':
 *     case 'RATE_LIMITED':
 *       return true;
 *     case 'INVALID_ORG_URL':
 *     case 'INVALID_CONFIG':
 *     case 'ORIGIN_MISMATCH':
 *     case 'REDIRECT_BLOCKED':
 *     case 'API_ERROR':
 *     case 'ABORTED':
 *     case 'INVALID_RESPONSE':
 *       return false;
 *     default:
 *       code satisfies never; // a code added by an upgrade fails to compile here
 *       return false;
 *   }
 * }
 * ```
 * @see https://developer.okta.com/docs/reference/error-codes/
 */
export type OktaAuthErrorCode =
  | 'INVALID_ORG_URL'
  | 'INVALID_CONFIG'
  | 'ORIGIN_MISMATCH'
  | 'REDIRECT_BLOCKED'
  | 'API_ERROR'
  | 'RATE_LIMITED'
  | 'NETWORK_ERROR'
  | 'TIMEOUT'
  | 'ABORTED'
  | 'INVALID_RESPONSE';

/**
 * Brands an error as one of `brand`'s class (a `Symbol.for` key, so it survives duplicated
 * installs, iframes and workers). Every error class of the packages brands itself in its
 * constructor, and its guard reads the brand with {@link isBrandedError}; an object the drivers
 * must have made by a factory of ours (an in-flight limit) is branded the same way. @internal
 */
export function brandError(error: object, brand: string): void {
  Object.defineProperty(error, Symbol.for(brand), { value: true });
}

/**
 * The one cross-realm type-guard mechanism of the packages: `instanceof` the class, or the
 * brand {@link brandError} set (an instance from another copy of the package), with a string
 * `code`. @internal
 */
export function isBrandedError(error: unknown, errorClass: { [Symbol.hasInstance](value: unknown): boolean }, brand: string): boolean {
  return typeof error === 'object' && error !== null && (error instanceof errorClass || isBranded(error, brand)) && typeof (error as { code?: unknown }).code === 'string';
}

/** Whether {@link brandError} branded `value` with `brand` (any copy of the package). @internal */
export function isBranded(value: unknown, brand: string): boolean {
  return (value as Record<symbol, unknown> | null | undefined)?.[Symbol.for(brand)] === true;
}

/** The records every copy of core in the realm shares: see {@link sharedRecords}. */
interface SharedRecords {
  readonly answers: WeakMap<object, unknown>;
  readonly deadlines: WeakMap<object, unknown>;
}

/**
 * What every copy of core in this realm (two installs, a bundler's two chunks, a test runner's second load) knows
 * of each answer and attempt its drivers got, found as the brands are, under one `Symbol.for` key on `globalThis`:
 * made once, by the first copy that asks (non-enumerable, read-only, frozen, never replaced: a later copy's own is dropped).
 * v1: `answers`, each answer a driver recorded to its record (`AttemptRecord`, `errors/answer.ts`), and `deadlines`,
 * each attempt a driver began to its bound (`AttemptDeadline`); a later version of core adds only optional fields to
 * a v1 record, else takes a v2 key. WeakMaps: nothing in them can be listed, a record is read only with its answer
 * or attempt in hand (docs/SECURITY.md). A `globalThis` that takes no property (frozen) leaves each caller its own. @internal
 */
export function sharedRecords(): SharedRecords {
  const key = Symbol.for('@org/okta-auth-core/records/v1');
  // Frozen, as its property is read-only: neither map can be swapped for another under a later copy.
  const own: SharedRecords = Object.freeze({ answers: new WeakMap(), deadlines: new WeakMap() });
  Reflect.defineProperty(globalThis, key, { value: own });
  return (globalThis as Record<symbol, SharedRecords | undefined>)[key] ?? own;
}

const brand = '@org/okta-auth-core/error';

/**
 * The base class of every error the okta-auth packages throw. Each package
 * narrows `Code` to its own union (`OktaAuthErrorCode`, okta-ssws's `OktaSswsErrorCode`, okta-oauth's
 * `OAuthErrorCode`); `isOktaAuthError` gives `string`: see {@link OktaAuthErrorCode} to `switch` exhaustively.
 *
 * Messages never contain a secret; `cause` is kept when it holds none.
 *
 * @example
 * ```ts
 * try {
 *   await okta('/api/v1/users');
 * } catch (error) {
 *   if (isOktaAuthError(error)) {
 *     switch (error.code) {
 *       case 'RATE_LIMITED': // back off
 *       case 'API_ERROR': // inspect error.status
 *     }
 *   }
 * }
 * ```
 * @see https://developer.okta.com/docs/reference/error-codes/
 */
export class OktaAuthError<Code extends string = OktaAuthErrorCode> extends Error {
  /** The class name (`OktaAuthError` or a subclass). */
  override name = 'OktaAuthError';
  /** Why it failed; a string union per package. */
  declare readonly code: Code;
  /**
   * The environment variable to fix, on an error a `…FromEnv` function (`sswsCredentialFromEnv`,
   * `serviceAppCredentialFromEnv`, `signInClientFromEnv`) raised about one, such as
   * `OKTA_CLIENT_PRIVATEKEY`: the message names it too, and says what to fix. `undefined` on every
   * other error (an option, a request, an answer), and on one about two variables at once (both
   * `OKTA_CLIENT_CLIENTSECRET` and `OKTA_CLIENT_PRIVATEKEY` set), which the message names.
   *
   * @example
   * ```ts
   * if (isOktaAuthError(error) && error.envVariable !== undefined) console.error(`Fix ${error.envVariable}: ${error.message}`);
   * ```
   * @see https://github.com/okta/okta-sdk-nodejs#configuration
   */
  declare readonly envVariable: string | undefined;
  /**
   * The org the failed request went to, its scheme and host as sent (`https://acme.okta.com`), on a
   * `NETWORK_ERROR`, `TIMEOUT`, `ABORTED` or `INVALID_RESPONSE` of a request, as `OktaApiError` and
   * okta-oauth's endpoint errors have it: among many orgs behind one logger, which one failed, without
   * parsing the message (which names its host). `undefined` on an error of no request (an option, an
   * org URL), and on a `TIMEOUT` of your own code that did not settle (a credential's `authorize`).
   *
   * @example
   * ```ts
   * declare const failuresByOrg: Map<string, number>;
   * if (isOktaAuthError(error) && error.origin !== undefined) failuresByOrg.set(error.origin, (failuresByOrg.get(error.origin) ?? 0) + 1);
   * ```
   * @see https://developer.okta.com/docs/guides/find-your-domain/main/
   */
  declare readonly origin: string | undefined;

  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    brandError(this, brand);
  }
}

/**
 * Cross-realm type guard for every okta-auth error (this package's and the
 * method packages'), without `instanceof`, so it works across duplicated
 * installs, iframes and workers.
 *
 * @example
 * ```ts
 * declare function retryLater(): void;
 * if (isOktaAuthError(error) && error.code === 'TIMEOUT') retryLater();
 * ```
 * @see https://developer.okta.com/docs/reference/error-codes/
 */
export function isOktaAuthError(error: unknown): error is OktaAuthError<string> {
  return isBrandedError(error, OktaAuthError, brand);
}
