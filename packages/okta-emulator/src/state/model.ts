import type { JWK } from 'jose';

/** Okta's user statuses the emulator reaches (`LOCKED_OUT` is not: the emulator has no lockout policy). */
export type UserStatus = 'STAGED' | 'PROVISIONED' | 'ACTIVE' | 'SUSPENDED' | 'PASSWORD_EXPIRED' | 'RECOVERY' | 'DEPROVISIONED';

/**
 * A user's profile: Okta's four required attributes, and whatever other attributes the user was given
 * (the default profile's `mobilePhone`, `department`, …, or custom ones), kept as their JSON values.
 */
export interface UserProfile {
  login: string;
  email: string;
  firstName: string;
  lastName: string;
  [attribute: string]: unknown;
}

export interface UserRecord {
  id: string;
  /** Creation order, used as the pagination cursor. */
  seq: number;
  status: UserStatus;
  created: number;
  lastUpdated: number;
  activated: number | null;
  statusChanged: number | null;
  passwordChanged: number | null;
  lastLogin: number | null;
  profile: UserProfile;
  password: string | undefined;
  admin: boolean;
}

export interface GroupRecord {
  id: string;
  seq: number;
  type: 'BUILT_IN' | 'OKTA_GROUP';
  created: number;
  lastUpdated: number;
  profile: { name: string; description: string };
  /** Member user ids of an `OKTA_GROUP` (the built-in Everyone group holds every user implicitly). */
  members: Set<string>;
  lastMembershipUpdated: number;
}

export interface ApiTokenRecord {
  id: string;
  name: string;
  token: string;
  created: number;
  lastUsed: number;
  status: 'ACTIVE' | 'REVOKED' | 'EXPIRED';
  /** The admin who created the token (`/api/v1/users/me`): the token acts only while that user is active. */
  userId: string;
}

/**
 * Refresh-token rotation: `'rotate'` issues a new refresh token on every use (the old one has a
 * 30 s grace period); `'static'` keeps the same one.
 *
 * @example
 * ```ts
 * org.createSignInApp({ type: 'web', redirectUris: ['http://localhost/cb'], refreshTokenRotation: 'static' });
 * ```
 * @see https://developer.okta.com/docs/guides/refresh-tokens/main/#refresh-token-rotation
 */
export type RotationMode = 'rotate' | 'static';

/**
 * An app's `token_endpoint_auth_method`: the one way its client authenticates. A request that
 * authenticates another way is 401 `invalid_client`.
 *
 * @example
 * ```ts
 * org.createSignInApp({ type: 'web', redirectUris: ['http://localhost/cb'], tokenEndpointAuthMethod: 'client_secret_jwt' });
 * ```
 * @see https://developer.okta.com/docs/api/openapi/okta-oauth/guides/client-auth/
 */
export type TokenEndpointAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'client_secret_jwt' | 'private_key_jwt' | 'none';

interface AppBase {
  clientId: string;
  authMethod: TokenEndpointAuthMethod;
  /** Granted scopes (`okta.*` grants, and for sign-in apps any extra custom scopes). */
  scopes: Set<string>;
  requireDpop: boolean;
  /** Set by `deactivateApp` (an uninstalled integration, an app an admin turned off): its client is refused everywhere; unset by `activateApp`. */
  inactive?: boolean | undefined;
}

export interface ServiceApp extends AppBase {
  kind: 'service';
  /** Registered public keys, each with a `kid`. */
  keys: JWK[];
}

/** One of an app's active client secrets (Okta's client secret object: an `id` and the value). */
export interface ClientSecretRecord {
  /** Okta's secret id (`ocs…`), which names it in `deactivateAppSecret`. */
  id: string;
  value: string;
}

export interface OinApp extends AppBase {
  kind: 'oin';
  /** The active client secrets (one or two); an inactive one is kept apart (`state/app-credentials.ts`). */
  secrets: ClientSecretRecord[];
}

