/**
 * A patched fetch with a data cache, as Next.js's (`fetch.__nextPatched`; under `fetchCache =
 * 'default-cache'`, or Next.js 14's default in GET route handlers, it keeps answers in
 * `.next/cache/fetch-cache` for a year whatever Okta's `Cache-Control`), against the emulator
 * (edge156): it keeps an answer unless the call says `cache: 'no-store'`, in the init or its
 * Request, as Next.js reads it. Before edge156 core said so only in a browser: a service app's
 * token answers (access tokens) were kept, and an API token's second GET was answered from the
 * cache, stale. Now every attempt of ours says `no-store` (but on workerd).
 */
import { createOktaFetch, type OktaCredential } from '@org/okta-auth-core';
import { createOktaKy } from '@org/okta-auth-core/ky';
import type { OktaEmulator } from '@org/okta-emulator';
import { describe, expect, it } from 'vitest';
import { createOinAppCredential } from '../oin-app.js';
import { createServiceAppCredential } from '../service-app.js';
import { emulator, useEmulators } from '../test-helpers/org.js';

useEmulators();

/** A fetch patched as Next.js's is: what it was asked, and the answers it keeps (bodies, keyed by method, URL and authorization). */
function dataCacheFetch() {
  const asked: { readonly what: string; readonly cache: RequestCache | undefined }[] = [];
  const kept = new Map<string, string>();
  const patched = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    // Next.js reads `cache` from the init, else from the Request given.
    const cache = init?.cache ?? (input instanceof Request ? input.cache : undefined);
    const what = `${request.method} ${new URL(request.url).pathname}`;
    asked.push({ what, cache });
    const key = `${what} ${request.headers.get('authorization') ?? ''}`;
    const hit = cache === 'no-store' ? undefined : kept.get(key);
    if (hit !== undefined) return new Response(hit, { status: 200, headers: { 'content-type': 'application/json' } });
    const response = await fetch(request);
    if (cache !== 'no-store' && response.ok) kept.set(key, await response.clone().text());
    return response;
  };
  return { fetch: Object.assign(patched, { __nextPatched: true }), asked, kept };
}

const scopes = ['okta.users.read'];

function serviceApp(org: OktaEmulator, fetch: typeof globalThis.fetch) {
  const app = org.createServiceApp({ keyType: 'EC', requireDpop: true, scopes });
  return createServiceAppCredential({ orgUrl: org.url, clientId: app.clientId, privateKey: app.privateKeyPem, keyId: app.keyId, scopes, allowInsecureLoopback: true, fetch });
}

describe("Next.js's data cache (a patched fetch)", () => {
  it.each([
    ['createOktaFetch', (credential: OktaCredential, fetch: typeof globalThis.fetch) => (path: string) => createOktaFetch({ credential, fetch })(path)],
    ['createOktaKy', (credential: OktaCredential, fetch: typeof globalThis.fetch) => (path: string) => createOktaKy({ credential, fetch })(path.slice(1))],
  ] as const)("an API token's GETs through %s are never answered from it, nor kept in it", async (_driver, client) => {
    const org = await emulator();
    const { token } = org.createApiToken({ name: 'fetch cache' });
    const cache = dataCacheFetch();
    const credential: OktaCredential = { kind: 'ssws', origin: new URL(org.url).origin, authorize: () => Promise.resolve({ authorization: `SSWS ${token}` }) };
    const get = client(credential, cache.fetch);
    const first = (await (await get('/api/v1/users')).json()) as unknown[];
    org.createUser({ login: 'new.hire@example.com', password: 'Correct-Horse1' });
    const second = (await (await get('/api/v1/users')).json()) as unknown[];
    expect(second).toHaveLength(first.length + 1);
    expect(org.counters().requests['GET /api/v1/users']).toBe(2);
    expect(cache.asked.map(({ cache: c }) => c)).toEqual(['no-store', 'no-store']);
    expect(cache.kept.size).toBe(0);
  });

  it("a service app's token requests (its DPoP nonce round trip) and API calls, an OIN app's and its revocation, are never kept", async () => {
    const org = await emulator();
    const cache = dataCacheFetch();
    const service = serviceApp(org, cache.fetch);
    expect((await createOktaFetch({ credential: service, fetch: cache.fetch })('/api/v1/users?limit=1')).status).toBe(200);
    const oin = createOinAppCredential({ orgUrl: org.url, ...org.createOinApp({ scopes }), scopes, allowInsecureLoopback: true, fetch: cache.fetch });
    expect((await createOktaFetch({ credential: oin, fetch: cache.fetch })('/api/v1/users?limit=1')).status).toBe(200);
    await oin.revoke();
    const asked = cache.asked.map(({ what }) => what);
    expect(asked).toEqual(expect.arrayContaining(['POST /oauth2/v1/token', 'GET /api/v1/users', 'POST /oauth2/v1/revoke']));
    expect(asked.filter((what) => what === 'POST /oauth2/v1/token').length).toBeGreaterThanOrEqual(3);
    expect(cache.asked.filter(({ cache: c }) => c !== 'no-store')).toEqual([]);
    expect(cache.kept.size).toBe(0);
  });
});
