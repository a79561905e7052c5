/**
 * The org's clock as seen from here: every token-endpoint answer's `Date` header updates the
 * offset, so client assertions and DPoP proofs carry an `iat`/`exp` the server accepts even when
 * the local clock is off. The offset is biased slightly into the past (Date has one-second
 * resolution and is read after the round trip), which is the safe side for `iat`.
 * @internal
 */
/** The largest clock difference with the org that is believed (a day). */
const maxOffsetMs = 86_400_000;

export class ServerClock {
  #offsetMs = 0;
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Local time in ms (never corrected: token lifetimes are measured locally). */
  localNow(): number {
    return this.#now();
  }

  /** The server's time, in whole seconds. */
  nowSeconds(): number {
    return Math.floor((this.#now() + this.#offsetMs) / 1000);
  }

  /** Current offset in ms (server minus local). */
  get offsetMs(): number {
    return this.#offsetMs;
  }

  /** Reads `Date` from a response; returns how much the offset moved, in ms. */
  observe(response: Response): number {
    const date = Date.parse(response.headers.get('date') ?? '');
    if (Number.isNaN(date)) return 0;
    const offset = date - this.#now();
    // A Date more than a day off is not a clock to follow (a broken or hostile answer): ignored.
    if (Math.abs(offset) > maxOffsetMs) return 0;
    // Ignore sub-two-second differences: they are Date's resolution and network latency.
    const next = Math.abs(offset) < 2000 ? 0 : offset;
    const moved = next - this.#offsetMs;
    this.#offsetMs = next;
    return moved;
  }
}
