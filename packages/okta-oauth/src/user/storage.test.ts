import { afterEach, describe, expect, it, vi } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import { createMemoryStorage, createSessionStorage, createWebStorage } from './storage.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isOktaOAuthError(error) ? error.code : 'other';
  }
  return undefined;
}

describe('createMemoryStorage', () => {
  it('keeps values and drops the oldest beyond maxEntries', () => {
    const storage = createMemoryStorage({ maxEntries: 2 });
    void storage.set('a', '1');
    void storage.set('b', '2');
    void storage.set('c', '3');
    expect(storage.get('a')).toBeUndefined();
    expect(storage.get('b')).toBe('2');
    void storage.remove('b');
    expect(storage.get('b')).toBeUndefined();
    expect(storage.get('c')).toBe('3');
    expect(codeOf(() => createMemoryStorage({ maxEntries: 0 }))).toBe('INVALID_CONFIG');
  });

  it('removes a key only while it holds the value given, and says whether it did', () => {
    const storage = createMemoryStorage();
    void storage.set('k', 'new sign-in');
    expect(storage.removeIfEqual?.('k', 'signed out')).toBe(false);
    expect(storage.get('k')).toBe('new sign-in');
    expect(storage.removeIfEqual?.('k', 'new sign-in')).toBe(true);
    expect(storage.get('k')).toBeUndefined();
    expect(storage.removeIfEqual?.('k', 'new sign-in')).toBe(false);
  });
});

describe('createSessionStorage', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('refuses to run where there is no sessionStorage, instead of falling back silently', () => {
    expect(codeOf(() => createSessionStorage())).toBe('INVALID_CONFIG');
  });

  it("uses the page's sessionStorage, looked up when it is called", () => {
    const items = new Map<string, string>();
    vi.stubGlobal('sessionStorage', {
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => items.set(k, v),
      removeItem: (k: string) => items.delete(k),
    });
    const storage = createSessionStorage();
    void storage.set('k', 'v');
    expect(items.get('k')).toBe('v');
    expect(storage.get('k')).toBe('v');
    void storage.remove('k');
    expect(storage.get('k')).toBeNull();
  });

  it('treats blocked storage (a throwing getter) as absent', () => {
    Object.defineProperty(globalThis, 'sessionStorage', {
      configurable: true,
      get() {
        throw new Error('SecurityError');
      },
    });
    try {
      expect(codeOf(() => createSessionStorage())).toBe('INVALID_CONFIG');
    } finally {
      Reflect.deleteProperty(globalThis, 'sessionStorage');
    }
  });
});

describe('createWebStorage', () => {
  it('refuses something that is not Web Storage', () => {
    expect(codeOf(() => createWebStorage({} as never))).toBe('INVALID_CONFIG');
  });

  it('removes a key only while it holds the value given, and says whether it did', () => {
    const items = new Map<string, string>([['k', 'new sign-in']]);
    const storage = createWebStorage({
      getItem: (k) => items.get(k) ?? null,
      setItem: (k, v) => void items.set(k, v),
      removeItem: (k) => void items.delete(k),
    });
    expect(storage.removeIfEqual?.('k', 'signed out')).toBe(false);
    expect(items.get('k')).toBe('new sign-in');
    expect(storage.removeIfEqual?.('k', 'new sign-in')).toBe(true);
    expect(items.has('k')).toBe(false);
  });
});
