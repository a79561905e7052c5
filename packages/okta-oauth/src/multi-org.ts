import { parseOrgUrl, type OktaCredential, type OktaLogger } from '@org/okta-auth-core';
import { checkCount, checkDuration, emit, maxDurationMs, maxKept, refusedThenable, refuseForeignOptions } from '@org/okta-auth-core/internal';
import { isAppCredential, revokeAppTokens, type OinAppCredential, type Revoked, type RevokeOptions } from './credential/revoke-app-token.js';
import { configError } from './errors.js';
import { carriedTransport } from './credential/token-credential.js';
import { same, snapshot } from './multi-org-tenant.js';

/**
 * Options for {@link createMultiOrgCredentials}.
 *
 * @example
 * ```ts
 * interface Tenant { clientId: string; clientSecret: string; scopes: string[] } // the fields create reads
 * const options: MultiOrgCredentialsOptions<Tenant> = {
 *   create: (orgUrl, tenant) => createOinAppCredential({ orgUrl, clientId: tenant.clientId, clientSecret: tenant.clientSecret, scopes: tenant.scopes }),
 *   idleMs: 15 * 60_000,
 * };
 * ```
 * @see https://developer.okta.com/docs/guides/build-api-integration/main/
 */
export interface MultiOrgCredentialsOptions<Tenant> {
  /** Makes the credential for one org, the first time that org is used (or after its tenant data changed). Synchronous: read the tenant's secret before `get()`. */
  readonly create: (orgUrl: string, tenant: Tenant) => OktaCredential;
  /** Drop an org's credential (and with it its tokens, DPoP key and nonces) after this long unused, in ms (1 to a year). @default 1_800_000 (30 min) */
  readonly idleMs?: number | undefined;
  /** Keep at most this many orgs; the least recently used go first. A whole number from 1 to 1,000,000 (a finite bound on memory), else `INVALID_CONFIG`. @default 10_000 */
  readonly maxOrgs?: number | undefined;
  /** The clock, for tests: a function returning milliseconds. @default Date.now */
  readonly now?: (() => number) | undefined;
  /** Gets `{ type: 'credential-replaced', origin }` when a changed tenant replaces an org's credential (no tenant data in it). */
  readonly logger?: OktaLogger | undefined;
}

/**
 * Credentials for many Okta orgs at once: one credential per org, created on first use,
 * never shared (each has its own tokens, DPoP key pair and nonces), and dropped when unused
 * for `idleMs` — checked on each `get`, with no timers.
 *
 * @example
 * ```ts
 * interface Tenant { clientId: string; clientSecret: string; scopes: string[] } // the fields create reads
 * declare const orgs: MultiOrgCredentials<Tenant>;
 * declare const row: Tenant & { oktaDomain: string; lastSeenAt: Date }; // your database's record
 * const credential = orgs.get(row.oktaDomain, { clientId: row.clientId, clientSecret: row.clientSecret, scopes: row.scopes });
 * ```
 * @see https://developer.okta.com/docs/guides/build-api-integration/main/
 */
