// eslint-disable-next-line @typescript-eslint/no-unused-vars -- for {@link OktaStorage.singleFlight}
import type { OktaStorage } from './storage.js';

/**
 * Options of {@link OktaStorage.singleFlight}.
 * @example
 * ```ts
 * const options: SingleFlightOptions = { signal: AbortSignal.timeout(5_000), fresh: (value) => value !== '', stored: true };
 * ```
 * @see https://developer.okta.com/docs/guides/implement-grant-type/clientcreds/main/
 */
export interface SingleFlightOptions {
  /**
   * Aborted when nobody waits for this renewal any more (every call that waited for it ended: its caller's `signal`
   * fired, or its attempt's `timeoutMs` passed) and when the credential stops waiting (after its `fleetWaitMs`, then it
   * asks Okta itself). Once it fired, a store must stop waiting for another process's request at once (reject: the
   * credential does not read what with), take no lock (one whose grant came back after it is let go at once, not held
   * until it expires) and not call `obtain` (a call after it is refused: no token renewed for nobody). It need not
   * stop a request it runs itself (`obtain` already called): that one's value is stored as usual. A store that ignores
   * it keeps its own wait, and the lock it waits for, until its own bound, however soon the call ended.
   */
  readonly signal?: AbortSignal | undefined;
  /** True while a stored value may still be handed out; values that fail it are renewed. */
  readonly fresh?: ((value: string) => boolean) | undefined;
  /**
   * Renew only what is still stored (a user's tokens: a sign-out removes them): resolve
   * `undefined`, without calling `obtain`, when the key holds nothing under the lock, and when a
   * removal of the key came between that check and the write of `obtain`'s value (not written).
   * A service or OIN credential never sets it.
   */
  readonly stored?: boolean | undefined;
  /** The call whose credential began the renewal (its `authorize`), for the `call` of the storage's own log events. */
  readonly call?: number | undefined;
}
