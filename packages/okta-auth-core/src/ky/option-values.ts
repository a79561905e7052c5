/**
 * The values of ky 2.2's options that ky refuses with an untyped `TypeError` of its own (or hands
 * to the runtime's `Headers`, `URL` or `URLSearchParams`, whose `TypeError` quotes them), checked
 * where the Okta ky instance reads a call's or an `extend`'s options (`checkOptions`) and its base
 * instance's once: `INVALID_CONFIG` naming the option and what to pass, the value not shown.
 * `null` is refused where ky refuses it, as ky's `timeout: null` is (`bounds.ts`). ky's `timeout`
 * and `totalTimeout` are `bounds.ts`' (`checkKyBound`), `method` `request/method.ts`'.
 */
import { OktaAuthError } from '../errors/errors.js';

/** What an option takes (its value never `undefined` here), and what its refusal says to pass. */
type Rule = readonly [(value: unknown) => boolean, string];

const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null;
const isFunction = (value: unknown): boolean => typeof value === 'function';
const notNull = (value: unknown): boolean => value !== null;
const aFunction: Rule = [isFunction, 'a function'];
const aString: Rule = [notNull, 'a string'];
const booleanOrFunction: Rule = [(value) => typeof value === 'boolean' || isFunction(value), 'true, false or a function'];
// ky's isNonNegativeNumber (NaN, null and '1' are not).
const msFromZero: Rule = [(value) => typeof value === 'number' && value >= 0, 'a number of ms from 0, or Infinity'];

/** What each option takes (but `undefined`, which ky reads as none), and what its message says to pass. */
const rules: Readonly<Record<string, Rule>> = {
  headers: [isObject, 'an object, a Headers or a list of pairs'],
  // ky takes a string, a number or true too (a query string), as URLSearchParams does; a list's entries must be pairs.
  searchParams: [(value) => notNull(value) && (!Array.isArray(value) || value.every((pair) => Array.isArray(pair) && pair.length === 2)), 'a string, an object or a list of pairs'],
  context: [(value) => isObject(value) && !Array.isArray(value), 'an object'],
  prefix: aString,
  // URL.canParse reads its argument as a string, as ky's `new Request(baseUrl)` does: null, 5 or '' is none.
  baseUrl: [(value) => URL.canParse(value as string), 'an absolute URL'],
  referrer: aString,
  referrerPolicy: aString,
  parseJson: aFunction,
  stringifyJson: aFunction,
  onDownloadProgress: aFunction,
  onUploadProgress: aFunction,
  throwHttpErrors: booleanOrFunction,
  maxResponseSize: [(value) => value === Number.POSITIVE_INFINITY || (Number.isSafeInteger(value) && (value as number) >= 0), 'a whole number of bytes or Infinity'],
  // ky 1's, which ky 2.2 refuses given at all (`undefined` too).
  prefixUrl: [() => false, 'prefix (ky 2 renamed it)'],
};

/** What ky 2.2 checks of a base instance's `retry` (`undefined` is ky's default), and what to pass; a call's or an `extend`'s is refused whole. */
const retryRules: Readonly<Record<string, Rule>> = {
  limit: [(value) => Number.isInteger(value) && (value as number) >= 0, 'a whole number from 0'],
  maxRetryAfter: msFromZero,
  backoffLimit: msFromZero,
  retryOnTimeout: [(value) => typeof value === 'boolean', 'true or false'],
  delay: aFunction,
  shouldRetry: aFunction,
  jitter: booleanOrFunction,
};

/** ky's hook lists, each a list of functions (ky's `hooks.<name> must be an array of functions`). */
const hookLists = ['init', 'beforeRequest', 'beforeRetry', 'afterResponse', 'beforeError'] as const;

/** ky's mark of `replaceOption(…)` (a global Symbol, so another copy of ky's is seen). */
const replaced = Symbol.for('ky.replaceOption');

/** The one refusal of a ky option's value: `INVALID_CONFIG` naming the option (`key`) and what to pass (`what`), the value not shown. */
function refuseKyOption(key: string, what: string): OktaAuthError<'INVALID_CONFIG'> {
  return new OktaAuthError('INVALID_CONFIG', `ky's ${key} option must be ${what}, or left out.`);
}

/**
 * The one check of the values of ky's options: one lookup per key given (a call with no options
 * checks nothing). Else {@link refuseKyOption}: ky's own `TypeError` (ky 1's `prefixUrl`: an
 * `Error`) was untyped, and the runtime's quoted the value (a header's, a URL's).
 * `table` and `prefix`: another set of ky's options (a base instance's `retry`, {@link checkBaseRetry}).
 *
 * @example
 * ```ts
 * checkOptionValues({ context: { user: 'a' } }); // passes
 * checkOptionValues({ headers: null }); // throws INVALID_CONFIG: ky's headers option must be …
 * ```
 * @see https://github.com/sindresorhus/ky#options
 */
export function checkOptionValues(options: object, table = rules, prefix = ''): void {
  for (const key in options) {
    const value: unknown = (options as Record<string, unknown>)[key];
    // Own keys only: `constructor` or `toString` given as an option is ky's unknown option, handed to fetch.
    const rule = Object.hasOwn(table, key) ? table[key] : undefined;
    if (rule !== undefined && (value !== undefined || key === 'prefixUrl') && !rule[0](value)) throw refuseKyOption(prefix + key, rule[1]);
    if (key === 'hooks' && isObject(value)) {
      for (const name of hookLists) {
        let list = (value as Record<string, unknown>)[name];
        if (isObject(list) && (list as Record<symbol, unknown>)[replaced] === true) list = (list as { value?: unknown }).value;
        if (list !== undefined && !(Array.isArray(list) && list.every(isFunction))) throw refuseKyOption(`hooks.${name}`, 'a list of functions');
      }
    }
  }
}

/**
 * A base instance's `retry` (a number is its `limit`), checked once when `createOktaKy` makes the instance: ky checks
 * it only when a call is made (and its `delay` or `shouldRetry` only when ky would resend), with a `TypeError` of its own.
 *
 * @example
 * ```ts
 * checkBaseRetry({ limit: 4 }); // passes
 * checkBaseRetry({ limit: -1 }); // throws INVALID_CONFIG: ky's retry.limit option must be a whole number from 0, or left out.
 * ```
 * @see https://github.com/sindresorhus/ky#retry
 */
export function checkBaseRetry(retry: unknown): void {
  checkOptionValues(typeof retry === 'number' ? { limit: retry } : (retry ?? {}), retryRules, 'retry.');
}
