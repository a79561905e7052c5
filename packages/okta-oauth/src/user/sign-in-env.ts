import { checkEnv, readRuntimeEnv } from '@org/okta-auth-core/internal';
import { envNames, readEnv, readKeyId, requireEnv } from '../internal/env.js';
import { createSignInClient, type SignInClient, type SignInClientOptions } from './sign-in-client.js';
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
 * runtimes without one. Errors are `OktaOAuthError`s with code `INVALID_CONFIG` that name the
 * variable to fix and never echo its value.
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
  const clientSecret = readEnv(env, envNames.clientSecret);
  const privateKey = readEnv(env, envNames.privateKey);
  if (clientSecret !== undefined && privateKey !== undefined) {
    throw fail(`Both ${envNames.clientSecret} and ${envNames.privateKey} are set: an app authenticates with one of them; unset the other.`);
  }
  const keyId = readKeyId(env);
  const redirectUri = options.redirectUri ?? readEnv(env, envNames.redirectUri);
  const postLogoutRedirectUri = options.postLogoutRedirectUri ?? readEnv(env, envNames.postLogoutRedirectUri);
  return createSignInClient({
    ...options,
    orgUrl: requireEnv(env, envNames.orgUrl, 'your org URL, such as https://acme.okta.com', fail),
    clientId: requireEnv(env, envNames.clientId, "the OIDC app's client id", fail),
    scopes: options.scopes ?? requireEnv(env, envNames.scopes, 'the scopes, space separated, such as "openid offline_access okta.users.read"', fail),
    ...(clientSecret === undefined ? {} : { clientSecret }),
    ...(privateKey === undefined ? {} : { privateKey }),
    ...(keyId === undefined ? {} : { keyId }),
    ...(redirectUri === undefined ? {} : { redirectUri }),
    ...(postLogoutRedirectUri === undefined ? {} : { postLogoutRedirectUri }),
  });
}
