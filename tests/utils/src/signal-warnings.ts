/**
 * What the tests of one caller's signal shared by many calls (an app's shutdown signal: sig161, sig165,
 * sig166) count: the `abort` listeners on it, and Node.js's leak warnings about it. One pair for every
 * package's tests.
 */
import { getEventListeners } from 'node:events';
import { afterAll, afterEach, beforeAll } from 'vitest';

/**
 * The `abort` listeners on `signal`, whoever added them (no garbage collection needed).
 *
 * @example
 * ```ts
 * expect(abortListeners(shutdown.signal)).toBe(1);
 * ```
 */
export const abortListeners = (signal: AbortSignal): number => getEventListeners(signal, 'abort').length;

/**
 * Collects `process` warnings for the file (the listener added before its tests, removed after, the list emptied
 * after each test): `about(signal)` answers Node.js's leak warnings for `signal` (past 10 listeners on one
 * EventTarget, "Possible EventTarget memory leak"), `all()` those of the running test whatever their target.
 *
 * @example
 * ```ts
 * const warnings = useSignalWarnings();
 * // … 200 calls on shutdown.signal …
 * expect(warnings.about(shutdown.signal)).toEqual([]);
 * expect(warnings.all()).toEqual([]);
 * ```
 */
export function useSignalWarnings(): { readonly about: (signal: AbortSignal) => Error[]; readonly all: () => Error[] } {
  const warnings: Error[] = [];
  const warned = (warning: Error): void => {
    warnings.push(warning);
  };
  beforeAll(() => {
    process.on('warning', warned);
  });
  afterEach(() => {
    warnings.length = 0;
  });
  afterAll(() => {
    process.off('warning', warned);
  });
  const leaks = (): Error[] => warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning');
  return { about: (signal) => leaks().filter((warning) => (warning as Error & { target?: unknown }).target === signal), all: leaks };
}
