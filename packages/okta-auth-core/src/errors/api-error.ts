import { answerSecrets, maxErrorBodyBytes, readErrorText } from './answer.js';
import { answerRequestId, printable } from './printable.js';
import { brandError, isBrandedError, OktaAuthError } from './errors.js';
import { parseRateLimit, type RateLimitInfo } from '../headers/rate-limit.js';
import { isScopeList } from '../headers/scope.js';
import { attemptName, trustedOriginAdvice } from './failure.js';
import { shownPath } from '../secrets/secret.js';
import { refusedThenable } from './guarded.js';
import { parseWwwAuthenticate, type WwwAuthenticateChallenge } from '../headers/www-authenticate.js';
import { parseErrorBody, quotedCauses } from './error-body.js';
import { checkErrorContext, checkErrorParts, checkErrorResponse } from './api-error-input.js';

/**
 * One entry of Okta's `errorCauses` (one per invalid field or reason), as
 * {@link OktaApiError.errorCauses} gives it: its `errorSummary` cleaned like the rest of the answer.
 *
 * @example
 * ```ts
 * import { isOktaApiError, type OktaErrorCause } from '@org/okta-auth-core';
 *
 * declare const error: unknown;
 * const causes: readonly OktaErrorCause[] = isOktaApiError(error) ? error.errorCauses : [];
 * for (const cause of causes) console.log(cause.errorSummary); // 'password: Password requirements were not met'
 * ```
 * @see https://developer.okta.com/docs/reference/error-codes/
 */
export interface OktaErrorCause {
  /** What is wrong with this field or value. */
  readonly errorSummary: string;
}

/**
 * What {@link OktaApiError.fromResponse} and {@link OktaApiError.fromParts} need to know about the
 * request: its method and URL (the path is quoted, scrubbed), the values it sent that must never
 * appear in the error, and a hint for the answer's error code.
 *
 * @example
 * ```ts
 * import { OktaApiError, type ApiErrorContext } from '@org/okta-auth-core';
 *
 * declare const response: Response; // a non-2xx answer
 * declare const apiToken: string; // what the request sent in Authorization
 * const context: ApiErrorContext = {
 *   method: 'GET',
 *   url: new URL('https://acme.okta.com/api/v1/users'),
 *   secrets: [apiToken],
 *   explain: (errorCode) => (errorCode === 'E0000006' ? 'the token lacks the admin role' : undefined),
 * };
 * throw await OktaApiError.fromResponse(response, context);
 * ```
 * @see https://developer.okta.com/docs/reference/error-codes/
 */
export interface ApiErrorContext {
  /** The request method. */
  readonly method: string;
  /** The request URL. */
  readonly url: URL;
  /** Values that must never appear in the error (the headers that were sent). */
  readonly secrets?: Iterable<string> | undefined;
  /**
   * A hint about the likely cause of this answer, given its error code (the drivers ask the
   * credential's `explain` with the state of this very answer). User code: a hint that is no string,
   * or a throw, is dropped (the error stands, without it); a string is cleaned as Okta's text is
   * (scrubbed, control characters and line breaks flattened, cut to 1,000 characters).
   */
  readonly explain?: ((errorCode: string | undefined) => string | undefined) | undefined;
}

const maxBodyChars = maxErrorBodyBytes;

/**
 * A non-2xx answer whose body was already read, as {@link OktaApiError.fromParts} takes it (ky's
 * `HTTPError.data`, say): its status line, its headers and at most 64 KiB of its body as text.
 * @example
 * ```ts
 * import { OktaApiError, type ApiErrorParts } from '@org/okta-auth-core';
 *
 * const parts: ApiErrorParts = { status: 404, statusText: 'Not Found', headers: new Headers(), bodyText: '{"errorCode":"E0000007"}' };
 * OktaApiError.fromParts(parts, { method: 'GET', url: new URL('https://acme.okta.com/api/v1/users/x') });
 * ```
 * @see https://developer.okta.com/docs/reference/error-codes/
 */
