import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';
import {
  createOinApp,
  createServiceApp,
  createSignInApp,
  type ServiceAppCredentials,
  type ServiceAppOptions,
  type SignInAppOptions,
} from './state/apps.js';
import { OrgContext, type IdTokenCorruption } from './state/context.js';
import type { CounterSnapshot } from './controls/counters.js';
import { FAULT_KINDS, type FaultSpec } from './controls/faults.js';
import type { RotationMode } from './state/model.js';
import { Router } from './http/router.js';
import { registerAdminRoutes } from './controls/admin-routes.js';
import { registerOrgRoutes } from './routes/index.js';
import { createRequestListener } from './http/server.js';

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
  /** Default refresh-token rotation for sign-in apps that don't set one; default `'rotate'`. */
  refreshTokenRotation?: RotationMode | undefined;
  /** Per-minute limits per bucket (`'/api/v1/users'`, `'/oauth2/v1/token'`, …; `'*'` sets the fallback). */
  rateLimits?: Record<string, number> | undefined;
  /** Users to create at start (`user0001@example.com`… with password `Passw0rd!`). */
  seed?: { users?: number | undefined } | undefined;
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
  login: string;
  password: string;
  firstName?: string | undefined;
  lastName?: string | undefined;
  email?: string | undefined;
  /** Grants admin rights: user-bound tokens with `okta.*` scopes work only for admins. */
  admin?: boolean | undefined;
}

/**
 * A running emulated Okta org. Every instance is independent; several can run in one process.
 * Each method is also reachable over HTTP under `/__emulator/*` (see the README).
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
   * created it, whom `GET /api/v1/users/me` returns; by default the org's first admin user.
   */
  createApiToken(opts?: { name?: string | undefined; user?: string | undefined }): { id: string; token: string };
  /** The token then answers 401 `E0000011`. */
  revokeApiToken(id: string): void;
  /** The token then answers 401 `E0000011`. */
  expireApiToken(id: string): void;
  /** An API service app authenticating with `private_key_jwt`; returns its first key pair. */
  createServiceApp(opts: ServiceAppOptions): ServiceAppCredentials;
  /** An OIN API service integration authenticating with `client_secret_basic`. */
  createOinApp(opts: { scopes: string[] }): { clientId: string; clientSecret: string };
  /** A user sign-in app: `'spa'` (public, PKCE), `'web'` (with a secret) or `'native'` (public, PKCE, the device grant). */
  createSignInApp(opts: SignInAppOptions): { clientId: string; clientSecret?: string };
  /** An ACTIVE user who can sign in with `login` and `password`. */
  createUser(opts: CreateUserOptions): { id: string; login: string };
  /** Add `n` users `userNNNN@example.com` with password `Passw0rd!`. */
  seedUsers(n: number): void;
  /** Approve a pending device authorization as the user `login`. */
  approveDevice(userCode: string, login: string): void;
  /** Deny a pending device authorization (the device then gets `access_denied`). */
  denyDevice(userCode: string): void;
  /** Requests per endpoint and token requests per grant and outcome. */
  counters(): CounterSnapshot;
  resetCounters(): void;
  /** Run the org's clock `seconds` ahead of (or behind) real time. */
  setClockOffset(seconds: number): void;
  /** Lifetime of access tokens issued from now on. */
  setTokenLifetime(seconds: number): void;
  /** Inject a fault; returns its id. */
  injectFault(f: FaultSpec): string;
  clearFaults(): void;
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
  /** Make a new ID-token signing key current; returns its `kid`. The previous key stays published. */
  rotateSigningKey(): string;
  /** Spoil the next ID token the org issues, to test client-side validation. */
  corruptNextIdToken(kind: IdTokenCorruption): void;
}

class Emulator implements OktaEmulator {
  readonly #ctx: OrgContext;
  readonly #server: Server;

  constructor(ctx: OrgContext, server: Server) {
    this.#ctx = ctx;
    this.#server = server;
  }

