/**
 * A process with no home folder: no `HOME` and no entry in the user database (OpenShift's arbitrary
 * user ids, `docker run --user 54321`), where Node.js's `homedir()` throws. A profile that needs no
 * home (`OKTA_CLIENT_*`, `./okta.yaml`) works, `~/.okta/okta.yaml` unread; what needs it (the token
 * file without `XDG_CONFIG_HOME`, a `~/` key path) is exit 3 saying what to set. Run as a user id
 * with no entry, which only root can switch to: `HOME` unset alone (a user with an entry) runs everywhere.
 */
import { chmodSync, chownSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, requireBuiltCli, runCli, sandbox, type CliResult, type Sandbox } from '../test-helpers/cli.js';

let org: OktaEmulator;
let box: Sandbox;
let token: string;
/** A user id with no entry in the user database (`getent passwd 54321` finds none on the test machines). */
const nobody = 54_321;
const asRoot = process.getuid?.() === 0;

beforeAll(async () => {
  requireBuiltCli();
  org = await startEmulator({ seed: { users: 1 } });
  box = sandbox();
  token = org.createApiToken().token;
  for (const path of [box.dir, box.cwd, box.home, box.xdg]) if (asRoot) chownSync(path, nobody, nobody);
  if (asRoot) letNobodyReachTheCli();
});

afterAll(async () => {
  await org.close();
  box.remove();
  for (const [path, mode] of opened) chmodSync(path, mode);
});

/** The folders above the built CLI that the user id with no entry could not pass, and their modes before. */
const opened: [string, number][] = [];

/**
 * The checkout may sit in a folder only root can pass (a CI clone in `mktemp -d`, mode 0700): the
 * other user id must reach the built CLI and its packages, so each folder above it gets the
 * others' search bit (no read, no write) for this file's tests, and its mode back after.
 */
function letNobodyReachTheCli(): void {
  for (let path = dirname(cliPath); path !== dirname(path); path = dirname(path)) {
    const mode = statSync(path).mode & 0o7777;
    if ((mode & 0o001) === 0) {
      opened.push([path, mode]);
      chmodSync(path, mode | 0o001);
    }
  }
}

/** The environment of a container with no HOME: the sandbox's, without HOME (and without XDG_CONFIG_HOME unless given). */
function noHomeEnv(extra: Record<string, string>): Record<string, string> {
  const env = { ...box.env, ...extra };
  delete env.HOME;
  if (extra.XDG_CONFIG_HOME === undefined) delete env.XDG_CONFIG_HOME;
  return env;
}

/** The CLI run as the user id with no entry (root only), without HOME. */
const runAsNobody = (args: string[], env: Record<string, string>): Promise<CliResult> => runCli(args, { cwd: box.cwd, env, uid: nobody });

const apiToken = () => ({ OKTA_CLIENT_ORGURL: org.url, OKTA_CLIENT_TOKEN: token });

describe('no HOME', () => {
  it('a profile from OKTA_CLIENT_* variables: api works (exit 0)', async () => {
    const result = await runCli(['api', 'GET', '/api/v1/users?limit=1'], { cwd: box.cwd, env: noHomeEnv(apiToken()) });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});

describe.runIf(asRoot)('no HOME and no entry in the user database (a container under an arbitrary user id)', () => {
  it('a profile from OKTA_CLIENT_* variables: api works (exit 0), and doctor finds no problem', async () => {
    const api = await runAsNobody(['api', 'GET', '/api/v1/users?limit=1'], noHomeEnv(apiToken()));
    expect(api.stderr).toBe('');
    expect(api.code).toBe(0);
    expect(JSON.parse(api.stdout)).toHaveLength(1);
    const doctor = await runAsNobody(['doctor'], noHomeEnv(apiToken()));
    expect(doctor.stdout + doctor.stderr).not.toContain('unexpected error');
    expect(doctor.code, doctor.stdout).toBe(0);
  });

  it('a signed-in profile without XDG_CONFIG_HOME: exit 3 saying to set HOME or XDG_CONFIG_HOME', async () => {
    const result = await runAsNobody(['api', 'GET', '/api/v1/users'], noHomeEnv({ OKTA_CLIENT_ORGURL: org.url, OKTA_CLIENT_CLIENTID: '0oa-native' }));
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^okta-auth: The signed-in tokens are kept in .*: set HOME or XDG_CONFIG_HOME\.\n$/);
  });

  it('a ~/ key path: exit 3 saying to set HOME or name the key by its absolute path', async () => {
    const result = await runAsNobody(['api', 'GET', '/api/v1/users'], noHomeEnv({ OKTA_CLIENT_ORGURL: org.url, OKTA_CLIENT_CLIENTID: '0oa-service', OKTA_CLIENT_PRIVATEKEY: '~/.okta/key.pem', OKTA_CLIENT_SCOPES: 'okta.users.read' }));
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('names a file under ~/, but this process has no home folder');
    expect(result.stderr).toContain('set HOME, or name the key file by its absolute path.');
  });
});