export interface ApiErrorParts {
  /** The answer's HTTP status. */
  readonly status: number;
  /** The answer's status text. */
  readonly statusText: string;
  /** The answer's headers (`X-Okta-Request-Id`, `WWW-Authenticate`, the rate-limit headers are read). */
  readonly headers: Headers;
  /** The answer's body as text (only its first 65,536 characters are read). */
  readonly bodyText: string;
}

const apiErrorBrand = '@org/okta-auth-core/api-error';

/**
 * Okta answered with a non-2xx status. Carries Okta's error body
 * (`errorCode`, `errorSummary`, `errorId`, `errorCauses`; or `error` and
 * `error_description` from OAuth endpoints), the `X-Okta-Request-Id`, the
 * rate-limit headers and the parsed `WWW-Authenticate` challenges (Okta
 * reports `insufficient_scope` and `invalid_dpop_proof` there, sometimes with
 * an empty body; a 400's or 401's `Bearer` or `DPoP` challenge names `errorCode`
 * over an `E…` code in the body beside it).
 *
 * `code` is `RATE_LIMITED` for a 429 and `API_ERROR` otherwise. The message reads like `403 E0000006 You do not have
 * permission to perform the requested action (GET acme.okta.com/api/v1/users, request id abc123)`, 3 `errorCauses` after the summary.
 *
 * @example
 * ```ts
 * try {
 *   await okta('/api/v1/groups');
 * } catch (error) {
 *   if (isOktaApiError(error) && error.errorCode === 'insufficient_scope') {
 *     console.log('missing scope', error.challenges[0]?.params.scope, 'at', error.origin); // at https://acme.okta.com
 *   }
 * }
 * ```
 * @see https://developer.okta.com/docs/reference/error-codes/
 */
export class OktaApiError extends OktaAuthError<'API_ERROR' | 'RATE_LIMITED'> {
  /** Always `OktaApiError`. */
  override name = 'OktaApiError';
  /** The HTTP status. */
  declare readonly status: number;
  /**
   * Okta's `errorCode` (`E0000006`), or the OAuth `error` (`insufficient_scope`), from the body or `WWW-Authenticate`; for a 400
   * or 401 whose `Bearer` or `DPoP` challenge names an `error` (`invalid_dpop_proof`, `invalid_token`), that error, whatever the body names.
   */
  declare readonly errorCode: string | undefined;
  /** Okta's `errorSummary`, or the OAuth `error_description`. */
  declare readonly errorSummary: string | undefined;
  /** Okta's `errorLink` (usually the error code). */
  declare readonly errorLink: string | undefined;
  /** Okta's `errorId`, for support cases. */
  declare readonly errorId: string | undefined;
  /** Okta's `errorCauses`: one entry per invalid field or reason. */
  declare readonly errorCauses: readonly OktaErrorCause[];
  /** `X-Okta-Request-Id`, for support cases; none for a call failed here, nothing sent (a window Okta said is spent: no request was made). */
  declare readonly requestId: string | undefined;
  /** The `X-Rate-Limit-*` headers of the answer, when present; for a window Okta said is spent, failed here, `remaining` 0 and its `reset` in this machine's clock. */
  declare readonly rateLimit: RateLimitInfo;
  /** The parsed `WWW-Authenticate` challenges. */
  declare readonly challenges: readonly WwwAuthenticateChallenge[];
  /**
   * The scope Okta says is missing, from an `insufficient_scope` challenge (RFC 6750 §3.1): only a
   * scope list of RFC 6749 §3.3's syntax of at most 8192 characters, trimmed and scrubbed of the
   * request's secrets (it is quoted in `message`); `undefined` when the challenge names none or
   * something else (control characters, quotes, non-ASCII, too long: read `challenges`, cleaned).
   */
  declare readonly missingScope: string | undefined;
  /** The likely cause, when known (cleaned: one line, at most 1,000 characters): the credential's explanation, for a 429 the client did not wait out why, and the setting to raise (in place of the credential's), or for status 0 (an opaque answer) the browser's hiding it. */
  declare readonly hint: string | undefined;
  /** The method of the request Okta refused. */
  declare readonly method: string;
  /** The request path, without the query, scrubbed of the request's secrets (a `next` link is the server's choice). */
  declare readonly path: string;
  /** The org the request went to: its scheme and host (`https://acme.okta.com`), as sent; the message names the host. */
  declare readonly origin: string;

