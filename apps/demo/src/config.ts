import { isOktaAuthError, parseOrgUrl, type OktaCredential, type OktaTransportOptions } from '@org/okta-auth-core';
import { readAuthorizationMode } from '@org/okta-auth-core/internal';
import { serviceAppCredentialFromEnv } from '@org/okta-oauth';
import { sswsCredentialFromEnv } from '@org/okta-ssws';

type Env = Readonly<Record<string, string | undefined>>;

/** The variables the tour reads: the names Okta's own SDKs use. */
export const ENV = {
  orgUrl: 'OKTA_CLIENT_ORGURL',
  token: 'OKTA_CLIENT_TOKEN',
  mode: 'OKTA_CLIENT_AUTHORIZATIONMODE',
  clientId: 'OKTA_CLIENT_CLIENTID',
  scopes: 'OKTA_CLIENT_SCOPES',
  privateKey: 'OKTA_CLIENT_PRIVATEKEY',
  keyId: 'OKTA_CLIENT_KEYID',
} as const;

/** A setting the demo cannot use, with the environment variable to fix. */
export class DemoConfigError extends Error {
  override readonly name = 'DemoConfigError';
  /** The environment variable to set or fix. */
  readonly variable: string;

  constructor(variable: string, message: string) {
    super(message.startsWith(variable) ? message : `${variable}: ${message}`);
    this.variable = variable;
  }
}

/** Where the tour runs: a local emulated org it sets up itself, or a real org it only reads. */
export type TourConfig =
  | { readonly mode: 'emulator' }
  | {
      readonly mode: 'org';
      readonly orgUrl: string;
      /** An API-token credential, when OKTA_CLIENT_TOKEN is set. */
      readonly ssws: OktaCredential | undefined;
      /** Makes the service-app credential (with the tour's logger), when the service-app variables are set. */
      readonly serviceApp: ((transport: OktaTransportOptions) => OktaCredential) | undefined;
    };

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** Set, but read by neither demo: a client secret (`signInClientFromEnv` reads it for a confidential web app, `oinAppCredentialFromEnv` for an OIN app). */
const CLIENT_SECRET = 'OKTA_CLIENT_CLIENTSECRET';

/** Why each demo does not use a client secret. */
const SECRET_UNUSED = {
  tour: `the tour's service app (step 2) signs with a private key, ${ENV.privateKey}, not a client secret; an OIN partner app's client id and secret run on the emulated orgs only (step 3).`,
  web: "the web demo signs in from the browser, as a single-page app (a public client, with PKCE), which holds no secret. Unset it and use a SPA app's client id.",
} as const;

/**
 * What a demo is given and does not use, one line each for start-up (naming the variable, never its value), for
 * `readConfigOrTell` to print before the settings are read: a client secret, which the tour's service app (a
 * private key) and the web demo's page (a public client in the browser) have no use for.
 */
export function ignoredSettings(env: Env, demo: keyof typeof SECRET_UNUSED): string[] {
  return read(env, CLIENT_SECRET) === undefined ? [] : [`${CLIENT_SECRET} is set but not used: ${SECRET_UNUSED[demo]}`];
}

/** The variable an error from a `…FromEnv` reader is about: the one it names in `envVariable`, else `fallback`. */
function variableOf(error: unknown, fallback: string): string {
  return (isOktaAuthError(error) ? error.envVariable : undefined) ?? fallback;
}

/**
 * A file path given for the key (as the CLI and some Okta SDKs take): the demo takes the key
 * itself. Only a short one-line value that starts like a path or ends like a key file, never a
 * PEM body (base64 holds `/` too), and never echoed.
 */
function looksLikePath(value: string): boolean {
  if (value.startsWith('-----') || value.startsWith('{') || value.length > 4096 || /[\r\n]|\\n/.test(value)) return false;
  return /^(?:~|\.{1,2}|[A-Za-z]:)?[/\\]/.test(value) || /\.(?:pem|key|p8|json)$/i.test(value);
}

function wrap<T>(fallback: string, make: () => T): T {
  try {
    return make();
  } catch (error) {
    if (error instanceof DemoConfigError) throw error;
    throw new DemoConfigError(variableOf(error, fallback), error instanceof Error ? error.message : String(error));
  }
}

