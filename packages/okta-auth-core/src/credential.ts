/**
 * One HTTP request attempt that a credential is asked to authorize.
 *
 * An attempt is one trip over the wire: a retry after a 429, a retry after a
 * DPoP nonce challenge and each page of a paginated listing are all separate
 * attempts, and each is authorized afresh (a DPoP proof is never reused).
 */
export interface RequestAttempt {
  /** The HTTP method, upper case (`GET`, `POST`, …). */
  readonly method: string;
  /** The absolute URL of this attempt, query included. */
  readonly url: URL;
  /** Aborts any token request the credential makes on behalf of this attempt. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * The headers a credential adds to one attempt: always `authorization`, and
 * `dpop` for DPoP-bound tokens. Header names are lower case.
 */
export type AuthorizationHeaders = Readonly<Record<string, string>> & {
  /** The `Authorization` header value (`SSWS …`, `Bearer …`, `DPoP …`). */
  readonly authorization: string;
};

/**
 * The kinds of credential the packages ship. A credential written outside
 * these packages may use any other string.
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
 * retried once with fresh headers.
 *
 * A credential never shows its secret: `JSON.stringify` and `util.inspect` of
 * one print its kind and origin only.
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
  /** What kind of credential this is, for logs and metrics. Never secret. */
  readonly kind: CredentialKind;
  /**
   * The one origin (`https://acme.okta.com`) this credential may be sent to.
   * Requests to any other origin fail before anything is sent.
   */
  readonly origin: string;
  /**
   * The headers for one request attempt. Called for every attempt, retries
   * and pagination hops included. May fetch or renew a token.
   */
  authorize(attempt: RequestAttempt): Promise<AuthorizationHeaders>;
  /**
   * Looks at a failed response (a 400, 401 or 403) to the given attempt and
   * says whether one retry with fresh headers may succeed: `true` after a
   * DPoP nonce challenge (the nonce is now remembered) or an `invalid_token`
   * (the cached token is now dropped). Must not consume the response body.
   * Absent or `false`: the failure is final.
   */
  challenge?(response: Response, attempt: RequestAttempt): Promise<boolean>;
  /**
   * Explains the likely cause of a final error answer in words a user can act
   * on (an API token revoked after 30 days unused, a missing `Authorization`
   * header, …). Appended to the error message. Never include a secret.
   */
  explain?(error: { readonly status: number; readonly errorCode: string | undefined }): string | undefined;
}

/**
 * Cross-realm check that a value implements {@link OktaCredential}.
 *
 * @example
 * ```ts
 * declare const value: unknown;
 * if (!isOktaCredential(value)) throw new TypeError('expected a credential');
 * ```
 */
export function isOktaCredential(value: unknown): value is OktaCredential {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<keyof OktaCredential, unknown>>;
  return (
    typeof candidate.kind === 'string' &&
    typeof candidate.origin === 'string' &&
    typeof candidate.authorize === 'function' &&
    (candidate.challenge === undefined || typeof candidate.challenge === 'function')
  );
}
