/**
 * What the token cache does with its store's answers (the store is user code, often shared): a
 * miss (`undefined`, Redis's `null`) is no event; an entry a token answer could not have given is
 * corrupt, logged, never served; a refused token is deleted from the store only while the store
 * still holds it; and the fleet single flight (`singleFlight`) hands back another process's token
 * without a request of this one's, relays Okta's refusal as itself (no store event), and counts a
 * garbage answer as corrupt.
 */
import type { OktaLogEvent } from '@org/okta-auth-core';
import { describe, expect, it } from 'vitest';
import { OktaOAuthError } from '../errors.js';
import { fleetObtain } from './fleet.js';
import { TokenCache } from './token-cache.js';
import { createMemoryTokenStore, type TokenStore, type TokenStoreEntry } from './token-store.js';

const hour = 3_600_000;
const entry = (n: number, extra: Partial<TokenStoreEntry> = {}): TokenStoreEntry => ({
  accessToken: `token-${n}`,
  tokenType: 'Bearer',
  expiresAt: Date.now() + hour,
  lifetimeMs: hour,
  ...extra,
});
const ok = (): Promise<void> => Promise.resolve();
/** An RFC 7638 SHA-256 thumbprint: 43 base64url characters. */
const jkt = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs';

/** A cache on a store answering `answer` to every read, counting its own token requests and the log. */
function reading(answer: unknown, store: Partial<TokenStore> = {}) {
  const events: OktaLogEvent[] = [];
  let obtained = 0;
  const cache = new TokenCache({
    store: { get: () => Promise.resolve(answer as TokenStoreEntry), set: ok, delete: ok, ...store },
    key: 'k',
    fleet: fleetObtain,
    logger: (event) => events.push(event),
    obtain: () => Promise.resolve(entry(100 + ++obtained)),
  });
  return { cache, events, obtained: () => obtained };
}

describe("the token cache's store reads", () => {
  it.each([
    ['undefined', undefined],
    ['null (a Redis miss)', null],
  ])('a miss answered as %s: a token request, and no store event', async (_name, answer) => {
    const { cache, events, obtained } = reading(answer);
    expect((await cache.get()).accessToken).toBe('token-101');
    expect(obtained()).toBe(1);
    expect(events).toEqual([]);
  });

  it('a stored Bearer or DPoP entry (with a granted scope) is served without a token request', async () => {
    for (const stored of [entry(1), entry(2, { tokenType: 'DPoP', scope: 'okta.users.read okta.groups.read' }), entry(3, { tokenType: 'DPoP', dpopJkt: jkt })]) {
      const { cache, events, obtained } = reading(stored);
      expect(await cache.get()).toEqual(stored);
      expect(obtained()).toBe(0);
      expect(events).toEqual([]);
    }
  });

  it.each([
    ['a string', 'token-1'],
    ['an access token with a line break', entry(1, { accessToken: 'token-1\r\nX-Evil: 1' })],
    ['an access token of a megabyte', entry(1, { accessToken: 'a'.repeat(1_048_576) })],
    ['an unknown token type', entry(1, { tokenType: 'MAC' as 'Bearer' })],
    ['no token type', entry(1, { tokenType: undefined as unknown as 'Bearer' })],
    ['an expiry ten years away (fresh for ever)', entry(1, { expiresAt: Date.now() + 10 * 365 * 24 * hour })],
    ['an expiry that is no number', entry(1, { expiresAt: Number.NaN })],
    ['a lifetime of ten years', entry(1, { lifetimeMs: 10 * 365 * 24 * hour })],
    ['no lifetime', entry(1, { lifetimeMs: undefined as unknown as number })],
    ['a scope with a control character', entry(1, { scope: 'okta.users.read\u001b[2K' })],
    ['a scope that is no string', entry(1, { scope: 42 as unknown as string })],
    ['a DPoP key thumbprint that is no thumbprint', entry(1, { tokenType: 'DPoP', dpopJkt: 'jkt' })],
    ['a DPoP key thumbprint one character short', entry(1, { tokenType: 'DPoP', dpopJkt: jkt.slice(1) })],
    ['a DPoP key thumbprint on a Bearer token', entry(1, { dpopJkt: jkt })],
  ])('a stored entry with %s is corrupt: logged, never served, a token request instead', async (_name, stored) => {
    const { cache, events, obtained } = reading(stored);
    expect((await cache.get()).accessToken).toBe('token-101');
    expect(obtained()).toBe(1);
    expect(events).toEqual([{ type: 'token-store', operation: 'get', outcome: 'corrupt' }]);
  });
});

