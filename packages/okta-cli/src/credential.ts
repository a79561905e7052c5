import { type OktaCredential, type OktaTransportOptions } from '@org/okta-auth-core';
import type { SignInClient, TokenStore, UserCredential } from '@org/okta-oauth';
import { readPrivateKey, requireSetting, scopesOf, type CliConfig } from './config/load.js';
import { loadDpopKey, withDpopKey } from './dpop-key.js';
import { CliError, ExitCode } from './exit-codes.js';
import { fileStorage, tokenFilePath, type TokenFile } from './token-file.js';
import { loginCommand, renewalWaitMs } from './transport-flags.js';

// @org/okta-oauth (with jose) and @org/okta-ssws are imported by the credential that needs them:
// `okta-auth api` with an API token never loads the OAuth client.

/** What every command needs to reach Okta. */
export interface CliContext {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly transport: OktaTransportOptions;
}

/** The scopes a person signs in with when the profile names none. */
export const defaultUserScopes = 'openid profile offline_access okta.users.read';

/** DPoP mode of a service app: `auto` (default), `required` or `off`. */
export function serviceDpopMode(config: CliConfig): 'auto' | 'required' | 'off' {
  const value = (config.raw.dpop?.value ?? 'auto').trim().toLowerCase();
  if (value === 'auto' || value === 'required' || value === 'off') return value;
  if (value === 'true') return 'required';
  if (value === 'false') return 'off';
  throw new CliError(ExitCode.CONFIG, `dpop (${config.raw.dpop?.source ?? ''}) must be auto, required or off.`);
}

function userDpop(config: CliConfig): boolean {
  const value = (config.raw.dpop?.value ?? 'off').trim().toLowerCase();
  return value === 'true' || value === 'required' || value === 'on';
}

/** `http://` is accepted for loopback orgs only (the emulator); core refuses it for any other host. */
const loopback = { allowInsecureLoopback: true } as const;

/**
 * The app each way of signing a person in needs, as its configuration errors advise: `device` for
 * `login` (RFC 8628), `browser` for `login --browser` (authorization code with PKCE on a loopback
 * redirect, RFC 8252 §7.3), `signedIn` for the commands that use the stored tokens (`logout`,
 * `api`, `doctor`): the app of either sign-in, whichever the person used.
 */
export const userApps = {
  device: 'an OIDC native app with the Device Authorization grant',
  browser: 'an OIDC native app with the Authorization Code grant and, among its Sign-in redirect URIs, the loopback redirectUri okta-auth login --browser listens on',
  signedIn: 'the OIDC native app you signed in with: the one with the Device Authorization grant for okta-auth login, or the Authorization Code grant for login --browser',
} as const;

/**
 * The sign-in client of a `User` profile, with its token file (which writes the DPoP key, if
 * any, with the tokens) and the storage key of this org and app. `dpop` overrides the profile's
 * setting (`logout` of tokens bound to the file's key after the setting went); `app` is the sign-in
 * a missing `clientId` is advised for (the device grant's unless said).
 */
export async function userSignIn(
  config: CliConfig,
  ctx: CliContext,
  overrides: { dpop?: boolean; app?: keyof typeof userApps } = {},
): Promise<{ client: SignInClient; storage: TokenFile; storageKey: string; scopes: string[]; dpop: boolean; newKey: boolean }> {
  const clientId = requireSetting(config, 'clientId', `the client id of ${userApps[overrides.app ?? 'device']}`);
  const file = fileStorage(tokenFilePath(ctx.env, config.profile), renewalWaitMs(ctx.transport));
  const scopes = scopesOf(config, defaultUserScopes);
  const key = (overrides.dpop ?? userDpop(config)) ? await loadDpopKey(file) : undefined;
  const dpop = key === undefined ? { dpop: 'off' as const } : { dpop: 'required' as const, dpopKeyPair: key.pair };
  const storage = key === undefined ? file : withDpopKey(file, key);
  const { createSignInClient } = await import('@org/okta-oauth');
  const client = createSignInClient({ ...ctx.transport, ...loopback, orgUrl: config.orgUrl.value.trim(), clientId, scopes, ...dpop });
  return { client, storage, storageKey: `okta-auth:${client.origin}:${clientId}:tokens`, scopes, dpop: key !== undefined, newKey: key?.made === true };
}

