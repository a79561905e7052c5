import { chmodSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
    expect(() => statSync(path)).toThrow();
  });

  it('an unreadable file reads as empty (sign in again) rather than failing', async () => {
    const path = join(box.dir, 't', 'x.json');
    mkdirSync(join(box.dir, 't'));
    writeFileSync(path, '{not json', { mode: 0o600 });
    expect(await fileStorage(path).get('a')).toBeUndefined();
  });
});
