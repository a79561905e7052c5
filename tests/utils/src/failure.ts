/**
 * Awaits work that must fail and returns its error, narrowed by `guard` when given. Throws when the
 * work succeeds, or when the error is not what `guard` accepts (the message names the error), so a
 * test using it fails instead of passing silently.
 *
 * @example
 * ```ts
 * import { isOktaAuthError } from '@org/okta-auth-core';
 *
 * const error = await failure(okta('/api/v1/users'), isOktaAuthError);
 * expect(error.code).toBe('RATE_LIMITED');
 * ```
 */
export async function failure<E = unknown>(work: Promise<unknown> | (() => unknown), guard?: (error: unknown) => error is E): Promise<E> {
  let error: unknown;
  try {
    await (typeof work === 'function' ? work() : work);
  } catch (caught) {
    error = caught;
    if (guard !== undefined && !guard(error)) {
      throw new Error(`failure(): the error is not the expected kind: ${String(error)}`, { cause: error });
    }
    return error as E;
  }
  throw new Error('failure(): expected the work to fail, but it succeeded');
}
