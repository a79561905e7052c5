/**
 * The token file's compare-and-remove (`removeIfEqual`, used by sign-out and by the undo of a
 * write that landed after it) across real okta-auth processes: done under `<file>.lock` (created
 * O_EXCL), so a sign-in another process writes while it holds the lock is compared, never removed;
 * and writers of different keys in several processes at once lose none.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { sandbox, type Sandbox } from './test-helpers/cli.js';
import { fileStorage } from './token-file.js';

const built = fileURLToPath(new URL('../dist/token-file.js', import.meta.url));
let box: Sandbox;
beforeEach(() => {
  box = sandbox();
});
afterEach(() => {
  box.remove();
});

/** Another okta-auth process: runs `body` (given `storage`, the built fileStorage of `path`) and prints what it returns. */
function otherProcess(path: string, body: string): Promise<string> {
  const script = `const { fileStorage } = await import(${JSON.stringify(built)}); const storage = fileStorage(${JSON.stringify(path)}); console.log(JSON.stringify(await (async () => { ${body} })()));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`exit ${String(code)}`))));
  });
}

it('removes the entry only while it holds the value, and answers whether it did', async () => {
  const path = join(box.xdg, 'okta-auth', 'tokens', 'p.json');
  const storage = fileStorage(path);
  await storage.set('k', 'signed out');
  await otherProcess(path, "storage.set('k', 'new sign-in')");
  expect(await storage.removeIfEqual?.('k', 'signed out')).toBe(false);
  expect(await storage.get('k')).toBe('new sign-in');
  expect(await otherProcess(path, "return storage.removeIfEqual('k', 'new sign-in')")).toBe('true');
  expect(existsSync(path)).toBe(false);
  expect(existsSync(`${path}.lock`)).toBe(false);
});

it("another process's compare-and-remove waits for the lock: a sign-in written while the lock is held stays", async () => {
  const path = join(box.xdg, 'okta-auth', 'tokens', 'p.json');
  await fileStorage(path).set('k', 'signed out');
  // This test is the other okta-auth, mid-write: it holds the lock, writes a new sign-in, then lets go,
  // once the removal has started (before, the lock was gone before the process ran: a removal taking
  // no lock passed too).
  writeFileSync(`${path}.lock`, '', { flag: 'wx', mode: 0o600 });
  const started = `${path}.started`;
  const removal = otherProcess(path, `(await import('node:fs')).writeFileSync(${JSON.stringify(started)}, ''); return storage.removeIfEqual('k', 'signed out')`);
  const run = { ended: false };
  removal.then(() => (run.ended = true), () => (run.ended = true));
  while (!existsSync(started) && !run.ended) await new Promise((resolve) => setTimeout(resolve, 10));
  writeFileSync(`${path}.new`, `${JSON.stringify({ k: 'new sign-in' })}\n`, { mode: 0o600 });
  renameSync(`${path}.new`, path);
  unlinkSync(`${path}.lock`);
  expect(await removal).toBe('false');
  expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ k: 'new sign-in' });
});

it('writers of different keys in several processes at once lose none', async () => {
  const path = join(box.xdg, 'okta-auth', 'tokens', 'p.json');
  const writers = Array.from({ length: 6 }, (_, w) => otherProcess(path, `for (let i = 0; i < 15; i++) storage.set('w${w}-' + i, 'v'); return true;`));
  await Promise.all(writers);
  expect(Object.keys(JSON.parse(readFileSync(path, 'utf8')) as object)).toHaveLength(90);
});
