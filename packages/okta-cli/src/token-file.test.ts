import { chmodSync, lstatSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { failure } from '@org/okta-test-utils';
import { CliError } from './exit-codes.js';
import { sandbox, type Sandbox } from './test-helpers/cli.js';
import { cliConfigDir, fileStorage, tokenFilePath } from './token-file.js';

let box: Sandbox;
beforeEach(() => {
  box = sandbox();
});
afterEach(() => {
  box.remove();
});

describe('the token file', () => {
  it('lives under XDG_CONFIG_HOME (an absolute one), else ~/.config', () => {
    expect(tokenFilePath({ XDG_CONFIG_HOME: '/x/y' }, 'work')).toBe('/x/y/okta-auth/tokens/work.json');
    expect(cliConfigDir({ XDG_CONFIG_HOME: 'relative' })).toMatch(/\/\.config\/okta-auth$/);
  });

  it('is written 0600 in a 0700 folder, removed when empty, and narrowed to 0600 if found wider', async () => {
    const path = join(box.xdg, 'okta-auth', 'tokens', 'p.json');
    const store = fileStorage(path);
    await store.set('a', 'one');
    await store.set('b', 'two');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(path, '..')).mode & 0o777).toBe(0o700);
    expect(await store.get('a')).toBe('one');
    chmodSync(path, 0o644);
    expect(await store.get('b')).toBe('two');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    await store.remove('a');
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ b: 'two' });
    await store.remove('b');
    expect(() => statSync(path)).toThrow(/ENOENT/);
  });

  it('a token folder found open to other users (they could replace the file) is narrowed to 0700 before the file is read or written', async () => {
    const dir = join(box.xdg, 'okta-auth', 'tokens');
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o777);
    const path = join(dir, 'p.json');
    writeFileSync(path, JSON.stringify({ a: 'one' }), { mode: 0o600 });
    expect(await fileStorage(path).get('a')).toBe('one');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    chmodSync(dir, 0o755);
    await fileStorage(path).set('b', 'two');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('an unreadable file reads as empty (sign in again) rather than failing', async () => {
    const path = join(box.dir, 't', 'x.json');
    mkdirSync(join(box.dir, 't'));
    writeFileSync(path, '{not json', { mode: 0o600 });
    expect(await fileStorage(path).get('a')).toBeUndefined();
  });

  it('is written to a new file (O_EXCL) and renamed: never through a link planted where the temporary file goes', async () => {
    const dir = join(box.xdg, 'okta-auth', 'tokens');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, 'p.json');
    // The old temporary name was predictable (`<path>.<pid>.tmp`) and opened without O_EXCL.
    const planted = join(box.dir, 'planted');
    writeFileSync(planted, '', { mode: 0o666 });
    symlinkSync(planted, `${path}.${process.pid}.tmp`);
    await fileStorage(path).set('a', 'refresh-token-sentinel');
    expect(readFileSync(planted, 'utf8')).toBe('');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp') && !name.includes(String(process.pid)))).toEqual([]);
  });

  it('a token file that is a folder, or a link to a device, is a configuration error naming it, never read', () => {
    const dir = join(box.dir, 'd');
    mkdirSync(join(dir, 'folder.json'), { recursive: true });
    symlinkSync('/dev/zero', join(dir, 'zero.json'));
    expect(() => fileStorage(join(dir, 'folder.json')).get('a')).toThrow(`${join(dir, 'folder.json')} (the signed-in tokens; delete it and sign in again) is not a regular file`);
    expect(() => fileStorage(join(dir, 'zero.json')).get('a')).toThrow(`${join(dir, 'zero.json')} (the signed-in tokens) is a symbolic link`);
  });

  it('a token file that is a symbolic link is a configuration error naming it: never read, written or narrowed through it', () => {
    const dir = join(box.xdg, 'okta-auth', 'tokens');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, 'p.json');
    // Another file of the user's, shared on purpose (0644), that reads as a token file.
    const other = join(box.dir, 'shared.json');
    const text = JSON.stringify({ a: 'planted-sign-in' });
    writeFileSync(other, text, { mode: 0o644 });
    chmodSync(other, 0o644);
    symlinkSync(other, path);
    const message = `${path} (the signed-in tokens) is a symbolic link: okta-auth keeps them in a file of its own, never through a link; delete the link and sign in again.`;
    for (const use of [() => fileStorage(path).get('a'), () => fileStorage(path).set('b', 'two'), () => fileStorage(path).remove('a')]) {
      expect(failure.sync(use, (e): e is CliError => e instanceof CliError)).toMatchObject({ exitCode: 3, message });
    }
    expect(statSync(other).mode & 0o777).toBe(0o644);
    expect(readFileSync(other, 'utf8')).toBe(text);
    expect(lstatSync(path).isSymbolicLink()).toBe(true);
  });

  it('a link above the token file is followed as ever: a config folder linked by a dotfiles manager, a home under /var -> /private/var', async () => {
    // The real folders, and the links an XDG_CONFIG_HOME and a tokens folder go through.
    const real = join(box.dir, 'private', 'config');
    mkdirSync(join(box.dir, 'dotfiles', 'tokens'), { recursive: true, mode: 0o700 });
    mkdirSync(real, { recursive: true });
    symlinkSync(real, join(box.dir, 'config-link'));
    mkdirSync(join(real, 'okta-auth'), { mode: 0o700 });
    symlinkSync(join(box.dir, 'dotfiles', 'tokens'), join(real, 'okta-auth', 'tokens'));
    const path = tokenFilePath({ XDG_CONFIG_HOME: join(box.dir, 'config-link') }, 'p');
    const store = fileStorage(path);
    await store.set('a', 'one');
    expect(await fileStorage(path).get('a')).toBe('one');
    expect(statSync(join(box.dir, 'dotfiles', 'tokens', 'p.json')).mode & 0o777).toBe(0o600);
    await store.remove('a');
    expect(readdirSync(join(box.dir, 'dotfiles', 'tokens'))).toEqual([]);
  });

  it('a token file of 256 KiB is read; one byte more is a configuration error (exit 3) saying to delete it, for a read and a write alike, never quoting a token', async () => {
    const dir = join(box.xdg, 'okta-auth', 'tokens');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, 'p.json');
    const token = 'refresh-token-sentinel-0123456789abcdef';
    // A JSON object of exactly `size` bytes: the token, and padding.
    const sized = (size: number) => JSON.stringify({ a: token, pad: 'x'.repeat(size - JSON.stringify({ a: token, pad: '' }).length) });
    const kib256 = 256 * 1024;
    writeFileSync(path, sized(kib256), { mode: 0o600 });
    expect(await fileStorage(path).get('a')).toBe(token);
    writeFileSync(path, sized(kib256 + 1), { mode: 0o600 });
    const message = `${path} (the signed-in tokens; delete it and sign in again) is larger than 256 KiB: is it the right file?`;
    for (const use of [() => fileStorage(path).get('a'), () => fileStorage(path).set('b', 'two')]) {
      const error = failure.sync(use, (e): e is CliError => e instanceof CliError);
      expect(error).toMatchObject({ exitCode: 3, message });
      expect(error.cause).toBeUndefined();
      expect(error.message).not.toContain(token.slice(0, 20));
    }
    // The write was refused before anything was written.
    expect(readFileSync(path, 'utf8')).toBe(sized(kib256 + 1));
  });
});
