import type { OktaCredential, OrgUrlOptions } from '@org/okta-auth-core';
import { checkEnv, readRuntimeEnv } from '@org/okta-auth-core/internal';
import { OktaSswsError } from './errors.js';
import { createSswsCredential } from './ssws-credential.js';
import { validateApiToken } from './validate-token.js';

/**
 * One variable's value: text, `undefined` when unset (or `null`), else `INVALID_CONFIG` naming it. A
 * Worker's `env` also holds bindings that are no text (a number or object from `vars`, a KV
 * namespace, a Secrets Store secret), and `.trim()` on one was a raw `TypeError`.
 */
function text(env: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = env[name];
  if (value === undefined || value === null || typeof value === 'string') return value ?? undefined;
  const read = typeof (value as { get?: unknown }).get === 'function' ? ` (a Secrets Store binding: pass { ...env, ${name}: await env.${name}.get() })` : '';
  throw new OktaSswsError('INVALID_CONFIG', `${name} holds ${Array.isArray(value) ? 'an array' : typeof value}, not text: set it to a string${read}.`);
}

/**
 * An API-token credential from the environment variables Okta's own SDKs
 * read: `OKTA_CLIENT_ORGURL` and `OKTA_CLIENT_TOKEN` (and, if set,
 * `OKTA_CLIENT_AUTHORIZATIONMODE` must be `SSWS`). Pass `env` explicitly on
 * runtimes without a process environment (browsers, Cloudflare Workers);
 * otherwise `process.env` or `Deno.env` is read.
 *
 * @throws {OktaSswsError} `INVALID_CONFIG` naming the variable to set or fix; `INVALID_TOKEN`.
 * @example
 * ```ts
 * import { createOktaFetch } from '@org/okta-auth-core';
 * import { sswsCredentialFromEnv } from '@org/okta-ssws';
 *
 * // OKTA_CLIENT_ORGURL=https://acme.okta.com OKTA_CLIENT_TOKEN=00ab… node app.js
 * const okta = createOktaFetch({ credential: sswsCredentialFromEnv() });
 *
 * // Cloudflare Workers: export default { fetch: (req, env) => … sswsCredentialFromEnv(env) … }
 * ```
 * @see https://github.com/okta/okta-sdk-nodejs#configuration
 */
export function sswsCredentialFromEnv(
  env: Readonly<Record<string, string | undefined>> = readRuntimeEnv(),
  options: OrgUrlOptions = {},
): OktaCredential {
  checkEnv(env, 'sswsCredentialFromEnv', (message) => new OktaSswsError('INVALID_CONFIG', message));
  const mode = text(env, 'OKTA_CLIENT_AUTHORIZATIONMODE')?.trim();
  if (mode !== undefined && /^(["'`]).*\1$/.test(mode)) {
    throw new OktaSswsError('INVALID_CONFIG', 'OKTA_CLIENT_AUTHORIZATIONMODE is wrapped in quotes (docker --env-file keeps those of VAR="…"): remove them.');
  }
  if (mode !== undefined && mode !== '' && mode.toUpperCase() !== 'SSWS') {
    throw new OktaSswsError(
      'INVALID_CONFIG',
      // Quoted only when it is a word: a value in the wrong variable may be a credential.
      `OKTA_CLIENT_AUTHORIZATIONMODE is ${/^[A-Za-z]{1,20}$/.test(mode) ? `"${mode}"` : 'set'}, not SSWS: for PrivateKey mode use serviceAppCredentialFromEnv from @org/okta-oauth, or unset it.`,
    );
  }
  const orgUrl = text(env, 'OKTA_CLIENT_ORGURL');
  if (orgUrl === undefined || orgUrl.trim() === '') {
    throw new OktaSswsError('INVALID_CONFIG', 'OKTA_CLIENT_ORGURL is not set: set it to your org, such as https://acme.okta.com.');
  }
  const token = text(env, 'OKTA_CLIENT_TOKEN');
  if (token === undefined) {
    throw new OktaSswsError('INVALID_CONFIG', 'OKTA_CLIENT_TOKEN is not set: set it to an Okta API token (Security > API > Tokens).');
  }
  return createSswsCredential({ ...options, orgUrl, token: validateApiToken(token, 'OKTA_CLIENT_TOKEN') });
}