export interface MultiOrgCredentials<Tenant> {
  /**
   * The credential for an org. Created on first use; replaced when `tenant` differs from the
   * one it was created with (a rotated secret, new scopes), compared field by field: plain
   * objects and arrays by their fields, `Secret`s by what they hold, `Date`s by their time,
   * `URL`s by their `href`, anything else (a class instance, such as an ORM's record) by
   * identity, as its hidden state cannot be compared. Pass only the fields `create` reads, as a
   * plain object, not the record itself: a field that changes on every `get` (a timestamp), or a
   * record, makes a new credential and a new token each time (the `logger` gets `credential-replaced`).
   */
  get(orgUrl: string | URL, tenant: Tenant): OktaCredential;
  /**
   * Drops an org's credential now (an uninstalled integration). True if there was one, held or
   * dropped. The credentials `get` handed out for the org (a replaced one too, and one dropped
   * earlier for `idleMs` or `maxOrgs`) then refuse every later call with `INVALID_CONFIG`, sending
   * nothing: code that still holds one (a paginating job) stops there. Of the orgs dropped, the
   * last `maxOrgs` are remembered (a flag each, not their credentials): a credential of an org
   * dropped before `maxOrgs` others were is not reached, and keeps working for whoever holds it.
   */
  delete(orgUrl: string | URL): boolean;
  /**
   * Offboards an org (a customer who left, an uninstalled integration): revokes at Okta the access
   * token of its credential, the one held or, when none is held for `tenant` (dropped for `idleMs`),
   * one `create()` makes, which finds the token a shared token store holds (and the token of a credential
   * dropped for `idleMs` or `maxOrgs` that code still holds, such as a job's); removes it from the store
   * (`OinAppCredential.revoke()`), then drops the org as `delete()` does. Throws the first failure once every token
   * was tried; after one other than `invalid_client` (a 5xx, `RATE_LIMITED`, `TIMEOUT`, `NETWORK_ERROR`, `ABORTED`)
   * the org and every token not revoked stay held, so a second call finishes. The tokens of the org's other credentials
   * of the same client id (one a changed tenant replaced while it was held, a rotated secret's; one held for another
   * tenant) are revoked with `tenant`'s secret too, never an older one, and leave their cache and the store only once
   * Okta answered: one Okta refused stays held. While the org holds a credential made for another tenant (compared as
   * `get` compares; one dropped for `idleMs` or `maxOrgs` that code still holds included), it is dropped only if Okta
   * accepted a revocation of `tenant`'s and none of the org's other credentials still holds a token (another client's, such
   * as a second app of the org has): either may be a claimant of the org URL, not the owner of its other credentials;
   * `delete()` drops it (the owner's offboarding when no token of its was held anywhere, or another app's token was). `INVALID_CONFIG`, sending nothing and dropping nothing, when
   * `create()` makes credentials that cannot revoke (only `createOinAppCredential`'s and `createServiceAppCredential`'s can).
   */
  revoke(orgUrl: string | URL, tenant: Tenant, options?: RevokeOptions): Promise<void>;
  /** How many orgs are held. */
  readonly size: number;
}

/** How many replaced credentials an org keeps for `revoke()`: a rotation (Okta holds two secrets), and a scope change or two. */
const MAX_REPLACED = 4;

/** One org while it is held: shared by its credential and those a changed tenant replaced. */
interface Installation {
  /** Set by `delete()`: every credential handed out for the org refuses to authorize. */
  removed: boolean;
  /** The credentials a changed tenant replaced (the last few, while the org is held), for `revoke()`. */
  readonly replaced: Held[];
  /**
   * The credentials dropped for `idleMs` or `maxOrgs` (the last few), for `revoke()`: weakly, as code that still holds
   * one (a job) keeps it alive, and with it its tenant (another's, for `same`) and its token; none held, none harmed.
   */
  gone: WeakRef<Held>[];
}

interface Held {
  /** A {@link snapshot} of the tenant the credential was created with. */
  readonly tenant: unknown;
  /** What `create()` returned: `revoke()` calls its own. */
  readonly inner: OktaCredential;
  readonly installation: Installation;
  readonly credential: OktaCredential;
  lastUsed: number;
}

/** A weak reference to `entry`, where the runtime has `WeakRef` (workerd from compatibility date 2025-05-05); else none: nothing dropped is remembered. The guard as core's `AttemptTimer.handOn` writes it: one helper for both cost three of the four measured bundles bytes (sig161). */
const weakly = (entry: Held): WeakRef<Held>[] => (typeof WeakRef === 'function' ? [new WeakRef(entry)] : []);

/**
 * The key of an org: its origin, by core's one check of an org URL (`parseOrgUrl`, every factory's, so
 * a bare domain or a quoted URL is refused in its words). Plain http on a loopback host is taken here:
 * whether it is allowed is the `allowInsecureLoopback` of the factory `create` calls.
 */
const originOf = (orgUrl: string | URL): string => parseOrgUrl(orgUrl, { allowInsecureLoopback: true }).origin;

/** How to name what create() returned when it is no credential (never its content); `undefined` for a credential. */
function notCredential(value: unknown): string | undefined {
  if (value === null || value === undefined) return String(value);
  if (typeof value !== 'object') return `a ${typeof value}`;
  const record = value as Partial<OktaCredential>;
  if (typeof record.authorize !== 'function') return 'an object without authorize()';
  if (typeof record.origin !== 'string') return 'an object without origin';
  return undefined;
}

