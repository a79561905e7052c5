import type { OktaCredential } from '../credential.js';
import { OktaAuthError } from '../errors/errors.js';
import { runAttempts } from './execute.js';
import type { BuiltAttempt } from './execute-options.js';
import { isOktaCredential } from '../credential.js';
import { attemptPolicy, invalidRequest } from './request-policy.js';
import { readOptions } from '../config/options.js';
import { requestUrl } from './request-url.js';
import { attemptMethod } from './method.js';
import { normalizeTransport, type OktaTransportOptions } from '../config/transport.js';

/**
 * Options of {@link createOktaFetch}.
 * @example
 * ```ts
 * const options: OktaFetchOptions = { credential, timeoutMs: 10_000, retry: { limit: 3, maxWaitMs: 30_000 } };
 * const okta = createOktaFetch(options);
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export interface OktaFetchOptions extends OktaTransportOptions {
  /** The credential of one org (`@org/okta-ssws`, `@org/okta-oauth`). */
  readonly credential: OktaCredential;
  /**
   * Throw {@link OktaApiError} for a non-2xx answer instead of returning it (a client's option: a call's `init` is
   * fetch's). A 304 to a GET or HEAD that sent `If-None-Match` or `If-Modified-Since` is returned either way (the
   * call's answer), and a status past 599 (invalid, RFC 9110 §15), or 0 (a browser's opaque answer to
   * `mode: 'no-cors'`), is thrown either way, as through the ky drivers. @default true
   */
  readonly throwHttpErrors?: boolean | undefined;
}

/**
 * A `fetch` bound to one org and one credential: relative URLs resolve
 * against the org, and every attempt is authorized afresh.
 * @example
 * ```ts
 * const okta: OktaFetch = createOktaFetch({ credential });
 * const users = (await (await okta('/api/v1/users?limit=5')).json()) as unknown[];
 * ```
 * @see https://developer.okta.com/docs/reference/core-okta-api/
 */
export type OktaFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * Wraps `fetch` for one org and one credential, for code that does not use
 * ky (and so does not bundle it). Relative paths resolve against the org;
 * an absolute URL on another origin is refused before anything is sent;
 * each attempt (retries included) is authorized afresh; 429s wait per
 * Okta's headers; a 408, 500, 502, 503 or 504 of a GET, PUT, HEAD or OPTIONS is retried
 * twice after 0.3 s and 0.6 s (as `createOktaKy` lets ky do; never a DELETE, POST or PATCH); a non-2xx answer throws {@link OktaApiError} (set
 * `throwHttpErrors: false` to get the response instead), but a 304 to a conditional GET or HEAD (`If-None-Match`), which is returned. An injected `fetch` receives
 * `fetch(url, init)` (a `URL`, and an init with fresh `Headers`, the attempt's `signal` and
 * `redirect: 'manual'`) for a call without a body or with a string or form body, and one
 * `Request` per attempt for a caller's `Request` or a body that can be read once.
 *
 * @example
 * ```ts
 * import { createOktaFetch } from '@org/okta-auth-core';
 * import { createSswsCredential } from '@org/okta-ssws';
 *
 * const okta = createOktaFetch({ credential: createSswsCredential({ orgUrl: 'https://acme.okta.com', token: process.env.OKTA_CLIENT_TOKEN! }) });
 * const users = await (await okta('/api/v1/users?limit=50')).json();
 * ```
 * @see https://developer.okta.com/docs/reference/core-okta-api/
 */
export function createOktaFetch(options: OktaFetchOptions): OktaFetch {
  // Optional chaining: a JavaScript caller's missing options get this message, not a TypeError.
  if (!isOktaCredential((options as Partial<OktaFetchOptions> | undefined)?.credential)) {
    throw new OktaAuthError('INVALID_CONFIG', 'createOktaFetch needs a credential, such as createSswsCredential(…) from @org/okta-ssws.');
  }
  const transport = normalizeTransport(options);
  const { credential } = options;
  const origin = credential.origin;
  const base = `${origin}/`;
  const url = (input: unknown) => requestUrl(input, base, 'the Okta fetch');
  // Validated and built once per client, not per call.
  const policy = attemptPolicy(origin, credential, options.userAgent, undefined, options.fetch);
  return async (input, given) => {
    // null is no init, as fetch reads it; a string or a number is refused, not read as one; its signal checked.
    const init: RequestInit = readOptions(given, 'okta(input, init)');
    // Read as every attempt reads it (a Request would take a number as its text, a non-ASCII letter as itself, null as "null";
    // the warm path's attempt would read null as a GET).
    if (init.method !== undefined) attemptMethod(init.method);
    const body = init.body;
    // The call's own headers, read once (each attempt copies them), else a caller's Request's, which fetch keeps when
    // the call gives none (read then only for a string body's content type); none to read for a call that gives none and no string.
    let headers: Headers | undefined;
    try {
      if (init.headers !== undefined || typeof body === 'string') headers = new Headers(init.headers ?? (input instanceof Request ? input.headers : undefined));
    } catch (error) {
      throw invalidRequest(error);
    }
    // A string body without a content type is JSON.
    const json = typeof body === 'string' && headers?.has('content-type') === false;
    if (json) headers?.set('content-type', 'application/json');
    // The warm path (no body, a string or a form): the URL parsed once, and no Request of ours: fetch(url, init) per attempt.
    const plain: BuiltAttempt | undefined =
      input instanceof Request || !(body == null || typeof body === 'string' || body instanceof URLSearchParams) ? undefined : { url: url(input) as URL, init: Object.assign({}, init, { body: body ?? null, headers }) };
    let template: Request | undefined;
    return runAttempts(
      plain ??
      (() => {
        try {
          // A caller's Request, or a body other than none, a string or a form (a stream, an iterable,
          // a Blob…): one copy, cloned per attempt (a bodiless one needs no clone), each copy given the attempt's
          // signal: the copy follows none (a Request follows its signal until collected: one listener per call on yours).
          if (template === undefined) {
            template = new Request(url(input), { ...init, signal: null });
            if (json) template.headers.set('content-type', 'application/json');
          }
          return template.body === null ? template : template.clone();
        } catch (error) {
          throw invalidRequest(error);
        }
      }),
      options,
      transport,
      policy,
      init.signal ?? (input instanceof Request ? input.signal : undefined),
    );
  };
}
