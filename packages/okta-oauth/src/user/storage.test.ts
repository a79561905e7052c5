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

function messageOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
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

  it('refuses a maxEntries that is no whole number from 1 to a million, naming it; null options are the defaults (100 entries)', () => {
    for (const maxEntries of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '2', 1_000_001, 1e12]) {
      expect(messageOf(() => createMemoryStorage({ maxEntries: maxEntries as never })), String(maxEntries)).toBe(
        'The maxEntries option must be a whole number from 1 to 1000000 (entries createMemoryStorage keeps in memory).',
      );
    }
    expect(codeOf(() => createMemoryStorage({ maxEntries: 1_000_000 }))).toBeUndefined();
    const one = createMemoryStorage({ maxEntries: 1 });
    void one.set('a', '1');
    void one.set('b', '2');
    expect([one.get('a'), one.get('b')]).toEqual([undefined, '2']);
    const storage = createMemoryStorage(null as never);
    for (let i = 0; i <= 100; i++) void storage.set(`k${i}`, String(i));
    expect(storage.get('k0')).toBeUndefined();
    expect(storage.get('k1')).toBe('1');
    expect(storage.get('k100')).toBe('100');
  });

  it('counts a key written again as the newest', () => {
    const storage = createMemoryStorage({ maxEntries: 2 });
    void storage.set('a', '1');
    void storage.set('b', '2');
    void storage.set('a', '3');
    void storage.set('c', '4');
    expect(storage.get('a')).toBe('3');
    expect(storage.get('b')).toBeUndefined();
    expect(storage.get('c')).toBe('4');
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
    expect(messageOf(() => createSessionStorage())).toBe('createSessionStorage: this runtime has no sessionStorage (it is a browser-window API); use createMemoryStorage() or your own OktaStorage.');
    vi.stubGlobal('sessionStorage', null);
    expect(messageOf(() => createSessionStorage())).toContain('createSessionStorage: this runtime has no sessionStorage');
  });

  it('refuses a sessionStorage that is not Web Storage', () => {
    vi.stubGlobal('sessionStorage', { getItem: () => null });
    expect(codeOf(() => createSessionStorage())).toBe('INVALID_CONFIG');
    expect(messageOf(() => createSessionStorage())).toContain('createWebStorage: pass a Web Storage object');
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
  it('refuses something that is not Web Storage, naming what to pass', () => {
    const fn = () => undefined;
    for (const storage of [{}, null, undefined, 'localStorage', fn, { setItem: fn, removeItem: fn }, { getItem: fn, removeItem: fn }, { getItem: fn, setItem: fn }, { getItem: 1, setItem: fn, removeItem: fn }]) {
      expect(codeOf(() => createWebStorage(storage as never)), typeof storage === 'string' ? storage : typeof storage).toBe('INVALID_CONFIG');
      expect(messageOf(() => createWebStorage(storage as never))).toBe('createWebStorage: pass a Web Storage object such as window.sessionStorage.');
    }
    expect(codeOf(() => createWebStorage({ getItem: fn, setItem: fn, removeItem: fn } as never))).toBeUndefined();
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
