/**
 * The scan of a Web Storage for transactions no list names (`transaction-sweep.ts`) against the
 * emulator, with an injected clock: exactly 5 read per sign-in and the cursor kept only when a scan
 * stops early; only keys of this client's transactions (a 43-character id) read, and only those
 * readably past their age removed; a storage that fails, or lists keys oddly, never fails the sign-in.
 */
import type { OktaLogEvent } from '@org/okta-auth-core';
import { describe, expect, it } from 'vitest';
import { createWebStorage } from './storage.js';
import { useSignInOrg } from './test-helpers/sign-in-org.js';
import { cursorKeyOf, fakeWebStorage, legacyKeyOf, maxAgeMs, newState, stored, tabs } from './test-helpers/web-storage.js';

const env = useSignInOrg();

describe('the scan for transactions no list names', () => {
  it('reads 5 per sign-in, keeps where it stopped under the client’s cursor key, and writes no cursor once it looked at every key', async () => {
    const { map, storage } = fakeWebStorage();
    const { clock, clients: [client], clientId } = tabs(env.org, [createWebStorage(storage)]);
    const t0 = clock.now;
    const legacy = Array.from({ length: 7 }, () => legacyKeyOf(clientId, newState()));
    for (const key of legacy) map.set(key, stored(key.slice(-43), t0));
    clock.now = t0 + maxAgeMs + 1;
    await client!.startSignIn();
    expect(legacy.map((key) => map.has(key))).toEqual([false, false, false, false, false, true, true]);
    // Stopped after the 5 it read, the 5th key.
    expect(map.get(cursorKeyOf(clientId))).toBe('5');
    map.delete(cursorKeyOf(clientId));
    await client!.startSignIn();
    expect(legacy.filter((key) => map.has(key))).toEqual([]);
    expect(map.has(cursorKeyOf(clientId))).toBe(false);
  });

  it('reads only this client’s keys of a 43-character id, and removes only what is readably past its age', async () => {
    const { map, storage } = fakeWebStorage();
    const { clock, clients: [client], clientId } = tabs(env.org, [createWebStorage(storage)]);
    const t0 = clock.now;
    const other = `${clientId.slice(0, -1)}${clientId.endsWith('x') ? 'y' : 'x'}`;
    const expired = (key: string) => stored(key.slice(-43), t0);
    const kept = [
      // Not ours: another client of an id as long, an id of 44 characters either way.
      legacyKeyOf(other, newState()),
      legacyKeyOf(clientId, `.${newState()}`),
      legacyKeyOf(clientId, `${newState()}.`),
    ].map((key) => [key, expired(key)] as const);
    // Ours but unreadable: a date as a string, an infinite date (1e999), not JSON.
    const unreadable = [`{"createdAt":"${t0}"}`, '{"createdAt":1e999}', '{'].map((text) => [legacyKeyOf(clientId, newState()), text] as const);
    const old = legacyKeyOf(clientId, newState());
    for (const [key, text] of [...kept, ...unreadable, [old, expired(old)] as const]) map.set(key, text);
    clock.now = t0 + maxAgeMs + 1;
    await client!.startSignIn();
    expect(map.has(old)).toBe(false);
    for (const [key, text] of [...kept, ...unreadable]) expect([key, map.get(key)]).toEqual([key, text]);
  });

  it('a storage call of the sweep that fails is logged by its operation, and the sign-in finishes', async () => {
    const { map, storage } = fakeWebStorage();
    const legacy: string[] = [];
    const failing = (key: string) => {
      if (key.endsWith(':scanned') || key === legacy[0]) throw new Error('disk on fire');
    };
    const events: OktaLogEvent[] = [];
    const web = { ...storage, get length() { return map.size; }, getItem: (key: string) => (failing(key), storage.getItem(key)), setItem: (key: string, value: string) => (failing(key), storage.setItem(key, value)) };
    const { clock, clients: [client], clientId } = tabs(env.org, [createWebStorage(web)], events);
    const t0 = clock.now;
    for (let i = 0; i < 6; i++) legacy.push(legacyKeyOf(clientId, newState()));
    for (const key of legacy) map.set(key, stored(key.slice(-43), t0));
    clock.now = t0 + maxAgeMs + 1;
    const { transaction } = await client!.startSignIn();
    expect(transaction.state).toBeTypeOf('string');
    expect(events.filter(({ type }) => type === 'token-store')).toEqual(
      (['get', 'set', 'get'] as const).map((operation) => ({ type: 'token-store', operation, outcome: 'error' })),
    );
    expect(legacy.map((key) => map.has(key))).toEqual([true, false, false, false, false, true]);
  });

  it('a listing whose key() throws is left alone; one whose key() answers null for a key gone goes on past it', async () => {
    const thrower = fakeWebStorage();
    const broken = { ...thrower.storage, get length() { return thrower.map.size; }, key: (): string | null => { throw new Error('blocked'); } };
    const gone = fakeWebStorage();
    const keys = () => [...gone.map.keys()];
    // A length that still counts a key another tab removed: key(0) answers null.
    const stale = { ...gone.storage, get length() { return gone.map.size + 1; }, key: (index: number) => (index === 0 ? null : (keys()[index - 1] ?? null)) };
    const { clock, clients: [a, b], clientId } = tabs(env.org, [createWebStorage(broken), createWebStorage(stale)]);
    const t0 = clock.now;
    const old = legacyKeyOf(clientId, newState());
    for (const { map } of [thrower, gone]) map.set(old, stored(old.slice(-43), t0));
    clock.now = t0 + maxAgeMs + 1;
    await a!.startSignIn();
    await b!.startSignIn();
    expect(thrower.map.has(old)).toBe(true);
    expect(gone.map.has(old)).toBe(false);
  });
});
