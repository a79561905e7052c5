import type { InFlightLimit } from './rate-limit/in-flight-limit.js';
import type { OktaLogger } from './config/logger.js';
import type { RetryOptions } from './config/transport.js';

/**
 * One HTTP request attempt that a credential is asked to authorize.
 *
 * An attempt is one trip over the wire: a retry after a 429, a retry after a
 * DPoP nonce challenge and each page of a paginated listing are all separate
 * attempts, and each is authorized afresh (a DPoP proof is never reused).
 * @example
 * ```ts
 * const attempt: RequestAttempt = { method: 'GET', url: new URL('https://acme.okta.com/api/v1/users') };
 * const headers = await credential.authorize(attempt);
 * ```
 * @see https://datatracker.ietf.org/doc/html/rfc9449#section-4.2
 */
export interface RequestAttempt {
  /** The HTTP method, upper case (`GET`, `POST`, …). */
  readonly method: string;
  /** The absolute URL of this attempt, query included. */
  readonly url: URL;
  /** Aborts any token request the credential makes on behalf of this attempt. */
  readonly signal?: AbortSignal | undefined;
  /**
   * Which call the attempt belongs to: the `call` number of that call's log events (`OktaLogEvent`), which the
   * core's drivers set. A credential that logs while it authorizes (okta-oauth's `token-store` events) puts it on its
   * events, so they group with the call's own. Absent when your own code calls `authorize`; the shipped credentials
   * refuse one that is not a number.
   */
  readonly call?: number | undefined;
  /**
   * The `fetch` the client sends this attempt with: its `fetch` option (`createOktaFetch`, `executeOktaRequest`,
   * `createOktaKy`), or your ky instance's (`oktaKyHooks`); absent when it was given none (the global fetch) and when
   * your own code calls `authorize`. A credential that makes a request for this attempt (a token request, a discovery
   * or key set read) may send it with this fetch, so it leaves the way the call does (a proxy's dispatcher); it is
   * the transport only: where such a request goes is the credential's to decide (its org's token endpoint, never the
   * attempt's URL); call it with a `Request` (a ky instance's fetch takes no other). okta-oauth's credentials use their own `fetch` option first, then this one, then the global fetch;
   * a token request that other attempts join uses the fetch of the attempt that began it. That fetch carries the whole token request
   * (the client's authentication, an assertion, a refresh token) and its answer becomes the credential's token, so they take it only
   * from an attempt a driver of core began, never from one your code built (its `fetch` is not used). The shipped credentials
   * refuse one that is not a function.
   */
  readonly fetch?: typeof fetch | undefined;
}

/**
 * What the core tells a credential about one answer to one attempt, in ky's hook style: the
 * same object for {@link OktaCredential.challenge} and {@link OktaCredential.explain}, so a
 * credential needs no state of its own to know which request an answer belongs to (concurrent
 * requests each get their own).
 *
 * @example
 * ```ts
 * declare function dropToken(authorization: string | null): Promise<boolean>;
 *
 * // Drops the token this very request carried; a concurrent request's token is untouched.
 * const challenge = async ({ request, response }: AnswerState): Promise<boolean> =>
 *   response.status === 401 && (await dropToken(request.headers.get('authorization')));
 * ```
 * @see https://github.com/sindresorhus/ky#hooks
 */
export interface AnswerState {
  /** The attempt Okta answered: the same object {@link OktaCredential.authorize} was given. */
  readonly attempt: RequestAttempt;
  /**
   * The request as sent, with the headers `authorize` returned for it (which token, which
   * DPoP proof). Its body may already be consumed: read its headers only.
   */
  readonly request: Request;
  /** Okta's answer. Its body belongs to the core: read the status and headers only. */
  readonly response: Response;
  /**
   * Okta's error code (`E0000011`, `invalid_token`, …) from the body or the `WWW-Authenticate`
   * challenge (a 400's or 401's `Bearer` or `DPoP` challenge naming an `error` names it over the
   * body's). Known in `explain` only: `challenge` is asked before the body is read.
   */
  readonly errorCode: string | undefined;
}