  private constructor(init: ApiErrorParts, context: ApiErrorContext) {
    const { status, headers } = init;
    // At most 64 KiB of the body are read, whoever read it (ky's `HTTPError.data` may hold more).
    const body = parseErrorBody(init.bodyText.slice(0, maxBodyChars), headers.get('content-type') ?? '');
    const secrets = [...(context.secrets ?? [])];
    // Parameters are outside text too: scrub them like the body. So are the scheme and each
    // parameter's name: a token is all token characters, and an echo can stand where either does.
    const parsed = parseWwwAuthenticate(headers.get('www-authenticate'));
    const challenges = parsed.map((c) => {
      // Cleaned into a table without a prototype, as the parser gives it ("Keys from outside"), not Object.fromEntries.
      const params = Object.create(null) as Record<string, string>;
      for (const [name, value] of Object.entries(c.params)) params[printable(name, secrets)] ??= printable(value, secrets);
      return { scheme: printable(c.scheme, secrets), params, ...(c.token68 === undefined ? {} : { token68: printable(c.token68, secrets) }) };
    });
    const challenge = challenges.find((c) => c.params.error !== undefined) ?? challenges[0];
    // Every text from the answer is cleaned (scrubbed, control characters flattened, cut) once.
    const text = (value: string | undefined): string | undefined => value && printable(value, secrets);
    // A resource server names a 400's or 401's error in its Bearer or DPoP challenge (RFC 6750 §3, RFC 9449 §7.1): that is
    // the code, over an Okta E… code in the body beside it (E0000011 "Invalid token provided" says nothing of a refused proof).
    const errorCode = text((status === 400 || status === 401) && /^(bearer|dpop)$/i.test(challenge?.scheme ?? '') ? (challenge?.params.error ?? body.errorCode) : (body.errorCode ?? challenge?.params.error));
    const errorSummary = text(body.errorSummary ?? challenge?.params.error_description);
    // Okta may put E0000006 in the body and the scope only in the challenge: read it from any insufficient_scope challenge,
    // quoted only if a scope list (RFC 6749 §3.3, at most 8192 characters), never controls or 16 KiB of a hostile answer.
    const named = parsed.find((c) => c.params.error === 'insufficient_scope')?.params.scope;
    const missingScope = (named !== undefined && isScopeList(named) && printable(named, secrets, 8192)) || undefined;
    // The one reader of the id (its secrets are in `secrets`: fromResponse added the answer's).
    const requestId = answerRequestId(init, secrets);
    // A credential's hint is user code: one that throws or gives no string is dropped (the API error stands, no cause of
    // its making); a string can quote the answer or a `next` link's path, and is cleaned like the rest (at most 1,000 characters).
    // A promise (an `async` explain) is dropped too, its rejection handled: unhandled, it ended a Node.js process.
    let hint: string | undefined;
    try {
      const said: unknown = status === 0 ? `an opaque answer (mode: 'no-cors') hides Okta's: use CORS and ${trustedOriginAdvice()}` : context.explain?.(errorCode);
      hint = (!refusedThenable(said) && typeof said === 'string' && printable(said, secrets, 1e3)) || undefined;
    } catch {
      // dropped: its error is not the API error's cause (it caused nothing, and may quote what was sent)
    }
    const errorCauses = body.errorCauses.map((c) => ({ errorSummary: printable(c.errorSummary, secrets) }));
    // A summary ending in its own punctuation ("Invalid search criteria.") takes no second period before the causes.
    const said = [errorSummary, quotedCauses(errorCauses, errorSummary)].filter(Boolean).join(/[.!?]$/.test(errorSummary ?? '') ? ' ' : '. ');
    const parts = [status, errorCode ?? printable(init.statusText, secrets), said, missingScope && `(missing scope ${missingScope})`];
    const where = `${attemptName(context, secrets)}${requestId === undefined ? '' : `, request id ${requestId}`}`;
    super(status === 429 ? 'RATE_LIMITED' : 'API_ERROR', `${parts.filter((p) => p !== undefined && p !== '').join(' ')} (${where})${hint === undefined ? '' : `: ${hint}`}`);
    brandError(this, apiErrorBrand);
    Object.assign(this, {
      status,
      errorCode,
      errorSummary,
      errorLink: text(body.errorLink),
      errorId: text(body.errorId),
      errorCauses,
      requestId,
      rateLimit: parseRateLimit(headers),
      challenges,
      missingScope,
      hint,
      method: context.method,
      path: shownPath(context.url, secrets),
      origin: context.url.origin,
    });
  }

