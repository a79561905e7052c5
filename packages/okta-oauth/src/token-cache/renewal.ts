/** The default floor of the margin: renew no later than this long before expiry. */
export const renewalFloorMs = 60_000;
/** …or this share of the lifetime, whichever is longer… */
export const renewalShare = 0.1;
/** …but never earlier than half-way through the lifetime, so short-lived tokens are still reused. */
export const renewalCap = 0.5;

/**
 * The one renewal rule, for service, OIN and user tokens: how long before `expiresAt` a token is
 * renewed, `max(floor, 10% of its lifetime)` capped at half the lifetime. With the default
 * 60 s floor a one-hour Okta token is renewed after 54 minutes; a 5-minute one after 4; a
 * 60-second one after 30. The floor covers clock drift between this host and Okta plus a slow
 * request in flight (a user credential's `renewBeforeSeconds` sets it); the share grows with
 * the lifetime so one bad renewal attempt still leaves time for another; the cap keeps a
 * short-lived token from being renewed on every use. A token whose lifetime is unknown (user
 * tokens restored from storage) is renewed `floorMs` before it expires.
 * @internal
 */
export function renewalMarginMs(lifetimeMs: number | undefined, floorMs: number = renewalFloorMs): number {
  if (lifetimeMs === undefined) return floorMs;
  return Math.min(Math.max(floorMs, lifetimeMs * renewalShare), lifetimeMs * renewalCap);
}

/** What the renewal rule reads of a token. */
export interface Expiring {
  /** Epoch milliseconds; `Infinity` for a token whose expiry is unknown (renewed only when refused). */
  readonly expiresAt: number;
  readonly lifetimeMs?: number | undefined;
}

/** True when the token can be used for a request starting now (before its renewal margin). @internal */
export function isFresh(entry: Expiring, nowMs: number, floorMs?: number): boolean {
  return nowMs < entry.expiresAt - renewalMarginMs(entry.lifetimeMs, floorMs);
}
