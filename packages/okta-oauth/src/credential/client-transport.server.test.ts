/**
 * One transport per client (transport168), against the emulator: a user behind a proxy gave a proxied `fetch` (undici's
 * `ProxyAgent` as `dispatcher`, the core README's "Behind a proxy") to `createOktaFetch`, but the credential, made without
 * a `fetch` of its own, sent its token requests through the global fetch (rev168c: the client's fetch saw only
 * `/api/v1/users`). A credential's token request made for a call now goes through the fetch of the client whose call
 * needed it (`RequestAttempt.fetch`): the credential's own `fetch` option first, then the client's, then the global one.
 * A counting fetch stands for the proxied one: what it saw is the route. Only an attempt a driver of core (of any copy) began
 * lends its fetch: one your code built would get the client's authentication and choose the cached token (mend168d).
 */
import { createOktaFetch, isOktaAuthError, type OktaCredential } from '@org/okta-auth-core';
import { executeOktaRequest } from '@org/okta-auth-core/internal';
import { createOktaKy, oktaKyHooks } from '@org/okta-auth-core/ky';
import type { OktaEmulator } from '@org/okta-emulator';
import { failure } from '@org/okta-test-utils';
import ky from 'ky';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMultiOrgCredentials } from '../multi-org.js';
import { createOinAppCredential } from '../oin-app.js';
import { createServiceAppCredential } from '../service-app.js';
import { emulator, useEmulators } from '../test-helpers/org.js';
import { signIn, useSignInOrg } from '../user/test-helpers/sign-in-org.js';

useEmulators();
afterEach(() => {
  vi.restoreAllMocks();
});

const scopes = ['okta.users.read'];
interface Own {
  readonly fetch?: typeof fetch;
}
const factories: Record<string, (org: OktaEmulator, own: Own) => OktaCredential> = {
  createServiceAppCredential: (org, own) => {
    const app = org.createServiceApp({ keyType: 'EC', scopes });
    return createServiceAppCredential({ orgUrl: org.url, clientId: app.clientId, privateKey: app.privateKeyPem, keyId: app.keyId, scopes, allowInsecureLoopback: true, ...own });
  },
  createOinAppCredential: (org, own) => createOinAppCredential({ orgUrl: org.url, ...org.createOinApp({ scopes }), scopes, allowInsecureLoopback: true, ...own }),
  "createMultiOrgCredentials' wrapper": (org, own) => {
    const app = org.createOinApp({ scopes });
    return createMultiOrgCredentials<object>({ create: (orgUrl) => createOinAppCredential({ orgUrl, ...app, scopes, allowInsecureLoopback: true, ...own }) }).get(org.url, {});
  },
};

/** A fetch that notes each path it sends (a token request as `token`), then sends it with the global one; `hold` delays the token request. */
function counting(hold?: Promise<void>): { fetch: typeof fetch; seen: string[] } {
  const seen: string[] = [];
  const send: typeof fetch = async (input, init) => {
    const { pathname } = new URL(input instanceof Request ? input.url : String(input));
    seen.push(pathname === '/oauth2/v1/token' ? 'token' : pathname);
    if (hold && pathname === '/oauth2/v1/token') await hold;
    return fetch(input, init);
  };
  return { seen, fetch: send };
}