/** What create() returned, if it is a credential: else `INVALID_CONFIG` saying what it must return (a Promise's rejection handled). */
function madeCredential(value: unknown): OktaCredential {
  if (refusedThenable(value)) {
    throw configError("create(orgUrl, tenant) returned a Promise: it must return the credential itself. Read the tenant's secret (from your vault or database) before get(orgUrl, tenant), and pass it in the tenant.");
  }
  const what = notCredential(value);
  if (what !== undefined) throw configError(`create(orgUrl, tenant) must return the credential for the org (such as createOinAppCredential({ orgUrl, ... })), not ${what}.`);
  return value as OktaCredential;
}

/**
 * Holds credentials for many orgs, for a partner serving hundreds of customer orgs with an
 * OIN integration (or service apps in many orgs). Tokens, DPoP keys and nonces are never
 * shared between orgs; credentials not used for `idleMs` are dropped on a later `get`.
 *
 * @example
 * ```ts
 * import { createOktaFetch } from '@org/okta-auth-core';
 * import { createMultiOrgCredentials, createOinAppCredential } from '@org/okta-oauth';
 *
 * declare const tenants: { oktaDomain: string; clientId: string; clientSecret: string }[]; // from your database
 *
 * const orgs = createMultiOrgCredentials({
 *   create: (orgUrl, tenant: { clientId: string; clientSecret: string }) =>
 *     createOinAppCredential({ orgUrl, clientId: tenant.clientId, clientSecret: tenant.clientSecret, scopes: ['okta.users.read'] }),
 * });
 * for (const tenant of tenants) {
 *   const okta = createOktaFetch({ credential: orgs.get(tenant.oktaDomain, { clientId: tenant.clientId, clientSecret: tenant.clientSecret }) });
 *   await okta('/api/v1/users?limit=200');
 * }
 * ```
 * @see https://developer.okta.com/docs/guides/build-api-integration/main/
 */
