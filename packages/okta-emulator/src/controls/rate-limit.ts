import type { Clock } from '../state/clock.js';
import { keepRecent } from '../state/recent.js';

/**
 * Okta's per-minute limits per bucket: its rate-limit table (`rl-global-mgmt`, RLG in docs/FIDELITY.md, the Workforce
 * identity column), which limits `/api/v1` apart by resource, collection or item, and, for users, method (a user got by
 * id or login, 2,000, and one updated or deleted, 600, each apart from the list's 600); its "Most other API actions"
 * row, `/api/v1`, for every other `/api/v1` resource; its "OAuth2 client configuration requests" row, `/oauth2/v1/clients`,
 * one bucket for every path under it. Anything else gets {@link DEFAULT_LIMIT}.
 */
export const DEFAULT_BUCKET_LIMITS: Readonly<Record<string, number>> = {
  '/api/v1/apps': 100,
  '/api/v1/apps/{id}': 500,
  '/api/v1/groups': 500,
  '/api/v1/groups/{id}': 1000,
  '/api/v1/users': 600,
  '/api/v1/users/{idOrLogin}': 2000,
  '/api/v1/users/{id}': 600,
  '/api/v1/logs': 120,
  '/api/v1/events': 100,
  '/api/v1/sessions': 750,
  '/api/v1/orgs': 50,
  '/api/v1': 1200,
  '/oauth2/v1/token': 2000,
  '/oauth2/v1/authorize': 2000,
  '/oauth2/v1/clients': 100,
};
/**
 * The `/api/v1` resources whose item (`/api/v1/<resource>/{id}`, nothing after it) is a bucket of its own, for reads
 * (GET, HEAD) and writes: Okta's table's "`/api/v1/apps` except `/api/v1/apps/{id}`" rows. A sub-resource
 * (`/api/v1/users/{id}/groups`) counts against the collection's bucket, as the table's older wording says
 * ("`/api/v1/users` except `/api/v1/users/{id}` and `/api/v1/users/{login}`").
 */
const ITEM_BUCKETS: Readonly<Record<string, readonly [read: string, write: string]>> = {
  users: ['/api/v1/users/{idOrLogin}', '/api/v1/users/{id}'],
  groups: ['/api/v1/groups/{id}', '/api/v1/groups/{id}'],
  apps: ['/api/v1/apps/{id}', '/api/v1/apps/{id}'],
};
export const DEFAULT_LIMIT = 600;
/** The most windows (bucket, or bucket and principal) kept; Okta's own buckets are a few dozen. */
export const maxWindows = 10_000;
/** Buckets Okta does not rate-limit: their headers are reported, but never enforced. */
const UNLIMITED = new Set(['/.well-known', '/oauth2/v1/keys']);

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** UTC epoch seconds when the window resets. */
  reset: number;
}

interface Window {
  start: number;
  used: number;
}

/**
 * Per-minute request counting per bucket, like Okta: windows are one minute from the first request
 * in them (not aligned to wall-clock minutes) and run on the org's clock.
 */
export class RateLimiter {
  readonly #clock: Clock;
  readonly #limits = new Map<string, number>();
  readonly #windows = new Map<string, Window>();
  /**
   * The fraction of a bucket one API token or OAuth app may use (Okta's default is 0.5, see
   * docs/FIDELITY.md); `undefined` = no per-principal ceiling.
   */
  principalShare: number | undefined;

  constructor(clock: Clock, overrides: Readonly<Record<string, number>> = {}) {
    this.#clock = clock;
    for (const [bucket, n] of Object.entries({ ...DEFAULT_BUCKET_LIMITS, ...overrides })) this.#limits.set(bucket, n);
  }

  setLimit(bucket: string, perMinute: number): void {
    this.#limits.set(bucket, perMinute);
    for (const key of this.#windows.keys()) if (key === bucket || key.startsWith(`${bucket} `)) this.#windows.delete(key);
  }

  /**
   * The bucket a request (its method and path) counts against, as Okta's table names it: `/api/v1/users/{idOrLogin}`
   * for a user got, `/api/v1/users/{id}` for one updated, `/api/v1/users` for the list and every sub-resource,
   * `/api/v1` for a resource the table has no row for, `/oauth2/v1/clients` for every client configuration request (bucket165:
   * before, each client's path its own bucket); else the path itself.
   */
  static bucketFor(method: string, path: string): string {
    if (path.startsWith('/.well-known/')) return '/.well-known';
    if (path === '/oauth2/v1/clients' || path.startsWith('/oauth2/v1/clients/')) return '/oauth2/v1/clients';
    if (!path.startsWith('/api/v1/')) return path;
    const [, resource = '', item, sub] = /^\/api\/v1\/([^/]*)(\/[^/]+)?(\/.*)?$/.exec(path) ?? [];
    const own = Object.hasOwn(ITEM_BUCKETS, resource) ? ITEM_BUCKETS[resource] : undefined;
    if (own !== undefined && item !== undefined && sub === undefined) return own[method === 'GET' || method === 'HEAD' ? 0 : 1];
    const collection = `/api/v1/${resource}`;
    return Object.hasOwn(DEFAULT_BUCKET_LIMITS, collection) ? collection : '/api/v1';
  }

  /** Every bucket `path` is, for some method (a read's and a write's): a limit is set on one of them. */
  static bucketsFor(path: string): readonly string[] {
    return [...new Set([RateLimiter.bucketFor('GET', path), RateLimiter.bucketFor('POST', path)])];
  }

  /**
   * The window of `key`, kept as the most recently used: a bucket outside `/api/v1` is its whole
   * path, so every distinct path (any unknown path, unauthenticated)
   * has one. At most {@link maxWindows} are kept; past that the least recently used goes (its
   * count starts again), so no stream of new paths grows the emulator's memory.
   */
  #window(key: string, now: number): Window {
    const w = this.#windows.get(key);
    return keepRecent(this.#windows, key, w === undefined || now >= w.start + 60_000 || now < w.start ? { start: now, used: 0 } : w, maxWindows);
  }

  /**
   * Count a request against `bucket` and, when a principal share is set and the request names its
   * `principal` (an API token or OAuth app), against that principal's ceiling in the bucket first.
   * A request refused by its principal's ceiling doesn't use the bucket; its headers report the
   * principal's limit.
   */
  take(bucket: string, principal?: string): RateDecision {
    const limit = this.#limits.get(bucket) ?? this.#limits.get('*') ?? DEFAULT_LIMIT;
    const now = this.#clock.nowMs();
    const w = this.#window(bucket, now);
    const reset = Math.ceil((w.start + 60_000) / 1000);
    if (UNLIMITED.has(bucket)) {
      w.used++;
      return { allowed: true, limit, remaining: Math.max(0, limit - w.used), reset };
    }
    let p: Window | undefined;
    if (principal !== undefined && this.principalShare !== undefined) {
      const own = Math.max(1, Math.floor(limit * this.principalShare));
      p = this.#window(`${bucket} ${principal}`, now);
      if (p.used >= own) return { allowed: false, limit: own, remaining: 0, reset: Math.ceil((p.start + 60_000) / 1000) };
    }
    if (w.used >= limit) return { allowed: false, limit, remaining: 0, reset };
    w.used++;
    if (p !== undefined) p.used++;
    return { allowed: true, limit, remaining: Math.max(0, limit - w.used), reset };
  }
}
