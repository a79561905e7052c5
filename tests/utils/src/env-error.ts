import { expect } from 'vitest';

/** The fields of an okta-auth error that an environment reader's refusal is compared on. */
export interface EnvReaderError {
  readonly code: string;
  readonly message: string;
  readonly envVariable?: string | undefined;
  readonly cause?: unknown;
}

/**
 * Asserts that an `…FromEnv` reader's error for a variable is the factory's own error for the same
 * value (same class, `code`, `cause` and what to fix), its message led by the variable's name and
 * `envVariable` holding it: core's one `namingVariable`, as the three readers' tests check it.
 *
 * @example
 * ```ts
 * expectFactoryErrorNamed(got, factory, 'OKTA_CLIENT_ORGURL');
 * ```
 */
export function expectFactoryErrorNamed(got: EnvReaderError, factory: EnvReaderError, variable: string): void {
  expect(Object.getPrototypeOf(got)).toBe(Object.getPrototypeOf(factory));
  expect({ code: got.code, message: got.message, envVariable: got.envVariable, cause: got.cause }).toEqual({
    code: factory.code,
    message: `${variable}: ${factory.message}`,
    envVariable: variable,
    cause: factory.cause,
  });
}