export interface SignInApp extends AppBase {
  /** `spa` and `native` are public clients (PKCE, no secret); `web` has a secret. */
  kind: 'spa' | 'web' | 'native';
  /** The active client secrets of a web app that has them (one or two); empty for the others. */
  secrets: ClientSecretRecord[];
  /** Registered public keys (a `private_key_jwt` web app), each with a `kid`. */
  keys: JWK[];
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  refreshTokenRotation: RotationMode | undefined;
  /** The grace period of a rotated refresh token (Okta's `leeway`); the org's default when unset. */
  refreshTokenLeewaySeconds: number | undefined;
  groupsClaim: GroupsClaim | undefined;
  /** The app's name, as its sign-in page shows it. */
  label: string | undefined;
  /** A line for the person on the sign-in page (such as which test user to sign in as). */
  signInHint: string | undefined;
}

/**
 * An OIDC app's groups claim (Okta: "Groups claim type: Filter"): the ID token carries the names of
 * the user's groups that match, under `name`, when the `groups` scope was granted.
 *
 * @example
 * ```ts
 * org.createSignInApp({ type: 'spa', redirectUris: ['http://localhost/cb'], groupsClaim: { filter: 'STARTS_WITH', value: 'app-' } });
 * ```
 * @see https://developer.okta.com/docs/guides/customize-tokens-groups-claim/main/
 */
export interface GroupsClaim {
  /** Claim name; default `'groups'`. */
  name?: string | undefined;
  /** How `value` matches group names, as in the Admin Console's groups claim filter. */
  filter: 'EQUALS' | 'STARTS_WITH' | 'CONTAINS' | 'REGEX';
  /** The text (or regular expression, for `REGEX`) group names are matched against. */
  value: string;
}

export type AppRecord = ServiceApp | OinApp | SignInApp;

export interface AccessTokenRecord {
  value: string;
  jti: string;
  clientId: string;
  scopes: string[];
  userId: string | undefined;
  /** JWK SHA-256 thumbprint of the DPoP key the token is bound to (`cnf.jkt`). */
  jkt: string | undefined;
  issuedAt: number;
  expiresAt: number;
  revoked: boolean;
  refreshToken: string | undefined;
  grant: string;
}

export interface RefreshTokenRecord {
  value: string;
  clientId: string;
  scopes: string[];
  userId: string;
  jkt: string | undefined;
  issuedAt: number;
  authTime: number;
  /** The `acr_values` value the sign-in met (step-up guide), carried to the ID token's `acr`. */
  acr?: string | undefined;
  familyId: string;
  /** When this token was exchanged for a newer one (rotation); it stays usable for the grace period while that one is current. */
  rotatedAt: number | undefined;
  /** The token it was exchanged for (rotation): what a use within the grace period gets back. */
  rotatedTo?: string | undefined;
  revoked: boolean;
}

export interface AuthCodeRecord {
  code: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  userId: string;
  codeChallenge: string | undefined;
  nonce: string | undefined;
  authTime: number;
  /** The `acr_values` value the sign-in met (step-up guide), carried to the ID token's `acr`. */
  acr?: string | undefined;
  expiresAt: number;
  used: boolean;
  issuedAccessTokens: string[];
  issuedRefreshToken: string | undefined;
}

export interface DeviceAuthRecord {
  deviceCode: string;
  userCode: string;
  clientId: string;
  scopes: string[];
  expiresAt: number;
  intervalSeconds: number;
  lastPolledAt: number | undefined;
  status: 'pending' | 'approved' | 'denied' | 'consumed';
  userId: string | undefined;
  authTime: number | undefined;
}

export interface SessionRecord {
  id: string;
  userId: string;
  authTime: number;
  /** When the session was last used (epoch ms, org clock): an idle one is forgotten (`Store.prune`). */
  lastUsedMs: number;
}

/** A pending /authorize request waiting for the user to sign in. */
export interface AuthorizeTransaction {
  id: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state: string;
  nonce: string | undefined;
  codeChallenge: string | undefined;
  responseMode: 'query' | 'fragment' | 'form_post';
  expiresAt: number;
  /** The `acr_values` value the sign-in met (step-up guide), carried to the ID token's `acr`. */
  acr?: string | undefined;
}

/** A pushed authorization request (RFC 9126 §2), kept under its `request_uri` until used once or expired. */
export interface PushedRequest {
  clientId: string;
  /** The authorization request's parameters as pushed, client authentication left out. */
  params: [string, string][];
  expiresAt: number;
}