  get url(): string {
    return this.#ctx.url;
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#server.close((err) => {
        if (err) reject(err);
        else resolve();
      });
      this.#server.closeAllConnections();
    });
  }

  createApiToken(opts: { name?: string | undefined; user?: string | undefined } = {}): { id: string; token: string } {
    let userId: string | undefined;
    if (opts.user !== undefined) {
      const user = this.#ctx.store.findUser(opts.user);
      if (user === undefined) throw new Error(`createApiToken: no user ${opts.user} (create the admin first)`);
      userId = user.id;
    }
    const t = this.#ctx.store.createApiToken(opts.name ?? 'emulator token', this.#ctx.clock.nowMs(), userId);
    return { id: t.id, token: t.token };
  }

  #apiToken(id: string) {
    const t = this.#ctx.store.apiTokens.get(id);
    if (t === undefined) throw new Error(`unknown API token id ${id}`);
    return t;
  }

  revokeApiToken(id: string): void {
    this.#apiToken(id).status = 'REVOKED';
  }

  expireApiToken(id: string): void {
    this.#apiToken(id).status = 'EXPIRED';
  }

  createServiceApp(opts: ServiceAppOptions): ServiceAppCredentials {
    return createServiceApp(this.#ctx, opts);
  }

  createOinApp(opts: { scopes: string[] }): { clientId: string; clientSecret: string } {
    return createOinApp(this.#ctx, opts);
  }

  createSignInApp(opts: SignInAppOptions): { clientId: string; clientSecret?: string } {
    return createSignInApp(this.#ctx, opts);
  }

  createUser(opts: CreateUserOptions): { id: string; login: string } {
    if (this.#ctx.store.findUserByLogin(opts.login) !== undefined) throw new Error(`user ${opts.login} already exists`);
    const u = this.#ctx.store.createUser(opts, this.#ctx.clock.nowMs());
    return { id: u.id, login: u.profile.login };
  }

  seedUsers(n: number): void {
    this.#ctx.store.seedUsers(n, this.#ctx.clock.nowMs());
  }

  #device(userCode: string) {
    const wanted = userCode.replace(/[^A-Za-z]/g, '').toUpperCase();
    for (const d of this.#ctx.store.devices.values()) {
      if (d.userCode === wanted && d.status === 'pending' && this.#ctx.clock.nowSeconds() < d.expiresAt) return d;
    }
    throw new Error(`no pending device authorization for user code ${userCode}`);
  }

  approveDevice(userCode: string, login: string): void {
    const d = this.#device(userCode);
    const user = this.#ctx.store.findUserByLogin(login);
    if (user === undefined) throw new Error(`unknown user ${login}`);
    d.status = 'approved';
    d.userId = user.id;
    d.authTime = this.#ctx.clock.nowSeconds();
  }

  denyDevice(userCode: string): void {
    this.#device(userCode).status = 'denied';
  }

  counters(): CounterSnapshot {
    return this.#ctx.counters.snapshot();
  }

  resetCounters(): void {
    this.#ctx.counters.reset();
  }

  setClockOffset(seconds: number): void {
    this.#ctx.clock.setOffsetSeconds(seconds);
  }

  setTokenLifetime(seconds: number): void {
    if (!(seconds > 0)) throw new RangeError('token lifetime must be positive');
    this.#ctx.settings.tokenLifetimeSeconds = seconds;
  }

  injectFault(f: FaultSpec): string {
    if (!FAULT_KINDS.includes(f.kind)) throw new TypeError(`unknown fault kind ${f.kind}`);
    if (typeof f.path !== 'string' || !f.path.startsWith('/')) throw new TypeError('fault path must start with /');
    if (f.status !== undefined && !(Number.isInteger(f.status) && f.status >= 100 && f.status <= 599)) {
      throw new RangeError('fault status must be an HTTP status code');
    }
    if (f.count !== undefined && !(Number.isInteger(f.count) && f.count >= 1)) throw new RangeError('fault count must be a positive integer');
    if (f.latencyMs !== undefined && !(f.latencyMs >= 0)) throw new RangeError('fault latencyMs must be >= 0');
    if (f.durationMs !== undefined && !(f.durationMs > 0)) throw new RangeError('fault durationMs must be > 0');
    return this.#ctx.faults.add(f);
  }

  clearFaults(): void {
    this.#ctx.faults.clear();
  }

  setRateLimit(bucket: string, perMinute: number): void {
    this.#ctx.limiter.setLimit(bucket, perMinute);
  }

  setConcurrencyLimit(n: number | undefined): void {
    this.#ctx.concurrencyLimit = n;
  }

  setPrincipalRateLimitShare(share: number | undefined): void {
    if (share !== undefined && !(share > 0 && share <= 1)) throw new TypeError('share must be a number in (0, 1]');
    this.#ctx.limiter.principalShare = share;
  }

  revokeAccessTokens(): void {
    for (const t of this.#ctx.store.accessTokens.values()) t.revoked = true;
  }

  requireResourceNonce(required: boolean): void {
    this.#ctx.requireResourceNonce = required;
  }

  rotateSigningKey(): string {
    return this.#ctx.signingKeys.rotate();
  }

  corruptNextIdToken(kind: IdTokenCorruption): void {
    this.#ctx.corruptNextIdToken = kind;
  }
}

/**
 * Start an emulated Okta org on a local HTTP port.
 *
 * @example
 * ```ts
 * import { startEmulator } from '@org/okta-emulator';
 *
 * const org = await startEmulator({ seed: { users: 5 } });
 * const { token } = org.createApiToken();
 * const res = await fetch(`${org.url}/api/v1/users?limit=2`, { headers: { Authorization: `SSWS ${token}` } });
 * console.log(res.status, res.headers.get('link'));
 * await org.close();
 * ```
 * @see https://developer.okta.com/docs/reference/core-okta-api/
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<OktaEmulator> {
  const ctx = new OrgContext(
    {
      tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3600,
      dpopNonceLifetimeSeconds: options.dpopNonceLifetimeSeconds ?? 86_400,
      refreshTokenRotation: options.refreshTokenRotation ?? 'rotate',
      refreshTokenGraceSeconds: 30,
      authCodeLifetimeSeconds: 300, // Okta's OIDC reference: "The code has a lifetime of 300 seconds."
      deviceCodeLifetimeSeconds: 600,
      deviceIntervalSeconds: 5,
      proofMaxAgeSeconds: 300,
      proofMaxFutureSeconds: 60,
    },
    options.rateLimits ?? {},
  );
  const router = new Router();
  registerOrgRoutes(router, ctx);
  const adminRouter = new Router();
  const server = createServer(createRequestListener(ctx, router, adminRouter));
  const emulator = new Emulator(ctx, server);
  registerAdminRoutes(adminRouter, emulator);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const unspecified = address.address === '0.0.0.0' || address.address === '::';
  const host = unspecified ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  ctx.url = `http://${host}:${address.port}`;
  if (options.seed?.users !== undefined) ctx.store.seedUsers(options.seed.users, ctx.clock.nowMs());
  return emulator;
}

export type { JWK };
