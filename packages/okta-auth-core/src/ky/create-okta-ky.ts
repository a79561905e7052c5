import ky, { replaceOption, type KyInstance, type Options } from 'ky';
import { OktaAuthError } from '../errors/errors.js';
import { printable } from '../errors/printable.js';
import { invalidRequest } from '../request/request-policy.js';
import { attemptMethod } from '../request/method.js';
import { retriedMethods, retriedStatuses } from '../request/status-retry.js';
import { requestUrl } from '../request/request-url.js';
import { checkSignal } from '../config/transport.js';
import { newRequestState, stateKey, throwsFor } from './answer.js';
import { changes, checkKyBound, mergedBounds, type KyBounds } from './bounds.js';
import { preparedClient, type OktaKyOptions } from './hooks.js';
import { oktaKyFetch, ownRetries, typedSignal } from './ky-fetch.js';
import { checkBaseRetry, checkOptionValues } from './option-values.js';

/** ky's request methods (ky 2 added `query`): each is guarded (`instance-methods.server.test.ts` reads ky's own list). */
const methods = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'query']);

/** What a `stringifyJson` threw (the user's, or `JSON.stringify` on the call's `json`): user code's, handed on as itself. */
const stringifyFailures = new WeakSet();

/**
 * `stringify` (else `JSON.stringify`, as ky's default) marking what it throws: ky calls it while
 * it builds the request, where a `TypeError` is otherwise the runtime's refusal of a header value
 * (relabelled, since its message can quote the value). ky calls it only for a call with `json`.
 */
function marking(stringify: Options['stringifyJson']): NonNullable<Options['stringifyJson']> {
  return (data) => {
    try {
      return (stringify ?? JSON.stringify)(data);
    } catch (error) {
      if (error instanceof Object) stringifyFailures.add(error);
      throw error;
    }
  };
}

/** Options with their own `stringifyJson` marking what it throws ({@link marking}); others as they are. */
function markingOptions<T extends Options | undefined>(options: T): T {
  const own = options?.stringifyJson;
  return typeof own === 'function' ? { ...options, stringifyJson: marking(own) } : options;
}

/**
 * The call's URL checked by the drivers' one check; a path parses nothing (ky parses the URL itself): a string without "@"
 * has no user name or password, and one without ":" (no scheme, no port) always parses against the org (ky 2.2 rejects
 * one it cannot parse where ky 2.1 threw, past the typing of `call`).
 */
function checkInput(input: unknown, base: string): void {
  if (typeof input !== 'string' || /[@:]/.test(input)) requestUrl(input, base, 'the Okta ky instance');
}

/**
 * One call: the input checked, a fresh state added to its options (where ky hands it to the
 * fetch, with every attempt: no `init` hook, so ky does not clone the options per call), and a
 * runtime refusal while ky builds its Request synchronously (quoting a header value, or the URL) typed;
 * what a `stringifyJson` threw meanwhile is user code's, handed on as itself.
 */
function call(target: object, thisArg: unknown, args: unknown[], base: string, bounds: KyBounds | undefined, throws: Options['throwHttpErrors']): unknown {
  checkInput(args[0], base);
  const [input, options] = args;
  checkOptions(options);
  // A call's own timeout or totalTimeout (two lookups on a call with options), for a TIMEOUT's message.
  if (options !== undefined) bounds = mergedBounds(bounds, options as object);
  checkSignal((options as Options | undefined)?.signal);
  try {
    // Object.assign, not a spread with a key added: V8 (Node.js 20) leaves its fast path for that shape.
    // The caller's signal, as ky reads it (the options', else the input Request's).
    const signal = (options as Options | undefined)?.signal ?? (input as Partial<Request> | undefined)?.signal;
    // The call's own stringifyJson marked (one lookup on a call with options).
    // ky given the caller's signal typed (typedSignal), the state the caller's own.
    // Its throwHttpErrors (the call's, else the instance's), handed to ky as throwsFor's: no 304 judgeAnswer passes on as the answer is thrown.
    const state = newRequestState(signal, options !== undefined && 'throwHttpErrors' in (options as object) ? (options as Options).throwHttpErrors : throws, bounds);
    const merged = Object.assign({}, markingOptions(options as Options | undefined), { [stateKey]: state, throwHttpErrors: throwsFor(state) }, signal && { signal: typedSignal(signal) });
    return Reflect.apply(target as (...a: unknown[]) => unknown, thisArg, [input, merged]);
  } catch (error) {
    if (error instanceof Object && stringifyFailures.has(error)) throw error;
    // A string that ky could not parse is a URL refused by the one check (the hot path skips it), not a header value.
    if (error instanceof TypeError) requestUrl(input, base, 'the Okta ky instance');
    throw invalidRequest(error);
  }
}

