import { orgClockOffsetMs } from '@org/okta-auth-core/internal';
import type { Clock, ClockMaker } from './clock.js';

/** The largest clock difference with the org that claims follow (a day). */
const maxOffsetMs = 86_400_000;

/**
 * How far the org's clock is ahead of the local one (ms; negative: behind) by an answer's `Date`,
 * for the claims signed and checked here, by core's one reading of the org's clock
 * (`orgClockOffsetMs`): 0 within 2 s (Date's resolution and network latency); `undefined` without
 * a usable `Date` (none, malformed, or more than a day off: a broken or hostile answer is not a
 * clock to sign or accept claims by; core's 429 waits follow any `Date`, which only measures its
 * own answer's reset: see `orgClockOffsetMs`). Read by {@link ServerClock} and the ID token checks
 * (`user/context.ts` `claimsOf`). @internal
 */
export function dateOffsetMs(answer: Response, nowMs: number): number | undefined {
  const offset = orgClockOffsetMs(answer.headers, nowMs, maxOffsetMs);
  return offset !== undefined && Math.abs(offset) < 2000 ? 0 : offset;
}

/** A clock correction larger than this, seen on a refused token request or resource proof, earns one re-signed retry. @internal */
export const skewRetryThresholdMs = 30_000;

/**
 * The org's clock as seen from here: every token-endpoint answer's `Date` header updates the
 * offset, and so does every refused resource answer the credential reads (`token-credential.ts`:
 * a token another process renewed came with no token answer here), so client assertions and DPoP
 * proofs carry an `iat`/`exp` the server accepts even when the local clock is off. The offset is biased slightly into the past (Date has one-second
 * resolution and is read after the round trip), which is the safe side for `iat`. Brought by what
 * signs with the time: `privateKeyJwt` and `clientSecretJwt` (`withServerClock`), the service and
 * OIN app factories, the root entry's sign-in client (which has DPoP). A `/sign-in` client without
 * them has the local clock (`localClock` of `clock.ts`): nothing to correct, no re-signed retry.
 * @internal
 */
export class ServerClock implements Clock {
  #offsetMs = 0;
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** The server's time, in whole seconds. */
  nowSeconds(): number {
    return Math.floor(this.orgTime(this.#now()) / 1000);
  }

  /** The server's time at the local time `localMs`, by the offset the last answer's `Date` set. */
  orgTime(localMs: number): number {
    return localMs + this.#offsetMs;
  }

  /** Reads `Date` from a response; returns how much the offset moved, in ms. */
  observe(response: Response): number {
    // No usable Date: the offset stays as it was.
    const next = dateOffsetMs(response, this.#now());
    if (next === undefined) return 0;
    const moved = next - this.#offsetMs;
    this.#offsetMs = next;
    return moved;
  }

  /** Observes the answer; true when the offset moved by more than {@link skewRetryThresholdMs} (a re-signed retry can help). */
  skewed(response: Response): boolean {
    return Math.abs(this.observe(response)) > skewRetryThresholdMs;
  }
}

/** The {@link ClockMaker} of the server clock, for the parts and factories that sign with the time. @internal */
export const serverClock: ClockMaker = (now) => new ServerClock(now);
