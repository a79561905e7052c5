import { createServer, type Server } from 'node:http';
import type { JWK } from 'jose';
import { createOinApp, createServiceApp, createSignInApp } from './state/apps.js';
import type { OinAppCredentials, OinAppOptions, ServiceAppCredentials, ServiceAppOptions, SignInAppCredentials, SignInAppOptions } from './state/app-options.js';
import { addAppKey, deactivateAppKey } from './state/app-keys.js';
import { addAppSecret, deactivateAppSecret } from './state/app-secrets.js';
import { activateApp, deactivateApp } from './state/app-lifecycle.js';
import { createApiToken, expireApiToken, revokeApiToken, seedAdmin } from './state/api-tokens.js';
import { ID_TOKEN_CORRUPTIONS, OrgContext, type IdTokenCorruption } from './state/context.js';
import type { CounterSnapshot } from './controls/counters.js';
import { checkFaultId, checkFaultSpec, checkReleaseCount, type FaultSpec } from './controls/faults.js';
import { Router } from './http/router.js';
import { signInByForm } from './controls/sign-in.js';
import type { RequestLogEntry } from './controls/request-log.js';
import { registerAdminRoutes } from './controls/admin-routes.js';
import { registerOrgRoutes } from './routes/index.js';
import { createRequestListener, SERVER_BOUNDS } from './http/server.js';
import { listen } from './http/listen.js';
import { keepAliveUntilIdle } from './http/keep-alive.js';
import type { CreateUserOptions, EmulatorOptions, OktaEmulator } from './emulator-api.js';
import type { RecordLogEventOptions } from './log-event-options.js';
import { logEvent, SYSTEM_ACTOR } from './protocol/log-events.js';
import { addTrustedOrigin, checkBucket, checkClockOffset, checkConcurrencyLimit, checkEmulatorOptions, checkFields, checkLogEventOptions, checkPerMinute, checkSeconds, checkUserCount, OIN_APP_FIELDS, REQUESTS_FIELDS, SERVICE_APP_FIELDS, SIGN_IN_APP_FIELDS, SIGN_IN_FIELDS, USER_FIELDS } from './options.js';
import { invalidOption, LOGIN_OR_ID_SHAPE, OktaEmulatorError, optionsOf, shown, unknownId, USER_CODE_SHAPE } from './emulator-error.js';
import { isRecord } from './http/http-types.js';
import { STORE_CAPS } from './state/store.js';
import { keyPairPool } from './state/key-pair.js';
import { characters, loginTooLong, MAX_LOGIN_CHARACTERS, MIN_PASSWORD_CHARACTERS, passwordTooShort } from './state/user-rules.js';

class Emulator implements OktaEmulator {
  readonly #ctx: OrgContext;
  readonly #server: Server;
  /** Ends this org's claim on the key-pair pool (`state/key-pair.ts`): no pair is made for it after `close()`. */
  readonly #releaseKeys: () => void;

  constructor(ctx: OrgContext, server: Server, releaseKeys: () => void) {
    this.#ctx = ctx;
    this.#server = server;
    this.#releaseKeys = releaseKeys;
  }

  get url(): string {
    return this.#ctx.url;
  }

  /** The one closing of the server: a second `close()` (a test's, then its `afterEach`'s) waits for it too. */
  #closing: Promise<void> | undefined;

