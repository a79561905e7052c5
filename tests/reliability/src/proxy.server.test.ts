/**
 * Behind a forward proxy (core README, "Behind a proxy"): every credential type, both drivers and the sign-in
 * client reach the org only through the proxy when the app gives them a `fetch` that uses undici's
 * `ProxyAgent`. A proxy that refuses the tunnel is a typed `NETWORK_ERROR` with nothing sent to the
 * org, and the proxy's own password, like every secret of ours, is in none of what the error shows.
 */
import { inspect } from 'node:util';
import { createOktaFetch, isOktaAuthError, paginate } from '@org/okta-auth-core';
import { createOktaKy } from '@org/okta-auth-core/ky';
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { createServiceAppCredential, createSignInClient } from '@org/okta-oauth';
import { createSswsCredential } from '@org/okta-ssws';
import { ProxyAgent } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { outcome } from './test-helpers/calls.js';
import { startProxy, type TestProxy } from '@org/okta-test-utils';
import { LOGIN, PASSWORD, REDIRECT_URI, signInUser } from './test-helpers/subjects.js';

let org: OktaEmulator;
let proxy: TestProxy;
let host: string;
const agents: ProxyAgent[] = [];

/** The documented pattern: the runtime's fetch, given undici's proxy dispatcher (one agent per test: no tunnel outlives it). */
function proxiedFetch(uri = proxy.url): typeof fetch {
  const dispatcher = new ProxyAgent(uri);
  agents.push(dispatcher);
  return (input, init) => fetch(input, { ...init, dispatcher } as RequestInit);
}

/** Requests the org has answered so far, all routes together. */
const served = (): number => Object.values(org.counters().requests).reduce((sum, n) => sum + n, 0);

beforeAll(async () => {
  org = await startEmulator({ seed: { users: 5 } });
  org.createUser({ login: LOGIN, password: PASSWORD, admin: true, firstName: 'Ada', lastName: 'Admin' });
  proxy = await startProxy();
  host = new URL(org.url).host;
});
afterEach(async () => {
  await Promise.all(agents.splice(0).map((agent) => agent.close()));
  proxy.mode = 'tunnel';
  proxy.tunnels.length = 0;
});
afterAll(async () => {
  await proxy.close();
  await org.close();
});

