import { waitFor } from '@org/okta-auth-core/internal';
import { OktaSignInError } from './errors.js';

/** Remember at most this many used transactions (the oldest are forgotten first; Okta still refuses their codes). */
const maxRemembered = 10_000;

/** Compares two strings without stopping at the first difference (they hold PKCE verifiers and codes). @internal */
export function equalSecret(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** One callback being finished: what decides its outcome (the transaction's verifier, the code…), and how to wait for it. */
interface Flight<T> {
  readonly fingerprint: string;
  readonly join: (signal: AbortSignal | undefined) => Promise<T>;
}

/**
 * Each client's flights by state, outside the instance: a private field is shown by a V8
 * inspector (Chromium's console, DevTools, workerd's inspector) with each fingerprint (the PKCE
 * verifier, the code), where a WeakMap entry is not an own state (as `Secret`'s values).
 */
const flightsOf = new WeakMap<object, Map<string, Flight<unknown>>>();

/**
 * The callbacks being finished by one sign-in client, keyed by the sign-in transaction's
 * `state`, and the transactions already used.
 *
 * A callback's result only ever goes to the caller whose transaction produced it: a second
 * caller shares a flight only when it presents the same transaction (state, nonce, PKCE
 * verifier, redirect URI, creation time, scopes) and the same callback parameters (a UI
 * framework running an effect twice, a double-submitted form). Any other caller naming that
 * transaction gets `STATE_MISMATCH`, and so does every caller once the flight has settled:
 * a transaction is used once. The transaction is marked used synchronously, before anything
 * is awaited, so two callers can never both take it.
 *
 * A caller's signal stops its own wait; the flight's work (the code exchange) gets a signal of
 * its own, which fires once every caller has given up (checked a task later, so the same
 * callback finished again at once, as a UI framework's effect run twice does, still shares it).
 *
 * Used transactions are remembered until they would be refused as too old anyway
 * (`transactionMaxAgeSeconds` after use), at most {@link maxRemembered} of them.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.7.1
 * @internal
 */
export class CallbackFlights<T> {
  /** State → when it may be forgotten (epoch ms); insertion order is expiry order. */
  readonly #used = new Map<string, number>();
  readonly #now: () => number;
  readonly #rememberMs: number;

  constructor(now: () => number, rememberMs: number) {
    this.#now = now;
    this.#rememberMs = rememberMs;
    flightsOf.set(this, new Map());
  }

  /**
   * Runs `start` for the transaction named by `state` unless it is running (shared with an
   * identical caller) or was used; waits for it until `signal` fires. Must be called before the
   * caller awaits anything.
   */
  run(state: string, fingerprint: string, start: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const flights = flightsOf.get(this) as Map<string, Flight<T>>;
    const flight = flights.get(state);
    if (flight !== undefined) {
      if (equalSecret(flight.fingerprint, fingerprint)) return flight.join(signal);
      return Promise.reject(
        new OktaSignInError('STATE_MISMATCH', 'This sign-in transaction is already being finished with another transaction or callback: each sign-in can be finished once, by its own caller.'),
      );
    }
    this.#forgetExpired();
    if (this.#used.has(state)) {
      return Promise.reject(new OktaSignInError('STATE_MISMATCH', 'This sign-in transaction was already used: each sign-in can be finished once; start a new sign-in.'));
    }
    const work = new AbortController();
    const result = start(work.signal);
    /** Callers still waiting (one without a signal never gives up); the work stops a task after the last gives up. */
    let waiting = 0;
    const join = (caller: AbortSignal | undefined) => {
      waiting += caller === undefined ? Number.POSITIVE_INFINITY : 1;
      // Told by core's wait that this caller gave up (its signal fired; never, without one): the caller's signal, which many calls
      // may share (a server's shutdown signal), followed by core's one listener for them all until the work settles (sig166).
      const own = new AbortController();
      own.signal.addEventListener('abort', () => {
        if (--waiting === 0) {
          setTimeout(() => {
            if (waiting === 0) work.abort(caller?.reason);
          }, 0);
        }
      });
      return waitFor(result, caller, own);
    };
    flights.set(state, { fingerprint, join });
    const settle = (): void => {
      flights.delete(state);
      this.#used.set(state, this.#now() + this.#rememberMs);
      if (this.#used.size > maxRemembered) this.#used.delete(this.#used.keys().next().value ?? '');
    };
    result.then(settle, settle);
    return join(signal);
  }

  #forgetExpired(): void {
    const now = this.#now();
    for (const [state, until] of this.#used) {
      if (until > now) break;
      this.#used.delete(state);
    }
  }
}