  close(): Promise<void> {
    this.#closing ??= new Promise((resolve, reject) => {
      this.#releaseKeys();
      this.#server.close((err) => {
        if (err) reject(err);
        else resolve();
      });
      this.#ctx.faults.releaseAll();
      this.#server.closeAllConnections();
    });
    return this.#closing;
  }

  // The org's API tokens: state/api-tokens.ts.
  createApiToken(given?: { name?: string | undefined; user?: string | undefined }): { id: string; token: string } { return createApiToken(this.#ctx, given); }
  revokeApiToken(id: string): void { revokeApiToken(this.#ctx, id); }
  expireApiToken(id: string): void { expireApiToken(this.#ctx, id); }

  createServiceApp(opts: ServiceAppOptions): ServiceAppCredentials {
    return createServiceApp(this.#ctx, optionsOf('createServiceApp', opts, "{ scopes: ['okta.users.read'] }", SERVICE_APP_FIELDS));
  }

  createOinApp(opts: OinAppOptions): OinAppCredentials {
    return createOinApp(this.#ctx, optionsOf('createOinApp', opts, "{ scopes: ['okta.users.read'] }", OIN_APP_FIELDS));
  }

  createSignInApp(opts: SignInAppOptions): SignInAppCredentials {
    return createSignInApp(this.#ctx, optionsOf('createSignInApp', opts, "{ type: 'spa', redirectUris: ['http://localhost:5173/callback'] }", SIGN_IN_APP_FIELDS));
  }

  createUser(given: CreateUserOptions): { id: string; login: string } {
    const opts = optionsOf('createUser', given, "{ login: 'ada@example.com', password: '…' }", USER_FIELDS);
    if (typeof opts.login !== 'string' || opts.login === '') invalidOption('createUser', 'login', `must be a non-empty string, such as 'ada@example.com', not ${shown(opts.login)}.`);
    // The management API's rules (state/user-rules.ts); the password's length only, never the password.
    checkFields(opts, 'createUser', { firstName: 'text', lastName: 'text', email: 'text', admin: 'boolean' });
    if (loginTooLong(opts.login)) invalidOption('createUser', 'login', `must be at most ${MAX_LOGIN_CHARACTERS} characters (Okta's UserProfile.login maxLength), not ${characters(opts.login)}: give a shorter login.`);
    const password: unknown = opts.password; // a JavaScript caller's may be anything
    if (password !== undefined && (typeof password !== 'string' || passwordTooShort(password))) {
      const given = typeof password === 'string' ? `${characters(password)} characters` : 'a value that is not a string';
      invalidOption('createUser', 'password', `must be a string of at least ${MIN_PASSWORD_CHARACTERS} characters (Okta's default password policy), not ${given}: give a longer one, such as the exported SEED_PASSWORD.`);
    }
    if (this.#ctx.store.findLoginClash(opts.login) !== undefined) {
      throw new OktaEmulatorError('ALREADY_EXISTS', 'login', `createUser: a user with login ${shown(opts.login)} already exists: give another login, or use that user.`);
    }
    this.#roomForUsers('createUser', 'login', 1);
    const u = this.#ctx.store.createUser(opts, this.#ctx.clock.nowMs());
    return { id: u.id, login: u.profile.login };
  }

  seedUsers(n: number): void {
    this.#roomForUsers('seedUsers', 'n', checkUserCount(n, 'n', 'seedUsers'));
    this.#ctx.store.seedUsers(n, this.#ctx.clock.nowMs());
  }

  /** Refuses users past the org's cap (`STORE_CAPS.users`), as the Users API does. */
  #roomForUsers(where: string, option: string, count: number): void {
    if (!this.#ctx.store.wouldOverflow('users', count)) return;
    invalidOption(where, option, `would pass the ${STORE_CAPS.users} users the emulated org holds (kept in memory; it has ${this.#ctx.store.users.size}): start another org, or delete users first.`);
  }

  #device(userCode: string, where: string) {
    const wanted = typeof userCode === 'string' ? userCode.replace(/[^A-Za-z]/g, '').toUpperCase() : '';
    for (const d of this.#ctx.store.devices.values()) {
      if (d.userCode === wanted && d.status === 'pending' && this.#ctx.clock.nowSeconds() < d.expiresAt) return d;
    }
    throw new OktaEmulatorError(
      'NOT_FOUND',
      'userCode',
      `${where}: ${unknownId(userCode, 'no pending device authorization with', 'user code', USER_CODE_SHAPE)}: give the user_code of a device authorization that has not expired or been approved or denied.`,
    );
  }

  approveDevice(userCode: string, login: string): void {
    const d = this.#device(userCode, 'approveDevice');
    const user = this.#ctx.store.findUserByLogin(login);
    if (user === undefined) throw new OktaEmulatorError('NOT_FOUND', 'login', `approveDevice: ${unknownId(login, 'no user with', 'login', LOGIN_OR_ID_SHAPE)}: create one with createUser, or give a seeded login such as user0001@example.com.`);
    d.status = 'approved';
    d.userId = user.id;
    d.authTime = this.#ctx.clock.nowSeconds();
  }

  denyDevice(userCode: string): void {
    this.#device(userCode, 'denyDevice').status = 'denied';
  }

  async signIn(authorizeUrl: string, given: { login: string; password: string }): Promise<string> {
    return signInByForm(this.#ctx.url, authorizeUrl, optionsOf('signIn', given, "{ login: 'ada@example.com', password: '…' }", SIGN_IN_FIELDS));
  }

  requests(given?: { path?: string | undefined; since?: number | undefined }): RequestLogEntry[] {
    const filter = optionsOf('requests', given, "{ path: '/oauth2/v1/token' }", REQUESTS_FIELDS, true);
    checkFields(filter, 'requests', { path: 'text' });
    if (filter.since != null && !Number.isFinite(filter.since)) invalidOption('requests', 'since', `must be the seq of an entry, such as 12, or unset, not ${shown(filter.since)}.`);
    return this.#ctx.requestLog.list(filter.path ?? undefined, filter.since ?? undefined);
  }

  counters(): CounterSnapshot {
    return this.#ctx.counters.snapshot();
  }

  /** How many records each expiring collection of the org holds: for the tests of their bounds. @internal */
  storeSizes(): Record<string, number> {
    const { accessTokens, refreshTokens, codes, devices, transactions, sessions, proofJtis, assertionJtis } = this.#ctx.store;
    return { accessTokens: accessTokens.size, refreshTokens: refreshTokens.size, codes: codes.size, devices: devices.size, transactions: transactions.size, sessions: sessions.size, proofJtis: proofJtis.size, assertionJtis: assertionJtis.size };
  }

  resetCounters(): void {
    this.#ctx.counters.reset();
  }

  setClockOffset(seconds: number): void {
    this.#ctx.clock.setOffsetSeconds(checkClockOffset(seconds, 'seconds', 'setClockOffset'));
  }

  setTokenLifetime(seconds: number): void {
    this.#ctx.settings.tokenLifetimeSeconds = checkSeconds(seconds, 'seconds', 'setTokenLifetime');
  }

  injectFault(f: FaultSpec): string {
    checkFaultSpec(f);
    return this.#ctx.faults.add(f);
  }

  clearFaults(): void { this.#ctx.faults.clear(); }
  removeFault(id: string): boolean { return this.#ctx.faults.remove(checkFaultId(id, 'removeFault')); }
  heldAnswers(id: string): number { return this.#ctx.faults.held(checkFaultId(id, 'heldAnswers')); }
  releaseHeld(id: string, count?: number): number { return this.#ctx.faults.release(checkFaultId(id, 'releaseHeld'), checkReleaseCount(count, 'releaseHeld')); }

  setRateLimit(bucket: string, perMinute: number): void {
    this.#ctx.limiter.setLimit(checkBucket(bucket, 'bucket', 'setRateLimit'), checkPerMinute(perMinute, 'perMinute', 'setRateLimit'));
  }

  setConcurrencyLimit(n: number | undefined): void {
    this.#ctx.concurrencyLimit = checkConcurrencyLimit(n, 'n', 'setConcurrencyLimit');
  }

  setPrincipalRateLimitShare(share: number | undefined): void {
    if (share !== undefined && !(typeof share === 'number' && share > 0 && share <= 1)) {
      invalidOption('setPrincipalRateLimitShare', 'share', `must be a number above 0 and at most 1, such as 0.5 (Okta's default), or undefined for no ceiling, not ${shown(share)}.`);
    }
    this.#ctx.limiter.principalShare = share;
  }

  revokeAccessTokens(): void {
    for (const t of this.#ctx.store.accessTokens.values()) t.revoked = true;
  }

  requireResourceNonce(required: boolean): void {
    this.#ctx.requireResourceNonce = required;
  }

  addTrustedOrigin(origin: string): void { addTrustedOrigin(this.#ctx.settings.trustedOrigins, origin); }

  // A client key's and a client secret's rotation: state/app-keys.ts and state/app-secrets.ts.
  addAppKey(clientId: string, options?: { keyType?: 'RSA' | 'EC' | undefined }): ServiceAppCredentials { return addAppKey(this.#ctx, clientId, options); }
  deactivateAppKey(clientId: string, keyId: string): void { deactivateAppKey(this.#ctx, clientId, keyId); }
  addAppSecret(clientId: string): { clientId: string; clientSecret: string; secretId: string } { return addAppSecret(this.#ctx, clientId); }
  deactivateAppSecret(clientId: string, secretId: string): void { deactivateAppSecret(this.#ctx, clientId, secretId); }
  // An app's deactivation (an uninstalled integration) and activation: state/app-lifecycle.ts.
  deactivateApp(clientId: string): void { deactivateApp(this.#ctx, clientId); }
  activateApp(clientId: string): void { activateApp(this.#ctx, clientId); }

  rotateSigningKey(): string {
    return this.#ctx.signingKeys.rotate();
  }

  overrideDiscovery(fields: Record<string, unknown>): void {
    if (!isRecord(fields)) invalidOption('overrideDiscovery', 'fields', `must be an object of discovery fields, such as { issuer: 'https://other.okta.com' } ({} restores the real documents), not ${shown(fields)}.`);
    this.#ctx.discoveryOverrides = { ...fields };
  }

  corruptNextIdToken(kind: IdTokenCorruption): void {
    if (!ID_TOKEN_CORRUPTIONS.includes(kind)) invalidOption('corruptNextIdToken', 'kind', `must be one of ${ID_TOKEN_CORRUPTIONS.join(', ')}, not ${shown(kind)}.`);
    this.#ctx.corruptNextIdToken = kind;
  }

  recordLogEvent(opts: RecordLogEventOptions): { uuid: string } {
    const e = checkLogEventOptions(opts, 'recordLogEvent');
    const uuid = logEvent(this.#ctx, undefined, [e.eventType, e.displayMessage], {
      actor: e.actor ?? SYSTEM_ACTOR,
      target: e.target,
      outcome: e.outcome?.result,
      reason: e.outcome?.reason,
      severity: e.severity,
      published: e.published,
    });
    return { uuid };
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
 * @throws {OktaEmulatorError} `INVALID_OPTION` for an option value it cannot use, before listening. The
 * org's methods throw it too, for a bad argument (`INVALID_OPTION`), an unknown user, API token or
 * device code (`NOT_FOUND`) or a login already taken (`ALREADY_EXISTS`).
 * @see https://developer.okta.com/docs/reference/core-okta-api/
 */
export async function startEmulator(given: EmulatorOptions = {}): Promise<OktaEmulator> {
  const options = checkEmulatorOptions(given);
  const ctx = new OrgContext(
    {
      tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3600,
      dpopNonceLifetimeSeconds: options.dpopNonceLifetimeSeconds ?? 86_400,
      refreshTokenRotation: options.refreshTokenRotation,
      authorizationResponseIss: options.authorizationResponseIss ?? false,
      trustedOrigins: options.trustedOrigins == null ? undefined : new Set(options.trustedOrigins),
      browserRules: options.browserRules ?? true,
      refreshTokenGraceSeconds: 30,
      authCodeLifetimeSeconds: 300, // Okta's OIDC reference: "The code has a lifetime of 300 seconds."
      deviceCodeLifetimeSeconds: 600,
      deviceIntervalSeconds: options.deviceIntervalSeconds ?? 5,
      deviceDeniedStatus: options.deviceDeniedStatus ?? 400,
      proofMaxAgeSeconds: 300,
      proofMaxFutureSeconds: 60,
    },
    options.rateLimits ?? {},
  );
  const router = new Router();
  registerOrgRoutes(router, ctx);
  const adminRouter = new Router();
  const server = createServer({ ...SERVER_BOUNDS }, createRequestListener(ctx, router, adminRouter));
  keepAliveUntilIdle(server);
  // While the org is open, key pairs of a type the process has taken before are made ahead, off the event loop (key-pair.ts).
  const releaseKeys = keyPairPool.open();
  const emulator = new Emulator(ctx, server, releaseKeys);
  registerAdminRoutes(adminRouter, emulator);
  try {
    ctx.url = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  } catch (error) {
    releaseKeys();
    throw error;
  }
  seedAdmin(ctx);
  if (options.seed?.users !== undefined) ctx.store.seedUsers(options.seed.users, ctx.clock.nowMs());
  return emulator;
}

export type { JWK };
