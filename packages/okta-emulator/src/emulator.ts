import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';
import {
  createOinApp,
  createServiceApp,
  createSignInApp,
  type OinAppOptions,
  type ServiceAppCredentials,
  type ServiceAppOptions,
  type SignInAppCredentials,
  type SignInAppOptions,
} from './state/apps.js';
import { ID_TOKEN_CORRUPTIONS, OrgContext, type IdTokenCorruption } from './state/context.js';
import type { CounterSnapshot } from './controls/counters.js';
import { checkFaultSpec, type FaultSpec } from './controls/faults.js';
import { Router } from './http/router.js';
import { registerAdminRoutes } from './controls/admin-routes.js';
import { registerOrgRoutes } from './routes/index.js';
import { createRequestListener } from './http/server.js';
import type { CreateUserOptions, EmulatorOptions, OktaEmulator } from './emulator-api.js';
import { checkEmulatorOptions, checkUserCount } from './options.js';

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

  createOinApp(opts: OinAppOptions): { clientId: string; clientSecret: string } {
    return createOinApp(this.#ctx, opts);
  }

  createSignInApp(opts: SignInAppOptions): SignInAppCredentials {
    return createSignInApp(this.#ctx, opts);
  }

  createUser(opts: CreateUserOptions): { id: string; login: string } {
    if (this.#ctx.store.findUserByLogin(opts.login) !== undefined) throw new Error(`user ${opts.login} already exists`);
    const u = this.#ctx.store.createUser(opts, this.#ctx.clock.nowMs());
    return { id: u.id, login: u.profile.login };
  }

  seedUsers(n: number): void {
    this.#ctx.store.seedUsers(checkUserCount(n, 'n', 'seedUsers'), this.#ctx.clock.nowMs());
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
    checkFaultSpec(f);
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

  overrideDiscovery(fields: Record<string, unknown>): void {
    if (typeof fields !== 'object' || Array.isArray(fields) || (fields as unknown) === null) throw new TypeError('discovery overrides must be a JSON object');
    this.#ctx.discoveryOverrides = { ...fields };
  }

  corruptNextIdToken(kind: IdTokenCorruption): void {
    if (!ID_TOKEN_CORRUPTIONS.includes(kind)) throw new TypeError(`unknown ID-token corruption ${kind}; one of ${ID_TOKEN_CORRUPTIONS.join(', ')}`);
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
 * @throws {OktaEmulatorError} `INVALID_OPTION` for an option value it cannot use, before listening.
 * @see https://developer.okta.com/docs/reference/core-okta-api/
 */
export async function startEmulator(given: EmulatorOptions = {}): Promise<OktaEmulator> {
  const options = checkEmulatorOptions(given);
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