describe('behind a forward proxy', () => {
  it('an API token: the fetch driver, pagination and the ky driver tunnel to the org', async () => {
    const credential = createSswsCredential({ orgUrl: org.url, token: org.createApiToken().token, allowInsecureLoopback: true });
    const okta = createOktaFetch({ credential, fetch: proxiedFetch() });
    const users: unknown[] = [];
    for await (const user of paginate(okta, '/api/v1/users?limit=2')) users.push(user);
    expect(users).toHaveLength(7); // 5 seeded, Ada and the org's seeded super admin
    const afterFetch = proxy.tunnels.length;
    expect(afterFetch).toBeGreaterThan(0);
    // Each agent opens its own tunnel: a new one proves the ky driver used the fetch it was given.
    const one = await createOktaKy({ credential, fetch: proxiedFetch() }).get('api/v1/users?limit=1').json<unknown[]>();
    expect(one).toHaveLength(1);
    expect(proxy.tunnels.length).toBeGreaterThan(afterFetch);
    expect(new Set(proxy.tunnels)).toEqual(new Set([host]));
  });

  it('a service app with DPoP: the token request (assertion, proof, nonce retry) and the API call tunnel', async () => {
    const app = org.createServiceApp({ scopes: ['okta.users.read'], requireDpop: true });
    // The credential's token requests and the client's API calls each through their own agent.
    const credential = createServiceAppCredential({ orgUrl: org.url, clientId: app.clientId, privateKey: app.privateKeyPem, keyId: app.keyId, scopes: ['okta.users.read'], dpop: 'required', fetch: proxiedFetch(), allowInsecureLoopback: true });
    org.resetCounters();
    const response = await createOktaFetch({ credential, fetch: proxiedFetch() })('/api/v1/users?limit=1');
    expect(response.status).toBe(200);
    await response.body?.cancel();
    expect(org.counters().tokenRequests.client_credentials?.success).toBe(1);
    expect(proxy.tunnels).toEqual([host, host]);
  });

  it('a user: discovery, the code exchange, the ID token keys and the API call tunnel', async () => {
    const app = org.createSignInApp({ type: 'web', redirectUris: [REDIRECT_URI], scopes: ['okta.users.read'] });
    const client = createSignInClient({
      orgUrl: org.url,
      clientId: app.clientId,
      clientSecret: app.clientSecret ?? '',
      redirectUri: REDIRECT_URI,
      scopes: ['openid', 'offline_access', 'okta.users.read'],
      fetch: proxiedFetch(),
      allowInsecureLoopback: true,
    });
    const tokens = await signInUser(client);
    const afterSignIn = proxy.tunnels.length;
    expect(afterSignIn).toBeGreaterThan(0);
    const response = await createOktaFetch({ credential: client.credential(tokens), fetch: proxiedFetch() })('/api/v1/users/me');
    expect(response.status).toBe(200);
    await response.body?.cancel();
    expect(proxy.tunnels.length).toBeGreaterThan(afterSignIn);
    expect(new Set(proxy.tunnels)).toEqual(new Set([host]));
  });

  it('a proxy that refuses the tunnel: NETWORK_ERROR, nothing reaches the org', async () => {
    proxy.mode = 'refuse';
    const token = org.createApiToken().token;
    const okta = createOktaFetch({ credential: createSswsCredential({ orgUrl: org.url, token, allowInsecureLoopback: true }), fetch: proxiedFetch(), retry: false });
    org.resetCounters();
    const result = await outcome(okta('/api/v1/users'));
    expect(result.ok).toBe(false);
    const error = (result as { error: unknown }).error;
    expect(isOktaAuthError(error) && error.code).toBe('NETWORK_ERROR');
    expect(served()).toBe(0);
    expect(proxy.tunnels.length).toBeGreaterThan(0);
    expect(inspect(error, { depth: 8 }) + JSON.stringify(error)).not.toContain(token);
    console.log(`proxy: a refused tunnel reads "${String(error)}"`);
  });
});

describe('behind a proxy that wants a password', () => {
  let guarded: TestProxy;
  const password = 'proxy-pass-9f3c1e';
  beforeAll(async () => {
    guarded = await startProxy({ credentials: `ada:${password}` });
  });
  afterAll(() => guarded.close());

  const withCredentials = (secret: string): string => {
    const url = new URL(guarded.url);
    url.username = 'ada';
    url.password = secret;
    return url.href;
  };

  it('the right password tunnels; a wrong one is NETWORK_ERROR that shows neither password nor token', async () => {
    const token = org.createApiToken().token;
    const credential = createSswsCredential({ orgUrl: org.url, token, allowInsecureLoopback: true });
    const ok = await createOktaFetch({ credential, fetch: proxiedFetch(withCredentials(password)) })('/api/v1/users?limit=1');
    expect(ok.status).toBe(200);
    await ok.body?.cancel();
    expect(guarded.authorizations.at(-1)).toBe(`Basic ${btoa(`ada:${password}`)}`);

    const wrong = `${password}-wrong`;
    const result = await outcome(createOktaFetch({ credential, fetch: proxiedFetch(withCredentials(wrong)), retry: false })('/api/v1/users'));
    const error = (result as { error?: unknown }).error;
    expect(isOktaAuthError(error) && error.code).toBe('NETWORK_ERROR');
    const shown = `${String(error)} ${JSON.stringify(error)} ${inspect(error, { depth: 8 })}`;
    for (const secret of [password, wrong, btoa(`ada:${wrong}`), token]) expect(shown).not.toContain(secret);
  });
});
