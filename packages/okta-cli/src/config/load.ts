import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { envLineBreaks, unprintable } from '@org/okta-auth-core/internal';
import { configError } from '../exit-codes.js';
import { readSmallFile } from '../files.js';
import { homeFolder, noHome } from '../home.js';
import { shown } from '../io.js';
import { clientFromEnv, clientOf, configFiles, profileNames, readYamlFile, type RawClient, type Sourced } from './sources.js';

/** How the CLI authenticates, as `authorizationMode` names it (the SDKs' `SSWS` and `PrivateKey`, plus two of ours). */
export type AuthMode = 'SSWS' | 'PrivateKey' | 'ClientSecret' | 'User';

/** A profile's configuration, merged from every source. Secrets stay in `raw`; print only `source`s. */
export interface CliConfig {
  /** `default` or the `--profile` name. */
  readonly profile: string;
  readonly orgUrl: Sourced;
  readonly mode: AuthMode;
  /** Where the mode came from: the `authorizationMode` setting or which setting implied it. */
  readonly modeSource: string;
  readonly raw: RawClient;
  /** The files that were read, in order. */
  readonly files: readonly string[];
}

export interface LoadOptions {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `--profile`; `OKTA_AUTH_PROFILE` when absent; `default` means `okta.client`. */
  readonly profile?: string | undefined;
}

/** Without a prototype, as every table looked up by a key from outside: "constructor" or "toString" is no mode. */
const modes: Readonly<Record<string, AuthMode>> = Object.assign(Object.create(null) as Record<string, AuthMode>, { ssws: 'SSWS', privatekey: 'PrivateKey', clientsecret: 'ClientSecret', user: 'User' });

function inferMode(raw: RawClient): { mode: AuthMode; source: string } | undefined {
  const explicit = raw.authorizationMode;
  if (explicit !== undefined) {
    const named = explicit.value.trim().toLowerCase();
    const mode = modes[named];
    if (mode === undefined) {
      // Quoted only when it is a word: a value in the wrong setting may be a credential.
      const quoted = /^[A-Za-z]{1,20}$/.test(explicit.value.trim()) ? ` not "${explicit.value.trim()}"` : ' not that value';
      throw configError(`authorizationMode (${explicit.source}) must be SSWS, PrivateKey, ClientSecret or User,${quoted}.`);
    }
    return { mode, source: `authorizationMode in ${explicit.source}` };
  }
  if (raw.token !== undefined) return { mode: 'SSWS', source: `token in ${raw.token.source}` };
  if (raw.privateKey !== undefined) return { mode: 'PrivateKey', source: `privateKey in ${raw.privateKey.source}` };
  if (raw.clientSecret !== undefined) return { mode: 'ClientSecret', source: `clientSecret in ${raw.clientSecret.source}` };
  if (raw.clientId !== undefined) return { mode: 'User', source: `clientId without a key or secret in ${raw.clientId.source}` };
  return undefined;
}

/** The secret each mode sends to the org. */
const secretOf: Readonly<Record<AuthMode, keyof RawClient | undefined>> = { SSWS: 'token', PrivateKey: 'privateKey', ClientSecret: 'clientSecret', User: undefined };

/** An org URL as written, without spaces or one trailing slash: two spellings of one org compare equal (no regex: a folder's file writes it). */
function bare(url: string): string {
  const trimmed = url.trim();
  return trimmed.endsWith('/') ? trimmed.slice(0, -1) : trimmed;
}

/**
 * A secret goes only to an org URL the user set: `./okta.yaml` (a cloned repository's, say) may
 * name its own org with its own credential, or the org of `~/.okta/okta.yaml` again, but cannot
 * point the API token, key or client secret of `~/.okta/okta.yaml` or `OKTA_CLIENT_*` at another server.
 */
