/**
 * The values of ky 2.2's options that ky refuses with an untyped `TypeError` of its own only when a
 * call is made (its request's constructor, its retry settings), or hands to the runtime's `Headers`,
 * `URL` or `URLSearchParams`, whose `TypeError` quotes them, checked where the Okta ky instance reads
 * a call's or an `extend`'s options (`checkOptions`) and its base instance's once: `INVALID_CONFIG`
 * naming the option and what to pass, the value not shown. A `context` or hook lists ky's own merge
 * checks (`ky.create`, at once) are ky's, its refusal typed by `checkOptions`; `timeout` and
 * `totalTimeout` are `bounds.ts`' (`checkKyBound`), `method` `request/method.ts`'. The words are few
 * on purpose: every byte here ships in every ky bundle.
 */
import { OktaAuthError } from '../errors/errors.js';
import { requestUrl } from '../request/request-url.js';

/** What an option takes (its value never `undefined` here), and what its refusal says to pass. */
type Rule = readonly [(value: unknown) => boolean, string];

const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null;
const isFunction = (value: unknown): boolean => typeof value === 'function';
const wholeFromZero = (value: unknown): boolean => Number.isSafeInteger(value) && (value as number) >= 0;
const aFunction: Rule = [isFunction, 'a function'];
// ky makes a string of what it is given, but null (its `must not be null`).
const aString: Rule = [(value) => value !== null, 'a string'];
const booleanOrFunction: Rule = [(value) => typeof value === 'boolean' || isFunction(value), 'a boolean or a function'];
// ky's isNonNegativeNumber (NaN, null and '1' are not).
const fromZero: Rule = [(value) => typeof value === 'number' && value >= 0, 'a number from 0'];
const whole: Rule = [wholeFromZero, 'a whole number'];
/**
 * A URL option (`baseUrl`, `prefix`: ky resolves the prefix against the base) held to the one check of a URL's user name and
 * password, `requestUrl`, which throws its refusal (the runtime's quoted the password); `null` is the rule's to refuse.
 */
// eslint-disable-next-line @typescript-eslint/no-base-to-string -- as ky reads it: String(options.prefix), a URL's href as baseUrl
const withoutUser = (value: unknown): boolean => value === null || !!requestUrl(String(value), 'http://a/', 'the Okta ky instance');

/**
 * What each option takes (but `undefined`, which ky reads as none), and what its message says to pass; a base
 * instance's `retry` settings, which ky checks only on a call or a resend, under `retry.` ({@link checkBaseRetry}).
 */
const rules = new Map<string, Rule>(Object.entries({
  headers: [isObject, 'an object'],
  // ky takes a string, a number or true too (a query string), as URLSearchParams does; a list's entries must be pairs.
  searchParams: [(value) => value !== null && (!Array.isArray(value) || value.every((pair) => Array.isArray(pair) && pair.length === 2)), 'a string, an object or pairs'],
  prefix: [(value) => value !== null && withoutUser(value), 'a string'],
  // URL.canParse reads its argument as a string, as ky's `new Request(baseUrl)` does: null, 5 or '' is none.
  baseUrl: [(value) => URL.canParse(value as string) && withoutUser(value), 'an absolute URL'],
  referrer: aString,
  referrerPolicy: aString,
  parseJson: aFunction,
  stringifyJson: aFunction,
  onDownloadProgress: aFunction,
  onUploadProgress: aFunction,
  throwHttpErrors: booleanOrFunction,
  maxResponseSize: [(value) => value === Number.POSITIVE_INFINITY || wholeFromZero(value), 'a whole number'],
  // ky 1's, which ky 2.2 refuses given at all (`undefined` too).
  prefixUrl: [() => false, 'renamed prefix'],
  'retry.limit': whole,
  'retry.maxRetryAfter': fromZero,
  'retry.backoffLimit': fromZero,
  'retry.retryOnTimeout': [(value) => typeof value === 'boolean', 'a boolean'],
  'retry.delay': aFunction,
  'retry.shouldRetry': aFunction,
  'retry.jitter': booleanOrFunction,
}));

/** The one refusal of a ky option's value: `INVALID_CONFIG` naming the option (`key`) and what to pass (`what`), the value not shown. */
function refuseKyOption(key: string, what: string): OktaAuthError<'INVALID_CONFIG'> {
  return new OktaAuthError('INVALID_CONFIG', `ky's ${key} option must be ${what}.`);
}

/**
 * The one check of the values of ky's options: one lookup per key given (a call with no options
 * checks nothing). Else {@link refuseKyOption}: ky's own `TypeError` (ky 1's `prefixUrl`: an
 * `Error`) was untyped, and the runtime's quoted the value (a header's, a URL's).
 * `prefix`: `retry.` for a base instance's `retry` settings ({@link checkBaseRetry}).
 *
 * @example
 * ```ts
 * checkOptionValues({ prefix: 'api/v1' }); // passes
 * checkOptionValues({ parseJson: null }); // throws INVALID_CONFIG: ky's parseJson option must be a function.
 * ```
 * @see https://github.com/sindresorhus/ky#options
 */
export function checkOptionValues(options: object, prefix = ''): void {
  for (const key in options) {
    const value: unknown = (options as Record<string, unknown>)[key];
    // A Map: `constructor` or `toString` given as an option is ky's unknown option, handed to fetch.
    const rule = rules.get(prefix + key);
    if (rule !== undefined && (value !== undefined || key === 'prefixUrl') && !rule[0](value)) throw refuseKyOption(prefix + key, rule[1]);
  }
}

/**
 * A base instance's `retry` (a number is its `limit`), checked once when `createOktaKy` makes the instance: ky checks
 * it only when a call is made (and its `delay` or `shouldRetry` only when ky would resend), with a `TypeError` of its own.
 *
 * @example
 * ```ts
 * checkBaseRetry({ limit: 4 }); // passes
 * checkBaseRetry({ limit: -1 }); // throws INVALID_CONFIG: ky's retry.limit option must be a whole number.
 * ```
 * @see https://github.com/sindresorhus/ky#retry
 */
export function checkBaseRetry(retry: unknown): void {
  checkOptionValues(typeof retry === 'number' ? { limit: retry } : (retry ?? {}), 'retry.');
}
