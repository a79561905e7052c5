import { scopeChallenge } from '../credential/scope-challenge.js';
import type { TokenAdvice } from '../credential/token-credential.js';
import type { ClientContext } from './context.js';

/**
 * The advice of a signed-in user's credential (`TokenAdvice`), in one place: an `insufficient_scope`
 * (the code, or a 403 with its challenge: `scopeChallenge`, as for an app's token; a challenge
 * naming `openid` as the missing scope: sign in again asking for it; another scope: grant it to
 * the app; `userInfo` gives its own call the UserInfo endpoint's, `userInfoAdvice`),
 * an admin role's refusal, a 401 after the refresh, a refused DPoP proof (the client's `proof`
 * hint). `current` is the scope of the credential's tokens now, for a token whose own grant is
 * unknown. @internal
 */
export function userAdvice(ctx: Pick<ClientContext, 'hints'>, current: () => string | undefined): TokenAdvice {
  return ({ response, errorCode }, granted) => {
    const { status } = response;
    // First, as an app's (one rule): Okta's 403 for a missing scope says E0000006 in its body too, which is no admin role's refusal then.
    const insufficient = scopeChallenge(response, errorCode);
    if (insufficient !== undefined || errorCode === 'insufficient_scope') {
      const scopes = granted ?? current() ?? 'unknown';
      // OIDC's openid is no API scope to grant: a new sign-in asking for it gets it.
      return insufficient?.scope?.split(' ').includes('openid')
        ? `The user's token lacks openid (granted: ${scopes}): sign the user in again with openid in scopes.`
        : `The user's token lacks a scope this API needs (granted: ${scopes}): grant it to the app (Okta API Scopes tab), add it to scopes, and sign the user in again (it acts with the user's admin role; their own groups come with the groups scope).`;
    }
    if (errorCode === 'E0000006' || (status === 403 && errorCode === undefined)) {
      return "The signed-in user's admin role does not allow this action on this resource (user tokens carry the user's own permissions).";
    }
    if (status === 401) return "Okta refused the user's access token even after a refresh: the user may have been deactivated or signed out elsewhere.";
    return ctx.hints.proof?.(response);
  };
}
