import { parseOrgUrl } from '@org/okta-auth-core';
import { checkedEnv as checked, checkEnv, namingVariable, readRuntimeEnv } from '@org/okta-auth-core/internal';
import { readClientKey } from '../client-auth/client-key.js';
import { checkClientSecret } from '../client-auth/client-secret.js';
import { envNames, readEnv, readKeyId, requireEnv } from '../internal/env.js';
import { checkClientId } from '../internal/validate.js';
import { refuseLoneKeyId } from './sign-in-build.js';
import { createSignInClient, type SignInClient, type SignInClientOptions } from './sign-in-client.js';
import { normalizeRedirectUri, normalizeScope } from './validate.js';
import { configError, readOptions } from '../errors.js';

/**
 * Options for {@link signInClientFromEnv}: everything of {@link SignInClientOptions} except the
 * org, client and key, which come from the environment. `redirectUri`, `postLogoutRedirectUri`
 * and `scopes` given here win over their variables.
 *
 * @example
 * ```ts
 * import type { SignInEnvOptions } from '@org/okta-oauth';
 *
 * const options: SignInEnvOptions = { redirectUri: 'http://localhost:3000/callback', clockSkewSeconds: 60 };
 * ```
 * @see https://developer.okta.com/docs/guides/implement-oauth-for-okta/main/
 */
export type SignInEnvOptions = Partial<Omit<SignInClientOptions, 'orgUrl' | 'clientId' | 'clientSecret' | 'privateKey' | 'keyId'>>;

const fail = configError;

/**
 * A sign-in client configured with the variable names of Okta's SDKs (the ones
 * {@link serviceAppCredentialFromEnv} reads), extended for what sign-in adds:
 *
 * | Variable | Meaning |
 * |---|---|
 * | `OKTA_CLIENT_ORGURL` | org URL (required) |
 * | `OKTA_CLIENT_CLIENTID` | the OIDC app's client id (required) |
 * | `OKTA_CLIENT_SCOPES` | scopes, space (or comma) separated, such as `openid offline_access okta.users.read` (required unless `options.scopes`) |
 * | `OKTA_CLIENT_CLIENTSECRET` | a confidential web app's client secret (optional) |
 * | `OKTA_CLIENT_PRIVATEKEY` | or its private key for `private_key_jwt`: PEM or private JWK JSON (optional) |
 * | `OKTA_CLIENT_KEYID` (or `OKTA_CLIENT_PRIVATEKEYID`) | that key's `kid` (optional) |
 * | `OKTA_CLIENT_REDIRECTURI` | the sign-in redirect URI (optional; device sign-in needs none) |
 * | `OKTA_CLIENT_POSTLOGOUTREDIRECTURI` | the sign-out redirect URI (optional) |
 *
 * `env` defaults to the runtime's environment (`process.env`, `Deno.env`); pass an object on
 * runtimes without one. An error about a variable names it: its message starts with the name
 * (`OKTA_CLIENT_REDIRECTURI: …`, then what {@link createSignInClient} says of that value) and its
 * `envVariable` holds it; it keeps its code (`INVALID_CONFIG`, `INVALID_KEY`, `INVALID_ORG_URL`) and
 * `cause`, and never echoes a secret value. An option given in `options` wins over its variable, and
 * an error about it is the option's.
 *
 * @example
 * ```ts
 * import { signInClientFromEnv } from '@org/okta-oauth';
 *
 * // OKTA_CLIENT_ORGURL=https://acme.okta.com OKTA_CLIENT_CLIENTID=0oa… OKTA_CLIENT_SCOPES="openid offline_access okta.users.read"
 * const signIn = signInClientFromEnv();
 * const device = await signIn.startDeviceSignIn();
 * ```
 * @see https://developer.okta.com/docs/guides/implement-oauth-for-okta/main/
 * @see https://github.com/okta/okta-sdk-nodejs#oauth-20
 */
export function signInClientFromEnv(env: Readonly<Record<string, string | undefined>> = readRuntimeEnv(), given?: SignInEnvOptions): SignInClient {
  checkEnv(env, 'signInClientFromEnv', fail);
  const options = readOptions(given, 'signInClientFromEnv(env, options)');
  // Each variable is checked by the factory's own check of the option it becomes, so that an error names the variable.
  const clientSecret = checked(envNames.clientSecret, () => readEnv(env, envNames.clientSecret), (secret) => checkClientSecret(secret));
  const privateKey = readEnv(env, envNames.privateKey);
  if (clientSecret !== undefined && privateKey !== undefined) {
    throw fail(`Both ${envNames.clientSecret} and ${envNames.privateKey} are set: an app authenticates with one of them; unset the other.`);
  }
  const key = readKeyId(env);
  if (key !== undefined) {
    namingVariable(key.name, () => {
      refuseLoneKeyId({ keyId: key.keyId, privateKey });
    });
  }
  const keyId = key?.keyId;
  const allowInsecureLoopback = options.allowInsecureLoopback === true;
  const redirectUri = options.redirectUri ?? checked(envNames.redirectUri, () => readEnv(env, envNames.redirectUri), (uri) => normalizeRedirectUri(uri, 'redirectUri', true));
  const postLogoutRedirectUri =
    options.postLogoutRedirectUri ??
    checked(envNames.postLogoutRedirectUri, () => readEnv(env, envNames.postLogoutRedirectUri), (uri) => normalizeRedirectUri(uri, 'postLogoutRedirectUri'));
  return createSignInClient({
    ...options,
    orgUrl: checked(envNames.orgUrl, () => requireEnv(env, envNames.orgUrl, 'your org URL, such as https://acme.okta.com', fail), (url) => parseOrgUrl(url, { allowInsecureLoopback })),
    clientId: checked(envNames.clientId, () => requireEnv(env, envNames.clientId, "the OIDC app's client id", fail), (id) => checkClientId(id)),
    scopes:
      options.scopes ??
      checked(
        envNames.scopes,
        () => requireEnv(env, envNames.scopes, 'the scopes, space separated, such as "openid offline_access okta.users.read"', fail),
        (scopes) => normalizeScope(scopes, 'scopes'),
      ),
    ...(clientSecret === undefined ? {} : { clientSecret }),
    ...(privateKey === undefined ? {} : { privateKey: checked(envNames.privateKey, () => privateKey, (value) => readClientKey(value, { keyId })) }),
    ...(keyId === undefined ? {} : { keyId }),
    ...(redirectUri === undefined ? {} : { redirectUri }),
    ...(postLogoutRedirectUri === undefined ? {} : { postLogoutRedirectUri }),
  });
}
