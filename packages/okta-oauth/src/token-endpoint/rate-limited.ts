/** The wait each token endpoint `RATE_LIMITED` said (its 429's), kept off the error's properties. */
const waits = new WeakMap<object, number | undefined>();

/** Keeps what the 429 behind `error`, a token endpoint `RATE_LIMITED`, said to wait, in ms (none kept as none: `get` answers the same); returns `error`. @internal */
export function keepRateLimitedWait<E extends object>(error: E, waitMs: number | undefined): E {
  waits.set(error, waitMs);
  return error;
}

/**
 * What the 429 behind a token endpoint `RATE_LIMITED` said to wait, in ms (core's `rateLimitWait`:
 * `X-Rate-Limit-Reset` against its `Date` plus a second, else `Retry-After`); `undefined` for any
 * other error, or a 429 that said no wait. A device poll waits it before polling again. @internal
 */
export function rateLimitedWaitMs(error: unknown): number | undefined {
  // A WeakMap answers undefined for a key that cannot be one.
  return waits.get(error as object);
}
