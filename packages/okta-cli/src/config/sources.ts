import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { configError } from '../exit-codes.js';
import { readSmallFile } from '../files.js';
import { homeFolder } from '../home.js';

/** The keys of `okta.client` (and of each `okta.profiles.<name>`) the CLI reads, as the Okta SDKs spell them. */
export const clientKeys = ['orgUrl', 'token', 'authorizationMode', 'clientId', 'clientSecret', 'scopes', 'privateKey', 'keyId', 'dpop', 'redirectUri'] as const;
export type ClientKey = (typeof clientKeys)[number];

/** One value and where it came from (for `doctor`, never the value itself). */
export interface Sourced {
  readonly value: string;
  readonly source: string;
}

export type RawClient = Partial<Record<ClientKey, Sourced>>;

/**
 * The configuration files, lowest precedence first, as `@okta/okta-sdk-nodejs` reads them; without
 * a home folder ({@link homeFolder}), `./okta.yaml` alone.
 */
export function configFiles(cwd: string): string[] {
  const home = homeFolder();
  return [...(home === undefined ? [] : [join(home, '.okta', 'okta.yaml')]), join(cwd, 'okta.yaml')];
}

/** The largest okta.yaml read (1 MiB): the one bound of every okta.yaml the CLI reads. */
export const maxConfigFileBytes = 1024 * 1024;

interface YamlFile {
  readonly path: string;
  readonly okta: Record<string, unknown>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads one okta.yaml; `undefined` when it does not exist. */
export function readYamlFile(path: string): YamlFile | undefined {
  const text = readSmallFile(path, maxConfigFileBytes, 'the okta.yaml of the Okta SDKs');
  if (text === undefined) return undefined;
  let doc: unknown;
  try {
    // A warning (an unknown `!tag`, a directive) is refused like an error: the parser would print it
    // on stderr, with the line it is on, which may hold a secret; and the value could be misread.
    const document = parseDocument(text, { logLevel: 'silent' });
    const problem = document.errors[0] ?? document.warnings[0];
    if (problem !== undefined) throw problem;
    doc = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // The parser's message quotes the offending line, which may hold a secret: give only the position.
    const pos = (error as { linePos?: { line: number; col: number }[] }).linePos?.[0];
    const what = (error as Error).name === 'YAMLWarning' ? 'has YAML the Okta SDKs do not read, such as a !tag,' : 'is not valid YAML';
    throw configError(`${path} ${what}${pos === undefined ? '' : ` (line ${pos.line}, column ${pos.col})`}: fix or remove it.`);
  }
  if (doc === null || doc === undefined) return { path, okta: {} };
  if (!isRecord(doc) || (doc.okta !== undefined && !isRecord(doc.okta))) {
    throw configError(`${path} must hold a mapping with an "okta:" key (okta: client: orgUrl: …), as the Okta SDKs expect.`);
  }
  return { path, okta: doc.okta ?? {} };
}

function toValue(raw: unknown, key: string, where: string): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  if (Array.isArray(raw) && raw.every((x) => typeof x === 'string')) return raw.join(' ');
  if (key === 'privateKey' && isRecord(raw)) return JSON.stringify(raw);
  throw configError(`${where}: ${key} must be a string${key === 'scopes' ? ' or a list of strings' : ''}.`);
}

/** The client settings of one profile in one file: `okta.client` for the default profile, `okta.profiles.<name>` otherwise. */
export function clientOf(file: YamlFile, profile: string | undefined): RawClient | undefined {
  let section: unknown;
  let where: string;
  if (profile === undefined) {
    section = file.okta.client;
    where = `${file.path} okta.client`;
  } else {
    const profiles = file.okta.profiles;
    if (profiles !== undefined && !isRecord(profiles)) throw configError(`${file.path}: okta.profiles must be a mapping of profile names.`);
    // Own keys only: a profile named "constructor" or "__proto__" is not read from Object.
    section = profiles !== undefined && Object.hasOwn(profiles, profile) ? profiles[profile] : undefined;
    where = `${file.path} okta.profiles.${profile}`;
  }
  if (section === undefined || section === null) return undefined;
  if (!isRecord(section)) throw configError(`${where} must be a mapping of settings (orgUrl, token, …).`);
  const out: RawClient = {};
  for (const key of clientKeys) {
    const value = toValue(section[key], key, where);
    if (value !== undefined) out[key] = { value, source: file.path };
  }
  return out;
}

/** The profile names defined in the files, for an error that lists them. */
export function profileNames(files: readonly YamlFile[]): string[] {
  const names = new Set<string>();
  for (const file of files) {
    const profiles = file.okta.profiles;
    if (isRecord(profiles)) for (const name of Object.keys(profiles)) names.add(name);
  }
  return [...names].sort();
}

/** `OKTA_CLIENT_<KEY>` as the SDKs read them (plus Go's `OKTA_CLIENT_PRIVATEKEYID`). */
export function clientFromEnv(env: Readonly<Record<string, string | undefined>>): RawClient {
  const out: RawClient = {};
  for (const key of clientKeys) {
    const name = `OKTA_CLIENT_${key.toUpperCase()}`;
    const value = env[name];
    if (value !== undefined && value.trim() !== '') out[key] = { value, source: `$${name}` };
  }
  const goKeyId = env.OKTA_CLIENT_PRIVATEKEYID;
  if (out.keyId === undefined && goKeyId !== undefined && goKeyId.trim() !== '') out.keyId = { value: goKeyId, source: '$OKTA_CLIENT_PRIVATEKEYID' };
  return out;
}