export function createMultiOrgCredentials<Tenant>(options: MultiOrgCredentialsOptions<Tenant>): MultiOrgCredentials<Tenant> {
  if (typeof options !== 'object' || (options as unknown) === null || typeof options.create !== 'function') {
    throw configError('createMultiOrgCredentials needs { create(orgUrl, tenant) } returning the credential for one org.');
  }
  // The factory's option, ignored here: get() would then fail on an http emulator's URL with no word of where it goes.
  refuseForeignOptions(options, { allowInsecureLoopback: "allowInsecureLoopback in the options of the factory create calls (createOinAppCredential's)" }, configError);
  const idleMs = checkDuration(options.idleMs, 'idleMs', 30 * 60_000, [1, maxDurationMs], configError);
  const maxOrgs = checkCount(options.maxOrgs, 'maxOrgs', 10_000, [1, maxKept], configError, 'orgs kept in memory');
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') throw configError('now must be a function returning the time in milliseconds (such as Date.now), or nothing.');
  const { logger } = options;
  if (logger !== undefined && typeof logger !== 'function') throw configError('The logger option must be a function that takes one event.');
  const held = new Map<string, Held>();
  // The installations of the last maxOrgs orgs dropped for idleMs or maxOrgs (a flag each: the
  // credentials hold it, not the other way round), so delete() reaches the credentials handed out
  // before the drop, and a credential made again for the org shares its installation.
  const dropped = new Map<string, Installation>();

  const drop = (origin: string, entry: Held): void => {
    held.delete(origin);
    dropped.delete(origin);
    const { installation } = entry;
    installation.gone = [...installation.gone.filter((gone) => gone.deref() !== undefined), ...[...installation.replaced, entry].flatMap(weakly)].slice(-MAX_REPLACED - 1);
    installation.replaced.length = 0;
    dropped.set(origin, installation);
    for (const oldest of dropped.keys()) {
      if (dropped.size <= maxOrgs) break;
      dropped.delete(oldest);
    }
  };

  const touch = (origin: string, entry: Held): void => {
    entry.lastUsed = now();
    if (held.get(origin) === entry) {
      held.delete(origin);
      held.set(origin, entry);
    }
  };

  const evict = (): void => {
    const cutoff = now() - idleMs;
    for (const [origin, entry] of held) {
      if (entry.lastUsed > cutoff && held.size <= maxOrgs) break;
      drop(origin, entry);
    }
  };

  const remove = (orgUrl: string | URL): boolean => {
    const origin = originOf(orgUrl);
    const installation = held.get(origin)?.installation ?? dropped.get(origin);
    if (installation === undefined) return false;
    installation.removed = true;
    installation.replaced.length = 0;
    installation.gone = [];
    held.delete(origin);
    dropped.delete(origin);
    return true;
  };

  return Object.freeze({
    get(orgUrl: string | URL, tenant: Tenant): OktaCredential {
      const origin = originOf(orgUrl);
      evict();
      const existing = held.get(origin);
      if (existing !== undefined && same(existing.tenant, tenant)) {
        touch(origin, existing);
        return existing.credential;
      }
      const inner = madeCredential(options.create(typeof orgUrl === 'string' ? orgUrl : orgUrl.href, tenant));
      if (inner.origin !== origin) throw configError(`create() returned a credential for ${inner.origin}, not ${origin}.`);
      const installation = existing?.installation ?? dropped.get(origin) ?? { removed: false, replaced: [], gone: [] };
      dropped.delete(origin);
      // Only a held credential is replaced: an org made again after idleMs, maxOrgs or delete() is not.
      if (existing !== undefined) {
        emit(logger, { type: 'credential-replaced', origin });
        if (installation.replaced.push(existing) > MAX_REPLACED) installation.replaced.shift();
      }
      const entry: Held = {
        tenant: snapshot(tenant),
        inner,
        installation,
        lastUsed: now(),
        credential: Object.freeze({
          kind: inner.kind,
          origin: inner.origin,
          // The org's in-flight limit, retry, timeout and logger, if create() gave its credential them: a client given this credential takes them.
          ...carriedTransport(inner),
          authorize: (attempt) => {
            // A rejection, as authorize() promises (code that chains .catch on it sees it there).
            if (installation.removed) return Promise.reject(configError(`${origin} was removed with delete(): its credentials send nothing more. Call get(orgUrl, tenant) for a new one if the org is back.`));
            touch(origin, entry);
            return inner.authorize(attempt);
          },
          ...(inner.challenge === undefined ? {} : { challenge: inner.challenge.bind(inner) }),
          ...(inner.explain === undefined ? {} : { explain: inner.explain.bind(inner) }),
        } satisfies OktaCredential),
      };
      held.delete(origin);
      held.set(origin, entry);
      evict();
      return entry.credential;
    },
    delete: remove,
    async revoke(orgUrl: string | URL, tenant: Tenant, given?: RevokeOptions): Promise<void> {
      const origin = originOf(orgUrl);
      const existing = held.get(origin);
      const installation = existing?.installation ?? dropped.get(origin);
      // The credentials the org holds or code still holds: those dropped earlier, those a changed tenant replaced, the current one last.
      const listed = installation === undefined ? [] : [...installation.gone.map((gone) => gone.deref()).filter((gone) => gone !== undefined), ...installation.replaced, ...(existing === undefined ? [] : [existing])];
      const inner = existing !== undefined && same(existing.tenant, tenant) ? existing.inner : madeCredential(options.create(typeof orgUrl === 'string' ? orgUrl : orgUrl.href, tenant));
      // A credential of the package's making revokes through revokeAppTokens (with or without its own revoke(): /service-app's has none).
      const revoke = isAppCredential(inner) ? undefined : (inner as Partial<OinAppCredential>).revoke;
      if (revoke === undefined ? !isAppCredential(inner) : typeof revoke !== 'function') throw configError('revoke(orgUrl, tenant) needs credentials that can revoke their token: create() must return createOinAppCredential(…)\'s or createServiceAppCredential(…)\'s. Use delete(orgUrl) for others.');
      // A credential wrapping an OIN one (its own revoke()): what it sent is not known here, its success counts as one accepted.
      const { accepted, left, failure }: Revoked = revoke === undefined
        ? await revokeAppTokens(inner, listed.map((entry) => entry.inner), given)
        : await revoke(given).then(() => ({ accepted: 1, left: 0 }), (error: unknown) => ({ accepted: 0, left: 0, failure: { error } }));
      // Dropped unless a revocation failed for a reason a retry may end (kept with its tokens for it), or the org holds
      // another tenant's credential while no revocation of this tenant was accepted or a listed credential still holds a
      // token (another client's, as a second app of the org has: a claimant, not the owner of the org's other credentials).
      if ((failure === undefined || (failure.error as { error?: unknown } | null)?.error === 'invalid_client') && ((accepted > 0 && left === 0) || listed.every((entry) => same(entry.tenant, tenant)))) remove(orgUrl);
      if (failure !== undefined) throw failure.error;
    },
    get size(): number {
      return held.size;
    },
  });
}