  /**
   * Reads a non-2xx response into an error: at most 64 KiB of its body are read, the rest of the
   * stream is cancelled. Scrubbed with `context.secrets` and the secrets of the attempt that got
   * the answer. An unreadable body still gives a clear error, and one that stalls past the
   * attempt's `timeoutMs` gives the status with the `errorSummary` "the body did not arrive within
   * timeoutMs" (every driver); the caller's abort of the call that got the answer, ending the read,
   * rejects with that `ABORTED` (its reason the `cause`). Rejects with `INVALID_CONFIG` naming the argument,
   * before the body is read, when `response` is no Response or `context` lacks its `method` and `url`.
   *
   * @example
   * ```ts
   * const url = new URL('https://acme.okta.com/api/v1/users');
   * if (!response.ok) throw await OktaApiError.fromResponse(response, { method: 'GET', url });
   * ```
   */
  static async fromResponse(response: Response, context: ApiErrorContext): Promise<OktaApiError> {
    checkErrorResponse(response);
    const secrets = [...checkErrorContext(context, 'fromResponse(response, context)'), ...answerSecrets(response)];
    const bodyText = await readErrorText(response);
    return new OktaApiError({ status: response.status, statusText: response.statusText, headers: response.headers, bodyText }, { ...context, secrets });
  }

  /**
   * Builds the error from a response whose body was already read (ky's `HTTPError.data`, say). Throws
   * `INVALID_CONFIG` naming the argument when `parts` or `context` is not of its shape (a `status` no number).
   *
   * @example
   * ```ts
   * declare const headers: Headers; // the answer's headers
   * declare const bodyText: string; // and its body, already read
   * const url = new URL('https://acme.okta.com/api/v1/users');
   * OktaApiError.fromParts({ status: 403, statusText: 'Forbidden', headers, bodyText }, { method: 'GET', url });
   * ```
   */
  static fromParts(parts: ApiErrorParts, context: ApiErrorContext): OktaApiError {
    checkErrorParts(parts);
    return new OktaApiError(parts, { ...context, secrets: checkErrorContext(context, 'fromParts(parts, context)') });
  }
}

/**
 * Cross-realm type guard for {@link OktaApiError}.
 *
 * @example
 * ```ts
 * const notFound = isOktaApiError(error) && error.status === 404;
 * ```
 * @see https://developer.okta.com/docs/reference/error-codes/
 */
export function isOktaApiError(error: unknown): error is OktaApiError {
  return isBrandedError(error, OktaApiError, apiErrorBrand) && typeof (error as { status?: unknown }).status === 'number';
}
