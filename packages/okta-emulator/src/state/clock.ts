/**
 * The org's clock: real time shifted by a test-controlled offset. Everything time-based in the
 * emulator (the `Date` header, token `exp`, DPoP nonces, assertion checks, rate-limit windows,
 * fault durations) reads this clock, so tests never wait on the wall clock.
 */
export class Clock {
  #offsetMs = 0;

  /** Shift the org's clock by `seconds` (positive = ahead) relative to real time. */
  setOffsetSeconds(seconds: number): void {
    this.#offsetMs = Math.round(seconds * 1000);
  }

  offsetSeconds(): number {
    return this.#offsetMs / 1000;
  }

  nowMs(): number {
    return Date.now() + this.#offsetMs;
  }

  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  date(): Date {
    return new Date(this.nowMs());
  }
}
