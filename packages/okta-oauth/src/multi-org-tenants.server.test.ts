/**
 * One hostile customer org among a partner's many: the hostile tenant (org A) answers what it
 * likes; its neighbour (org B) shares the process's multi-org factory, token store, logger and
 * fetch. Nothing of B reaches A, and nothing A answers stalls, fails or redirects B's calls.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOktaFetch, isOktaAuthError, paginate, type OktaLogEvent } from '@org/okta-auth-core';
import type { OktaEmulator } from '@org/okta-emulator';
import { describe, expect, it } from 'vitest';
import { createMultiOrgCredentials } from './multi-org.js';
import { createOinAppCredential } from './oin-app.js';
import { createServiceAppCredential } from './service-app.js';
import { createMemoryTokenStore } from './token-cache/token-store.js';
import { claims, emulator, useEmulators } from './test-helpers/org.js';
import { recordingFetch } from './test-helpers/wire.js';

useEmulators();

interface Tenant {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** A partner's process: one factory, one shared token store, logger and fetch for every tenant. */
function partner() {
  const wire = recordingFetch();
  const events: OktaLogEvent[] = [];
  const logger = (event: OktaLogEvent) => void events.push(event);
  const tokenStore = createMemoryTokenStore();
  const orgs = createMultiOrgCredentials({
    create: (orgUrl, tenant: Tenant) =>
      createOinAppCredential({ orgUrl, ...tenant, scopes: ['okta.users.read'], tokenStore, allowInsecureLoopback: true, fetch: wire.fetch, logger, timeoutMs: 10_000 }),
  });
  const call = (org: { readonly url: string }, tenant: Tenant, path = '/api/v1/users') =>
    createOktaFetch({ credential: orgs.get(org.url, tenant), fetch: wire.fetch, logger, retry: { limit: 1, maxWaitMs: 2000 } })(path);
  return { wire, events, orgs, call };
}

async function twoOrgs() {
  const [a, b] = await Promise.all([emulator({ seed: { users: 1 } }), emulator({ seed: { users: 2 } })]);
  return { a, b, appA: a.createOinApp({ scopes: ['okta.users.read'] }), appB: b.createOinApp({ scopes: ['okta.users.read'] }) };
}

const basic = (app: Tenant) => `Basic ${btoa(`${app.clientId}:${app.clientSecret}`)}`;