const drivers: Record<string, (credential: OktaCredential, fetch: typeof globalThis.fetch, url: string) => Promise<Response>> = {
  createOktaFetch: (credential, fetch) => createOktaFetch({ credential, fetch })('/api/v1/users?limit=1'),
  createOktaKy: (credential, fetch) => createOktaKy({ credential, fetch })('api/v1/users?limit=1'),
  // Your own instance: its ky `fetch` option is the transport.
  'oktaKyHooks on your own instance': (credential, fetch, url) => ky.create({ baseUrl: `${url}/`, fetch, hooks: oktaKyHooks({ credential }) })('api/v1/users?limit=1'),
  executeOktaRequest: (credential, fetch, url) => executeOktaRequest(() => Promise.resolve(new Request(`${url}/api/v1/users?limit=1`)), { credential, origin: url, fetch }),
  // A second install of core (its built copy: modules of their own, nothing shared but the `Symbol.for` registry) began the attempt.
  'createOktaFetch of another copy of core': async (credential, fetch) => {
    const other = (await import('../../../okta-auth-core/dist/index.js')) as { createOktaFetch: typeof createOktaFetch };
    expect(other.createOktaFetch).not.toBe(createOktaFetch);
    return other.createOktaFetch({ credential, fetch })('/api/v1/users?limit=1');
  },
};
/** The token requests the org answered (a service app's DPoP nonce round trip counted once: its one success). */
const grants = (org: OktaEmulator) => org.counters().tokenRequests.client_credentials?.success ?? 0;

describe.each(Object.entries(factories))('%s made without a fetch', (_, make) => {
  it.each(Object.entries(drivers))('its token request goes through the fetch of the client whose call needed it: %s', async (_driver, send) => {
    const org = await emulator();
    const client = counting();
    expect((await send(make(org, {}), client.fetch, org.url)).status).toBe(200);
    expect(new Set(client.seen)).toEqual(new Set(['token', '/api/v1/users']));
    expect(grants(org)).toBe(1);
  });

  it('a client without a fetch is unchanged: the token request and the call go through the global fetch', async () => {
    const org = await emulator();
    const global = vi.spyOn(globalThis, 'fetch');
    expect((await createOktaFetch({ credential: make(org, {}) })('/api/v1/users?limit=1')).status).toBe(200);
    const paths = global.mock.calls.map(([input]) => new URL(input instanceof Request ? input.url : String(input)).pathname);
    expect(new Set(paths)).toEqual(new Set(['/oauth2/v1/token', '/api/v1/users']));
  });

  it("the credential's own fetch wins over the client's", async () => {
    const org = await emulator();
    const own = counting();
    const client = counting();
    expect((await createOktaFetch({ credential: make(org, { fetch: own.fetch }), fetch: client.fetch })('/api/v1/users?limit=1')).status).toBe(200);
    expect(new Set(own.seen)).toEqual(new Set(['token']));
    expect(client.seen).toEqual(['/api/v1/users']);
  });

  it("a token request that client B's call joins goes through client A's fetch, which began it", async () => {
    const org = await emulator();
    const credential = make(org, {});
    let release!: () => void;
    const a = counting(new Promise<void>((resolve) => (release = resolve)));
    const b = counting();
    let bAsked = false;
    const callA = createOktaFetch({ credential, fetch: a.fetch })('/api/v1/users?limit=1');
    await vi.waitUntil(() => a.seen.includes('token'));
    // B's call asks the credential while A's token request is held at A's fetch.
    const callB = createOktaFetch({ credential: { ...credential, authorize: (attempt) => ((bAsked = true), credential.authorize(attempt)) }, fetch: b.fetch })('/api/v1/users?limit=1');
    await vi.waitUntil(() => bAsked);
    await new Promise((resolve) => setImmediate(resolve));
    release();
    expect([(await callA).status, (await callB).status]).toEqual([200, 200]);
    expect(grants(org)).toBe(1);
    expect(b.seen).toEqual(['/api/v1/users']);
  });
});