function checkSecretOrigin(raw: RawClient, mode: AuthMode, cwdFile: string, homeOrgUrl: string | undefined): void {
  const key = secretOf[mode];
  const secret = key === undefined ? undefined : raw[key];
  if (key === undefined || secret === undefined || raw.orgUrl?.source !== cwdFile || secret.source === cwdFile) return;
  if (homeOrgUrl !== undefined && bare(homeOrgUrl) === bare(raw.orgUrl.value)) return;
  throw configError(
    `orgUrl comes from ${cwdFile} but ${key} from ${secret.source}: a ${key} from elsewhere is never sent to the org URL of the folder's okta.yaml. ${secret.source.startsWith('$') ? 'Set OKTA_CLIENT_ORGURL too, ' : ''}Put ${key} in ${cwdFile}, remove its orgUrl, or run okta-auth from another folder.`,
  );
}

/**
 * Loads a profile the way the Okta SDKs load their configuration: `~/.okta/okta.yaml`,
 * then `./okta.yaml`, then `OKTA_CLIENT_*` variables, each overriding the one before.
 * A named profile (`okta.profiles.<name>` in either file) ignores `OKTA_CLIENT_*`, so a
 * variable exported for one org never leaks into a call to another.
 */
export function loadConfig(options: LoadOptions): CliConfig {
  const wanted = options.profile ?? options.env.OKTA_AUTH_PROFILE;
  const named = wanted !== undefined && wanted !== '' && wanted !== 'default' ? wanted : undefined;
  if (named !== undefined && !/^[\w.-]{1,64}$/.test(named)) throw configError(`The profile name "${named.slice(0, 64)}" may use only letters, digits, ".", "_" and "-".`);
  const paths = configFiles(options.cwd);
  const files = paths.flatMap((p) => {
    const file = readYamlFile(p);
    return file === undefined ? [] : [file];
  });
  let raw: RawClient = {};
  let found = false;
  for (const file of files) {
    const client = clientOf(file, named);
    if (client !== undefined) {
      found = true;
      raw = { ...raw, ...client };
    }
  }
  if (named === undefined) raw = { ...raw, ...clientFromEnv(options.env) };
  else if (!found) {
    const known = profileNames(files);
    throw configError(
      `No profile "${named}" in ${paths.join(' or ')}${known.length > 0 ? `; known profiles: ${known.map(shown).join(', ')}` : ''}. Add it under okta: profiles: ${named}: (orgUrl, token, …).`,
    );
  }
  const where = named === undefined ? `OKTA_CLIENT_ORGURL or okta.client.orgUrl in ${paths.join(' or ')}` : `okta.profiles.${named}.orgUrl`;
  if (raw.orgUrl === undefined || raw.orgUrl.value.trim() === '') throw configError(`No org URL configured: set ${where} (such as https://acme.okta.com).`);
  const mode = inferMode(raw);
  if (mode === undefined) {
    throw configError(
      `No credential configured for the org URL in ${raw.orgUrl.source}: set token (an API token), or clientId with privateKey (a service app), clientSecret (an OIN app), or alone (sign in with okta-auth login).`,
    );
  }
  const cwdFile = paths[paths.length - 1] ?? '';
  const home = files.find((file) => file.path !== cwdFile);
  checkSecretOrigin(raw, mode.mode, cwdFile, home === undefined ? undefined : clientOf(home, named)?.orgUrl?.value);
  return { profile: named ?? 'default', orgUrl: raw.orgUrl, mode: mode.mode, modeSource: mode.source, raw, files: files.map((f) => f.path) };
}

/** A required setting's value, or a configuration error naming it. */
export function requireSetting(config: CliConfig, key: keyof RawClient, what: string): string {
  const entry = config.raw[key];
  if (entry === undefined || entry.value.trim() === '') {
    const where = config.profile === 'default' ? `okta.client.${key} or OKTA_CLIENT_${key.toUpperCase()}` : `okta.profiles.${config.profile}.${key}`;
    throw configError(`authorizationMode ${config.mode} needs ${key} (${what}): set ${where}.`);
  }
  return entry.value.trim();
}

/** A PEM or JWK of the largest RSA key is a few KiB. */
const maxKeyFileBytes = 64 * 1024;

/**
 * The file `privateKey` names, or `undefined` when it holds the key itself (inline PEM or JWK JSON, an array of JWKs too).
 * A relative path is taken from the folder of the okta.yaml that names it (as kubectl reads a
 * kubeconfig's paths), from the working directory for `$OKTA_CLIENT_PRIVATEKEY`: `key.pem` in
 * `~/.okta/okta.yaml` is `~/.okta/key.pem` wherever the CLI runs, never a file a cloned repository
 * put in the working directory.
 */