describe("the token cache's drop", () => {
  it('deletes the refused token from the store (so no other process reads it), but never a newer one stored since', async () => {
    const store = createMemoryTokenStore();
    let n = 0;
    const cache = new TokenCache({ store, key: 'k', obtain: () => Promise.resolve(entry(++n)) });
    expect((await cache.get()).accessToken).toBe('token-1');
    await cache.drop('token-1');
    expect(await store.get('k')).toBeUndefined();
    await store.set('k', entry(7)); // another process's renewal
    await cache.drop('token-1'); // a late 401 for the old token
    expect((await store.get('k'))?.accessToken).toBe('token-7');
  });

  it('a store whose delete fails: logged as the delete, and the refused token is never served again from the store', async () => {
    const held = entry(1);
    const { cache, events, obtained } = reading(held, { delete: () => Promise.reject(new Error('redis down')) });
    expect((await cache.get()).accessToken).toBe('token-1');
    await cache.drop('token-1');
    expect(events).toEqual([{ type: 'token-store', operation: 'delete', outcome: 'error' }]);
    expect((await cache.get()).accessToken).toBe('token-101');
    expect(obtained()).toBe(1);
  });
});

describe("the token cache's fleet single flight", () => {
  const empty = { get: () => Promise.resolve(undefined), set: ok, delete: ok };

  it("hands back another process's token without a request of this process's, and logs nothing", async () => {
    const { cache, events, obtained } = reading(undefined, { ...empty, singleFlight: () => Promise.resolve(entry(5)) });
    expect((await cache.get()).accessToken).toBe('token-5');
    expect(obtained()).toBe(0);
    expect(events).toEqual([]);
  });

  it("runs this process's request inside the store's flight: the store gets the entry to share, and nothing is logged", async () => {
    const shared: string[] = [];
    const singleFlight: TokenStore['singleFlight'] = async (_key, obtain) => {
      const got = await obtain();
      shared.push(got.accessToken);
      return got;
    };
    const { cache, events, obtained } = reading(undefined, { ...empty, singleFlight });
    expect((await cache.get()).accessToken).toBe('token-101');
    expect(shared).toEqual(['token-101']);
    expect(obtained()).toBe(1);
    expect(events).toEqual([]);
  });

  it("relays Okta's refusal through the flight as itself, once, with no store event (the store did not fail)", async () => {
    const failure = new OktaOAuthError('TOKEN_REQUEST_FAILED', 'refused', { error: 'invalid_client', status: 401 });
    const events: OktaLogEvent[] = [];
    let requests = 0;
    const store: TokenStore = { ...empty, singleFlight: (_key, obtain) => obtain() };
    const cache = new TokenCache({ store, key: 'k', fleet: fleetObtain, logger: (e) => events.push(e), obtain: () => (requests++, Promise.reject(failure)) });
    await expect(cache.get()).rejects.toBe(failure);
    expect(requests).toBe(1);
    expect(events).toEqual([]);
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a corrupt entry', entry(5, { tokenType: 'MAC' as 'Bearer' })],
    ['an expired entry', entry(5, { expiresAt: Date.now() - 1000 })],
  ])('a flight answering %s: never served; this process asks Okta itself', async (name, answer) => {
    const { cache, events, obtained } = reading(undefined, { ...empty, singleFlight: () => Promise.resolve(answer as unknown as TokenStoreEntry) });
    expect((await cache.get()).accessToken).toBe('token-101');
    expect(obtained()).toBe(1);
    // An expired entry is a well-formed one: not corrupt, just not used.
    expect(events).toEqual(name === 'an expired entry' ? [] : [{ type: 'token-store', operation: 'single-flight', outcome: 'corrupt' }]);
  });

  it('a flight that fails or hangs past fleetWaitMs: logged once as the single flight, and this process asks Okta itself', async () => {
    for (const [singleFlight, outcome] of [
      [() => Promise.reject(new Error('redis down')), 'error'],
      [() => new Promise<never>(() => undefined), 'timeout'],
    ] as const) {
      const events: OktaLogEvent[] = [];
      const cache = new TokenCache({ store: { ...empty, singleFlight }, key: 'k', fleet: fleetObtain, fleetWaitMs: 20, logger: (e) => events.push(e), obtain: () => Promise.resolve(entry(1)) });
      expect((await cache.get()).accessToken).toBe('token-1');
      expect(events).toEqual([{ type: 'token-store', operation: 'single-flight', outcome }]);
    }
  });
});
