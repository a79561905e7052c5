import type { OktaTransportOptions } from '@org/okta-auth-core';
import { executeOktaRequest, orgClockOffsetMs, type AttemptDeadline } from '@org/okta-auth-core/internal';
import type { ClientAuthentication } from '../client-auth/client-auth.js';
import type { DpopSession } from '../dpop/dpop-session.js';
import type { Clock } from '../internal/clock.js';
import { OktaOAuthError } from '../errors.js';
import { readOAuthError, tokenRequestError, type OAuthHints } from './token-error.js';
import { invalidTokenAnswer, parseTokenResponse, type TokenResponse } from './token-response.js';

/**
 * The DPoP setting.
 * - `'auto'` (default): send a proof with each token request; use whatever `token_type` Okta
 *   answers (compared without regard to case): DPoP tokens with fresh proofs, Bearer tokens plainly.
 * - `'required'`: as `auto`, but a Bearer answer is the error `DPOP_NOT_BOUND`.
 * - `'off'`: no proofs.
 *
 * @example
 * ```ts
 * declare const options: ServiceAppCredentialOptions; // your service app's
 * createServiceAppCredential({ ...options, dpop: 'required' });
 * ```
 * @see https://developer.okta.com/docs/guides/dpop/main/
 */
export type DpopMode = 'required' | 'auto' | 'off';

/** Everything needed to talk to one org's token endpoint. @internal */
export interface TokenEndpointOptions {
  /** The org origin; every request is checked against it. */
  readonly origin: string;
  /** `https://{org}/oauth2/v1/token`. */
  readonly tokenEndpoint: URL;
  readonly clientAuth: ClientAuthentication;
  /**
   * The DPoP part (its proofs, nonces and `mode`), given by the factories that have DPoP;
   * none: DPoP is `off`.
   */
  readonly dpop: DpopSession | undefined;
  /** A `ServerClock` where something signs with the time, or `localClock` (no correction, no skew retry). */
  readonly clock: Clock;
  readonly transport: OktaTransportOptions;
  /** The client's own refusal hints (its factory's: `serviceAppHints`, `oinAppHints`, `signInHints`); none: only those every client can get. */
  readonly hints?: OAuthHints | undefined;
  /** The bound of the API call's attempt this request is made for (in its credential's `authorize`): a 429's wait must fit in it. */
  readonly within?: AttemptDeadline | undefined;
  /**
   * The fetch of the API call's attempt this request is made for (`RequestAttempt.fetch`: the client's transport), used only when the
   * credential was given no `fetch` of its own (`transport.fetch`, which wins); neither: the global fetch. Only the transport: the
   * request goes to `tokenEndpoint`, on `origin`, whatever fetch sends it.
   */
  readonly fetch?: typeof globalThis.fetch | undefined;
}

/**
 * How a grant reads a refusal's OAuth `error` and status as an answer about the user (`requestToken`'s
 * `answer`, asked of every refusal; RFC 6749 §5.2 answers them with a 400, so a 401, 429 or 5xx is what
 * its status says unless the grant reads it): `true`, not yet (polling goes on); `false`, the end of the
 * sign-in; `undefined`, a failure like any other. Only the device poll has one (`pollAnswer`, RFC 8628
 * §3.5, which also reads a 403 `access_denied`, Okta's catalogue's), so a bundle without device sign-in has none of its rules.
 *
 * @example
 * ```ts
 * const answer: GrantAnswer = (error, status) => (status === 400 && error === 'authorization_pending' ? true : undefined);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc8628#section-3.5
 * @internal
 */
export type GrantAnswer = (error: string | undefined, status: number) => boolean | undefined;

/**
 * A checked token and the answer it was read from: a check made of it later (the ID token's) ends
 * that attempt's log through `readAnswer`, as core's loop ends it for the checks made while
 * reading it (`requestToken`'s `challenge`). @internal
 */
export type TokenAnswer = TokenResponse & { readonly answer: Response };

/**
 * Posts one token request (RFC 6749 §4.4 client credentials, or any grant via `params`) and
 * returns the checked token, or throws a typed error. Each attempt is built afresh: a new
 * client assertion and a new DPoP proof (new `jti`, current nonce) for the first try, 429
 * retries (through the core's rate-limit handling), the single `use_dpop_nonce` retry and the
 * single clock-skew retry. Each retry is an attempt of core's one call (its `challenge` reads
 * every answer): numbered on, logged `retry` with reason `challenge`, as an API call's is.
 *
 * `token_type` is checked against the DPoP part: with `mode` `required` it refuses Bearer
 * (`DPOP_NOT_BOUND`), without one (`off`) DPoP, with `auto` it takes either.
 *
 * A refused request is `TOKEN_REQUEST_FAILED`, or what `refine` makes of a 400 (the grant's own
 * outcome: a device sign-in's `ACCESS_DENIED`, a refresh's `LOGIN_REQUIRED`; RFC 6749 §5.2 answers
 * OAuth errors with 400, so a 401, 429 or 5xx naming one is what its status says): the attempt's log
 * ends with the code thrown. A grant whose refusals can be answers about the user reads them by
 * `answer` (only a device poll has one, `pollAnswer`: a 400's, and a 403 `access_denied`), and refines what it read as one whatever the status: none is retried for clock skew, and its
 * "not yet" is thrown as it is (`TOKEN_REQUEST_FAILED`) and ends no log: polling goes on.
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-8
 * @internal
 */