/**
 * The one check of ky options given to a call or an `extend` (or returned by a function
 * given to `extend`): an object or nothing (ky's own refusal is an untyped `TypeError`), without ky's
 * `retry` option, which would replace the instance's budgets unseen (a number drops `retry: false`
 * and the DELETE rule, and a lower limit cut a 429's retry short), nor its `fetch`, which would
 * replace the instance's (the credential and the request policy would be gone: sent unauthorized);
 * `inherited` is the instance's options, which an `extend` function may hand back unchanged.
 */
function checkOptions(options: unknown, inherited?: Options): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new OktaAuthError('INVALID_CONFIG', "The options passed to the Okta ky instance must be an object of ky's options, or nothing.");
  }
  // What ky 2.2 refuses only when a call is made (a parseJson that is no function, ky 1's prefixUrl, headers null…); a context or hook lists: ky's own check, below.
  checkOptionValues(options);
  // ky 2.2 rejects a header it cannot build (a value with a line break, a triple) where ky 2.1 threw, and the runtime's
  // TypeError quotes the value: built here first, for a call and every extend, typed without it.
  const { headers } = options as Options;
  if (headers) {
    try {
      new Headers(headers as HeadersInit);
    } catch (error) {
      throw invalidRequest(error);
    }
  }
  // The one reading of a method, before ky builds its Request: ky reads null as a GET (fetch: "null"), sends 5 as
  // the method "5" (fetch's driver refuses it) and refuses a non-token only as a request it could not build.
  const { method } = options as { method?: unknown };
  if (method !== undefined) attemptMethod(method);
  if (changes(options, inherited, 'retry')) {
    throw new OktaAuthError('INVALID_CONFIG', "ky's retry option is refused here: give retry to createOktaKy (false: one attempt per call).");
  }
  // ky 2 removes hooks (`hooks: undefined` or `null`, `replaceOption(…)`, a list given as `undefined`): the
  // instance's beforeError would go, and ky's HTTPError holds the request as sent (the credential in its headers).
  if (changes(options, inherited, 'hooks') && !addsHooks((options as Options).hooks)) {
    throw new OktaAuthError(
      'INVALID_CONFIG',
      "ky's hooks option may add hooks here, not remove or replace them (undefined, null, replaceOption): the instance's hooks keep the credential out of errors.",
    );
  }
  if (changes(options, inherited, 'fetch')) {
    throw new OktaAuthError(
      'INVALID_CONFIG',
      "ky's fetch option is refused here: give fetch to createOktaKy (the instance's fetch authorizes every attempt and applies the request policy).",
    );
  }
  // A context or hook lists given: ky's own check of them (ky.create merges them at once; a call's ky rejects, past
  // this typing), its refusal (fixed words naming the option) typed; what user code threw is its own.
  const { context, hooks } = options as Options;
  if (context !== undefined || hooks !== undefined) {
    try {
      ky.create({ context, hooks });
    } catch (error) {
      throw error instanceof TypeError ? new OktaAuthError('INVALID_CONFIG', printable(error.message, [])) : error;
    }
  }
}

/** Hooks that ky merges into the instance's by appending: a plain object (no `replaceOption` mark, a symbol key) whose `beforeError`, if given, is a list. */
function addsHooks(hooks: unknown): boolean {
  if (typeof hooks !== 'object' || hooks === null || Array.isArray(hooks) || Object.getOwnPropertySymbols(hooks).length > 0) return false;
  return !('beforeError' in hooks) || Array.isArray((hooks as { beforeError?: unknown }).beforeError);
}

/**
 * The instance, with every call's input checked first (also on instances it extends); `create`
 * refused. `bounds`: ky's `timeout` and `totalTimeout` where the instance sets its own (else none); `throws`: its `throwHttpErrors`.
 */
