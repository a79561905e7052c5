/**
 * The token file's rules no test read before the thirty-fourth mutation round
 * (docs/security-history.md): what a file of another shape reads as, which modes are narrowed and
 * which are left, what is written back after an edit that changes nothing, and `swap`'s answer.
 */
import type * as nodeFs from 'node:fs';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { failure } from '@org/okta-test-utils';
import { CliError } from './exit-codes.js';
import { sandbox, type Sandbox } from './test-helpers/cli.js';
import { cliConfigDir, fileStorage } from './token-file.js';

/** A chmod that fails as it does for a file of another user's (the tests run as root, whose chmod never fails): with that code, or none for `''`. */
const hooks = vi.hoisted(() => ({ chmodFails: undefined as string | undefined }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof nodeFs>();
  const chmodSync = ((path: string, mode: number) => {
    if (hooks.chmodFails === '') throw new Error('chmod failed');
    if (hooks.chmodFails !== undefined) throw Object.assign(new Error(`${hooks.chmodFails}: operation not permitted, chmod '${path}'`), { code: hooks.chmodFails });
    fs.chmodSync(path, mode);
  }) as typeof fs.chmodSync;
  return { ...fs, chmodSync, default: { ...fs, chmodSync } };
});

let box: Sandbox;
let dir: string;
let path: string;
beforeEach(() => {
  box = sandbox();
  dir = join(box.xdg, 'okta-auth', 'tokens');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  path = join(dir, 'p.json');
});
afterEach(() => {
  hooks.chmodFails = undefined;
  box.remove();
});

const mode = (at: string) => statSync(at).mode & 0o777;

describe('the token file (mutation round 34)', () => {
  it('lives under ~/.config when XDG_CONFIG_HOME is not set or empty', () => {
    for (const env of [{}, { XDG_CONFIG_HOME: '' }, { XDG_CONFIG_HOME: undefined }]) expect(cliConfigDir(env)).toBe(join(homedir(), '.config', 'okta-auth'));
  });

  it('reads a file that is JSON but no object as empty, and keeps only the entries that are text', () => {
    for (const text of ['["one"]', 'null', '"one"', '42', '']) {
      writeFileSync(path, text, { mode: 0o600 });
      expect([fileStorage(path).get('0'), fileStorage(path).get('length')], text).toEqual([undefined, undefined]);
    }
    writeFileSync(path, JSON.stringify({ a: 1, b: 'two', c: null, d: { e: 'f' }, g: ['h'] }), { mode: 0o600 });
    expect(['a', 'b', 'c', 'd', 'g'].map((key) => fileStorage(path).get(key))).toEqual([undefined, 'two', undefined, undefined, undefined]);
  });

  it('narrows a file with any group or other bit to 0600 and a folder to 0700, and leaves the owner bits of one with none', () => {
    writeFileSync(path, '{"a":"one"}', { mode: 0o600 });
    for (const [file, folder] of [[0o604, 0o701], [0o640, 0o710], [0o601, 0o707]] as const) {
      chmodSync(path, file);
      chmodSync(dir, folder);
      expect(fileStorage(path).get('a')).toBe('one');
      expect([mode(path), mode(dir)], file.toString(8)).toEqual([0o600, 0o700]);
    }
    // No group or other bit: not the CLI's to change.
    chmodSync(path, 0o400);
    chmodSync(dir, 0o500);
    expect(fileStorage(path).get('a')).toBe('one');
    expect([mode(path), mode(dir)]).toEqual([0o400, 0o500]);
    chmodSync(dir, 0o700);
  });

  it('a file or folder open to others that cannot be narrowed is a configuration error with the chmod to run, and nothing is read', () => {
    writeFileSync(path, '{"a":"refresh-token-sentinel"}', { mode: 0o600 });
    chmodSync(path, 0o644);
    hooks.chmodFails = 'EPERM';
    const use = (p: string) => failure.sync(() => fileStorage(p).get('a'), (e): e is CliError => e instanceof CliError);
    const file = use(path);
    expect(file).toMatchObject({ exitCode: 3, message: `${path} is open to other users (mode 644) and cannot be narrowed (EPERM): run chmod 600 ${path}` });
    expect(file.message).not.toContain('sentinel');
    hooks.chmodFails = undefined;
    chmodSync(path, 0o600);
    chmodSync(dir, 0o775);
    hooks.chmodFails = 'EPERM';
    expect(use(path)).toMatchObject({ exitCode: 3, message: `${dir} is open to other users (mode 775) and cannot be narrowed (EPERM): run chmod 700 ${dir}` });
    hooks.chmodFails = '';
    expect(use(path)).toMatchObject({ message: `${dir} is open to other users (mode 775) and cannot be narrowed (error): run chmod 700 ${dir}` });
    hooks.chmodFails = undefined;
    chmodSync(dir, 0o700);
  });

  it('reads a file whose folder is not there as empty', () => {
    expect(fileStorage(join(box.dir, 'none', 'p.json')).get('a')).toBeUndefined();
  });

  it('a token file that is a folder is refused without narrowing it', () => {
    const folder = join(dir, 'folder.json');
    mkdirSync(folder);
    chmodSync(folder, 0o755);
    expect(() => fileStorage(folder).get('a')).toThrow(`${folder} (the signed-in tokens; delete it and sign in again) is not a regular file`);
    expect(mode(folder)).toBe(0o755);
  });

  it('an edit that changes nothing (removeIfEqual of another value, update answering false) writes nothing back', () => {
    const text = JSON.stringify({ a: 'one', kept: 7 });
    writeFileSync(path, text, { mode: 0o600 });
    const store = fileStorage(path);
    expect(store.removeIfEqual?.('a', 'other')).toBe(false);
    expect(store.update(() => false)).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe(text);
    expect(store.removeIfEqual?.('a', 'one')).toBe(true);
    // The entry that is not text is dropped with the first write; the last entry gone, so is the file.
    expect(() => statSync(path)).toThrow(/ENOENT/);
  });

  it('removing from a file that is not there leaves none', () => {
    const store = fileStorage(path);
    expect(() => store.remove('a')).not.toThrow();
    expect(() => statSync(path)).toThrow(/ENOENT/);
  });

  it('swap answers what the key held, read under its lock, and writes the other entries in the same step', () => {
    const store = fileStorage(path);
    expect(store.swap('a', 'one')).toBeUndefined();
    expect(store.swap('a', 'two', { dpop: 'key' })).toBe('one');
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ a: 'two', dpop: 'key' });
    expect(readFileSync(path, 'utf8').endsWith('}\n')).toBe(true);
  });
});