describe('a hostile tenant among many (one process)', () => {
  it("never obtains its neighbour's secret or tokens: not on its wire, in its errors, or in the shared log", async () => {
    const { a, b, appA, appB } = await twoOrgs();
    const { wire, events, call } = partner();
    expect((await call(b, appB)).status).toBe(200);
    // A's org answers its token request with a redirect to B's token endpoint, then with an
    // error that names B; its API with a redirect to B's API.
    a.injectFault({ path: '/oauth2/v1/token', kind: 'redirect', status: 307, location: `${b.url}/oauth2/v1/token`, count: 1 });
    const redirected = await call(a, appA).catch((e: unknown) => e);
    a.injectFault({ path: '/oauth2/v1/token', kind: 'status', status: 400, body: { error: 'invalid_client', error_description: `see ${b.url}\nINFO ${b.url} ok \u001b[2J` }, count: 1 });
    const refused = await call(a, appA).catch((e: unknown) => e);
    a.injectFault({ path: '/api/v1/users', kind: 'redirect', status: 302, location: `${b.url}/api/v1/users` });
    const apiRedirected = await call(a, appA).catch((e: unknown) => e);
    for (const error of [redirected, refused, apiRedirected]) expect(isOktaAuthError(error)).toBe(true);
    expect(refused).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', error: 'invalid_client' });
    expect((refused as Error).message).not.toContain('\n');
    expect((refused as Error).message).not.toContain('\u001b');
    expect((await call(b, appB)).status).toBe(200);

    const tokensOfB = wire.sent.filter((r) => r.url.origin === b.url && r.url.pathname.startsWith('/api/')).map((r) => r.headers.get('authorization')!);
    const secretsOfB = [appB.clientSecret, basic(appB), ...tokensOfB.map((t) => t.replace(/^Bearer /, ''))];
    // Every request that went to A carried only A's credentials; every one that went to B, only B's.
    for (const request of wire.sent.filter((r) => r.url.origin === a.url)) {
      const authorization = request.headers.get('authorization');
      for (const secret of secretsOfB) expect(authorization ?? '').not.toContain(secret);
    }
    for (const request of wire.sent.filter((r) => r.url.origin === b.url && r.url.pathname === '/oauth2/v1/token')) {
      expect(request.headers.get('authorization')).toBe(basic(appB));
    }
    expect(b.counters().tokenRequests.client_credentials).toEqual({ success: 1 });
    const shown = JSON.stringify([redirected, refused, apiRedirected, events, String(redirected), String(refused), String(apiRedirected)]);
    for (const secret of secretsOfB) expect(shown).not.toContain(secret);
  });

  it("does not slow or fail its neighbour's calls: a token endpoint that holds its answer, 429s with a reset years ahead, a Date years off", async () => {
    const { a, b, appA, appB } = await twoOrgs();
    const { events, call } = partner();
    // A token endpoint that holds its answer until B is done.
    let release: () => void = () => undefined;
    const held = await hostileOrg(b.url, new Promise<void>((resolve) => (release = resolve)));
    try {
      let aSettled = false;
      const slow = call(held, appA).finally(() => (aSettled = true));
      // B's calls complete while A's token request is still held open.
      expect((await call(b, appB)).status).toBe(200);
      expect((await call(b, appB)).status).toBe(200);
      expect(aSettled).toBe(false);
      release();
      expect((await slow).status).toBe(200);
    } finally {
      await held.close();
    }

    const farAhead = { 'X-Rate-Limit-Reset': '999999999999999', 'X-Rate-Limit-Limit': 'garbage', 'X-Rate-Limit-Remaining': '0', 'Retry-After': '999999999' };
    a.injectFault({ path: '/api/v1/users', kind: 'status', status: 429, headers: farAhead });
    a.setClockOffset(20 * 365 * 86_400);
    expect(await call(a, appA).catch((e: unknown) => e)).toMatchObject({ status: 429 });
    const before = events.length;
    expect((await call(b, appB)).status).toBe(200);
    // B's call went straight through: no backoff or retry of its own.
    expect(events.slice(before).filter((e) => e.type === 'backoff' || e.type === 'retry')).toEqual([]);
    expect(b.counters().tokenRequests.client_credentials).toEqual({ success: 1 });
  });

  it("a Date hours off from one org never moves the time in another org's assertions", async () => {
    const [a, b] = await Promise.all([emulator(), emulator()]);
    const wire = recordingFetch();
    const orgs = createMultiOrgCredentials({
      create: (orgUrl, tenant: { clientId: string; privateKey: string }) =>
        createServiceAppCredential({ orgUrl, ...tenant, scopes: ['okta.users.read'], dpop: 'off', allowInsecureLoopback: true, fetch: wire.fetch }),
    });
    const apps = new Map([a, b].map((org) => [org, org.createServiceApp({ keyType: 'EC', requireDpop: false, scopes: ['okta.users.read'] })] as const));
    const call = (org: OktaEmulator) => createOktaFetch({ credential: orgs.get(org.url, { clientId: apps.get(org)!.clientId, privateKey: apps.get(org)!.privateKeyPem }), fetch: wire.fetch })('/api/v1/users');
    a.setClockOffset(6 * 3600);
    // Bracketed by the clock read before and after the calls, whatever real time they took.
    const before = Math.floor(Date.now() / 1000);
    expect((await call(a)).status).toBe(200);
    expect((await call(b)).status).toBe(200);
    const after = Math.ceil(Date.now() / 1000);
    const iat = (org: OktaEmulator) =>
      wire.sent.filter((r) => r.url.origin === org.url && r.url.pathname === '/oauth2/v1/token').map((r) => claims(r.form?.get('client_assertion')).iat!);
    // A's clock was followed for A (its last assertion six hours ahead, re-signed after its Date was read), never for B.
    expect(iat(a).at(-1)).toBeGreaterThanOrEqual(before + 6 * 3600);
    expect(iat(a).at(-1)).toBeLessThanOrEqual(after + 6 * 3600);
    for (const at of iat(b)) {
      expect(at).toBeGreaterThanOrEqual(before);
      expect(at).toBeLessThanOrEqual(after);
    }
  });
});

