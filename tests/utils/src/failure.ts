function checked<E>(error: unknown, guard: ((error: unknown) => error is E) | undefined): E {
  if (guard !== undefined && !guard(error)) {
    throw new Error(`failure(): the error is not the expected kind: ${String(error)}`, { cause: error });
  }
  return error as E;
}

/**
 * Awaits work that must fail and returns its error, narrowed by `guard` when given. Throws when the
 * work succeeds, or when the error is not what `guard` accepts (the message names the error), so a
 * test using it fails instead of passing silently. `failure.sync` does the same for a function that
 * must throw.
 *
 * @example
 * ```ts
 * import { isOktaAuthError } from '@org/okta-auth-core';
 *
 * const error = await failure(okta('/api/v1/users'), isOktaAuthError);
 * expect(error.code).toBe('RATE_LIMITED');
 * expect(failure.sync(() => parseOrgUrl('http://x'), isOktaAuthError).code).toBe('INVALID_ORG_URL');
 * ```
 */
export const failure = Object.assign(
  async function failure<E = unknown>(work: Promise<unknown> | (() => unknown), guard?: (error: unknown) => error is E): Promise<E> {
    try {
      await (typeof work === 'function' ? work() : work);
    } catch (error) {
      return checked(error, guard);
    }
    throw new Error('failure(): expected the work to fail, but it succeeded');
  },
  {
    /** For a function that must throw synchronously: returns the error, narrowed by `guard`. */
    sync<E = unknown>(run: () => unknown, guard?: (error: unknown) => error is E): E {
      try {
        run();
      } catch (error) {
        return checked(error, guard);
      }
      throw new Error('failure.sync(): expected the function to throw, but it returned');
    },
  },
);