function guarded(instance: KyInstance, base: string, bounds: KyBounds | undefined, throws: Options['throwHttpErrors']): KyInstance {
  return new Proxy(instance, {
    apply(target, thisArg, args: unknown[]) {
      return call(target, thisArg, args, base, bounds, throws);
    },
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      if (methods.has(property)) return (...args: unknown[]) => call(value, target, args, base, bounds, throws);
      // ky's create starts from ky's defaults: the org, the credential and the request policy would be gone.
      if (property === 'create') {
        return () => {
          throw new OktaAuthError('INVALID_CONFIG', "create() would drop the org and credential: use extend(options), or createOktaKy({ credential, ky: ky.create(options) }).");
        };
      }
      if (property === 'extend') {
        return (options: unknown) => {
          // ky calls a function at once with the instance's options (`undefined` is none), and so this one:
          // what it returns is checked, and what it hands back of the instance's own retry, fetch,
          // stringifyJson, timeout and totalTimeout (`{ ...parent, … }`) changes nothing.
          let [extended, throwing] = [bounds, throws];
          const checked = (parent: Options) => {
            const own = (typeof options === 'function' ? (options as (parent: Options) => unknown)(parent) : options) as Options | undefined;
            checkOptions(own, typeof options === 'function' ? parent : undefined);
            if (own !== undefined) [extended, throwing] = [mergedBounds(bounds, own, parent), 'throwHttpErrors' in own ? own.throwHttpErrors : throws];
            return own?.stringifyJson === parent.stringifyJson ? own : markingOptions(own);
          };
          return guarded(Reflect.apply(value, target, [checked]) as KyInstance, base, extended, throwing);
        };
      }
      return value;
    },
  });
}

/**
 * Options of {@link createOktaKy}: those of {@link OktaKyOptions}, plus the `fetch` ky uses and a
 * base ky instance to extend (its hooks and its own retries' budget kept).
 *
 * @example
 * ```ts
 * import ky from 'ky';
 * import { createOktaKy, type CreateOktaKyOptions } from '@org/okta-auth-core/ky';
 * import { createSswsCredential } from '@org/okta-ssws';
 *
 * declare const token: string; // your API token
 * const options: CreateOktaKyOptions = {
 *   credential: createSswsCredential({ orgUrl: 'https://acme.okta.com', token }),
 *   ky: ky.create({ retry: 4 }), // ky's own retries of network failures and 5xx: 4
 *   retry: { limit: 3 }, // the 429 retries
 * };
 * const okta = createOktaKy(options);
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export interface CreateOktaKyOptions extends OktaKyOptions {
  /**
   * The fetch ky uses. A rejection that is an `Error` (`TypeError: fetch failed`, Bun's `ECONNRESET`, your circuit breaker's) is
   * `NETWORK_ERROR`, its `cause` only if it is a runtime's own network error (an `Error` with only the fields Node.js and undici
   * give one) quoting no value the attempt sent, resent by ky's retry for GET, PUT, HEAD and OPTIONS (the methods the fetch
   * driver resends), as often as ky's own retries allow (the base instance's `retry.limit`, else ky's 2: three sends in all,
   * where the fetch driver sends twice); one that is no `Error` reaches the caller as itself. @default globalThis.fetch
   */
  readonly fetch?: typeof fetch | undefined;
  /** A ky instance to extend (its own hooks run too; its `retry.limit` is ky's own retries' budget; its `retry.methods` give way to the instance's, which leave out DELETE and POST, and its `retryOnTimeout` to the instance's rule: a timed-out attempt is never resent). @default ky */
  readonly ky?: KyInstance | undefined;
}

/**
 * A ky instance for one org and one credential: base URL = the org, JSON by
 * default (`accept: application/json`), and the okta-auth request policy of
 * {@link oktaKyHooks}, applied in the `fetch` it gives ky: every attempt
 * authorized afresh (within `timeoutMs`, which replaces ky's own `timeout`), 429s retried after
 * Okta's reset time through ky's retry machinery, credentials never sent to
 * another origin, errors typed (a `beforeError` hook). ky also retries network
 * failures and 5xx answers of idempotent methods (its defaults, but for DELETE:
 * not idempotent at Okta), re-authorizing each time, as often as the base instance's `retry.limit`
 * (else 2) allows, apart from the 429 retries (`retry.limit`) and the challenge's; with `retry: false`
 * it does not (one attempt per call, but for the credential's challenge). ky's `retry` option on a
 * call or `extend` (an object, or what a function given to it returns) is refused (`INVALID_CONFIG`), and so is ky's `fetch` option there (give `fetch` to createOktaKy), and a `hooks` option that removes hooks rather than adding them (ky 2's `undefined`, `replaceOption`). A value ky 2.2 refuses with a `TypeError` of its own
 * (`headers`, `searchParams` or `context` `null`, a hook list of no functions, ky 1's `prefixUrl`), a call's, an `extend`'s
 * or the base instance's, is `INVALID_CONFIG` naming the option. Your own hooks (on `ky` or per call) still run;
 * `beforeRequest` hooks run before authorizing.
 *
 * @example
 * ```ts
 * import { createOktaKy } from '@org/okta-auth-core/ky';
 * import { createSswsCredential } from '@org/okta-ssws';
 *
 * declare const token: string; // your API token
 * const okta = createOktaKy({ credential: createSswsCredential({ orgUrl: 'https://acme.okta.com', token }) });
 * const me = await okta.get('api/v1/users/me').json();
 * ```
 * @see https://github.com/sindresorhus/ky
 */
