import { checkedEnv, readEnvText, refuseNamed } from '@org/okta-auth-core/internal';
import { configError, type OktaOAuthError } from '../errors.js';
import { checkKeyId } from './validate.js';

/** An environment: `process.env`, `Deno.env.toObject()`, a Workers `env` binding. @internal */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * The variable names, as `@okta/okta-sdk-nodejs` (and the Go and Python SDKs) read them.
 * `CLIENTSECRET`, `REDIRECTURI` and `POSTLOGOUTREDIRECTURI` extend the same scheme for user
 * sign-in, where the SDKs have no variable.
 * @internal
 */
export const envNames = {
  orgUrl: 'OKTA_CLIENT_ORGURL',
  mode: 'OKTA_CLIENT_AUTHORIZATIONMODE',
  clientId: 'OKTA_CLIENT_CLIENTID',
  clientSecret: 'OKTA_CLIENT_CLIENTSECRET',
  scopes: 'OKTA_CLIENT_SCOPES',
  privateKey: 'OKTA_CLIENT_PRIVATEKEY',
  keyId: 'OKTA_CLIENT_KEYID',
  keyIdGo: 'OKTA_CLIENT_PRIVATEKEYID',
  redirectUri: 'OKTA_CLIENT_REDIRECTURI',
  postLogoutRedirectUri: 'OKTA_CLIENT_POSTLOGOUTREDIRECTURI',
} as const;

/** A variable's trimmed value; `undefined` when unset or blank; no text is `INVALID_CONFIG` naming it (core's one reading). @internal */
export function readEnv(env: Env, name: string): string | undefined {
  const value = readEnvText(env, name, configError)?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** A variable that must be set; the error names it and what it should hold, never its value. @internal */
export function requireEnv(env: Env, name: string, what: string, fail: (message: string) => OktaOAuthError = configError): string {
  const value = readEnv(env, name);
  if (value === undefined) {
    throw refuseNamed(name, fail(`${name} is not set: it should hold ${what}.`));
  }
  return value;
}

/** The key's `kid`, checked as the `keyId` option: `OKTA_CLIENT_KEYID`, or Go's `OKTA_CLIENT_PRIVATEKEYID`. @internal */
export function readKeyId(env: Env): { readonly name: string; readonly keyId: string } | undefined {
  const name = readEnv(env, envNames.keyId) === undefined ? envNames.keyIdGo : envNames.keyId;
  const keyId = checkedEnv(name, () => readEnv(env, name), (value) => checkKeyId(value));
  return keyId === undefined ? undefined : { name, keyId };
}
