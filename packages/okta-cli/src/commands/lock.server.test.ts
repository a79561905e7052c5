/**
 * The token file's lock (`file-lock.ts`) across real okta-auth processes: three `okta-auth logout`s
 * (each edits the token file under `<file>.lock`) racing for a lock another process holds, and for
 * one left by a process killed with SIGKILL, which is recovered at once with no file left beside it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { emulatorAndSandboxes, runCli } from '../test-helpers/cli.js';

const env = emulatorAndSandboxes();
const tokenStorage = fileURLToPath(new URL('../../dist/token-file.js', import.meta.url));
const tokensDir = () => join(env.box.xdg, 'okta-auth', 'tokens');

/** Another okta-auth that takes the token file's lock (through the built storage) and keeps it until it is killed. */
async function lockHolder(): Promise<ChildProcess> {
  const path = join(tokensDir(), 'default.json');
  const script = `const { fileStorage } = await import(${JSON.stringify(tokenStorage)}); fileStorage(${JSON.stringify(path)}).update(() => { process.stdout.write('held\\n'); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); });`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', () => resolve());
    child.on('close', (code) => reject(new Error(`the lock holder ended (${String(code)})`)));
  });
  return child;
}

/** Three `okta-auth logout`s at once (not signed in: each takes the lock to drop an unused DPoP key). */
function threeLogouts() {
  const app = env.org.createSignInApp({ type: 'native', redirectUris: ['http://127.0.0.1:9/cb'], scopes: ['okta.users.read'] }).clientId;
  env.box.writeYaml('cwd', { client: { orgUrl: env.org.url, authorizationMode: 'User', clientId: app } });
  return Promise.all([1, 2, 3].map(() => runCli(['logout'], { cwd: env.box.cwd, env: env.box.env, timeoutMs: 30_000 })));
}

it('a lock another okta-auth holds: each of three fails with what to do (exit 3); once it is killed with SIGKILL, all three go in turn, and no file is left', async () => {
  const holder = await lockHolder();
  try {
    for (const result of await threeLogouts()) {
      expect(result.stderr).toBe(`okta-auth: ${join(tokensDir(), 'default.json.lock')} is held by another okta-auth (process ${String(holder.pid)}): try again once it has ended, or delete the lock if no okta-auth is running.\n`);
      expect(result.code).toBe(3);
    }
  } finally {
    holder.kill('SIGKILL');
  }
  await new Promise((resolve) => holder.once('close', resolve));
  expect(readdirSync(tokensDir())).toEqual(['default.json.lock']);
  // Before, a killed process's lock was stale only after 30 s: each waited 5 s and failed (exit 3).
  for (const result of await threeLogouts()) {
    expect(result.stderr).toContain('Not signed in');
    expect(result.code).toBe(0);
  }
  // No lock, no `.stale` or `.takeover` file, no temporary file.
  expect(readdirSync(tokensDir())).toEqual([]);
});
