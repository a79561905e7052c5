import type { CredentialKind } from '@org/okta-auth-core';
import { isGrantedScope } from '../token-endpoint/token-response.js';
import { scopeChallenge } from './scope-challenge.js';
import type { TokenAdvice } from './token-credential.js';

/**
 * The advice of a service or OIN app's credential: Okta sends E0000006 in the body and the
 * missing scope in `WWW-Authenticate` of the same answer, so an `insufficient_scope` says whether
 * the scope was not requested, requested but not granted, or granted (then the app's admin role
 * is lacking); a refused DPoP proof points at the clock; a 401 after the retry with a new token
 * at the app itself. A scope is granted by whoever can (`kind`): a service app's admin on its Okta API Scopes tab; an OIN
 * integration's by the customer org's admin, and only among the scopes the integration declares.
 * @internal
 */
export function appAdvice(requested: readonly string[], kind: CredentialKind): TokenAdvice {
  const grant = kind === 'oin-app' ? "have the customer org's admin grant it to the integration (only among the scopes it declares)" : 'grant it to the app (Okta API Scopes tab)';
  return ({ response, errorCode }, granted) => {
    const { status } = response;
    const insufficient = scopeChallenge(response, errorCode);
    if (insufficient !== undefined) return scopeAdvice(insufficient.scope, requested, granted, grant);
    if (errorCode === 'invalid_dpop_proof') {
      return 'Okta refused the DPoP proof for this request; check the system clock (proofs carry the current time).';
    }
    if (status === 401 && (errorCode === undefined || errorCode === 'invalid_token' || errorCode === 'E0000011')) {
      return 'Okta refused a freshly obtained access token too: the app may have been deactivated, or its token was revoked again at once.';
    }
    return undefined;
  };
}

/** What to do about a missing scope, from what was requested and what Okta granted. */
function scopeAdvice(named: string | undefined, requested: readonly string[], grantedScope: string | undefined, grant: string): string {
  // Quoted below: only a scope list of RFC 6749 §3.3's syntax and size, as for a granted scope (no control characters, bounded).
  const needed = named !== undefined && isGrantedScope(named) ? named : undefined;
  const neededList = needed?.split(' ').filter(Boolean) ?? [];
  const grantedList = grantedScope?.split(' ').filter(Boolean);
  const grantedText = grantedScope === undefined ? '' : ` The token was granted: ${grantedScope === '' ? 'no scopes' : grantedScope}.`;
  if (neededList.length === 0) return `The access token lacks a scope; Okta did not say which (or named none readably).${grantedText}`;
  if (neededList.every((scope) => grantedList?.includes(scope) === true)) {
    return `The access token has the scope ${needed ?? ''} this needs, so the app's admin role does not allow this action on this resource: assign the app a role that does.`;
  }
  if (neededList.every((scope) => requested.includes(scope))) {
    return `The access token lacks the scope ${needed ?? ''}: it was requested but Okta did not grant it; ${grant}.${grantedText}`;
  }
  return `The access token lacks the scope ${needed ?? ''}: add it to the credential's scopes and ${grant}.${grantedText}`;
}
