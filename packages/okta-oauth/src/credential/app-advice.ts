import { isGrantedScope } from '../token-endpoint/token-response.js';
import { scopeChallenge } from './scope-challenge.js';
import type { TokenAdvice } from './token-credential.js';

/**
 * The advice of a service or OIN app's credential: Okta sends E0000006 in the body and the
 * missing scope in `WWW-Authenticate` of the same answer, so an `insufficient_scope` says whether
 * the scope was not requested, requested but not granted, or granted (then the app's admin role
 * is lacking); a refused DPoP proof points at the clock; a 401 after the retry with a new token
 * at the app itself. A scope is granted, and the action allowed, by whoever can (`owner`, the app type's
 * {@link ScopeOwner}): a service app's admin on its Okta API Scopes tab; an OIN integration's by the customer org's
 * admin, and only among the scopes the integration declares, who also decides what the integration may do.
 * @internal
 */
export function appAdvice(requested: readonly string[], owner: ScopeOwner): TokenAdvice {
  const grant = owner.grant('it');
  return ({ response, errorCode }, granted) => {
    const { status } = response;
    const insufficient = scopeChallenge(response, errorCode);
    if (insufficient !== undefined) return scopeAdvice(insufficient.scope, requested, granted, grant, owner.role);
    if (errorCode === 'invalid_dpop_proof') {
      return 'Okta refused the DPoP proof for this request; check the system clock (proofs carry the current time).';
    }
    if (status === 401 && (errorCode === undefined || errorCode === 'invalid_token' || errorCode === 'E0000011')) {
      return 'Okta refused a freshly obtained access token too: the app may have been deactivated, or its token was revoked again at once.';
    }
    return undefined;
  };
}

/**
 * Who grants an app type's scopes and where (`grant`, given the scopes' words), and what its role lacks when the token has the
 * scope (`role`): the one wording of that advice by app type, for a call's missing scope ({@link appAdvice}) and the token
 * endpoint's `invalid_scope` and `consent_required` hint (`token-error.ts`, which takes `grant` alone). Each app type's is its
 * own value, so a bundle carries only the wording of the apps it makes (a sign-in bundle no OIN wording).
 *
 * @example
 * ```ts
 * oinAppOwner.grant('these scopes'); // "have the customer org's admin grant these scopes to the integration (only among the scopes it declares)"
 * ```
 * @see https://developer.okta.com/docs/guides/build-api-integration/main/
 * @internal
 */
export interface ScopeOwner {
  readonly grant: (scopes: string) => string;
  readonly role: string;
}

/** An app's scopes (a service app, a sign-in app): granted on its Okta API Scopes tab. @internal */
export const appGrant = (scopes: string): string => `grant ${scopes} to the app (Okta API Scopes tab)`;

/** An OIN integration's scopes: the customer org's admin grants them, only among those the integration declares (the partner has no Okta API Scopes tab in that org). @internal */
export const oinGrant = (scopes: string): string => `have the customer org's admin grant ${scopes} to the integration (only among the scopes it declares)`;

/** A service app's {@link ScopeOwner}. @internal */
export const serviceAppOwner: ScopeOwner = { grant: appGrant, role: "the app's admin role does not allow this action on this resource: assign the app a role that does." };

/** An OIN integration's {@link ScopeOwner}. @internal */
export const oinAppOwner: ScopeOwner = {
  grant: oinGrant,
  role: "the customer org does not allow the integration this action on this resource: only the customer org's admin can change what it may do.",
};

/** What to do about a missing scope, from what was requested and what Okta granted. */
function scopeAdvice(named: string | undefined, requested: readonly string[], grantedScope: string | undefined, grant: string, role: string): string {
  // Quoted below: only a scope list of RFC 6749 §3.3's syntax and size, as for a granted scope (no control characters, bounded).
  const needed = named !== undefined && isGrantedScope(named) ? named : undefined;
  const neededList = needed?.split(' ').filter(Boolean) ?? [];
  const grantedList = grantedScope?.split(' ').filter(Boolean);
  const grantedText = grantedScope === undefined ? '' : ` The token was granted: ${grantedScope === '' ? 'no scopes' : grantedScope}.`;
  if (neededList.length === 0) return `The access token lacks a scope; Okta did not say which (or named none readably).${grantedText}`;
  if (neededList.every((scope) => grantedList?.includes(scope) === true)) {
    return `The access token has the scope ${needed ?? ''} this needs, so ${role}`;
  }
  if (neededList.every((scope) => requested.includes(scope))) {
    return `The access token lacks the scope ${needed ?? ''}: it was requested but Okta did not grant it; ${grant}.${grantedText}`;
  }
  return `The access token lacks the scope ${needed ?? ''}: add it to the credential's scopes and ${grant}.${grantedText}`;
}
