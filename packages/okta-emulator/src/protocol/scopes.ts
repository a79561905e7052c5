import { OAuthFailure } from '../http/errors.js';
import type { AppRecord } from '../state/model.js';
import { characters } from '../state/user-rules.js';
import { OKTA_API_SCOPES } from './okta-scopes.js';
import { spaceDelimited } from './space-delimited.js';

/** OpenID Connect scopes every sign-in app may request, in the order Okta's discovery lists them (FIDELITY W2). */
export const OIDC_SCOPES = ['openid', 'email', 'profile', 'address', 'phone', 'offline_access', 'groups'] as const;

/** The OIDC scopes that ask for claims about the user, which need `openid` (OIDC reference, "Scope values"). */
const CLAIM_SCOPES = new Set(['profile', 'email', 'address', 'phone', 'groups']);

/** "The maximum length for the scope parameter value is 1024 characters." (OIDC reference, "Scope values"). */
export const MAX_SCOPE_CHARACTERS = 1024;

/**
 * A refresh request's longer limit: "The maximum length for the scope parameter of a refresh token request is now
 * 4096 characters" (Okta's release notes, 2023.04, OKTA-573127; the refresh tokens guide says 4096 too).
 */
export const MAX_REFRESH_SCOPE_CHARACTERS = 4096;

/**
 * The scopes of a `scope` parameter, each once. Over `max` characters ({@link MAX_SCOPE_CHARACTERS}, or
 * {@link MAX_REFRESH_SCOPE_CHARACTERS} for the refresh grant; counted in code points) it is the catalogue's
 * generic `invalid_scope` [I: Okta documents the limit, not its answer].
 *
 * @example
 * parseScopes('openid profile openid'); // ['openid', 'profile']
 *
 * @see https://developer.okta.com/docs/reference/api/oidc/#scope-values
 * @see https://developer.okta.com/docs/guides/refresh-tokens/main/#get-a-refresh-token
 */
export function parseScopes(raw: string | null, max = MAX_SCOPE_CHARACTERS): string[] {
  if (raw === null) return [];
  if (characters(raw) > max) {
    throw new OAuthFailure(400, 'invalid_scope', 'The requested scope is invalid, unknown, malformed, or exceeds the scope granted by the resource owner.');
  }
  return [...new Set(spaceDelimited(raw))];
}

/**
 * Whether the org authorization server has this scope: an OpenID Connect one or one of Okta's `okta.*` scopes
 * ({@link OKTA_API_SCOPES}, FIDELITY T11); no custom scopes (T8).
 */
export function isOrgScope(scope: string): boolean {
  return (OIDC_SCOPES as readonly string[]).includes(scope) || OKTA_API_SCOPES.has(scope);
}

/**
 * The scopes a request is granted: the requested ones checked against what the app may get. Service
 * and OIN apps get only their granted scopes (never OIDC ones); sign-in apps get the OIDC scopes plus
 * their grants. Wording from Okta's OAuth error catalogue: `missing_scopes`, `openid_not_allowed_client_creds`
 * (an OIDC scope asked for by a client_credentials app), `illegal_custom_scope` (a scope the org
 * authorization server does not have: neither OIDC nor one of Okta's `okta.*` scopes, whatever the app's
 * scopes name), `openid_scope_required` (a claim scope, `profile` to `groups`, without `openid`;
 * `offline_access` alone is an OAuth request). Of the `okta.*` scopes asked for, those in the app's grants
 * are granted and the others dropped, as Okta does ("If the scope exists in the grants collection, the scope
 * is granted"; FIDELITY T13): the token and the answer's `scope` name only the granted ones; none granted is
 * CAT3 `no_org_scopes_granted`, 400 `consent_required`.
 *
 * @example
 * grantedScopes(app, ['okta.users.read', 'okta.groups.read']); // ['okta.users.read'] for an app granted only that
 *
 * @see https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/#grant-allowed-scopes
 * @see https://developer.okta.com/docs/guides/implement-oauth-for-okta/main/#silent-downscoping
 */
export function grantedScopes(app: AppRecord, requested: string[]): string[] {
  if (requested.length === 0) throw new OAuthFailure(400, 'invalid_scope', 'No scopes were requested.');
  const oidc = new Set<string>(OIDC_SCOPES);
  const machine = app.kind === 'service' || app.kind === 'oin';
  if (machine && requested.some((s) => oidc.has(s))) {
    throw new OAuthFailure(400, 'invalid_scope', "Cannot request 'openid' scopes using client credentials.");
  }
  // The org authorization server has no custom scopes ("custom scopes aren't supported", Authorization servers
  // concept), and only the okta.* scopes of Okta's list (T11): any other name is refused with CAT3's
  // `illegal_custom_scope`, as seen on the wire (T8; an app's scopes cannot name one: apps.ts).
  if (!requested.every(isOrgScope)) {
    throw new OAuthFailure(400, 'invalid_scope', 'Custom scopes are not allowed for this request.');
  }
  const granted = requested.filter((s) => app.scopes.has(s) || (!machine && oidc.has(s)));
  if (granted.length === 0) throw new OAuthFailure(400, 'consent_required', 'You are not allowed any of the requested scopes.');
  if (!requested.includes('openid') && requested.some((s) => CLAIM_SCOPES.has(s))) {
    throw new OAuthFailure(400, 'invalid_scope', "Requests for ID tokens or access tokens with OpenID scopes require the 'openid' scope.");
  }
  return granted;
}
