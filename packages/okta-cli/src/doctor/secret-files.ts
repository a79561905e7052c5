import { statSync } from 'node:fs';
import { keyOutsideFolder, privateKeyFile, type CliConfig } from '../config/load.js';
import type { Finding } from './report.js';

/**
 * The files that hold the profile's secret (the okta.yaml with its token, client secret or inline
 * key, and the key file `privateKey` names), when users other than the owner can read them:
 * anyone on the machine then holds the credential. `undefined` when there is none, and on Windows,
 * whose modes say nothing of that (Node.js reports 0666, or 0444 read-only, for every file: the
 * ACLs decide, and `chmod 600` is no command there).
 */
export function checkSecretFiles(config: CliConfig, cwd: string, platform: NodeJS.Platform = process.platform): Finding | undefined {
  if (platform === 'win32') return undefined;
  let keyFile: string | undefined;
  try {
    keyFile = privateKeyFile(config, cwd);
  } catch {
    // Neither a key nor a path: the key check reports it.
  }
  const files = new Map<string, string>();
  for (const key of ['token', 'clientSecret', 'privateKey'] as const) {
    const source = config.raw[key]?.source;
    // A privateKey that names a file leaves the secret in that file, not in the okta.yaml.
    if (source !== undefined && !source.startsWith('$') && !(key === 'privateKey' && keyFile !== undefined)) files.set(source, key);
  }
  if (keyFile !== undefined) files.set(keyFile, 'the private key');
  const open = [...files].flatMap(([path, what]) => {
    let mode: number;
    try {
      mode = statSync(path).mode & 0o777;
    } catch {
      return [];
    }
    return (mode & 0o077) === 0 ? [] : [{ path, text: `${path} (${what}) is mode ${mode.toString(8).padStart(4, '0')}` }];
  });
  if (open.length === 0) return undefined;
  return {
    status: 'warn',
    title: 'Secrets readable by other users',
    detail: `${open.map((f) => f.text).join('; ')}: other users of this machine can read the credential.`,
    fix: `chmod 600 ${open.map((f) => f.path).join(' ')}`,
  };
}

/** A warning when a folder's okta.yaml names a key file outside its folder (see `keyOutsideFolder`). */
export function checkKeyOutsideFolder(config: CliConfig, cwd: string): Finding | undefined {
  const path = keyOutsideFolder(config, cwd);
  if (path === undefined) return undefined;
  return {
    status: 'warn',
    title: 'Private key outside the project',
    detail: `${config.raw.privateKey?.source ?? 'okta.yaml'} names a key file outside its folder, ${path}: okta-auth signs client assertions with it for the org that file names.`,
    fix: 'if you did not write this okta.yaml (a cloned repository), check its orgUrl before using it; else nothing to do',
  };
}
