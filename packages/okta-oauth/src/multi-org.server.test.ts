import { createOktaFetch, Secret, type OktaCredential } from '@org/okta-auth-core';
import { describe, expect, it } from 'vitest';
import { createMultiOrgCredentials } from './multi-org.js';
import { createOinAppCredential } from './oin-app.js';
import { createServiceAppCredential } from './service-app.js';
import { claims, emulator, header, useEmulators } from './test-helpers/org.js';
import { recordingFetch } from './test-helpers/wire.js';

useEmulators();

describe('OIN apps', () => {
  it('gets a Bearer token with client_secret_basic', async () => {
    const org = await emulator({ seed: { users: 2 } });
    const app = org.createOinApp({ scopes: ['okta.users.read'] });
    const wire = recordingFetch();
    const credential = createOinAppCredential({ orgUrl: org.url, ...app, scopes: 'okta.users.read', allowInsecureLoopback: true, fetch: wire.fetch });
    const okta = createOktaFetch({ credential, fetch: wire.fetch });
    expect((await okta('/api/v1/users')).status).toBe(200);
    const [request] = wire.tokenRequests();
    expect(request?.headers.get('authorization')).toBe(`Basic ${btoa(`${app.clientId}:${app.clientSecret}`)}`);
    expect(request?.headers.get('dpop')).toBeNull();
    expect(request?.form?.get('client_secret')).toBeNull();
    expect(request?.form?.get('scope')).toBe('okta.users.read');
    expect(wire.apiRequests()[0]?.headers.get('authorization')).toMatch(/^Bearer /);
    expect(credential.kind).toBe('oin-app');
  });

  it('a wrong secret is invalid_client, and the secret is never shown', async () => {
    const org = await emulator();
    const app = org.createOinApp({ scopes: ['okta.users.read'] });
    const secret = `${app.clientSecret}-wrong`;
    const credential = createOinAppCredential({ orgUrl: org.url, clientId: app.clientId, clientSecret: new Secret(secret), scopes: ['okta.users.read'], allowInsecureLoopback: true });
    const error: unknown = await createOktaFetch({ credential })('/api/v1/users').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', error: 'invalid_client', status: 401 });
    expect((error as Error).message).toMatch(/client id and secret/);
    expect(JSON.stringify(error)).not.toContain(secret);
    expect((error as Error).message).not.toContain(secret);
    expect(JSON.stringify(credential)).not.toContain(secret);
  });
});

describe('many orgs at once', () => {
  it('keeps tokens, DPoP keys and nonces apart per org', async () => {
    const [a, b] = await Promise.all([emulator({ seed: { users: 1 } }), emulator({ seed: { users: 2 } })]);
    const apps = new Map([
      [a.url, a.createServiceApp({ keyType: 'EC', scopes: ['okta.users.read'] })],
      [b.url, b.createServiceApp({ keyType: 'RSA', scopes: ['okta.users.read'] })],
    ]);
    const wire = recordingFetch();
    const orgs = createMultiOrgCredentials({
      create: (orgUrl, tenant: { clientId: string; privateKey: string }) =>
        createServiceAppCredential({ orgUrl, ...tenant, scopes: ['okta.users.read'], allowInsecureLoopback: true, fetch: wire.fetch }),
    });
    const call = async (url: string) => {
      const app = apps.get(url)!;
      const credential = orgs.get(url, { clientId: app.clientId, privateKey: app.privateKeyPem });
      return (await createOktaFetch({ credential, fetch: wire.fetch })('/api/v1/users')).json() as Promise<unknown[]>;
    };
    const results = await Promise.all([call(a.url), call(b.url), call(a.url), call(b.url)]);
    expect(results.map((r) => r.length)).toEqual([2, 3, 2, 3]); // each org's seeded users and its super admin
    expect(orgs.size).toBe(2);
    for (const org of [a, b]) expect(org.counters().tokenRequests.client_credentials).toEqual({ use_dpop_nonce: 1, success: 1 });
    const byOrg = (url: string) => wire.sent.filter((r) => r.url.origin === url);
    const keyOf = (url: string) => new Set(byOrg(url).map((r) => JSON.stringify(header(r.headers.get('dpop')).jwk)));
    expect(keyOf(a.url).size).toBe(1);
    expect(keyOf(b.url).size).toBe(1);
    expect([...keyOf(a.url)][0]).not.toBe([...keyOf(b.url)][0]);
    const tokensOf = (url: string) => new Set(byOrg(url).filter((r) => r.url.pathname.startsWith('/api/')).map((r) => r.headers.get('authorization')));
    expect([...tokensOf(a.url)].some((t) => tokensOf(b.url).has(t))).toBe(false);
    const nonceOf = (url: string) => claims(byOrg(url).filter((r) => r.url.pathname === '/oauth2/v1/token')[1]?.headers.get('dpop')).nonce;
    expect(nonceOf(a.url)).not.toBe(nonceOf(b.url));
  });
});

