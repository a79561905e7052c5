/**
 * Storages and clients of the transaction sweep's tests (`transaction-sweep*.server.test.ts`): a
 * Web Storage over a map (it lists its keys, as `localStorage`), clients of one app on one clock,
 * and transactions stored as a version before the list stored them.
 */
import { randomBytes } from 'node:crypto';
import type { OktaLogEvent } from '@org/okta-auth-core';
import type { OktaEmulator } from '@org/okta-emulator';
import type { OktaStorage } from '../../token-cache/storage.js';
import { clientFor, orgPacedFetch, redirectUri, transactionListOf } from './sign-in-org.js';

/** The client's default `transactionMaxAgeSeconds`, in ms. */
export const maxAgeMs = 1_800_000;

/** A Web Storage over a map (as `localStorage`: it lists its keys), counting the keys looked at. */
export function fakeWebStorage(map = new Map<string, string>()) {
  const seen = { keys: 0 };
  const storage = {
    get length() {
      return map.size;
    },
    key: (index: number) => {
      seen.keys++;
      return [...map.keys()][index] ?? null;
    },
    getItem: (key: string) => map.get(key) ?? null,
    setItem: (key: string, value: string) => void map.set(key, value),
    removeItem: (key: string) => void map.delete(key),
  };
  return { map, seen, storage };
}

/**
 * Clients of one app on `org` (tabs of one origin), each with its storage, on one clock. `timeoutMs`
 * bounds their storage calls and waits for the list's lock (what these tests are about); their
 * requests to the org (discovery) wait up to `signInTimeoutMs` ({@link orgPacedFetch}).
 */
export function tabs(org: OktaEmulator, storages: OktaStorage[], events: OktaLogEvent[] = [], timeoutMs = 30_000) {
  const clock = { now: Date.now() };
  const app = org.createSignInApp({ type: 'spa', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
  const clients = storages.map((storage) => clientFor(org, app, { storage, timeoutMs, fetch: orgPacedFetch, now: () => clock.now, logger: (event) => events.push(event) }));
  return { clock, clients, clientId: app.clientId };
}

/** The start times the client's list holds. */
export const listed = (map: Map<string, string>, clientId: string): number[] => (JSON.parse(map.get(transactionListOf(clientId)) ?? '[]') as [string, number][]).map(([, at]) => at);

/** A new random state (as the client makes them). */
export const newState = (): string => randomBytes(32).toString('base64url');

/** A transaction's stored text, started at `createdAt`. */
export const stored = (state: string, createdAt: number): string => JSON.stringify({ state, nonce: newState(), codeVerifier: randomBytes(48).toString('base64url'), redirectUri, createdAt, scope: 'openid' });

/** Where a version before the list stored a transaction: under its raw state. */
export const legacyKeyOf = (clientId: string, state: string): string => `okta-oauth:${clientId}:transaction:${state}`;

/** Where the sweep keeps the position its next scan starts from. */
export const cursorKeyOf = (clientId: string): string => `okta-oauth:${clientId}:transactions:scanned`;
