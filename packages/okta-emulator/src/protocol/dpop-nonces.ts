import type { Clock } from '../state/clock.js';
import { randomToken } from '../state/ids.js';

interface Nonce {
  value: string;
  generatedAt: number;
}

/**
 * Okta's DPoP nonce lifecycle: a new nonce every `lifetimeSeconds` (24 h at Okta), and each nonce
 * stays acceptable for three lifetimes after it was generated (three days at Okta).
 */
export class DpopNonces {
  readonly #clock: Clock;
  readonly #lifetimeMs: number;
  #nonces: Nonce[] = [];

  constructor(clock: Clock, lifetimeSeconds: number) {
    this.#clock = clock;
    this.#lifetimeMs = lifetimeSeconds * 1000;
  }

  current(): string {
    const now = this.#clock.nowMs();
    const latest = this.#nonces[0];
    if (latest !== undefined && now - latest.generatedAt < this.#lifetimeMs && now >= latest.generatedAt) {
      return latest.value;
    }
    const fresh = { value: randomToken(24), generatedAt: now };
    this.#nonces = [fresh, ...this.#nonces.filter((n) => now - n.generatedAt < 3 * this.#lifetimeMs)];
    return fresh.value;
  }

  isAcceptable(value: string): boolean {
    const now = this.#clock.nowMs();
    this.current();
    return this.#nonces.some(
      (n) => n.value === value && now - n.generatedAt < 3 * this.#lifetimeMs && now >= n.generatedAt,
    );
  }
}
