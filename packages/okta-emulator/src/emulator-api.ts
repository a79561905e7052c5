import type { OinAppCredentials, OinAppOptions, ServiceAppCredentials, ServiceAppOptions, SignInAppCredentials, SignInAppOptions } from './state/app-options.js';
import type { IdTokenCorruption } from './state/context.js';
import type { CounterSnapshot } from './controls/counters.js';
import type { RequestLogEntry } from './controls/request-log.js';
import type { FaultSpec } from './controls/faults.js';
import type { RecordLogEventOptions } from './log-event-options.js';
import type { RotationMode } from './state/model.js';

/*
 * The emulator's public contract: the options and the methods of a running org. The
 * implementation is in emulator.ts, the HTTP mirror of each method in controls/admin-routes.ts;
 * `recordLogEvent`'s options are in log-event-options.ts.
 */

/**
 * Options for {@link startEmulator}.
 *
 * @example
 * ```ts
 * const org = await startEmulator({ tokenLifetimeSeconds: 60, dpopNonceLifetimeSeconds: 10, seed: { users: 3 } });
 * ```
 * @see https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/
 */
export interface EmulatorOptions {
  /** TCP port; `0` (default) picks a free one. */
  port?: number | undefined;
  /** Interface to listen on; default `'127.0.0.1'`. */
  host?: string | undefined;
  /** Access-token lifetime (`expires_in`); default 3600, as Okta's fixed one hour. */
  tokenLifetimeSeconds?: number | undefined;
  /** How often the DPoP nonce rotates; each nonce is accepted for three lifetimes. Default 86400 (Okta: 24 h / 3 days). */
  dpopNonceLifetimeSeconds?: number | undefined;
  /**
   * The device authorization grant's `interval` (RFC 8628 §3.2): the seconds a client waits between polls, and the
   * window a poll inside of which is answered `slow_down` (the interval then grows by 5 s). Default 5, as Okta; a whole
   * number from 1 to 600. A test whose device sign-in is not about the interval shortens its wait with 1.
   */
  deviceIntervalSeconds?: number | undefined;
  /**
   * The status of a device poll's `access_denied` once the user denied: `400`, the default, as RFC 8628 §3.5 and RFC 6749
   * §5.2 say; `403`, the status of the one plain `access_denied` in Okta's error catalogue, which has no device-specific
   * one (FIDELITY, "Round 3"), for a client that must read the denial from either. The body is the same.
   */
  deviceDeniedStatus?: 400 | 403 | undefined;
  /**
   * RFC 9207: `true` puts `iss` in every authorization response and advertises
   * `authorization_response_iss_parameter_supported: true` in both discovery documents, for a
   * client's RFC 9207 path. Default `false`, as Okta: its documents list neither, and its redirects
   * carry `code` and `state` only (FIDELITY P13, W5).
   */
  authorizationResponseIss?: boolean | undefined;
  /**
   * The org's Trusted Origins with the CORS scope (Security > API > Trusted Origins), each an origin such as
   * `'http://127.0.0.1:5173'`. A browser call from any other origin gets no CORS headers (its `fetch` rejects) and
   * `/oauth2/v1/token` refuses it (400 `invalid_request`, Okta's wording); the keys and discovery documents stay open,
   * and so does the org's own origin. Unset (or `null`): CORS for any origin, so tests and demos need no list (FIDELITY CO1–CO4).
   * `[]` trusts none yet: add a page's origin once it is known with {@link OktaEmulator.addTrustedOrigin}.
   */
  trustedOrigins?: readonly string[] | null | undefined;
  /**
   * Okta's rules for a browser's request (an `Origin` other than the org's) to `/oauth2/v1/token`: the
   * authorization code or refresh token grant only, no client secret or assertion (PKCE), from the
   * origin of one of the app's redirect URIs; else the catalogue's 400 or 401 (FIDELITY BR1–BR5).
   * Default `true`; `false` answers a page as a server, for a test that runs server code in a browser.
   */
  browserRules?: boolean | null | undefined;
  /** Refresh-token rotation for sign-in apps that don't set one; default Okta's for the app's type: `'rotate'` for a SPA, `'static'` for a web or native app. */
  refreshTokenRotation?: RotationMode | undefined;
  /** Per-minute limits per bucket (`'/api/v1/users'`, `'/oauth2/v1/token'`, …; `'*'` sets the fallback). */
  rateLimits?: Record<string, number> | undefined;
  /** Users to create at start (`user0001@example.com`… with password `Passw0rd!`). */
  seed?: {
    /** How many users to create up front (`user0001@example.com`, …, password `SEED_PASSWORD`). */
    users?: number | undefined;
  } | undefined;
}