describe('a shared token store', () => {
  it('shares Bearer tokens between credentials, but each process-local DPoP key gets its own token', async () => {
    const { createMemoryTokenStore } = await import('./token-cache/token-store.js');
    const org = await emulator({ seed: { users: 1 } });
    const bearerApp = org.createServiceApp({ keyType: 'EC', requireDpop: false, scopes: ['okta.users.read'] });
    const dpopApp = org.createServiceApp({ keyType: 'EC', requireDpop: true, scopes: ['okta.users.read'] });
    const entries: unknown[] = [];
    const memory = createMemoryTokenStore();
    const tokenStore = { ...memory, get: memory.get.bind(memory), delete: memory.delete.bind(memory), set: (key: string, entry: never) => (entries.push(entry), memory.set(key, entry)) };
    const make = (app: typeof bearerApp, dpop: 'off' | 'required') =>
      createOktaFetch({
        credential: createServiceAppCredential({ orgUrl: org.url, clientId: app.clientId, privateKey: app.privateJwk, scopes: ['okta.users.read'], dpop, tokenStore, allowInsecureLoopback: true }),
      });
    await make(bearerApp, 'off')('/api/v1/users');
    await make(bearerApp, 'off')('/api/v1/users');
    await make(dpopApp, 'required')('/api/v1/users');
    await make(dpopApp, 'required')('/api/v1/users');
    expect(org.counters().tokenRequests.client_credentials?.success).toBe(3);
    expect(entries).toHaveLength(3);
    for (const entry of entries) {
      expect(JSON.parse(JSON.stringify(entry))).toEqual(entry);
      expect(Object.keys(entry as object).sort()).toEqual(expect.arrayContaining(['accessToken', 'expiresAt', 'lifetimeMs', 'tokenType']));
      expect(JSON.stringify(entry)).not.toMatch(/"d":|PRIVATE/);
    }
    expect(entries.filter((e) => (e as { dpopJkt?: string }).dpopJkt !== undefined)).toHaveLength(2);
  });
});

describe('a memory token store shared by more credentials than it keeps', () => {
  // createMemoryTokenStore() keeps 1,000 entries, createMultiOrgCredentials 10,000 credentials: a
  // credential uses its own copy of its token while it is fresh and reads the store only when it
  // has none (new, or renewing), so an entry the store dropped costs a token request only to a
  // credential made afresh (an org dropped after idleMs, then used again), once. The bound here
  // is 10 (11 credentials) for the run's time; the default's 1,000 (1,001 credentials) behave alike.
  it('11 credentials sharing a store of 10 each make one token request, and none again while their tokens are fresh', async () => {
    const { createMemoryTokenStore } = await import('./token-cache/token-store.js');
    const org = await emulator();
    const tokenStore = createMemoryTokenStore({ maxEntries: 10 });
    const apps = Array.from({ length: 11 }, () => org.createOinApp({ scopes: ['okta.users.read'] }));
    const make = (app: (typeof apps)[number]) => createOinAppCredential({ orgUrl: org.url, ...app, scopes: 'okta.users.read', tokenStore, allowInsecureLoopback: true });
    const credentials = apps.map(make);
    const url = new URL('/api/v1/users', org.url);
    const authorize = async (credential: OktaCredential) => (await credential.authorize({ method: 'GET', url })).authorization;
    const successes = () => org.counters().tokenRequests.client_credentials?.success;
    const first: string[] = [];
    // One after another, so the store's oldest entry, the one it drops, is the first app's.
    for (const credential of credentials) first.push(await authorize(credential));
    expect(successes()).toBe(11);
    // The store holds the last 10 tokens: the first credential, whose entry it dropped, still uses its own.
    expect(await Promise.all(credentials.map(authorize))).toEqual(first);
    expect(successes()).toBe(11);
    // A credential made afresh reads the store: the last app's token is there (no request); the first app's is not (one).
    expect(await authorize(make(apps[10]!))).toBe(first[10]);
    expect(successes()).toBe(11);
    expect(await authorize(make(apps[0]!))).not.toBe(first[0]);
    expect(successes()).toBe(12);
  });
});
