import { OktaAuthError } from '@org/okta-auth-core';
import { brandError, isBrandedError } from '@org/okta-auth-core/internal';

const brand = '@org/okta-token-store-durable-object/error';

/**
 * Why `@org/okta-token-store-durable-object` failed:
 * - `INVALID_CONFIG`: an option is missing or wrong (the message says which);
 * - `STORE_UNAVAILABLE`: the Durable Object did not answer within `timeoutMs`, or answered with
 *   an error (its status only, never its body). The credential treats it as a cache miss and goes
 *   on in memory: callers never see it.
 * - `LIMIT_EXCEEDED`: a value over `maxValueChars`, a new key while the object holds
 *   `maxKeys` entries (the credential goes on in memory, as for `STORE_UNAVAILABLE`), or a new
 *   rate-limit bucket while it holds the coordinator's `maxBuckets` (that request goes on uncoordinated);
 * - `FLEET_WAIT_EXCEEDED`: another isolate's token request took longer than `maxWaitMs`;
 *   the credential then asks Okta itself.
 * @example
 * ```ts
 * if (isOktaDurableObjectStoreError(error)) {
 *   const code: OktaDurableObjectStoreErrorCode = error.code;
 *   if (code === 'STORE_UNAVAILABLE') console.warn('the token store did not answer: going on without it');
 * }
 * ```
 * @see https://developers.cloudflare.com/durable-objects/
 */
export type OktaDurableObjectStoreErrorCode = 'INVALID_CONFIG' | 'STORE_UNAVAILABLE' | 'LIMIT_EXCEEDED' | 'FLEET_WAIT_EXCEEDED';

/**
 * The error `@org/okta-token-store-durable-object` throws. Its message never holds a stored value.
 *
 * @example
 * ```ts
 * declare const env: { OKTA_TOKENS: DurableObjectNamespaceLike };
 * try {
 *   createDurableObjectTokenStorage({ namespace: env.OKTA_TOKENS, timeoutMs: 0 });
 * } catch (error) {
 *   if (isOktaDurableObjectStoreError(error) && error.code === 'INVALID_CONFIG') console.error(error.message);
 * }
 * ```
 * @see https://developers.cloudflare.com/durable-objects/api/namespace/
 */
export class OktaDurableObjectStoreError extends OktaAuthError<OktaDurableObjectStoreErrorCode> {
  /** Always `OktaDurableObjectStoreError`. */
  override name = 'OktaDurableObjectStoreError';

  /** The object's HTTP status, when it answered one (`STORE_UNAVAILABLE`: 404 for a namespace bound to another class). */
  readonly status?: number | undefined;

  constructor(code: OktaDurableObjectStoreErrorCode, message: string, options?: { cause?: unknown; status?: number | undefined }) {
    super(code, message, options);
    this.status = options?.status;
    brandError(this, brand);
  }
}

/**
 * Cross-realm type guard for {@link OktaDurableObjectStoreError}.
 *
 * @example
 * ```ts
 * if (isOktaDurableObjectStoreError(error)) console.error(error.code);
 * ```
 * @see https://developers.cloudflare.com/durable-objects/
 */
export function isOktaDurableObjectStoreError(error: unknown): error is OktaDurableObjectStoreError {
  return isBrandedError(error, OktaDurableObjectStoreError, brand);
}