export function createOktaKy(options: CreateOktaKyOptions): KyInstance {
  const { retry, timeoutMs, context, beforeError } = preparedClient(options, 'createOktaKy');
  const base = options.ky ?? ky;
  // The base instance's totalTimeout (its timeout is turned off: timeoutMs bounds each attempt), named by a TIMEOUT it ends, and its throwHttpErrors.
  let bounds: KyBounds | undefined;
  let throws: Options['throwHttpErrors'];
  const instance = base.extend((parent) => {
    checkKyBound(parent.totalTimeout, 'totalTimeout');
    // The base instance's options ky checks only when a call is made (its baseUrl is replaced by the org's).
    checkOptionValues({ ...parent, baseUrl: undefined });
    checkBaseRetry(parent.retry);
    if (typeof parent.totalTimeout === 'number') bounds = { totalTimeout: parent.totalTimeout };
    throws = parent.throwHttpErrors;
    // ky's own retries of network failures and 408/5xx answers, by ky's count: the base instance's limit, else ky's 2.
    const inherited = parent.retry;
    const own = typeof inherited === 'number' ? inherited : (inherited?.limit ?? 2);
    // One ky limit for every budget, each kept apart: the 429 retries, the challenge's, ky's own (ownRetries).
    const limit = retry.limit + 1 + own;
    // The base instance's retry settings (its shouldRetry, delay and jitter: ownRetries reads them), else none.
    const theirs = typeof inherited === 'object' ? inherited : {};
    return {
      baseUrl: `${options.credential.origin}/`,
      headers: { accept: 'application/json' },
      // The base instance's (else JSON.stringify), what it throws handed on as itself.
      stringifyJson: marking(parent.stringifyJson),
      // Never follow a redirect with credentials, nor use a cache, a browser's or a patched fetch's (the fetch then need not replace ky's request).
      redirect: 'manual',
      ...context.policy.cache,
      // ky's own off: the fetch's timer (timeoutMs) bounds each attempt, as the fetch driver's, so the coordinator's wait runs outside it.
      timeout: false,
      // Replaced, not merged (ky appends a base instance's lists to ours: its `delete` would stay); its other settings kept.
      retry: replaceOption({
        ...theirs,
        limit,
        // The fetch driver's too (status-retry.ts): ky's idempotent methods but DELETE (at Okta a user's second
        // DELETE deletes the user the first deactivated), and ky's statuses but 413 and 429 (the 429 is ours).
        statusCodes: [...retriedStatuses],
        methods: [...retriedMethods],
        afterStatusCodes: [],
        // ky's backoff is waited by ownRetries (counted in retry.maxWaitMs's total first): none of ky's own after it.
        delay: () => 0,
        jitter: undefined,
        // retry: false: none of ky's own (whatever a base instance says); the challenge's is ours (ForceRetryError).
        shouldRetry: retry.off ? () => false : ownRetries(own, theirs, retry),
      }),
      // Attempts are authorized and answers judged in ky's fetch (see ky-fetch.ts): ky clones every
      // answer once per afterResponse hook, and its options per call for an init hook.
      hooks: { beforeError: [beforeError] },
      // The fetch given, else the base instance's, else (none) the global one (looked up at call time).
      fetch: oktaKyFetch(options.fetch ?? parent.fetch, context, timeoutMs, limit),
    };
  });
  return guarded(instance, `${options.credential.origin}/`, bounds, throws);
}
