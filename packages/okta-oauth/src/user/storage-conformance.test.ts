/**
 * The storages this package ships against `@org/okta-emulator`'s `checkOktaStorage`, the contract of
 * `OktaStorage` users run on their own stores: the memory default, and a Web Storage
 * (`createWebStorage`, here over a Map standing for `localStorage`; a second `createWebStorage` over
 * the same one is another tab's). Neither offers `singleFlight`, `replaceIfEqual` or
 * `removeIfUnreadable` (one page or process: its own locks serialize renewals), so those rules are skipped.
 */
import { checkOktaStorage } from '@org/okta-emulator';
import { describe, expect, it } from 'vitest';
import { createMemoryStorage, createWebStorage, type OktaStorage, type WebStorageLike } from '../index.js';

/** A Map standing for a page's `localStorage`. */
function webStorage(): WebStorageLike {
  const map = new Map<string, string>();
  return { getItem: (key) => map.get(key) ?? null, setItem: (key, value) => void map.set(key, value), removeItem: (key) => void map.delete(key) };
}

const offered = ['get-missing', 'set-get', 'set-replaces', 'remove', 'key-characters', 'expires-at', 'stale-read', 'remove-if-equal', 'remove-if-equal-race'];

describe('checkOktaStorage on the storages okta-oauth ships', () => {
  it('createMemoryStorage keeps every rule it offers', async () => {
    const report = await checkOktaStorage(() => createMemoryStorage());
    expect(report.violations).toEqual([]);
    expect(report.passed).toEqual(offered);
  });

  it('createWebStorage keeps every rule it offers, across two tabs on one storage', async () => {
    const under = new WeakMap<OktaStorage, WebStorageLike>();
    const open = (storage: WebStorageLike): OktaStorage => {
      const wrapped = createWebStorage(storage);
      under.set(wrapped, storage);
      return wrapped;
    };
    const report = await checkOktaStorage(() => open(webStorage()), { secondHandle: (first) => open(under.get(first) ?? webStorage()) });
    expect(report.violations).toEqual([]);
    expect(report.passed).toEqual(offered);
  });
});