describe("the attempt's fetch is the transport only", () => {
  // mend168d (rev168d): until then the fetch of any attempt took the token request (its Basic client secret, an assertion, a
  // refresh token), and what it answered became the token every client of the credential sent. Only an attempt a driver of
  // core began (its `attemptDeadline`) lends its fetch now; this row, a custom driver's fetch seeing the token request, is reversed.
  it("an attempt your own code made with a fetch: that fetch never sees the token request, nor can it answer one", async () => {
    const org = await emulator();
    const credential = factories.createOinAppCredential!(org, {});
    const global = vi.spyOn(globalThis, 'fetch');
    const forged = vi.fn<typeof fetch>(() => Promise.resolve(Response.json({ access_token: 'forged-token-value-0123456789abcdef', token_type: 'Bearer', expires_in: 3600, scope: 'okta.users.read' })));
    const headers = await credential.authorize({ method: 'GET', url: new URL('/api/v1/users?q=x', org.url), fetch: forged });
    expect(forged).not.toHaveBeenCalled();
    expect(global.mock.calls.map(([input]) => (input instanceof Request ? input.url : String(input)))).toEqual([`${org.url}/oauth2/v1/token`]);
    // The org's token is the one cached: the next caller of the credential sends it, never a fetch's answer.
    expect(headers.authorization).toMatch(/^Bearer /);
    expect(headers.authorization).not.toContain('forged');
    expect((await credential.authorize({ method: 'GET', url: new URL('/api/v1/users', org.url) })).authorization).toBe(headers.authorization);
    expect(grants(org)).toBe(1);
  });

  it("a credential given a fetch of its own sends a hand-made attempt's token request through it, not the attempt's", async () => {
    const org = await emulator();
    const own = counting();
    const attempt = vi.fn(fetch);
    await factories.createOinAppCredential!(org, { fetch: own.fetch }).authorize({ method: 'GET', url: new URL('/api/v1/users', org.url), fetch: attempt });
    expect(own.seen).toEqual(['token']);
    expect(attempt).not.toHaveBeenCalled();
  });

  it('an attempt on another origin is ORIGIN_MISMATCH before its fetch is called; a fetch that is no function is INVALID_CONFIG', async () => {
    const org = await emulator();
    const credential = factories.createServiceAppCredential!(org, {});
    const transport = vi.fn(fetch);
    const other = await failure(credential.authorize({ method: 'GET', url: new URL('https://attacker.example/api/v1/users'), fetch: transport }), isOktaAuthError);
    expect(other.code).toBe('ORIGIN_MISMATCH');
    const refused = await failure(credential.authorize({ method: 'GET', url: new URL('/api/v1/users', org.url), fetch: 'https://proxy.example' as never }), isOktaAuthError);
    expect(refused.code).toBe('INVALID_CONFIG');
    expect(transport).not.toHaveBeenCalled();
    expect(grants(org)).toBe(0);
  });

  it("an attempt without the field (an older core's driver) still authorizes, through the global fetch", async () => {
    const org = await emulator();
    const global = vi.spyOn(globalThis, 'fetch');
    const headers = await factories.createOinAppCredential!(org, {}).authorize({ method: 'GET', url: new URL('/api/v1/users', org.url) });
    expect(headers.authorization).toMatch(/^Bearer /);
    expect(global.mock.calls.map(([input]) => (input instanceof Request ? input.url : String(input)))).toEqual([`${org.url}/oauth2/v1/token`]);
  });
});

describe("a signed-in user's renewal through createOktaFetch", () => {
  const env = useSignInOrg();

  it("goes through the calling client's fetch when the sign-in client has none", async () => {
    const signInClient = env.spa();
    const credential = signInClient.credential((await signIn(signInClient)).tokens);
    env.org.revokeAccessTokens(); // the next call's token answers 401 invalid_token: the credential refreshes
    const client = counting();
    expect((await createOktaFetch({ credential, fetch: client.fetch })(env.userPath)).status).toBe(200);
    expect(client.seen).toEqual([env.userPath, 'token', env.userPath]);
  });

  it("goes through the sign-in client's own fetch when it has one: its option wins", async () => {
    const own = counting();
    const signInClient = env.spa({ fetch: own.fetch });
    const credential = signInClient.credential((await signIn(signInClient)).tokens);
    own.seen.length = 0;
    env.org.revokeAccessTokens();
    const client = counting();
    expect((await createOktaFetch({ credential, fetch: client.fetch })(env.userPath)).status).toBe(200);
    expect(client.seen).toEqual([env.userPath, env.userPath]);
    expect(own.seen).toEqual(['token']);
  });
});
