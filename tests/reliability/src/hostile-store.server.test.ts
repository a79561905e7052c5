/**
 * A token store is shared user code, so it is treated as hostile: shared between credentials
 * that must not see each other's tokens, and able to hang, throw or answer garbage. Issue 12
 * items 6 and 8 (TokenStore part): a credential never gets a token it could not have obtained
 * itself (the cache key binds the client authentication, scopes, org and DPoP key), and a
 * store that never settles never wedges the credential (calls are bounded, the credential
 * falls back to its in-process cache and logs a `token-store` event). Seventh session (service and
 * OIN red team): the fleet single flight never hands back a refused token, a stored entry no token
 * answer could have given is a miss, and `dpop: 'required'` takes no Bearer token from the store.
 */
import { createOktaFetch, isOktaAuthError, type OktaLogEvent } from '@org/okta-auth-core';
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { createMemoryTokenStore, createOinAppCredential, createServiceAppCredential, generateDpopKeyPair, type OktaStorage, type TokenStore, type TokenStoreEntry } from '@org/okta-oauth';
import { newKeyPair } from '@org/okta-test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listUsers, outcome } from './test-helpers/calls.js';

const SCOPES = ['okta.users.read'];
let org: OktaEmulator;

beforeAll(async () => {
  org = await startEmulator({ seed: { users: 2 } });
});
afterAll(async () => {
  await org.close();
});

function grants(): number {
  return org.counters().tokenRequests.client_credentials?.success ?? 0;
}

async function refusedWith(promise: Promise<unknown>, code: string): Promise<void> {
  const result = await outcome(promise);
  expect(result.ok).toBe(false);
  const error = (result as { error: unknown }).error;
  expect(isOktaAuthError(error) ? error.code : String(error)).toBe(code);
}