/**
 * Options for {@link OktaEmulator.createUser}.
 *
 * @example
 * ```ts
 * org.createUser({ login: 'ada@example.com', password: 'Passw0rd!', firstName: 'Ada', admin: true });
 * ```
 * @see https://developer.okta.com/docs/reference/api/users/
 */
export interface CreateUserOptions {
  /** The sign-in name (an email address in Okta), at most 100 characters as the Users API takes. */
  login: string;
  /** The password the emulator's sign-in page accepts: at least 8 characters, as Okta's default password policy requires. */
  password: string;
  /** Given name. */
  firstName?: string | undefined;
  /** Family name. */
  lastName?: string | undefined;
  /** Primary email (defaults to the login when it is an email address). */
  email?: string | undefined;
  /** Grants admin rights: user-bound tokens with `okta.*` scopes work only for admins. */
  admin?: boolean | undefined;
}

/**
 * A running emulated Okta org. Every instance is independent; several can run in one process.
 * Each method is also reachable over HTTP under `/__emulator/*` (see the README). A method refuses a
 * bad argument, or a user, API token or device code it does not have, with an {@link OktaEmulatorError}
 * (`INVALID_OPTION`, `NOT_FOUND` or `ALREADY_EXISTS`, `option` naming the argument).
 *
 * @example
 * ```ts
 * const org: OktaEmulator = await startEmulator();
 * const app = org.createServiceApp({ scopes: ['okta.users.read'] });
 * org.setClockOffset(3600); // tokens issued before are now expired
 * await org.close();
 * ```
 * @see https://developer.okta.com/docs/reference/core-okta-api/
 */
