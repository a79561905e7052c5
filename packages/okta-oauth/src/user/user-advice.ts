import { parseWwwAuthenticate } from '@org/okta-auth-core/internal';
import type { TokenAdvice } from '../credential/token-credential.js';
import type { ClientContext } from './context.js';

/**
 * Whether a refused call needs the `openid` scope: a call of the UserInfo endpoint (`…/v1/userinfo`,
 * Okta's paths), or a challenge naming `openid` as the missing scope. OIDC Core §5.3: the endpoint
 * takes an access token issued with `openid`, which an API scope grant does not give.
 */
function needsOpenid(request: Request, response: Response): boolean {
  return (
    new URL(request.url).pathname.endsWith('/v1/userinfo') ||
    parseWwwAuthenticate(response.headers.get('www-authenticate'))
      .find((challenge) => challenge.params.error === 'insufficient_scope')
      ?.params.scope?.split(' ')
      .includes('openid') === true
  );
}

/**
 * The advice of a signed-in user's credential (`TokenAdvice`), in one place: an `insufficient_scope`
 * (for the UserInfo endpoint: sign in again asking for `openid`, and allow it for the app only
 * where Okta refused it), an admin role's refusal, a 401 after the refresh, a refused DPoP proof
 * (the client's `proof` hint). `current` is the scope of the credential's tokens now, for a token
 * whose own grant is unknown. @internal
 */
export function userAdvice(ctx: Pick<ClientContext, 'scope' | 'hints'>, current: () => string | undefined): TokenAdvice {
  return ({ request, response, errorCode }, granted) => {
    const { status } = response;
    if (errorCode === 'insufficient_scope') {
      const known = granted ?? current();
      const scopes = known ?? 'unknown';
      if (needsOpenid(request, response)) {
        // Asked for, and the token's grant known and without it: Okta refused it, so a new sign-in alone gets it no more.
        const refused = known !== undefined && !known.split(' ').includes('openid') && ctx.scope.split(' ').includes('openid');
        return `The UserInfo endpoint needs an access token issued with openid (OIDC Core §5.3; this one's: ${scopes}): ${
          refused ? "Okta did not grant the openid asked for; allow it for the app (its authorization server's access policy), then sign" : 'sign'
        } the user in again with openid in scopes.`;
      }
      return `The user's token lacks a scope this API needs (granted: ${scopes}): grant it to the app (Okta API Scopes tab), add it to scopes, and sign the user in again.`;
    }
    if (errorCode === 'E0000006' || (status === 403 && errorCode === undefined)) {
      return "The signed-in user's admin role does not allow this action on this resource (user tokens carry the user's own permissions).";
    }
    if (status === 401) return "Okta refused the user's access token even after a refresh: the user may have been deactivated or signed out elsewhere.";
    return ctx.hints.proof?.(response);
  };
}