export function privateKeyFile(config: CliConfig, cwd: string): string | undefined {
  const value = config.raw.privateKey?.value.trim();
  // `[`: an array of JWKs, which okta-oauth refuses as a set of keys; as a path, its `d`s would be quoted.
  if (value === undefined || value === '' || value.startsWith('-----BEGIN') || value.startsWith('{') || value.startsWith('[')) return undefined;
  // A control character (a line break, a terminal escape) or a literal \n: no path, and a path is printed.
  if (value.length > 1024 || new RegExp(unprintable.source).test(value) || value.includes('\\n')) {
    // Never echo it: it is probably a key without its PEM header.
    throw configError(`privateKey (${config.raw.privateKey?.source ?? ''}) is neither a PEM starting with -----BEGIN, a private JWK, nor a file path.`);
  }
  const source = config.raw.privateKey?.source ?? '$';
  if (!value.startsWith('~/')) return isAbsolute(value) ? value : join(source.startsWith('$') ? cwd : dirname(source), value);
  const home = homeFolder();
  if (home === undefined) throw configError(`privateKey (${source}) names a file under ~/, but ${noHome}: set HOME, or name the key file by its absolute path.`);
  return join(home, value.slice(2));
}

/**
 * The key file a folder's okta.yaml (`./okta.yaml`, not the person's `~/.okta/okta.yaml`) names
 * outside that folder (`../../…`, an absolute path, `~/…`), or `undefined`. Allowed, as the Okta
 * SDKs allow it (a team repository's `privateKey: ~/keys/app.pem`), but `doctor` names it: a
 * cloned repository's okta.yaml that names the person's own key makes the CLI sign with it for the
 * org that file names.
 */
export function keyOutsideFolder(config: CliConfig, cwd: string): string | undefined {
  const source = config.raw.privateKey?.source;
  // Not ./okta.yaml, or ./okta.yaml is ~/.okta/okta.yaml (run in ~/.okta): the person's own file.
  const files = configFiles(cwd);
  if (source !== join(cwd, 'okta.yaml') || files.indexOf(source) !== files.length - 1) return undefined;
  let path: string | undefined;
  try {
    path = privateKeyFile(config, cwd);
  } catch {
    return undefined;
  }
  if (path === undefined) return undefined;
  const inside = relative(dirname(source), path);
  return inside.split(sep)[0] === '..' || isAbsolute(inside) ? keyPathShown(config.raw.privateKey?.value.trim() ?? '', path) : undefined;
}

/** A key file's path as messages show it: 40 or more base64 or base64url characters (no "."), maybe a key without its PEM header (a P-256 key is 184, a 32-byte seed 44), is never quoted. */
function keyPathShown(value: string, path: string): string {
  return value.length >= 40 && /^[\w+/=-]+$/.test(value) ? 'a path not shown (it may be a key without its PEM header)' : path;
}

/** The private key: inline PEM or JWK JSON (a literal `\n` or `\r\n` is a line break: core's `envLineBreaks`, as okta-oauth's key reader reads it), or a path to a file. */
export function readPrivateKey(config: CliConfig, cwd: string): string {
  const value = requireSetting(config, 'privateKey', 'a PKCS#8 PEM, a private JWK, or the path of a file holding one');
  const path = privateKeyFile(config, cwd);
  if (path === undefined) return envLineBreaks(value);
  const named = keyPathShown(value, path);
  const text = readSmallFile(path, maxKeyFileBytes, `privateKey in ${config.raw.privateKey?.source ?? ''}`, named);
  if (text === undefined) throw configError(`privateKey (${config.raw.privateKey?.source ?? ''}) names a file that cannot be read: ${named} (ENOENT).`);
  return text;
}

/** The scopes, space or comma separated, or a default. */
export function scopesOf(config: CliConfig, fallback?: string): string[] {
  const value = config.raw.scopes?.value ?? fallback;
  if (value === undefined) requireSetting(config, 'scopes', 'the scopes to request, such as "okta.users.read okta.groups.read"');
  return (value ?? '').split(/[\s,]+/).filter((s) => s !== '');
}
