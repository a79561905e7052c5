import type { Clock } from './clock.js';

/** Okta-like default per-minute limits per bucket; anything else gets {@link DEFAULT_LIMIT}. */
export const DEFAULT_BUCKET_LIMITS: Readonly<Record<string, number>> = {
  '/api/v1/users': 600,
  '/api/v1/groups': 500,
  '/oauth2/v1/token': 2000,
  '/oauth2/v1/authorize': 2000,
};
export const DEFAULT_LIMIT = 600;
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

  constructor(clock: Clock, overrides: Readonly<Record<string, number>> = {}) {
    this.#clock = clock;
    for (const [bucket, n] of Object.entries({ ...DEFAULT_BUCKET_LIMITS, ...overrides })) this.#limits.set(bucket, n);
  }

  setLimit(bucket: string, perMinute: number): void {
    this.#limits.set(bucket, perMinute);
    this.#windows.delete(bucket);
  }

  /** The bucket a request path counts against. */
  static bucketFor(path: string): string {
    if (path.startsWith('/.well-known/')) return '/.well-known';
    const api = /^(\/api\/v1\/[^/]+)/.exec(path);
    if (api?.[1] !== undefined) return api[1];
    return path;
  }

  take(bucket: string): RateDecision {
    const limit = this.#limits.get(bucket) ?? this.#limits.get('*') ?? DEFAULT_LIMIT;
    const now = this.#clock.nowMs();
    let w = this.#windows.get(bucket);
    if (w === undefined || now >= w.start + 60_000 || now < w.start) {
      w = { start: now, used: 0 };
      this.#windows.set(bucket, w);
    }
    const reset = Math.ceil((w.start + 60_000) / 1000);
    if (!UNLIMITED.has(bucket) && w.used >= limit) return { allowed: false, limit, remaining: 0, reset };
    w.used++;
    return { allowed: true, limit, remaining: Math.max(0, limit - w.used), reset };
  }
}
