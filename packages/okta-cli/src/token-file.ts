import { chmodSync, lstatSync, mkdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { OktaStorage, SingleFlightOptions } from '@org/okta-oauth';
import { configError } from './exit-codes.js';
import { withFileLock, withFileLockAsync } from './file-lock.js';
import { readSmallFile, writePrivateFile } from './files.js';
import { homeFolder, noHome } from './home.js';

/** `$XDG_CONFIG_HOME/okta-auth`, or `~/.config/okta-auth`. */
export function cliConfigDir(env: Readonly<Record<string, string | undefined>>): string {
  const xdg = env.XDG_CONFIG_HOME;
  // The XDG spec: a relative XDG_CONFIG_HOME is invalid and ignored.
  if (xdg?.startsWith('/') === true) return join(xdg, 'okta-auth');
  const home = homeFolder();
  if (home === undefined) throw configError(`The signed-in tokens are kept in $XDG_CONFIG_HOME/okta-auth, else ~/.config/okta-auth, and ${noHome}: set HOME or XDG_CONFIG_HOME.`);
  return join(home, '.config', 'okta-auth');
}

/** Where a profile's signed-in tokens live. */
export function tokenFilePath(env: Readonly<Record<string, string | undefined>>, profile: string): string {
  return join(cliConfigDir(env), 'tokens', `${profile}.json`);
}

const maxBytes = 256 * 1024;

/** A JSON object's text as an object, or `undefined` (not JSON, or JSON of another kind). */
function objectOf(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The file's entries; a file that is no JSON object reads as empty (a sign-in replaces it: {@link TokenFile.unreadable} says why). */
function readAll(path: string): Record<string, string> {
  const text = readSmallFile(path, maxBytes, 'the signed-in tokens; delete it and sign in again');
  const value = text === undefined ? {} : (objectOf(text) ?? {});
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/**
 * Takes the group and other bits off the token folder (to `0700`) or file (to `0600`) if it has
 * any: in a folder others can write, they could replace the file with their own sign-in (or take
 * it away). Absent, or not a folder or file, is left to the reader; one that cannot be narrowed
 * (another user's) is a configuration error with the chmod to run.
 */
function narrow(path: string, mode: number, folder: boolean): void {
  // The file is never a link here (refused before): lstat, so a link planted meanwhile is not followed either.
  const stat = folder ? statSync(path, { throwIfNoEntry: false }) : lstatSync(path, { throwIfNoEntry: false });
  if (stat === undefined || (folder ? !stat.isDirectory() : !stat.isFile()) || (stat.mode & 0o077) === 0) return;
  try {
    chmodSync(path, mode);
  } catch (error) {
    throw configError(`${path} is open to other users (mode ${(stat.mode & 0o777).toString(8)}) and cannot be narrowed (${(error as NodeJS.ErrnoException).code ?? 'error'}): run chmod ${mode.toString(8)} ${path}`);
  }
}

/** A profile's token file ({@link fileStorage}). */
export interface TokenFile extends OktaStorage {
  readonly path: string;
  /**
   * Edits the entries in one step, holding the file's lock ({@link withFileLock}): what another
   * okta-auth writes lands before or after, never between the read and the write. Answers what
   * `edit` returns; `false` leaves the file as it is. `heldAdvice`: what the error of a lock
   * another okta-auth keeps holding tells to do, when retrying is not the answer.
   */
  update<T>(edit: (entries: Record<string, string>) => T, heldAdvice?: string): T;
  /**
   * `set`, answering what `key` held until then, read under the same lock as the write; `also`
   * (entries written in the same step, such as the DPoP key its tokens are bound to).
   */
  swap(key: string, value: string, also?: Readonly<Record<string, string>>): string | undefined;
  /**
   * Why the file, present, holds nothing usable under `key`: `file` (not a JSON object: damaged or
   * cut short), `entry` (the file is readable, the entry under `key` is not), or the entry's newer
   * okta-auth format version; `undefined` when absent, or readable.
   */
  unreadable(key: string): 'file' | 'entry' | number | undefined;
  /**
   * A renewal of the tokens under `key` holding the file's lock from its read to its write, across
   * the request to Okta ({@link withFileLockAsync}): another okta-auth renewing at once waits, then
   * takes this one's renewal (`fresh`) instead of sending the same refresh token (which Okta refuses
   * once its rotation grace period passed, ending the sign-in). Nothing stored (`stored`: signed out)
   * renews nothing. `also`: entries written with the renewal (its DPoP key).
   */
  singleFlight(key: string, obtain: () => Promise<{ readonly value: string }>, options: SingleFlightOptions, also?: Readonly<Record<string, string>>): Promise<string | undefined>;
}

/**
 * A {@link OktaStorage} in one JSON file only the user can read: the
 * directory is created `0700`, the file written `0600` (to a temporary file,
 * then renamed, so a crash never leaves half a file), and a folder or file
 * found open to others is narrowed (`0700`, `0600`) before the file is read.
 * A token file that is a symbolic link is a configuration error (nothing read,
 * narrowed or written through it). `fleetWaitMs`: how long a renewal waits for another
 * okta-auth's (its lock kept fresh), declared to the credential as the storage's own bound; 5 s unless given.
 */
export function fileStorage(path: string, fleetWaitMs?: number): TokenFile {
  const dir = join(path, '..');
  const load = (): Record<string, string> => {
    // A link would be read (another file's entries taken for a sign-in) and narrowed (chmod follows it) through, then
    // replaced by the first write: one file, never another one it points at.
    if (lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink() === true) {
      throw configError(`${path} (the signed-in tokens) is a symbolic link: okta-auth keeps them in a file of its own, never through a link; delete the link and sign in again.`);
    }
    narrow(dir, 0o700, true);
    narrow(path, 0o600, false);
    return readAll(path);
  };
  const save = (entries: Record<string, string>): void => {
    if (Object.keys(entries).length === 0) {
      try {
        unlinkSync(path);
      } catch {
        // Already gone.
      }
      return;
    }
    writePrivateFile(path, `${JSON.stringify(entries)}\n`);
  };
  const update = <T>(edit: (entries: Record<string, string>) => T, heldAdvice?: string): T => {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return withFileLock(
      path,
      () => {
        const entries = load();
        const result = edit(entries);
        if (result !== false) save(entries);
        return result;
      },
      heldAdvice,
    );
  };
  const swap = (key: string, value: string, also?: Readonly<Record<string, string>>): string | undefined =>
    update((entries) => {
      const replaced = entries[key];
      entries[key] = value;
      if (also !== undefined) Object.assign(entries, also);
      return replaced;
    });
  const singleFlight: TokenFile['singleFlight'] = (key, obtain, { fresh, stored, signal }, also) => {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return withFileLockAsync(
      path,
      async () => {
        const held = load()[key];
        if (held === undefined ? stored === true : fresh?.(held) === true) return held;
        const { value } = await obtain();
        const entries = load();
        // Removed by hand meanwhile (okta-auth removes under the lock): signed out.
        if (stored === true && entries[key] === undefined) return undefined;
        save(Object.assign(entries, { [key]: value }, also));
        return value;
      },
      signal,
      fleetWaitMs,
    );
  };
  const unreadable = (key: string): ReturnType<TokenFile['unreadable']> => {
    const text = readSmallFile(path, maxBytes, 'the signed-in tokens; delete it and sign in again');
    const entries = text === undefined ? {} : objectOf(text);
    const entry = entries?.[key];
    const version = typeof entry === 'string' ? objectOf(entry)?.version : undefined;
    // Absent, no entry of this org and app (not signed in), or one this okta-auth reads (refused for another reason: DPoP).
    if ((entries !== undefined && entry === undefined) || version === 1) return undefined;
    return entries === undefined ? 'file' : typeof version === 'number' && version > 1 ? version : 'entry';
  };
  return {
    path,
    fleetWaitMs,
    update,
    swap,
    singleFlight,
    unreadable,
    get: (key) => load()[key],
    set(key, value) {
      swap(key, value);
    },
    remove(key) {
      update((entries) => {
        // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- a plain record read from JSON
        delete entries[key];
      });
    },
    // Compared and removed under the file's lock: a sign-in another okta-auth writes meanwhile stays.
    // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- a plain record read from JSON
    removeIfEqual: (key, value) => update((entries) => entries[key] === value && delete entries[key]),
  };
}
