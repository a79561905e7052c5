import { homedir } from 'node:os';

/**
 * The CLI's one reader of the user's home folder: `undefined` when the process has none. Node.js's
 * `homedir()` reads `HOME`, else the user database, and throws (`uv_os_homedir returned ENOENT`)
 * when both are missing: a container run under an arbitrary user id (OpenShift,
 * `docker run --user 54321`) with no `HOME`. Then `~/.okta/okta.yaml` is not read, and what needs the
 * home folder (the token file without `XDG_CONFIG_HOME`, a `~/` key path) says to set `HOME`.
 * `read` is for tests: a reader that fails as `homedir()` does there.
 * @example
 * ```ts
 * const home = homeFolder(); // '/home/ada', or undefined in a container without HOME
 * ```
 * @see https://nodejs.org/api/os.html#oshomedir
 */
export function homeFolder(read: () => string = homedir): string | undefined {
  try {
    const home = read();
    return home === '' ? undefined : home;
  } catch {
    return undefined;
  }
}

/** Why a path that needs the home folder cannot be found, for a message that then says what to set. */
export const noHome = 'this process has no home folder (no HOME variable and no entry in the user database, as in a container run under an arbitrary user id)';