/**
 * The signed-in user's credential, or exit 4 with what to run: when no tokens are stored (a file
 * okta-auth cannot read, damaged or a newer version's, or the profile's entry in it, named as such: {@link TokenFile.unreadable}), and when
 * the DPoP key kept with them cannot be read (a new key was made, to which they are not bound:
 * the library would refuse them on the first request with advice for a program, `dpopKeyPair`).
 */
export async function restoreUser(config: CliConfig, ctx: CliContext): Promise<UserCredential> {
  const { client, storage, storageKey, newKey } = await userSignIn(config, ctx, { app: 'signedIn' });
  const credential = await client.restoreCredential({ storage, storageKey });
  // A DPoP profile restores only tokens bound to its key (restoreCredential answers undefined for others): none is bound to a key made now.
  const keyLost = `The DPoP key kept with the tokens of ${client.origin} cannot be read, so they cannot be used: run ${loginCommand(config.profile)} again.`;
  if (newKey && (credential !== undefined || typeof (await storage.get(storageKey)) === 'string')) throw new CliError(ExitCode.AUTH, keyLost);
  if (credential === undefined) {
    // A file okta-auth cannot read is no "never signed in": it is named, with what replaces it.
    const why = storage.unreadable(storageKey);
    const [run, entry] = [`run ${loginCommand(config.profile)}`, `entry for profile ${config.profile}`];
    throw new CliError(
      ExitCode.AUTH,
      why === undefined
        ? `Not signed in to ${client.origin}: ${run}.`
        : // A damaged entry of a readable file is the entry's, not the file's (deleting it would lose its other entries).
          `${storage.path} (the signed-in tokens of ${client.origin}) ${why === 'file' ? `is not JSON (damaged or cut short): ${run} to replace it, or delete it` : why === 'entry' ? `holds a damaged ${entry}: ${run} to replace it` : `holds an ${entry} in a newer okta-auth’s format (version ${why}): ${run} to replace it`}.`,
    );
  }
  return credential;
}

/**
 * The credential the profile's `authorizationMode` calls for. `dpop` overrides a service app's
 * setting; `tokenStore` is given to a service or OIN app's credential (okta-oauth's option: the
 * doctor reads from it the scopes Okta granted).
 */
export async function buildCredential(
  config: CliConfig,
  ctx: CliContext,
  overrides: { dpop?: 'auto' | 'required' | 'off'; tokenStore?: TokenStore } = {},
): Promise<OktaCredential> {
  const orgUrl = config.orgUrl.value.trim();
  switch (config.mode) {
    case 'SSWS':
      return (await import('@org/okta-ssws')).createSswsCredential({ ...loopback, orgUrl, token: requireSetting(config, 'token', 'an API token from Security > API > Tokens') });
    case 'PrivateKey':
      return (await import('@org/okta-oauth')).createServiceAppCredential({
        ...ctx.transport,
        ...loopback,
        orgUrl,
        clientId: requireSetting(config, 'clientId', "the service app's client id"),
        privateKey: readPrivateKey(config, ctx.cwd),
        keyId: config.raw.keyId?.value.trim(),
        scopes: scopesOf(config),
        dpop: overrides.dpop ?? serviceDpopMode(config),
        tokenStore: overrides.tokenStore,
      });
    case 'ClientSecret':
      return (await import('@org/okta-oauth')).createOinAppCredential({
        ...ctx.transport,
        ...loopback,
        orgUrl,
        clientId: requireSetting(config, 'clientId', "the OIN integration's client id for this org"),
        clientSecret: requireSetting(config, 'clientSecret', "the OIN integration's client secret for this org"),
        scopes: scopesOf(config),
        tokenStore: overrides.tokenStore,
      });
    case 'User':
      return restoreUser(config, ctx);
  }
}
