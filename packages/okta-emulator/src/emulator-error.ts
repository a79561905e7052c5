/**
 * Why an `@org/okta-emulator` call was refused, for `switch`.
 *
 * - `INVALID_OPTION`: an option of {@link startEmulator} (or an argument of `seedUsers`) has a value
 *   the emulator cannot use; `option` names it and the message says what to give.
 */
export type OktaEmulatorErrorCode = 'INVALID_OPTION';

// The packages' one cross-realm guard (core's `brandError`/`isBrandedError`: `instanceof`, or the
// `Symbol.for` brand, with a string `code`), written out here because the emulator cannot depend on
// core: core's own tests depend on the emulator.
const brand = Symbol.for('@org/okta-emulator/error');

/**
 * The emulator's error: a `code` to `switch` on and the `option` at fault. The control methods that
 * predate it (`injectFault`, `setTokenLifetime`, …) still throw a `TypeError` or `RangeError`.
 *
 * @example
 * ```ts
 * import { isOktaEmulatorError, startEmulator } from '@org/okta-emulator';
 *
 * try {
 *   await startEmulator({ port: Number(process.env.PORT ?? 0) });
 * } catch (error) {
 *   if (isOktaEmulatorError(error) && error.code === 'INVALID_OPTION') console.error(`fix ${error.option}: ${error.message}`);
 *   else throw error;
 * }
 * ```
 */
export class OktaEmulatorError extends Error {
  /** Always `OktaEmulatorError`. */
  override readonly name = 'OktaEmulatorError';
  /** Why it failed. */
  readonly code: OktaEmulatorErrorCode;
  /** The option (or argument) at fault, such as `port` or `seed.users`. */
  readonly option: string;

  constructor(code: OktaEmulatorErrorCode, option: string, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.option = option;
    Object.defineProperty(this, brand, { value: true });
  }
}

/**
 * Whether `error` is an {@link OktaEmulatorError}, also one from another copy of the package.
 *
 * @example
 * ```ts
 * import { isOktaEmulatorError, startEmulator } from '@org/okta-emulator';
 *
 * const started = await startEmulator({ seed: { users: 3 } }).catch((error: unknown) => (isOktaEmulatorError(error) ? error : Promise.reject(error)));
 * ```
 */
export function isOktaEmulatorError(error: unknown): error is OktaEmulatorError {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error instanceof OktaEmulatorError || (error as Record<symbol, unknown>)[brand] === true) &&
    typeof (error as { code?: unknown }).code === 'string'
  );
}
