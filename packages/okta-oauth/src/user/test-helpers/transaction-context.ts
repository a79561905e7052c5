/**
 * The client context of the transaction list's unit tests (`transaction-list*.test.ts`): one
 * client on one origin, its list's key and lock, a reader of the list as stored, and a storage
 * over a map whose calls answer at once, late or never.
 */
import { randomBytes } from 'node:crypto';
import type { OktaLogEvent } from '@org/okta-auth-core';
import type { OktaStorage, StorageSetOptions } from '../../token-cache/storage.js';
import type { ClientContext } from '../context.js';

export const origin = 'https://acme.okta.com';
export const clientId = '0oaClient';
export const listKey = `okta-oauth:${clientId}:transactions`;
export const lockName = `okta-oauth:${origin}:${clientId}:transactions`;
export const t0 = 1_800_000_000_000;
export const newId = (): string => randomBytes(32).toString('base64url');

/** The context of a client over `storage` (transactionMaxAgeSeconds 1800, clockSkewSeconds 300), its log events pushed to `events`. */
export const contextOf = (storage: OktaStorage, timeoutMs = 3000, events: OktaLogEvent[] = []): ClientContext =>
  ({ origin, clientId, storage, http: { timeoutMs, logger: (event: OktaLogEvent) => events.push(event) }, transactionMaxAgeSeconds: 1800, clockSkewSeconds: 300 }) as unknown as ClientContext;

/** The list's entries as stored. */
export const listIn = (map: Map<string, string>): [string, number][] => JSON.parse(map.get(listKey) ?? '[]') as [string, number][];

/**
 * A storage over a map, recording its calls and the options of its writes; `delay` gives a call's
 * time (ms) by its name and key: 0 answers at once, `undefined` never.
 */
export function mapStorage(delay: (name: string, key: string) => number | undefined = () => 0) {
  const map = new Map<string, string>();
  const calls: string[] = [];
  const sets: [string, StorageSetOptions | undefined][] = [];
  const call = <T>(name: string, key: string, run: () => T): T | Promise<T> => {
    calls.push(`${name} ${key}`);
    const ms = delay(name, key);
    if (ms === 0) return run();
    return new Promise<T>((resolve) => {
      if (ms !== undefined) setTimeout(() => resolve(run()), ms);
    });
  };
  const storage: OktaStorage = {
    get: (key) => call('get', key, () => map.get(key)),
    set: (key, value, options) => call('set', key, () => void (sets.push([key, options]), map.set(key, value))),
    remove: (key) => call('remove', key, () => void map.delete(key)),
  };
  return { map, calls, sets, storage };
}
