import { parseOrgUrl } from '@org/okta-auth-core';
import { checkedEnv as checked, checkEnv, readAuthorizationMode, readRuntimeEnv, refuseNamed } from '@org/okta-auth-core/internal';
import { readClientKey } from './client-auth/client-key.js';
import type { ServiceAppCredential } from './credential/revoke-app-token.js';
import { configError, readOptions } from './errors.js';
import { envNames as names, readKeyId, requireEnv as required } from './internal/env.js';
import { checkClientId, checkScopes, refuseUserScopes } from './internal/validate.js';
import { createServiceAppCredential, type ServiceAppCredentialOptions } from './service-app.js';

/**
 * Options for {@link serviceAppCredentialFromEnv}: everything of
 * {@link ServiceAppCredentialOptions} except what the environment supplies.
 *
 * @example
 * ```ts
 * const options: ServiceAppEnvOptions = { dpop: 'required', timeoutMs: 10_000 };
 * ```
 * @see https://github.com/okta/okta-sdk-nodejs#oauth-20
 */
export type ServiceAppEnvOptions = Partial<Omit<ServiceAppCredentialOptions, 'orgUrl' | 'clientId' | 'privateKey' | 'keyId' | 'scopes'>>;

/**
 * A service app credential configured the way Okta's SDKs are, so a user of
 * `@okta/okta-sdk-nodejs` switches with no configuration change:
 *
 * | Variable | Meaning |
 * |---|---|
 * | `OKTA_CLIENT_ORGURL` | org URL |
 * | `OKTA_CLIENT_AUTHORIZATIONMODE` | `PrivateKey` (or unset); `SSWS` is refused with a pointer to `@org/okta-ssws` |
 * | `OKTA_CLIENT_CLIENTID` | client id |
 * | `OKTA_CLIENT_SCOPES` | scopes, space (or comma) separated |
 * | `OKTA_CLIENT_PRIVATEKEY` | PEM private key (PKCS#8, PKCS#1 or SEC1) or private JWK JSON (literal `\n` or `\r\n` allowed in either) |
 * | `OKTA_CLIENT_KEYID` (or Go's `OKTA_CLIENT_PRIVATEKEYID`) | the key's `kid` |
 *
 * `env` defaults to the runtime's environment (`process.env`, `Deno.env`); pass an object on
 * runtimes without one. An error about a variable names it: its message starts with the name
 * (`OKTA_CLIENT_PRIVATEKEY: …`, then what {@link createServiceAppCredential} says of that value) and
 * its `envVariable` holds it; it keeps its code (`INVALID_CONFIG`, `INVALID_KEY`, `INVALID_ORG_URL`)
 * and `cause`, and never echoes a secret value.
 *
 * @example
 * ```ts
 * import { serviceAppCredentialFromEnv } from '@org/okta-oauth';
 *
 * // OKTA_CLIENT_ORGURL=https://acme.okta.com OKTA_CLIENT_AUTHORIZATIONMODE=PrivateKey …
 * const credential = serviceAppCredentialFromEnv();
 * ```
 * @see https://github.com/okta/okta-sdk-nodejs#oauth-20
 */
export function serviceAppCredentialFromEnv(env: Readonly<Record<string, string | undefined>> = readRuntimeEnv(), given?: ServiceAppEnvOptions): ServiceAppCredential {
  checkEnv(env, 'serviceAppCredentialFromEnv', configError);
  const options = readOptions(given, 'serviceAppCredentialFromEnv(env, options)');
  // Core's one reading of the mode: quotes refused, shown only when a word (never another variable's secret).
  const { mode, shown } = readAuthorizationMode(env, configError) ?? {};
  if (mode !== undefined && mode.toLowerCase() !== 'privatekey') {
    throw refuseNamed(
      names.mode,
      configError(
        mode.toLowerCase() === 'ssws'
          ? `${names.mode} is "SSWS" (API token): use @org/okta-ssws for that, or set it to "PrivateKey" for a service app.`
          : `${names.mode} is ${shown}, not PrivateKey: only "PrivateKey" is supported here.`,
      ),
    );
  }
  // Each variable is checked by the factory's own check of the option it becomes, so that an error names the variable.
  const keyId = readKeyId(env)?.keyId;
  const allowInsecureLoopback = options.allowInsecureLoopback === true;
  return createServiceAppCredential({
    ...options,
    orgUrl: checked(names.orgUrl, () => required(env, names.orgUrl, 'your org URL, such as https://acme.okta.com'), (url) => parseOrgUrl(url, { allowInsecureLoopback })),
    clientId: checked(names.clientId, () => required(env, names.clientId, "the service app's client id"), (id) => checkClientId(id)),
    scopes: checked(
      names.scopes,
      () => required(env, names.scopes, 'the Okta API scopes, space separated, such as "okta.users.read okta.groups.read"'),
      (scopes) => refuseUserScopes(checkScopes(scopes)),
    ),
    privateKey: checked(names.privateKey, () => required(env, names.privateKey, "the app's private key as a PEM block or a private JWK (JSON)"), (key) => readClientKey(key, { keyId })),
    ...(keyId === undefined ? {} : { keyId }),
  });
}