/**
 * Reads the tour's settings. With no `OKTA_CLIENT_*` variable set, the tour runs on an
 * emulated org. Otherwise it runs the read-only steps against `OKTA_CLIENT_ORGURL`, with an
 * API token (`OKTA_CLIENT_TOKEN`) and/or a service app (`OKTA_CLIENT_CLIENTID`,
 * `OKTA_CLIENT_SCOPES`, `OKTA_CLIENT_PRIVATEKEY`, optional `OKTA_CLIENT_KEYID`).
 * Loopback `http://` org URLs are accepted so the tour can read a local emulator.
 *
 * @throws {DemoConfigError} naming the variable to set or fix; never echoing a secret.
 */
export function readTourConfig(env: Env): TourConfig {
  const set = Object.values(ENV).filter((name) => read(env, name) !== undefined);
  if (set.length === 0) return { mode: 'emulator' };

  const rawOrgUrl = read(env, ENV.orgUrl);
  if (rawOrgUrl === undefined) {
    throw new DemoConfigError(ENV.orgUrl, `${ENV.orgUrl} is not set, but ${set.join(', ')} ${set.length === 1 ? 'is' : 'are'}: set it to your org, such as https://acme.okta.com (or unset the others to run on the emulator).`);
  }
  const orgUrl = wrap(ENV.orgUrl, () => parseOrgUrl(rawOrgUrl, { allowInsecureLoopback: true }).origin);
  // Core's one reading of the mode, as the factories read it: quotes refused, the value never shown.
  const mode = readAuthorizationMode(env, (message) => new DemoConfigError(ENV.mode, message))?.mode.toLowerCase();
  if (mode !== undefined && mode !== 'ssws' && mode !== 'privatekey') {
    throw new DemoConfigError(ENV.mode, `${ENV.mode} must be "SSWS" (API token) or "PrivateKey" (service app), or unset.`);
  }
  // Each factory refuses the other's mode; give each the variables that are its own.
  const withoutMode: Env = { ...env, [ENV.mode]: undefined };

  const wantsSsws = read(env, ENV.token) !== undefined && mode !== 'privatekey';
  const ssws = wantsSsws ? wrap(ENV.token, () => sswsCredentialFromEnv(withoutMode, { allowInsecureLoopback: true })) : undefined;

  const wantsServiceApp = [ENV.clientId, ENV.privateKey, ENV.scopes].some((name) => read(env, name) !== undefined) && mode !== 'ssws';
  let serviceApp: ((transport: OktaTransportOptions) => OktaCredential) | undefined;
  if (wantsServiceApp) {
    const key = read(env, ENV.privateKey);
    if (key !== undefined && looksLikePath(key)) {
      throw new DemoConfigError(ENV.privateKey, `${ENV.privateKey} looks like a file path: the demo takes the key itself (a PEM block or a private JWK), not its file. Give the file's content: ${ENV.privateKey}="$(cat key.pem)".`);
    }
    const make = (transport: OktaTransportOptions): OktaCredential =>
      wrap(ENV.clientId, () => serviceAppCredentialFromEnv(withoutMode, { ...transport, allowInsecureLoopback: true }));
    make({}); // check every variable now, before anything is sent
    serviceApp = make;
  }

  if (ssws === undefined && serviceApp === undefined) {
    // The mode left out the credential that is set: name the mode, not a variable already set.
    const appSet = [ENV.clientId, ENV.scopes, ENV.privateKey].filter((name) => read(env, name) !== undefined);
    if (mode === 'privatekey' && read(env, ENV.token) !== undefined) {
      throw new DemoConfigError(
        ENV.mode,
        `${ENV.mode} is PrivateKey (a service app), but only ${ENV.token} (an API token) is set: unset ${ENV.mode} or set it to SSWS, or set ${ENV.clientId}, ${ENV.scopes} and ${ENV.privateKey}.`,
      );
    }
    if (mode === 'ssws' && appSet.length > 0) {
      throw new DemoConfigError(
        ENV.mode,
        `${ENV.mode} is SSWS (an API token), but only service app variables (${appSet.join(', ')}) are set: unset ${ENV.mode} or set it to PrivateKey, or set ${ENV.token}.`,
      );
    }
    throw new DemoConfigError(
      ENV.token,
      `${ENV.orgUrl} is set but no credential is: set ${ENV.token} (an API token), or ${ENV.clientId}, ${ENV.scopes} and ${ENV.privateKey} (a service app).`,
    );
  }
  return { mode: 'org', orgUrl, ssws, serviceApp };
}