/** An org that answers what no emulator would: a token (once `hold` settles), then a page whose `next` link points at `target`. */
async function hostileOrg(target: string, hold: Promise<void> = Promise.resolve()): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((request, response) => {
    if (request.url === '/oauth2/v1/token') {
      void hold.then(() => {
        response.writeHead(200, { 'content-type': 'application/json', date: 'Mon, 01 Jan 2046 00:00:00 GMT' });
        response.end(JSON.stringify({ access_token: 'hostile-token', token_type: 'Bearer', expires_in: 3600, scope: 'okta.users.read' }));
      });
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json', link: `<${target}/api/v1/users?after=1>; rel="next"` });
    response.end('[{"id":"00u1"}]');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('a hostile org server', () => {
  it("cannot send the process to its neighbour's org with a next link", async () => {
    const b = await emulator({ seed: { users: 2 } });
    const appB = b.createOinApp({ scopes: ['okta.users.read'] });
    const a = await hostileOrg(b.url);
    try {
      const { wire, call } = partner();
      expect((await call(b, appB)).status).toBe(200);
      const orgs = createMultiOrgCredentials({
        create: (orgUrl, tenant: Tenant) => createOinAppCredential({ orgUrl, ...tenant, scopes: ['okta.users.read'], allowInsecureLoopback: true, fetch: wire.fetch }),
      });
      const okta = createOktaFetch({ credential: orgs.get(a.url, { clientId: '0oahostile', clientSecret: 'hostile' }), fetch: wire.fetch });
      const walk = async () => {
        const users: unknown[] = [];
        for await (const user of paginate(okta, '/api/v1/users')) users.push(user);
        return users;
      };
      await expect(walk()).rejects.toMatchObject({ code: 'ORIGIN_MISMATCH' });
      expect(wire.sent.filter((r) => r.url.origin === b.url && r.headers.get('authorization') === 'Bearer hostile-token')).toEqual([]);
      expect(wire.sent.filter((r) => r.url.origin === b.url)).toHaveLength(2);
    } finally {
      await a.close();
    }
  });
});

describe("a tenant claiming its neighbour's org URL", () => {
  it("never gets the neighbour's token from the shared store, and the neighbour keeps it", async () => {
    const { b, appB } = await twoOrgs();
    const { wire, call } = partner();
    expect((await call(b, appB)).status).toBe(200);
    // The hostile customer onboards with B's org URL and B's client id (ids are not secret), and a secret of its own.
    const error = await call(b, { clientId: appB.clientId, clientSecret: 'hostile-guess' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', error: 'invalid_client' });
    expect(wire.apiRequests()).toHaveLength(1);
    // The factory holds one credential per org: B's next call replaces the hostile one, and its
    // token is still in the shared store (no new grant).
    expect((await call(b, appB)).status).toBe(200);
    expect(b.counters().tokenRequests.client_credentials).toEqual({ success: 1, invalid_client: 1 });
  });

  it("offboarding it (orgs.revoke with its tenant) leaves the neighbour's credential working, in a job that holds it too", async () => {
    const { b, appB } = await twoOrgs();
    const { wire, orgs } = partner();
    const job = createOktaFetch({ credential: orgs.get(b.url, appB), fetch: wire.fetch }); // a long job holds it
    expect((await job('/api/v1/users')).status).toBe(200);
    const hostile = { clientId: appB.clientId, clientSecret: 'hostile-own-secret' };
    const sent = wire.sent.length;
    await expect(orgs.revoke(b.url, hostile)).rejects.toMatchObject({ code: 'OAUTH_ERROR', error: 'invalid_client' });
    for (const request of wire.sent.slice(sent)) expect([request.url.origin, request.headers.get('authorization')]).toEqual([b.url, basic(hostile)]);
    expect((await job('/api/v1/users')).status).toBe(200);
    expect(orgs.size).toBe(1);
    // The neighbour's own offboarding still drops the org: the job stops, sending nothing.
    await orgs.revoke(b.url, appB);
    const after = wire.sent.length;
    await expect(job('/api/v1/users')).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    expect(wire.sent).toHaveLength(after);
  });
});
