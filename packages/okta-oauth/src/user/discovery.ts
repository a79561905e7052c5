import { printable, schemeAndHost, waitFor } from '@org/okta-auth-core/internal';
import { OktaSignInError } from './errors.js';
import { getJsonObject, type HttpOptions, type JsonObject } from './http.js';

/**
 * What the sign-in client uses from the org authorization server's
 * discovery document, endpoints resolved to URLs on the org origin.
 *
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata
 * @see https://developer.okta.com/docs/reference/api/oidc/#well-known-openid-configuration
 * @example
 * ```ts
 * const { issuer, endSessionEndpoint } = await client.metadata();
 * ```
 */
export interface OrgServerMetadata {
  /** The org URL, exactly as the discovery document and every ID token name it. */
  readonly issuer: string;
  /** `authorization_endpoint`. */
  readonly authorizationEndpoint: URL;
  /** `token_endpoint`. */
  readonly tokenEndpoint: URL;
  /** `jwks_uri`: the keys that sign ID tokens. */
  readonly jwksUri: URL;
  /** `revocation_endpoint`. */
  readonly revocationEndpoint: URL;
  /** `introspection_endpoint`. */
  readonly introspectionEndpoint: URL;
  /** `device_authorization_endpoint`, when the org offers the device grant. */
  readonly deviceAuthorizationEndpoint: URL;
  /** `end_session_endpoint`, for sign-out. */
  readonly endSessionEndpoint: URL | undefined;
  /** RFC 9207: when `true`, a callback without `iss` is refused. */
  readonly issParameterSupported: boolean;
  /** The ID token signing algorithms to accept (`RS256` when not listed). */
  readonly idTokenSigningAlgs: readonly string[];
  /** The raw document, for anything else. */
  readonly raw: Readonly<Record<string, unknown>>;
}

/** The parameters the client sets itself: refused in extraParams and in an endpoint's query. @internal */
export const protocolParams = new Set([
  'client_id',
  'redirect_uri',
  'response_type',
  'response_mode',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'max_age',
  'acr_values',
  'prompt',
  'login_hint',
  'idp',
  'request',
  'request_uri',
  'id_token_hint',
  'post_logout_redirect_uri',
]);

function fail(message: string): never {
  throw new OktaSignInError('DISCOVERY_FAILED', message);
}

/**
 * The reader of a discovery document's endpoints: `name`'s (or `fallback`, a path, when the document has none),
 * a URL on the org origin, without a user name or password, whose query names no parameter the
 * client sets; anything else is `DISCOVERY_FAILED`. The one check of every endpoint the client
 * calls (`parseMetadata`'s, and `userInfo`'s `userinfo_endpoint` and `startSignIn({ pushed })`'s `pushed_authorization_request_endpoint` from the raw document, read only where it is called). @internal
 */
export const orgEndpoints = (body: JsonObject, origin: string) => (name: string, fallback?: string): URL => {
  const value = body[name];
  if (value === undefined && fallback !== undefined) return new URL(fallback, origin);
  if (typeof value !== 'string') fail(`The discovery document has no ${name}.`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    fail(`The discovery document's ${name} is not a URL.`);
  }
  // Scheme and host (core's one comparison), not quoted: `blob:<org>/…` has the org's `origin`, and is no endpoint of it.
  if (schemeAndHost(url) !== origin) fail(`The discovery document's ${name} is not a URL on the org origin ${origin}.`);
  // No request can be made to a URL with a user name or password (fetch throws a raw TypeError quoting it).
  if (url.username !== '' || url.password !== '') fail(`The discovery document's ${name} has a user name or password in it.`);
  // RFC 6749 §3.1 keeps an endpoint's query; one naming a parameter the client sets would send it twice, or unasked.
  for (const key of url.searchParams.keys()) if (protocolParams.has(key)) fail(`The discovery document's ${name} has ${key} in its query.`);
  return url;
};

/** Parses and checks a discovery document against the org origin. @internal */
export function parseMetadata(body: JsonObject, origin: string): OrgServerMetadata {
  const issuer = body.issuer;
  if (typeof issuer !== 'string') fail('The discovery document has no issuer.');
  // Okta's org authorization server names itself by the bare origin.
  if (issuer !== origin && issuer !== `${origin}/`) {
    fail(`The discovery document's issuer "${printable(issuer, [], 200)}" is not the org URL ${origin}; the org URL may be wrong, or this is a custom authorization server.`);
  }
  const endpoint = orgEndpoints(body, origin);
  const methods = body.code_challenge_methods_supported;
  if (Array.isArray(methods) && !methods.includes('S256')) fail('The org authorization server does not list PKCE S256 in code_challenge_methods_supported.');
  const algs = body.id_token_signing_alg_values_supported;
  const asymmetric = Array.isArray(algs)
    ? algs.filter((alg): alg is string => typeof alg === 'string' && /^(RS|PS|ES)(256|384|512)$|^EdDSA$|^Ed25519$/.test(alg))
    : [];
  return Object.freeze({
    issuer,
    authorizationEndpoint: endpoint('authorization_endpoint'),
    tokenEndpoint: endpoint('token_endpoint'),
    jwksUri: endpoint('jwks_uri'),
    // Okta's documented paths when the document omits these optional endpoints.
    revocationEndpoint: endpoint('revocation_endpoint', '/oauth2/v1/revoke'),
    introspectionEndpoint: endpoint('introspection_endpoint', '/oauth2/v1/introspect'),
    deviceAuthorizationEndpoint: endpoint('device_authorization_endpoint', '/oauth2/v1/device/authorize'),
    endSessionEndpoint: body.end_session_endpoint === undefined ? undefined : endpoint('end_session_endpoint'),
    issParameterSupported: body.authorization_response_iss_parameter_supported === true,
    idTokenSigningAlgs: asymmetric.length > 0 ? asymmetric : ['RS256'],
    raw: body,
  });
}

/**
 * Fetches `/.well-known/openid-configuration` once per client (single
 * flight); a failure is not cached, so the next call tries again. @internal
 */
export class DiscoveryCache {
  readonly #http: HttpOptions;
  #pending: Promise<OrgServerMetadata> | undefined;

  constructor(http: HttpOptions) {
    this.#http = http;
  }

  get(signal?: AbortSignal): Promise<OrgServerMetadata> {
    this.#pending ??= this.#load().catch((error: unknown) => {
      this.#pending = undefined;
      throw error;
    });
    return waitFor(this.#pending, signal);
  }

  async #load(): Promise<OrgServerMetadata> {
    const url = new URL('/.well-known/openid-configuration', this.#http.origin);
    return getJsonObject(this.#http, url, `the discovery document (${url.href})`, 'DISCOVERY_FAILED', (body) => parseMetadata(body, this.#http.origin));
  }
}
