/**
 * What the token pipeline reads of a client's clock: the time an assertion or proof carries
 * (`iat`), and whether an answer's `Date` shows the local clock so far off that one re-signed
 * retry can succeed (which also moves the clock to Okta's).
 * @internal
 */
export interface Clock {
  /** The time for `iat`, in whole seconds. */
  nowSeconds(): number;
  /**
   * Okta's time at the local time `localMs` (epoch ms): what token expiries are written and judged on, so the hosts of a
   * fleet whose clocks disagree agree on them (each corrected by Okta's `Date`); `localMs` itself on the local clock.
   */
  orgTime(localMs: number): number;
  /** Reads an answer's `Date`: true when the correction it brings is larger than the skew retry threshold. */
  skewed(response: Response): boolean;
}

/** Makes one client's clock from its local time (`now`, epoch ms). @internal */
export type ClockMaker = (now: () => number) => Clock;

/**
 * The local clock, for a `/sign-in` client without a JWT client authentication: nothing it sends
 * carries the time, so nothing to correct and no re-signed retry (the `ServerClock` stays out of
 * its bundle). @internal
 */
export const localClock: ClockMaker = (now) => ({ nowSeconds: () => Math.floor(now() / 1000), orgTime: (localMs) => localMs, skewed: () => false });
