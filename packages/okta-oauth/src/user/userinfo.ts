import { createOktaFetch, type AnswerState } from '@org/okta-auth-core';
import { answerRequestId, answerSecrets, printable } from '@org/okta-auth-core/internal';
import { deepFreeze } from '../internal/deep-freeze.js';
import { readAnswer } from '../internal/read-answer.js';
import type { TokenAdvice } from '../credential/token-credential.js';
import { configError } from '../errors.js';
import type { ClientContext } from './context.js';
import type { UserCredentialBase } from './credential-options.js';
import type { CredentialSession } from './credential-session.js';
import { orgEndpoints } from './discovery.js';
import { OktaSignInError } from './errors.js';
import { carriesRequestSecret, expectJsonObject } from './http.js';

/**
 * The signed-in user's claims from Okta's UserInfo endpoint: `sub` (equal to the ID token's),
 * then what the granted scopes release (`profile`: `name`, `preferred_username`…; `email`;
 * `address`; `phone`; `groups` when the app has a groups claim), and any custom claim.
 * @example
 * ```ts
 * declare const claims: UserInfoClaims;
 * const who = typeof claims.email === 'string' ? claims.email : claims.sub;
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#StandardClaims
 */
export interface UserInfoClaims {
  /** The user's ID, always the ID token's `sub`. */
  readonly sub: string;
  /** Full name (`profile` scope). */
  readonly name?: string;
  /** The user's Okta login (`profile` scope). */
  readonly preferred_username?: string;
  /** Email address (`email` scope). */
  readonly email?: string;
  /** Whether Okta verified the email address (`email` scope). */
  readonly email_verified?: boolean;
  /** Any other claim, such as `groups`. */
  readonly [claim: string]: unknown;
}

/**
 * Options of {@link userInfo}.
 * @example
 * ```ts
 * const options: UserInfoOptions = { signal: AbortSignal.timeout(10_000) };
 * const claims = await userInfo(client, credential, options);
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfoRequest
 */
export interface UserInfoOptions {
  /** Aborts the request (discovery, a renewal and the retries included). */
  readonly signal?: AbortSignal | undefined;
}

/** What the UserInfo answer is called in errors. */
const what = 'the UserInfo endpoint';

/** An answer userInfo does not read: `INVALID_RESPONSE`, the body left unread (it may hold claims, PII). */
function refused(response: Response, message: string): Promise<never> {
  return readAnswer(response, async () => {
    await response.body?.cancel();
    throw new OktaSignInError('INVALID_RESPONSE', message, { status: response.status, requestId: answerRequestId(response) });
  });
}

/**
 * The advice for the UserInfo endpoint's `insufficient_scope`, given by `userInfo` for its own
 * call only (its module alone pays for it): OIDC Core §5.3, the endpoint takes an access token
 * issued with `openid`, which an API scope grant does not give, so sign the user in again asking
 * for it, and allow it for the app first where Okta refused it (`asked` holds it, the token's known
 * grant does not). `current` is the scope of the credential's tokens now, for a token whose own
 * grant is unknown. @internal
 */
export function userInfoAdvice(asked: string, current: () => string | undefined): TokenAdvice {
  return (_state, granted) => {
    const known = granted ?? current();
    // Asked for, and the token's grant known and without it: Okta refused it, so a new sign-in alone gets it no more.
    const refused = known !== undefined && !known.split(' ').includes('openid') && asked.split(' ').includes('openid');
    return `The UserInfo endpoint needs an access token issued with openid (OIDC Core §5.3; this one's: ${known ?? 'unknown'}): ${
      refused ? "Okta did not grant the openid asked for; allow it for the app (its authorization server's access policy), then sign" : 'sign'
    } the user in again with openid in scopes.`;
  };
}

/**
 * `GET userinfo_endpoint` with the credential, through core's request path (`createOktaFetch` with
 * the client's transport: the credential authorizes each attempt, Bearer or DPoP, retries a DPoP
 * nonce, renews once after a 401 `invalid_token`; a non-2xx answer is core's `OktaApiError` with
 * its challenge read, a redirect `REDIRECT_BLOCKED`); the answer read as OIDC Core §5.3.2 asks:
 * JSON only, at most 1 MiB, its `sub` the ID token's, no secret of the request in it (`carriesRequestSecret`), else not used. @internal
 */
export async function readUserInfo(ctx: ClientContext, credential: UserCredentialBase, session: CredentialSession, signal: AbortSignal | undefined): Promise<UserInfoClaims> {
  // The sub to compare with, from the ID token of the credential's tokens (renewals keep the sign-in's).
  const expected = credential.claims?.sub;
  if (typeof expected !== 'string') {
    throw configError("userInfo: this credential has no ID token to compare the UserInfo answer's sub with (OIDC Core §5.3.2): add 'openid' to scopes and sign the user in again.");
  }
  const endpoint = orgEndpoints((await ctx.discovery.get(signal)).raw, ctx.origin)('userinfo_endpoint', '/oauth2/v1/userinfo');
  // This call's insufficient_scope gets the UserInfo advice (the same granted scopes), any other answer the credential's.
  const advice = userInfoAdvice(ctx.scope, () => session.current()?.scopes.join(' '));
  const explain = (state: AnswerState) => (state.errorCode === 'insufficient_scope' ? session.explain(state, advice) : credential.explain?.(state));
  const response = await createOktaFetch({ ...ctx.http, credential: { ...credential, explain } })(endpoint, { headers: { accept: 'application/json' }, signal: signal ?? null });
  // Okta answers application/jwt when signed UserInfo answers are configured: not verified here, so not used.
  // Another type is echoed through core's one cleaner of answer text (scrubbed of this call's secrets, cut).
  const type = response.headers.get('content-type');
  const essence = type?.split(';')[0]?.trim().toLowerCase();
  if (essence !== 'application/json') {
    const named = type === null ? 'no content type' : essence === 'application/jwt' ? 'application/jwt (a signed UserInfo answer, not verified here)' : printable(essence ?? '', answerSecrets(response), 100);
    return refused(response, `Okta answered ${what} with ${named}: only JSON claims are used; answer UserInfo unsigned (application/json) for this app.`);
  }
  return expectJsonObject(response, what, (body, text) => {
    const { status } = response;
    const requestId = answerRequestId(response);
    if (typeof body.sub !== 'string') throw new OktaSignInError('INVALID_RESPONSE', `Okta's answer from ${what} has no sub string (HTTP ${status}).`, { status, requestId });
    // Never echoed: a claim is the user's personal data.
    if (body.sub !== expected) {
      throw new OktaSignInError('INVALID_RESPONSE', `The UserInfo answer's sub is not the ID token's: its claims are not used (OIDC Core §5.3.2).`, { status, requestId });
    }
    // The app's to show and log: an echo of the request's access token or DPoP proof (or the client's secret), in a name or a value, must not ride along.
    if (carriesRequestSecret(ctx, response, text)) {
      throw new OktaSignInError('INVALID_RESPONSE', "The UserInfo answer's claims carry a secret of the request: they are not used.", { status, requestId });
    }
    // Frozen throughout: a nested claim (address, a custom object) changed by one caller is not what the next reads.
    return deepFreeze({ ...body }) as UserInfoClaims;
  });
}