/**
 * The headers a credential adds to one attempt: always `authorization` (a string; none, as
 * `undefined` or `{}`, is `INVALID_CONFIG` naming the credential's kind, nothing sent), and
 * `dpop` for DPoP-bound tokens. Header names are lower case. Any other header a credential
 * returns is sent as is, replacing the call's own of that name: it is code trusted with the secret.
 * @example
 * ```ts
 * declare const attempt: RequestAttempt;
 * const headers: AuthorizationHeaders = await credential.authorize(attempt);
 * console.log(headers.authorization.split(' ')[0]); // SSWS, Bearer or DPoP
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-11.6.2
 */
export type AuthorizationHeaders = Readonly<Record<string, string>> & {
  /** The `Authorization` header value (`SSWS …`, `Bearer …`, `DPoP …`). */
  readonly authorization: string;
};

/**
 * The kinds of credential the packages ship. A credential written outside
 * these packages may use any other string.
 * @example
 * ```ts
 * const kind: CredentialKind = credential.kind;
 * if (kind === 'ssws') console.log('an API token: it acts as the admin who made it');
 * ```
 * @see https://developer.okta.com/docs/reference/core-okta-api/#authentication
 */
export type CredentialKind = 'ssws' | 'service-app' | 'oin-app' | 'user' | (string & {});

/**
 * The one interface every Okta auth method implements: API tokens
 * (`@org/okta-ssws`), service apps, OIN apps and user tokens
 * (`@org/okta-oauth`).
 *
 * The core calls {@link OktaCredential.authorize} before every attempt, never
 * reuses its result, and never calls it for a URL whose origin is not
 * {@link OktaCredential.origin}. When Okta answers with a status that a
 * credential may be able to fix (a 401, or a DPoP nonce challenge), the core
 * asks {@link OktaCredential.challenge}; if it answers `true`, the request is
 * retried once with fresh headers. Both `challenge` and `explain` get one
 * {@link AnswerState} (attempt, request as sent, answer), so a credential keeps
 * no per-request state. An error `authorize` throws (or rejects with) reaches
 * the caller as itself, through every driver: it is never relabelled a network
 * failure.
 *
 * A credential never shows its secret: `JSON.stringify` of one prints its kind
 * and origin only (and the `retry` and `timeoutMs` and an in-flight limit's counts,
 * `max`, `inFlight` and `waiting`, that an okta-oauth credential was given). `util.inspect` of
 * an okta-oauth app credential lists its members as they are, none secret: kind,
 * origin, `maxInFlight`, `retry`, `timeoutMs`, `logger` (each `undefined` when not given) and
 * its methods' names; its key, secret and tokens are held outside it.
 *
 * @example
 * ```ts
 * import type { OktaCredential } from '@org/okta-auth-core';
 *
 * declare const token: string;
 *
 * // A credential that sends a fixed bearer token (for illustration only).
 * const credential: OktaCredential = {
 *   kind: 'static-bearer',
 *   origin: 'https://acme.okta.com',
 *   authorize: () => Promise.resolve({ authorization: `Bearer ${token}` }),
 * };
 * ```
 * @see https://developer.okta.com/docs/reference/core-okta-api/#authentication
 */
