import { parseOrgUrl, type AnswerState, type OktaCredential, type OrgUrlOptions, type RequestAttempt } from '@org/okta-auth-core';
import { assertAttempt, refuseForeignOptions, sdkClientOptions } from '@org/okta-auth-core/internal';
import { OktaSswsError } from './errors.js';
import { validateApiToken } from './validate-token.js';

/**
 * Options of {@link createSswsCredential}.
 * @example
 * ```ts
 * declare const token: string; // from your secret store
 * const options: SswsCredentialOptions = { orgUrl: 'https://acme.okta.com', token };
 * const credential = createSswsCredential(options);
 * ```
 * @see https://developer.okta.com/docs/guides/create-an-api-token/main/
 */
export interface SswsCredentialOptions extends OrgUrlOptions {
  /** Your org, such as `https://acme.okta.com` (custom domains work). */
  readonly orgUrl: string | URL;
  /** The API token, without the `SSWS ` prefix. */
  readonly token: string;
}

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/**
 * The hint for one answer, from that answer and whether the factory's token starts with "00" (the
 * credential keeps no per-request state). Okta does not document the API token's format, so a token
 * not starting with "00" is not refused up front; once Okta refused it, the hint says what it may be.
 * A token whose creator is deactivated (or suspended) is refused with the same 401 `E0000011`.
 * @see https://help.okta.com/en-us/Content/Topics/security/api.htm ("Tokens are valid only if the user who created them is active")
 * @see https://support.okta.com/help/s/article/HTTP-401-Okta-E0000011-Invalid-Token-provided-error
 */
function explain({ response: { status }, errorCode }: AnswerState, startsWith00: boolean): string | undefined {
  if (status === 401 && errorCode === 'E0000011') {
    return `Okta rejected the API token: it is wrong, revoked, expired after 30 days unused, or its admin is inactive. Create a new token under Security > API > Tokens.${
      startsWith00 ? '' : ' API tokens start with "00"; this one does not: a session token or session id is not an API token.'
    }`;
  }
  if (status === 403 && errorCode === 'E0000005') {
    return 'Okta did not see a usable Authorization header (missing or malformed): check that nothing between you and Okta (a proxy) strips or rewrites it.';
  }
  if (status === 403 && errorCode === 'E0000006') {
    return 'The API token has the permissions of the admin who created it, and that admin may not do this.';
  }
  return undefined;
}

/**
 * An Okta API token as a credential: every request carries
 * `Authorization: SSWS <token>`, only to the org's origin. The token is
 * checked up front (empty, white space, a pasted scheme (`SSWS `, `Bearer `) or header
 * line, quotes, a `NAME=value` line, a placeholder, a character outside base64url, or a JWT,
 * which the SSWS scheme never accepts) and is never
 * shown by `JSON.stringify`, `util.inspect` or an error.
 *
 * Errors from Okta tell a bad token (401 `E0000011`: wrong, revoked,
 * expired after 30 days unused, or its admin (the user who created it) is
 * deactivated or suspended; for a token not starting with `00`, that a
 * session token or session id is not an API token) from a missing or
 * malformed header (403 `E0000005`).
 *
 * @throws {OktaSswsError} `INVALID_TOKEN`, `INVALID_CONFIG` (no options object; okta-sdk-nodejs's `httpsProxy`, `requestExecutor`, `cacheStore` or `cacheMiddleware`, named with what to use); `OktaAuthError` (from `@org/okta-auth-core`) `INVALID_ORG_URL`.
 * @example
 * ```ts
 * import { createOktaFetch } from '@org/okta-auth-core';
 * import { createSswsCredential } from '@org/okta-ssws';
 *
 * declare const apiToken: string; // from your secret store
 * const credential = createSswsCredential({ orgUrl: 'https://acme.okta.com', token: apiToken });
 * const okta = createOktaFetch({ credential });
 * ```
 * @see https://developer.okta.com/docs/guides/create-an-api-token/main/
 * @see https://help.okta.com/en-us/Content/Topics/security/api.htm
 */
export function createSswsCredential(options: SswsCredentialOptions): OktaCredential {
  const raw: unknown = options;
  if (typeof raw !== 'object' || raw === null) {
    throw new OktaSswsError('INVALID_CONFIG', 'createSswsCredential takes an options object: { orgUrl, token }.');
  }
  const refuse = (message: string): Error => new OktaSswsError('INVALID_CONFIG', message);
  // okta-sdk-nodejs's Client options, spread in with orgUrl and token: each would be ignored here (a proxy not used).
  refuseForeignOptions(options, sdkClientOptions, refuse);
  const org = parseOrgUrl(options.orgUrl, options);
  // The header never changes: built once, frozen, and the same settled promise answers every attempt
  // (not an async function's new one per attempt: that cost the ky driver about 5 % per call, measured
  // interleaved on 2026-12-04).
  const token = validateApiToken(options.token, 'token');
  const authorization = Promise.resolve(Object.freeze({ authorization: `SSWS ${token}` }));
  const apiTokenShaped = token.startsWith('00');
  const describe = (): { kind: string; origin: string } => ({ kind: 'ssws', origin: org.origin });
  return Object.freeze({
    kind: 'ssws',
    origin: org.origin,
    // Core's one check of the attempt, as the OAuth credentials: a custom driver's attempt on another
    // origin gets no token. A refusal is a rejection, as authorize() promises.
    authorize: (attempt: RequestAttempt) => {
      try {
        assertAttempt(attempt, org.origin, refuse);
      } catch (error) {
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- assertAttempt throws only its refusals (Errors)
        return Promise.reject(error);
      }
      return authorization;
    },
    explain: (state: AnswerState) => explain(state, apiTokenShaped),
    toJSON: describe,
    [inspectSymbol]: () => `OktaCredential { kind: 'ssws', origin: '${org.origin}' }`,
  });
}