export async function requestToken(
  options: TokenEndpointOptions,
  params: Readonly<Record<string, string>>,
  signal?: AbortSignal,
  refine?: (refused: OktaOAuthError) => unknown,
  answer?: GrantAnswer,
): Promise<TokenAnswer> {
  const { clientAuth, clock, dpop, tokenEndpoint } = options;
  let nonceRetried = false;
  let skewRetried = false;
  /** Stands for the latest attempt, whose answer is the one read below. */
  let attempt: object = {};
  /** The latest answer's reading: the token, or a "not yet" to throw (`challenge` answered `false`). */
  let read: TokenResponse | OktaOAuthError | undefined;
  /**
   * The client's own secrets, which core cannot find in an attempt (a client_secret_jwt secret is
   * never sent): for core and for the answer readers. The grant's secret parameters (refresh token,
   * code and verifier, device code) and the client assertion are in each attempt's form, which core
   * lists with the answer (`requestSecrets`, as sent; `scrub` finds encoded forms): not listed a second time here.
   * Earlier attempts' assertions and proofs are listed by core with each later answer: the nonce and
   * clock retries are attempts of core's one call (`challenge`), whose trail holds them (`attempt-secrets.ts`).
   */
  const secrets = (): string[] => [...clientAuth.secrets()];
  const response = await executeOktaRequest(
    async ({ signal: attemptSignal }) => {
      const body = new URLSearchParams(params);
      const headers = new Headers({ accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' });
      const nowSeconds = clock.nowSeconds();
      await clientAuth.apply({ endpoint: tokenEndpoint, body, headers, nowSeconds, signal: attemptSignal });
      if (dpop !== undefined) {
        attempt = {};
        await dpop.prove(headers, tokenEndpoint, nowSeconds, attempt);
      }
      return new Request(tokenEndpoint, { method: 'POST', headers, body });
    },
    {
      ...options.transport,
      // The credential's own fetch, else the transport of the client whose call needs this token (one transport per client).
      fetch: options.transport.fetch ?? options.fetch,
      origin: options.origin,
      signal,
      within: options.within,
      throwHttpErrors: false,
      secrets,
      // Read in core's attempt loop: a nonce or clock retry is the call's next attempt (numbered, logged
      // `retry`, within its 429 budget). What this throws ends the attempt's log there, with its code.
      challenge: async (response) => {
        const skewed = clock.skewed(response);
        dpop?.observe('token-endpoint', response);
        // Core knows every secret of the attempts that got to this answer (assertions, proofs, forms); these are extra.
        const extra = secrets();
        if (response.ok) {
          read = checkTokenType(await parseTokenResponse(response, extra), dpop, response, extra);
          return false;
        }

        const error = await readOAuthError(response, extra, tokenEndpoint);
        // Retry when the nonce now known is not the one this request sent (another request may
        // have stored it first), once.
        if (error.error === 'use_dpop_nonce' && !nonceRetried && dpop?.retryForNonce('token-endpoint', response, attempt) === true) {
          return (nonceRetried = true); // sent again
        }
        // The grant's answers about the user (a device poll's) are not clock failures: a re-signed retry
        // would only ask again too soon, or after the sign-in ended. Without `answer`, every refusal is a failure.
        // They come in a 400 (RFC 6749 §5.2), a denial at Okta perhaps a 403: the grant's reader says which statuses it reads.
        const said = answer?.(error.error, error.status);
        if ((error.status === 400 || error.status === 401) && skewed && !skewRetried && said === undefined) {
          return (skewRetried = true); // sent again
        }
        const refused = tokenRequestError(error, { ...options, grantType: params.grant_type, scope: params.scope, clockGapMs: orgClockOffsetMs(response.headers, clock.nowSeconds() * 1000) });
        // A "not yet" is no failure to log (the grant asks again): kept, thrown below.
        if (said === true) {
          read = refused;
          return false;
        }
        // The caller's error ends the attempt's log (core's loop), so the log names the code the caller gets.
        // The grant refines a 400 and what its reader read: a 429 is RATE_LIMITED, a 5xx Okta not answering, whatever the body says (an `invalid_grant` there ends no session).
        throw refine === undefined || (error.status !== 400 && said === undefined) ? refused : refine(refused);
      },
    },
  );
  // `challenge` answered `false` for this answer only once it set `read`: the token, or a "not yet" to throw.
  if (read instanceof OktaOAuthError) throw read;
  return { ...read, answer: response } as TokenAnswer;
}

/** `token_type` against the DPoP part: Bearer is the part's to accept (`required` refuses it), DPoP needs a part. */
function checkTokenType(token: TokenResponse, dpop: DpopSession | undefined, response: Response, secrets: readonly string[]): TokenResponse {
  if (token.tokenType === 'Bearer') dpop?.acceptBearer(response, secrets);
  else if (dpop === undefined) throw invalidTokenAnswer('with a DPoP-bound token although no DPoP proof was sent', response, secrets);
  return token;
}
