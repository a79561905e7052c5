import type { Clock } from '../state/clock.js';
import { keepRecent } from '../state/recent.js';

/** Okta-like default per-minute limits per bucket; anything else gets {@link DEFAULT_LIMIT}. */
export const DEFAULT_BUCKET_LIMITS: Readonly<Record<string, number>> = {
  '/api/v1/users': 600,
  '/api/v1/groups': 500,
  // Okta's rate-limit table ("Get System Log data: /api/v1/logs", Workforce identity column), as the rows above.
  '/api/v1/logs': 120,
  '/oauth2/v1/token': 2000,
  '/oauth2/v1/authorize': 2000,
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

  /** The bucket a request path counts against. */
  static bucketFor(path: string): string {
    if (path.startsWith('/.well-known/')) return '/.well-known';
    const api = /^(\/api\/v1\/[^/]+)/.exec(path);
    if (api?.[1] !== undefined) return api[1];
    return path;
  }

  /**
   * The window of `key`, kept as the most recently used: a bucket outside `/api/v1` is its whole
   * path, so every distinct path (`/oauth2/v1/clients/<id>`, any unknown path, unauthenticated)
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
