import type { OrgContext } from '../state/context.js';
import { ASSERTION_ALGS, SECRET_ASSERTION_ALGS } from '../protocol/client-assertion.js';
import { DPOP_ALGS } from '../protocol/dpop.js';
import { DEVICE_GRANT } from '../protocol/grants.js';
import { jsonReply } from '../http/http-types.js';
import type { Router } from '../http/router.js';
import { OIDC_SCOPES } from '../protocol/scopes.js';

/**
 * The claims Okta lists for its org authorization server, in its order (the `OrgASOidcMetadata` example in Okta's
 * OAuth OpenAPI; FIDELITY W3): what the org may supply, not what each token carries.
 */
const ORG_CLAIMS = [
  'iss', 'ver', 'sub', 'aud', 'iat', 'exp', 'jti', 'auth_time', 'amr', 'idp', 'nonce', 'name', 'nickname', 'preferred_username', 'given_name', 'middle_name',
  'family_name', 'email', 'email_verified', 'profile', 'zoneinfo', 'locale', 'address', 'phone_number', 'picture', 'website', 'gender', 'birthdate', 'updated_at',
  'at_hash', 'c_hash',
] as const;

/**
 * The org authorization server's metadata (OIDC Discovery / RFC 8414), at Okta's paths: Okta's published document
 * (FIDELITY W1 to W5) less what the emulator does not serve (implicit and hybrid responses, `password`, `okta_post_message`,
 * request objects, dynamic client registration).
 */
export function discoveryDocument(ctx: OrgContext): Record<string, unknown> {
  const u = ctx.url;
  const authMethods = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'none'];
  return {
    issuer: u,
    authorization_endpoint: `${u}/oauth2/v1/authorize`,
    token_endpoint: `${u}/oauth2/v1/token`,
    userinfo_endpoint: `${u}/oauth2/v1/userinfo`,
    jwks_uri: `${u}/oauth2/v1/keys`,
    response_types_supported: ['code'],
    response_modes_supported: ['query', 'fragment', 'form_post'],
    // Okta's order; it lists no `client_credentials` for the org authorization server, though the org grants it (W4).
    grant_types_supported: ['authorization_code', 'refresh_token', DEVICE_GRANT],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    // The OpenID Connect scopes alone: Okta lists no okta.* scope there (W2).
    scopes_supported: [...OIDC_SCOPES],
    token_endpoint_auth_methods_supported: authMethods,
    token_endpoint_auth_signing_alg_values_supported: [...SECRET_ASSERTION_ALGS, ...ASSERTION_ALGS],
    claims_supported: [...ORG_CLAIMS],
    code_challenge_methods_supported: ['S256'],
    introspection_endpoint: `${u}/oauth2/v1/introspect`,
    introspection_endpoint_auth_methods_supported: authMethods,
    revocation_endpoint: `${u}/oauth2/v1/revoke`,
    revocation_endpoint_auth_methods_supported: authMethods,
    end_session_endpoint: `${u}/oauth2/v1/logout`,
    request_parameter_supported: false,
    device_authorization_endpoint: `${u}/oauth2/v1/device/authorize`,
    pushed_authorization_request_endpoint: `${u}/oauth2/v1/par`,
    dpop_signing_alg_values_supported: [...DPOP_ALGS],
    // RFC 9207: Okta's documents do not list it (W5), unless the test asks for it.
    ...(ctx.settings.authorizationResponseIss ? { authorization_response_iss_parameter_supported: true } : {}),
  };
}

/**
 * Fields only the OpenID Connect document has: Okta's `/.well-known/oauth-authorization-server`
 * (RFC 8414, `OAuthMetadata` in Okta's OAuth OpenAPI) lacks them, `openid-configuration`
 * (`OidcMetadata`) adds them.
 */
const OIDC_ONLY = new Set(['userinfo_endpoint', 'id_token_signing_alg_values_supported']);

/** The document as served: {@link discoveryDocument} (OIDC or OAuth) with the test's overrides laid over it. */
function servedDocument(ctx: OrgContext, oidc: boolean): Record<string, unknown> {
  const own = Object.entries(discoveryDocument(ctx)).filter(([name]) => oidc || !OIDC_ONLY.has(name));
  const merged = Object.entries({ ...Object.fromEntries(own), ...ctx.discoveryOverrides });
  return Object.fromEntries(merged.filter(([, value]) => value !== null));
}

export function registerDiscoveryRoutes(router: Router, ctx: OrgContext): void {
  router
    .add('GET', '/.well-known/openid-configuration', () => jsonReply(200, servedDocument(ctx, true)))
    .add('GET', '/.well-known/oauth-authorization-server', () => jsonReply(200, servedDocument(ctx, false)))
    .add('GET', '/oauth2/v1/keys', async () => {
      await ctx.signingKeys.ready();
      return jsonReply(200, ctx.signingKeys.jwks(), { 'Cache-Control': 'max-age=3600, must-revalidate' });
    });
}
