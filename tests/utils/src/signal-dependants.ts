/**
 * How many combined signals Node.js's `AbortSignal.any` keeps on `signal` (its `kDependantSignals`
 * Set; none when it never joined one). Node.js 20 keeps a dead WeakRef there per combined signal for
 * good, and later majors prune them only as garbage collections run (nodejs/node#55351): a caller's
 * signal shared by every call (an app's shutdown signal) must gather none per call. The symbol is
 * found on a probe first, so a runtime that names it otherwise fails here, loudly, instead of
 * counting nothing.
 *
 * @see https://github.com/nodejs/node/issues/55351
 *
 * @example
 * ```ts
 * expect(dependants(shutdown.signal)).toBe(0);
 * ```
 */
export function dependants(signal: AbortSignal): number {
  const probe = new AbortController();
  AbortSignal.any([probe.signal]);
  const key = Object.getOwnPropertySymbols(probe.signal).find((symbol) => symbol.description === 'kDependantSignals');
  if (key === undefined) throw new Error(`${process.version}'s AbortSignal keeps no kDependantSignals: this test cannot count what AbortSignal.any leaves on a signal here`);
  return (signal as unknown as Record<symbol, Set<unknown> | undefined>)[key]?.size ?? 0;
}
