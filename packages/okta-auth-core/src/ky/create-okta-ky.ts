import ky, { type KyInstance } from 'ky';
import { preparedHooks, type OktaKyOptions } from './hooks.js';

/** Options of {@link createOktaKy}. */
export interface CreateOktaKyOptions extends OktaKyOptions {
  /** The fetch ky uses. @default globalThis.fetch */
  readonly fetch?: typeof fetch | undefined;
  /** A ky instance to extend (its own hooks run too). @default ky */
  readonly ky?: KyInstance | undefined;
}

/**
 * A ky instance for one org and one credential: base URL = the org, JSON by
 * default (`accept: application/json`), and the okta-auth hooks
 * ({@link oktaKyHooks}): every attempt authorized afresh, 429s retried after
 * Okta's reset time through ky's retry machinery, credentials never sent to
 * another origin, errors typed. ky also retries network failures and 5xx
 * answers of idempotent methods (its defaults), re-authorizing each time.
 *
 * @example
 * ```ts
 * import { createOktaKy } from '@org/okta-auth-core/ky';
 * import { createSswsCredential } from '@org/okta-ssws';
 *
 * declare const token: string; // your API token
 * const okta = createOktaKy({ credential: createSswsCredential({ orgUrl: 'https://acme.okta.com', token }) });
 * const me = await okta.get('api/v1/users/me').json();
 * ```
 * @see https://github.com/sindresorhus/ky
 */
export function createOktaKy(options: CreateOktaKyOptions): KyInstance {
  const { retry, timeoutMs, hooks } = preparedHooks(options);
  const base = options.ky ?? ky;
  return base.extend({
    baseUrl: `${options.credential.origin}/`,
    headers: { accept: 'application/json' },
    // Never follow a redirect with credentials (the hooks then need not replace the request).
    redirect: 'manual',
    timeout: timeoutMs,
    retry: {
      // 429 retries + the one challenge retry + ky's own network/5xx retries of idempotent methods.
      limit: retry.limit + 3,
      statusCodes: [408, 500, 502, 503, 504],
      afterStatusCodes: [],
      backoffLimit: 5_000,
    },
    hooks,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
}