export interface OktaCredential {
  /** What kind of credential this is, for logs and metrics. Never secret. Log events and messages show it cleaned: one line (controls flattened), at most 64 characters. */
  readonly kind: CredentialKind;
  /**
   * The one origin (`https://acme.okta.com`) this credential may be sent to, as
   * `new URL(origin).origin` writes it (no path, no trailing slash): any other is
   * `INVALID_CONFIG` naming `credential.origin` when a client is made with it.
   * Requests to any other origin fail before anything is sent.
   */
  readonly origin: string;
  /**
   * The headers for one request attempt. Called for every attempt, retries
   * and pagination hops included. May fetch or renew a token. What it throws reaches
   * the caller as itself; one that never settles is `TIMEOUT` after the attempt's
   * `timeoutMs`, nothing sent (the timer is `unref`'d: a process whose only pending
   * work is an `authorize` awaiting state of its own exits). The shipped
   * credentials reject what is no attempt with `INVALID_CONFIG` and an attempt
   * on another origin with `ORIGIN_MISMATCH`, also when a custom driver calls them. A request it makes for
   * the attempt may go through `attempt.fetch`, the client's transport ({@link RequestAttempt.fetch}).
   */
  authorize(attempt: RequestAttempt): Promise<AuthorizationHeaders>;
  /**
   * The org's in-flight limit (`createInFlightLimit(n)`), counted in this process only (Okta's
   * concurrent limit is per org, across every process that calls it), given once: a client made with this
   * credential and no `maxInFlight` option takes it (`createOktaFetch`, `executeOktaRequest`,
   * `createOktaKy`, `oktaKyHooks`); one given the option takes the option's. okta-oauth's factories
   * set it from their `maxInFlight` option, which their token requests take too. A value that is
   * no limit is `INVALID_CONFIG` naming `credential.maxInFlight` when a client is made, as the option is.
   *
   * @example
   * ```ts
   * import { createInFlightLimit, createOktaFetch } from '@org/okta-auth-core';
   * import { createServiceAppCredential } from '@org/okta-oauth';
   *
   * const credential = createServiceAppCredential({ orgUrl: 'https://acme.okta.com', clientId: '0oa1', privateKey: process.env.OKTA_PRIVATE_KEY!, scopes: ['okta.users.read'], maxInFlight: createInFlightLimit(10) });
   * const okta = createOktaFetch({ credential }); // its calls and its token requests share the 10 slots
   * ```
   * @see https://developer.okta.com/docs/reference/rl2-concurrency
   */
  readonly maxInFlight?: InFlightLimit | undefined;
  /**
   * The 429 retries a client made with this credential and no `retry` option takes, as it takes
   * {@link OktaCredential.maxInFlight}: okta-oauth's factories set it from their `retry` option.
   *
   * @example
   * ```ts
   * import { createOktaFetch } from '@org/okta-auth-core';
   * import { createOinAppCredential } from '@org/okta-oauth';
   *
   * const credential = createOinAppCredential({ orgUrl: 'https://acme.okta.com', clientId: '0oa1', clientSecret: process.env.OKTA_CLIENT_SECRET!, scopes: ['okta.users.read'], retry: { limit: 0 }, logger: console.log });
   * const okta = createOktaFetch({ credential }); // a 429 is RATE_LIMITED at once, logged to console.log
   * const patient = createOktaFetch({ credential, retry: { limit: 4 } }); // its own option wins
   * ```
   * @see https://developer.okta.com/docs/reference/rl-best-practices/
   */
  readonly retry?: RetryOptions | false | undefined;
  /** The `timeoutMs` a client made with this credential and none of its own takes (see {@link OktaCredential.retry}); an invalid one is `INVALID_CONFIG` naming `credential.timeoutMs`. */
  readonly timeoutMs?: number | undefined;
  /** The `logger` a client made with this credential and none of its own takes (see {@link OktaCredential.retry}); a function, never a secret. */
  readonly logger?: OktaLogger | undefined;
  /**
   * Looks at a failed answer (a 400, 401 or 403) to one attempt and says
   * whether one retry with fresh headers may succeed: `true` after a DPoP
   * nonce challenge (the nonce is now remembered) or an `invalid_token` (the
   * token that `state.request` carried is now dropped). Must not consume the
   * response body. Absent, `false` or any other falsy answer: the failure is final (a
   * truthy one counts as `true`). Waited for at most `timeoutMs`, as `authorize` is.
   */
  challenge?(state: AnswerState): Promise<boolean>;
  /**
   * Explains the likely cause of a final error answer to one attempt in words
   * a user can act on (an API token revoked after 30 days unused, a missing
   * `Authorization` header, a scope not granted, …), from that answer alone
   * (`state` is this request's, never another's). Appended to the error
   * message. Never include a secret.
   */
  explain?(state: AnswerState): string | undefined;
}

/**
 * Cross-realm check that a value implements {@link OktaCredential}.
 *
 * @example
 * ```ts
 * declare const value: unknown;
 * if (!isOktaCredential(value)) throw new TypeError('expected a credential');
 * ```
 * @see https://developer.okta.com/docs/reference/core-okta-api/#authentication
 */
export function isOktaCredential(value: unknown): value is OktaCredential {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<keyof OktaCredential, unknown>>;
  return (
    typeof candidate.kind === 'string' &&
    typeof candidate.origin === 'string' &&
    typeof candidate.authorize === 'function' &&
    (candidate.challenge === undefined || typeof candidate.challenge === 'function') &&
    (candidate.explain === undefined || typeof candidate.explain === 'function')
  );
}
