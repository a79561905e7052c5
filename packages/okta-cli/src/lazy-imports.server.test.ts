import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from './test-helpers/cli.js';
import { apiTokenProfileOrg } from './test-helpers/api-token-profile.js';

// Each run of the built binary records every module Node.js loads (a `load` hook registered with
// `--import`), so the test sees what a command pulls in: a command loads only what it runs, and
// `okta-auth --version` or `api` never pays for the emulator (jose, node:http, 250 seeded users'
// code) nor for the browser sign-in. Before the commands were imported lazily, every run loaded all.

const hooks = `import { appendFileSync } from 'node:fs';
let file;
export function initialize(data) { file = data.file; }
export async function load(url, context, next) { appendFileSync(file, url + '\\n'); return next(url, context); }
`;
const register = `import { register } from 'node:module';
register(new URL('./hooks.mjs', import.meta.url), { data: { file: process.env.OKTA_TEST_MODULE_LOG } });
`;

let runs = 0;

const place = apiTokenProfileOrg({ seed: { users: 3 } });

beforeAll(() => {
  writeFileSync(join(place.box.dir, 'hooks.mjs'), hooks);
  writeFileSync(join(place.box.dir, 'record.mjs'), register);
});

/** The environment of one recorded run, and the modules it loaded (read once the run has ended). */
function recorded(): { env: Record<string, string>; modules: () => string[] } {
  const log = join(place.box.dir, `modules-${String((runs += 1))}.log`);
  rmSync(log, { force: true });
  return {
    env: { ...place.box.env, NODE_OPTIONS: `--import ${pathToFileURL(join(place.box.dir, 'record.mjs')).href}`, OKTA_TEST_MODULE_LOG: log },
    modules: () => readFileSync(log, 'utf8').trim().split('\n'),
  };
}

/** The loaded modules of a package (`/okta-emulator/`, whether from the workspace or node_modules). */
const of = (loaded: string[], ...folders: string[]): string[] => loaded.filter((url) => folders.some((folder) => url.includes(`/${folder}/`)));
const browserLogin = (loaded: string[]): string[] => loaded.filter((url) => url.endsWith('/commands/login-browser.js'));

describe('okta-auth loads a command only when it runs', () => {
  it('--version and --help load neither the emulator nor the browser sign-in', async () => {
    for (const args of [['--version'], ['--help']]) {
      const { env, modules } = recorded();
      const result = await runCli(args, { cwd: place.box.cwd, env });
      expect(result.code, result.stderr).toBe(0);
      const loaded = modules();
      // The hook saw the CLI itself: an empty log would prove nothing.
      expect(loaded.filter((url) => url.endsWith('/dist/main.js'))).toHaveLength(1);
      expect(of(loaded, 'okta-emulator', 'commands')).toEqual([]);
    }
  });

  it('api GET with an API token answers without loading the emulator, the browser sign-in, the OAuth client or undici', async () => {
    const { env, modules } = recorded();
    const result = await runCli(['api', 'GET', '/api/v1/users?limit=2'], { cwd: place.box.cwd, env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toHaveLength(2);
    const loaded = modules();
    expect(loaded.filter((url) => url.endsWith('/dist/commands/api.js'))).toHaveLength(1);
    expect([...of(loaded, 'okta-emulator'), ...browserLogin(loaded)]).toEqual([]);
    // An API token needs @org/okta-ssws only; undici only for a proxy, and none is set.
    expect(of(loaded, 'okta-ssws').length).toBeGreaterThan(0);
    expect(of(loaded, 'okta-oauth', 'jose', 'undici')).toEqual([]);
  });

  it('emulator loads the emulator (and still not the browser sign-in)', async () => {
    const { env, modules } = recorded();
    const running = startCli(['emulator', '--port', '0', '--write', join(place.box.dir, 'emulator.yaml')], { cwd: place.box.cwd, env });
    try {
      await running.waitForStderr(/Press Ctrl-C to stop\./);
    } finally {
      running.interrupt();
    }
    expect((await running.result).code).toBe(130);
    const loaded = modules();
    expect(of(loaded, 'okta-emulator').length).toBeGreaterThan(0);
    expect(browserLogin(loaded)).toEqual([]);
  });
});