describe('a shared TokenStore never hands a token to a credential that could not get one', () => {
  it('an OIN credential with a wrong secret gets no token from the right one on the same store', async () => {
    const app = org.createOinApp({ scopes: SCOPES });
    const tokenStore = createMemoryTokenStore();
    const common = { orgUrl: org.url, clientId: app.clientId, scopes: SCOPES, tokenStore, allowInsecureLoopback: true, retry: false as const };
    const right = createOktaFetch({ credential: createOinAppCredential({ ...common, clientSecret: app.clientSecret }) });
    const wrong = createOktaFetch({ credential: createOinAppCredential({ ...common, clientSecret: `${app.clientSecret}x` }) });
    expect((await listUsers(right)).length).toBeGreaterThan(0);
    await refusedWith(listUsers(wrong), 'TOKEN_REQUEST_FAILED');
    expect((await listUsers(right)).length).toBeGreaterThan(0);
  });

  it('a service app credential with a foreign private key gets no token from the registered one', async () => {
    const app = org.createServiceApp({ scopes: SCOPES, requireDpop: false });
    const foreign = newKeyPair({ type: 'rsa', modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const tokenStore = createMemoryTokenStore();
    const common = { orgUrl: org.url, clientId: app.clientId, keyId: app.keyId, scopes: SCOPES, dpop: 'off' as const, tokenStore, allowInsecureLoopback: true };
    const right = createOktaFetch({ credential: createServiceAppCredential({ ...common, privateKey: app.privateKeyPem }) });
    const wrong = createOktaFetch({ credential: createServiceAppCredential({ ...common, privateKey: foreign }) });
    expect((await listUsers(right)).length).toBeGreaterThan(0);
    await refusedWith(listUsers(wrong), 'TOKEN_REQUEST_FAILED');
    // The same key given as a JWK shares the token: the binding is the key, not the object.
    const asJwk = createOktaFetch({ credential: createServiceAppCredential({ ...common, privateKey: app.privateJwk }) });
    const before = grants();
    expect((await listUsers(asJwk)).length).toBeGreaterThan(0);
    expect(grants()).toBe(before);
  });

  it('keeps no secret in the store keys, and separates scope sets', async () => {
    const app = org.createOinApp({ scopes: ['okta.users.read', 'okta.groups.read'] });
    const keys: string[] = [];
    const inner = createMemoryTokenStore();
    const tokenStore: TokenStore = {
      get: (key) => inner.get(key),
      set: (key, entry) => {
        keys.push(key);
        return inner.set(key, entry);
      },
      delete: (key) => inner.delete(key),
    };
    const common = { orgUrl: org.url, clientId: app.clientId, clientSecret: app.clientSecret, tokenStore, allowInsecureLoopback: true };
    await listUsers(createOktaFetch({ credential: createOinAppCredential({ ...common, scopes: ['okta.users.read'] }) }));
    await listUsers(createOktaFetch({ credential: createOinAppCredential({ ...common, scopes: ['okta.users.read', 'okta.groups.read'] }) }));
    expect(new Set(keys).size).toBe(2);
    for (const key of keys) expect(key).not.toContain(app.clientSecret);
  });
});

describe('a TokenStore that misbehaves never wedges the credential', () => {
  const hung = (): Promise<never> => new Promise(() => undefined);

  function subject(tokenStore: TokenStore, events: OktaLogEvent[]) {
    const app = org.createOinApp({ scopes: SCOPES });
    const credential = createOinAppCredential({
      orgUrl: org.url,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      scopes: SCOPES,
      tokenStore,
      allowInsecureLoopback: true,
      // Each call waits out the hung store's get and set (bounded by the store timeout) besides its
      // real token request and call: room for that on a loaded 2-core machine.
      timeoutMs: 15_000,
      logger: (event) => events.push(event),
    });
    return createOktaFetch({ credential, timeoutMs: 15_000 });
  }

  it('a store whose get and set never settle: every call succeeds on one token, events logged', async () => {
    const events: OktaLogEvent[] = [];
    const okta = subject({ get: hung, set: hung, delete: hung }, events);
    const before = grants();
    const results = await Promise.all(Array.from({ length: 10 }, () => outcome(listUsers(okta))));
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect((await outcome(listUsers(okta))).ok).toBe(true);
    expect(grants() - before).toBe(1);
    expect(events).toContainEqual({ type: 'token-store', operation: 'get', outcome: 'timeout', call: expect.any(Number) });
    expect(events).toContainEqual({ type: 'token-store', operation: 'set', outcome: 'timeout', call: expect.any(Number) });
  });

  it('a store that throws or answers garbage: calls succeed on one token', async () => {
    const events: OktaLogEvent[] = [];
    const throwing: TokenStore = {
      get: () => {
        throw new Error('store down');
      },
      set: () => Promise.reject(new Error('store down')),
      delete: () => Promise.reject(new Error('store down')),
    };
    const before = grants();
    const okta = subject(throwing, events);
    for (let i = 0; i < 3; i++) expect((await outcome(listUsers(okta))).ok).toBe(true);
    const garbage: TokenStore = { get: () => Promise.resolve({ accessToken: 1 } as unknown as TokenStoreEntry), set: () => Promise.resolve(), delete: () => Promise.resolve() };
    const other = subject(garbage, events);
    for (let i = 0; i < 3; i++) expect((await outcome(listUsers(other))).ok).toBe(true);
    expect(grants() - before).toBe(2);
    expect(events).toContainEqual({ type: 'token-store', operation: 'get', outcome: 'error', call: expect.any(Number) });
    expect(events).toContainEqual({ type: 'token-store', operation: 'get', outcome: 'corrupt', call: expect.any(Number) });
  });
});

describe('a fleet single flight never hands back a token the credential refused', () => {
  it('a store whose remove fails and whose singleFlight returns the stored token: the revoked token is not used again', async () => {
    const app = org.createOinApp({ scopes: SCOPES });
    const values = new Map<string, string>();
    const events: OktaLogEvent[] = [];
    // An honest fleet single flight (the stored value while `fresh` says so, else one request),
    // over a store whose delete fails (a read-only replica, a network error): the revoked token stays.
    const tokenStore: OktaStorage = {
      get: (key) => values.get(key),
      set: (key, value) => {
        values.set(key, value);
      },
      remove: () => Promise.reject(new Error('store is read-only')),
      singleFlight: async (key, obtain, options) => {
        const stored = values.get(key);
        if (stored !== undefined && (options.fresh?.(stored) ?? true)) return stored;
        const { value } = await obtain();
        values.set(key, value);
        return value;
      },
    };
    const credential = createOinAppCredential({ orgUrl: org.url, clientId: app.clientId, clientSecret: app.clientSecret, scopes: SCOPES, tokenStore, allowInsecureLoopback: true, logger: (event) => events.push(event) });
    const okta = createOktaFetch({ credential, retry: false });
    expect((await listUsers(okta)).length).toBeGreaterThan(0);
    org.revokeAccessTokens();
    const before = grants();
    // The 401 drops the token; the one retry must carry a new token, not the revoked one the store still holds.
    expect((await outcome(listUsers(okta))).ok).toBe(true);
    expect(grants() - before).toBe(1);
    expect((await outcome(listUsers(okta))).ok).toBe(true);
    expect(events).toContainEqual({ type: 'token-store', operation: 'delete', outcome: 'error' });
  });
});

describe('a shared store entry no token answer could have given is never used', () => {
  // Written by another process or tenant, or damaged: each claims a year of life, so taking it
  // would fail every call for a year (a header that cannot be sent never earns the 401 that drops it).
  const year = 365 * 86_400_000;
  // A well-formed entry of a token type the credential does not use is logged `token-type`, not `corrupt`.
  const odd: [string, 'corrupt' | 'token-type', Partial<TokenStoreEntry>][] = [
    ['a token with a line break', 'corrupt', { accessToken: 'abc\r\nx-injected: 1' }],
    ['a non-ASCII token', 'corrupt', { accessToken: 'é'.repeat(40) }],
    ['a 2 MB token', 'corrupt', { accessToken: 'x'.repeat(2_000_000) }],
    ['a lifetime of ten years', 'corrupt', { lifetimeMs: 10 * year }],
    ['an expiry a century ahead (fresh for ever)', 'corrupt', { expiresAt: Date.now() + 100 * year }],
    ['a granted scope with a terminal escape', 'corrupt', { scope: 'okta.users.read \u001b[2Kforged' }],
    ['a DPoP-bound token for a credential without DPoP', 'token-type', { tokenType: 'DPoP' }],
  ];
  it.each(odd)('%s: a miss (logged %s), a new token is obtained and the call succeeds', async (_name, logged, change) => {
    const app = org.createOinApp({ scopes: SCOPES });
    const events: OktaLogEvent[] = [];
    const sets: TokenStoreEntry[] = [];
    const entry: TokenStoreEntry = { accessToken: 'stored-token', tokenType: 'Bearer', expiresAt: Date.now() + year, lifetimeMs: 3_600_000, ...change };
    const tokenStore: TokenStore = {
      get: () => Promise.resolve(entry),
      set: (_key, value) => {
        sets.push(value);
        return Promise.resolve();
      },
      delete: () => Promise.resolve(),
    };
    const credential = createOinAppCredential({ orgUrl: org.url, clientId: app.clientId, clientSecret: app.clientSecret, scopes: SCOPES, tokenStore, allowInsecureLoopback: true, logger: (event) => events.push(event) });
    const okta = createOktaFetch({ credential, retry: false });
    const before = grants();
    expect((await outcome(listUsers(okta))).ok).toBe(true);
    expect(grants() - before).toBe(1);
    expect(sets).toHaveLength(1);
    expect(events.filter((event) => event.type === 'token-store')).toEqual([{ type: 'token-store', operation: 'get', outcome: logged, call: expect.any(Number) }]);
  });
});

describe("dpop: 'required' takes no Bearer token from a shared store", () => {
  it("a fleet sharing one DPoP key and store: the 'auto' process's Bearer token is not used by a 'required' one (DPOP_NOT_BOUND, no silent downgrade)", async () => {
    const app = org.createServiceApp({ scopes: SCOPES, requireDpop: false });
    const dpopKeyPair = await generateDpopKeyPair('ES256');
    const tokenStore = createMemoryTokenStore();
    const common = { orgUrl: org.url, clientId: app.clientId, keyId: app.keyId, privateKey: app.privateKeyPem, scopes: SCOPES, tokenStore, dpopKeyPair, allowInsecureLoopback: true, retry: false as const };
    const auto = createOktaFetch({ credential: createServiceAppCredential({ ...common, dpop: 'auto' }) });
    expect((await listUsers(auto)).length).toBeGreaterThan(0);
    const events: OktaLogEvent[] = [];
    const required = createOktaFetch({ credential: createServiceAppCredential({ ...common, dpop: 'required', logger: (event) => events.push(event) }) });
    await refusedWith(listUsers(required), 'DPOP_NOT_BOUND');
    // The store's entry is sound, of a token type 'required' refuses: not logged as corrupt.
    expect(events.filter((event) => event.type === 'token-store')).toEqual([{ type: 'token-store', operation: 'get', outcome: 'token-type', call: expect.any(Number) }]);
    // The 'auto' process goes on with its token.
    expect((await listUsers(auto)).length).toBeGreaterThan(0);
  });
});
