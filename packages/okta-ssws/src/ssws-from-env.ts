import { parseOrgUrl, type OktaCredential, type OrgUrlOptions } from '@org/okta-auth-core';
import { checkedEnv, checkEnv, readAuthorizationMode, readEnvText, readOptions, readRuntimeEnv, refuseNamed } from '@org/okta-auth-core/internal';
import { OktaSswsError } from './errors.js';
import { createSswsCredential } from './ssws-credential.js';
import { validateApiToken } from './validate-token.js';

/**
 * An API-token credential from the environment variables Okta's own SDKs
 * read: `OKTA_CLIENT_ORGURL` and `OKTA_CLIENT_TOKEN` (and, if set,
 * `OKTA_CLIENT_AUTHORIZATIONMODE` must be `SSWS`). Pass `env` explicitly on
 * runtimes without a process environment (browsers, Cloudflare Workers);
 * otherwise `process.env` or `Deno.env` is read.
 *
 * An error about a variable names it, and never echoes the token: its message names the variable
 * (`OKTA_CLIENT_ORGURL: …`, then what `createSswsCredential` says of that value) and its
 * `envVariable` holds it; it keeps its code and `cause`.
 *
 * @throws {OktaSswsError} `INVALID_CONFIG` naming the variable to set or fix; `INVALID_TOKEN` naming `OKTA_CLIENT_TOKEN`.
 * @throws {OktaAuthError} `INVALID_ORG_URL` (core's) naming `OKTA_CLIENT_ORGURL`.
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
  options?: OrgUrlOptions,
): OktaCredential {
  const refuse = (message: string) => new OktaSswsError('INVALID_CONFIG', message);
  checkEnv(env, 'sswsCredentialFromEnv', refuse);
  const urlOptions = readOptions(options, 'sswsCredentialFromEnv(env, options)', refuse);
  // Core's one reading of the mode (quotes refused; shown only when a word) and of each variable (text, or INVALID_CONFIG naming it).
  const mode = readAuthorizationMode(env, refuse);
  if (mode !== undefined && mode.mode.toUpperCase() !== 'SSWS') {
    throw refuseNamed('OKTA_CLIENT_AUTHORIZATIONMODE', refuse(`OKTA_CLIENT_AUTHORIZATIONMODE is ${mode.shown}, not SSWS: for PrivateKey mode use serviceAppCredentialFromEnv from @org/okta-oauth, or unset it.`));
  }
  // Each variable is checked by the factory's own check of the option it becomes, inside core's one naming of a variable's errors.
  const orgUrl = checkedEnv(
    'OKTA_CLIENT_ORGURL',
    () => {
      const value = readEnvText(env, 'OKTA_CLIENT_ORGURL', refuse);
      if (value === undefined || value.trim() === '') throw refuse('OKTA_CLIENT_ORGURL is not set: set it to your org, such as https://acme.okta.com.');
      return value;
    },
    (value) => parseOrgUrl(value, urlOptions),
  );
  const token = checkedEnv(
    'OKTA_CLIENT_TOKEN',
    () => {
      // A blank token is set: the token's own check says it is empty.
      const value = readEnvText(env, 'OKTA_CLIENT_TOKEN', refuse);
      if (value === undefined) throw refuse('OKTA_CLIENT_TOKEN is not set: set it to an Okta API token (Security > API > Tokens).');
      return value;
    },
    (value) => validateApiToken(value, 'OKTA_CLIENT_TOKEN'),
  );
  return createSswsCredential({ ...urlOptions, orgUrl, token });
}