export interface OktaEmulator {
  /** The org URL and issuer, `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string;
  /** Stop listening and drop open connections. */
  close(): Promise<void>;
  /**
   * A live API token for `Authorization: SSWS <token>`. `user` (a login or id) is the admin who
   * created it, whom `GET /api/v1/users/me` returns; by default the org's first active admin (the
   * seeded `SEED_ADMIN_LOGIN` unless ended). As at Okta, the token is 401 `E0000011` while that user
   * is not `ACTIVE` (suspended, deactivated, deleted), and 403 `E0000006` on every call if the user
   * is no admin (an admin whose role was taken away).
   */
  createApiToken(opts?: { name?: string | undefined; user?: string | undefined }): {
    /** The token's id. */
    id: string;
    /** The API token, sent as `Authorization: SSWS <token>`. */
    token: string;
  };
  /** The token then answers 401 `E0000011`. */
  revokeApiToken(id: string): void;
  /** The token then answers 401 `E0000011`. */
  expireApiToken(id: string): void;
  /** An API service app authenticating with `private_key_jwt`; returns its first key pair. */
  createServiceApp(opts: ServiceAppOptions): ServiceAppCredentials;
  /** An OIN API service integration authenticating with `client_secret_basic` (or `client_secret_post`). */
  createOinApp(opts: OinAppOptions): OinAppCredentials;
  /**
   * A user sign-in app: `'spa'` (public, PKCE), `'web'` (confidential: a secret, or a key pair for
   * `private_key_jwt`) or `'native'` (public, PKCE, the device grant).
   */
  createSignInApp(opts: SignInAppOptions): SignInAppCredentials;
  /**
   * An ACTIVE user who can sign in with `login` and `password`, by the Users API's rules.
   * @throws {OktaEmulatorError} `INVALID_OPTION` for a login over 100 characters or a password under 8;
   *   `ALREADY_EXISTS` for a login another user has up to case and diacritical marks.
   */
  createUser(opts: CreateUserOptions): {
    /** The user's id (`/api/v1/users/{id}`). */
    id: string;
    /** The user's login. */
    login: string;
  };
  /** Add `n` users `userNNNN@example.com` with password `Passw0rd!`. */
  seedUsers(n: number): void;
  /** Approve a pending device authorization as the user `login`. */
  approveDevice(userCode: string, login: string): void;
  /** Deny a pending device authorization (the device then gets `access_denied`). */
  denyDevice(userCode: string): void;
  /** Requests per endpoint, token requests per grant and outcome, the most in flight at once, concurrent-limit 429s. */
  counters(): CounterSnapshot;
  /** Sets every request counter back to zero (`maxInFlight` to the requests in flight now). */
  resetCounters(): void;
  /** Run the org's clock `seconds` ahead of (or behind) real time. */
  setClockOffset(seconds: number): void;
  /** Lifetime of access tokens issued from now on. */
  setTokenLifetime(seconds: number): void;
  /**
   * Inject a fault; returns its id. A `status` fault with a `body` answers that JSON instead, so
   * `{ path: '/oauth2/v1/token', kind: 'status', status: 400, body: { error: 'invalid_grant' }, count: 1 }`
   * fails the next token request. A `hold` fault keeps matching requests in flight until
   * {@link OktaEmulator.releaseHeld} (at most `holdMs`; `close()` ends them).
   */
  injectFault(f: FaultSpec): string;
  /** Removes every injected fault, and lets every request a `hold` fault holds go. */
  clearFaults(): void;
  /** Removes the fault `id` (what `injectFault` returned) alone, letting every request it holds go: an outage ends when the test says. Whether it was live (`false` for one spent, expired, removed or never injected); an `id` that is no string: `OktaEmulatorError` `INVALID_OPTION`. */
  removeFault(id: string): boolean;
  /**
   * How many requests the `hold` fault `id` (what `injectFault` returned) holds now; 0 for another id
   * (an `id` that is no string: `INVALID_OPTION`, as for `removeFault` and `releaseHeld`).
   * Each is in flight (`counters().maxInFlight`, the concurrent limit) until it is let go.
   */
  heldAnswers(id: string): number;
  /**
   * Lets the oldest `count` (unset: all) requests the `hold` fault `id` holds go on to be answered;
   * returns how many went. The fault holds later matching requests still (`clearFaults` ends it).
   */
  releaseHeld(id: string, count?: number): number;
  /**
   * Sign a person in without a browser, through the org's `/authorize` and sign-in form; resolves to the URL
   * the redirect lands on (`code` and `state`). `SIGN_IN_FAILED` for a wrong login or password (README, "Sign in without a browser").
   */
  signIn(authorizeUrl: string, credentials: { login: string; password: string }): Promise<string>;
  /** The org's last 500 requests (not the admin API's), oldest first, on `path`, after `since`; no secret in them (README, "What the org was sent"). */
  requests(filter?: { path?: string | undefined; since?: number | undefined }): RequestLogEntry[];
  /** Per-minute limit of a bucket such as `'/api/v1/users'` or `'/oauth2/v1/token'`. */
  setRateLimit(bucket: string, perMinute: number): void;
  /** At most `n` requests in flight (`undefined`: no limit). Okta's default is 75 (35 on Integrator Free). */
  setConcurrencyLimit(n: number | undefined): void;
  /**
   * The fraction (0 < share ≤ 1) of each `/api/v1/*` bucket one API token or OAuth app may use per
   * minute; past it, 429 `E0000047` with the principal's limit in `X-Rate-Limit-Limit`. Okta's
   * default is `0.5`; the emulator's is `undefined` (no ceiling) unless set.
   */
  setPrincipalRateLimitShare(share: number | undefined): void;
  /** Every access token issued so far becomes invalid. */
  revokeAccessTokens(): void;
  /** Require the current DPoP nonce in resource-call proofs (Okta doesn't; default off). */
  requireResourceNonce(required: boolean): void;
  /**
   * Trust one more origin (Security > API > Trusted Origins, CORS scope) from now on, as `trustedOrigins`
   * does at start: for a page server started after the org, whose port is known only then. Only an org
   * started with `trustedOrigins` (`[]` for none yet) takes one: unset, it answers every origin already
   * (`INVALID_OPTION`, as for what is not an origin, or one past the 1,000 an org takes). Adding one again changes nothing.
   *
   * @example
   * ```ts
   * const org = await startEmulator({ trustedOrigins: [] });
   * const pageOrigin = 'http://127.0.0.1:5173'; // the page server's, once it listens
   * org.addTrustedOrigin(pageOrigin);
   * ```
   * @see https://developer.okta.com/docs/guides/enable-cors/main/
   */
  addTrustedOrigin(origin: string): void;
  /**
   * Add a newly generated key pair to a `private_key_jwt` app (a service app, or a web app made with
   * `tokenEndpointAuthMethod: 'private_key_jwt'`), beside its active keys: the first step of a client
   * key's rotation. `keyType` `'RSA'` (default, RS256) or `'EC'` (P-256, ES256).
   */
  addAppKey(clientId: string, options?: { keyType?: 'RSA' | 'EC' | undefined }): ServiceAppCredentials;
  /** Deactivate a key of a `private_key_jwt` app: assertions signed with it get 401 `invalid_client`; tokens it obtained stay valid. */
  deactivateAppKey(clientId: string, keyId: string): void;
  /**
   * Add a newly generated client secret to an app that authenticates with one (an OIN app, or a web
   * app using `client_secret_basic`, `_post` or `_jwt`), beside its active one: the first step of a
   * secret's rotation ("Generate new secret"). Both work until one is deactivated; as at Okta, an app
   * has at most two (`INVALID_OPTION` for a third). Returns the new secret and its `secretId`.
   */
  addAppSecret(clientId: string): {
    /** The app's client id. */
    clientId: string;
    /** The new client secret. */
    clientSecret: string;
    /** Its id (`ocs…`), for `deactivateAppSecret`. */
    secretId: string;
  };
  /**
   * Deactivate a client secret of an app by its `secretId`: requests with it get 401 `invalid_client`;
   * tokens it obtained stay valid. The app's only active secret cannot be (`INVALID_OPTION`), as at Okta.
   */
  deactivateAppSecret(clientId: string, secretId: string): void;
  /**
   * Deactivate an app, as an admin's uninstall of an OIN integration (or the Apps API's
   * `lifecycle/deactivate`) does: its client is answered as an unknown one, `/authorize`'s 400 error
   * page and 401 `invalid_client` "Invalid value for 'client_id' parameter." at every endpoint it
   * authenticates at (`/token`, `/revoke`, `/introspect`, `/device/authorize`, `/par`), and its access
   * and refresh tokens are revoked (the API answers them 401 `invalid_token`); its codes, device codes and
   * pushed `request_uri`s are forgotten, activated again or not. The Apps API shows it `INACTIVE`. An unknown client id: `NOT_FOUND`.
   *
   * @example
   * ```ts
   * const { clientId } = org.createOinApp({ scopes: ['okta.users.read'] });
   * org.deactivateApp(clientId); // the customer uninstalled the integration
   * org.activateApp(clientId); // reinstalled: new token requests work, the old tokens and codes stay invalid
   * ```
   * @see https://developer.okta.com/docs/api/openapi/okta-management/management/tag/ApplicationLifecycle/
   */
  deactivateApp(clientId: string): void;
  /** Activate an app {@link OktaEmulator.deactivateApp} deactivated: its client may ask for tokens again; revoked tokens stay revoked. */
  activateApp(clientId: string): void;
  /** Make a new ID-token signing key current; returns its `kid`. The previous key stays published. */
  rotateSigningKey(): string;
  /**
   * Lay `fields` over the discovery documents (`/.well-known/openid-configuration` and
   * `/.well-known/oauth-authorization-server`) until the next call; a `null` value removes a field,
   * `{}` restores the real document. For a misconfigured org or custom domain (another `issuer`),
   * a document that advertises RFC 9207 (`authorization_response_iss_parameter_supported: true`)
   * while the redirects carry no `iss`, or an endpoint a client must refuse. The org's endpoints and
   * its redirects do not change (`iss` in them: {@link EmulatorOptions.authorizationResponseIss}).
   */
  overrideDiscovery(fields: Record<string, unknown>): void;
  /** Spoil the next ID token the org issues, to test client-side validation (one kind per check). */
  corruptNextIdToken(kind: IdTokenCorruption): void;
  /**
   * Add an event to the org's System Log (`GET /api/v1/logs`), as if it had happened; returns its
   * `uuid`. The org records its own events too (see the README).
   */
  recordLogEvent(opts: RecordLogEventOptions): {
    /** The event's `uuid`. */
    uuid: string;
  };
}
