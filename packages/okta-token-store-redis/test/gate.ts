import type { OktaStorage } from '@org/okta-oauth';

/** A promise and what settles it: the Redis tests' one way to hold a step (a token request, a poll) until the test lets it go. */
export function gate<T = void>(): { opened: Promise<T>; open: (value: T) => void } {
  let open!: (value: T) => void;
  const opened = new Promise<T>((resolve) => (open = resolve));
  return { opened, open };
}

/**
 * `store`'s single flight for `key` (a holder's), once its token request (`obtain`, which the test holds as it needs) has
 * begun: the holder has the fleet lock. `held` is the flight's outcome.
 */
export async function flightHoldingLock(store: OktaStorage, key: string, obtain: () => Promise<{ value: string; expiresAt: number }>): Promise<{ held: Promise<string | undefined> }> {
  const asking = gate();
  const held = store.singleFlight!(key, () => (asking.open(), obtain()), {});
  await asking.opened;
  return { held };
}
