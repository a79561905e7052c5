/**
 * Offboarding a customer org of an OIN integration: its access token revoked at Okta (RFC 7009) and
 * removed from the token store, a shared one too (`OinAppCredential.revoke()`, `orgs.revoke()`).
 */
import { createOktaFetch, isOktaAuthError, type OktaCredential } from '@org/okta-auth-core';
import { describe, expect, it } from 'vitest';
import { createMultiOrgCredentials } from './multi-org.js';
import { createOinAppCredential } from './oin-app.js';
import { createServiceAppCredential } from './service-app.js';
import { emulator, useEmulators } from './test-helpers/org.js';
import { recordingFetch } from './test-helpers/wire.js';
import { sharedStore } from './test-helpers/shared-store.js';

useEmulators();

const usersWith = (url: string, token: string): Promise<Response> => fetch(`${url}/api/v1/users`, { headers: { authorization: `Bearer ${token}` } });
const bearer = (wire: ReturnType<typeof recordingFetch>): string => (wire.apiRequests().at(-1)?.headers.get('authorization') ?? '').slice('Bearer '.length);

describe('an OIN credential offboarded', () => {
  it('revoke(): the token is revoked at the org with the client secret, then nothing more is sent; a later call gets a new token', async () => {
    const org = await emulator({ seed: { users: 1 } });
    const app = org.createOinApp({ scopes: ['okta.users.read'] });
    const wire = recordingFetch();
    const credential = createOinAppCredential({ orgUrl: org.url, ...app, scopes: ['okta.users.read'], allowInsecureLoopback: true, fetch: wire.fetch });
    const okta = createOktaFetch({ credential, fetch: wire.fetch });
    expect((await okta('/api/v1/users')).status).toBe(200);
    const token = bearer(wire);

    await credential.revoke();
    const revocations = wire.sent.filter((request) => request.url.pathname === '/oauth2/v1/revoke');
    expect(revocations).toHaveLength(1);
    expect(revocations[0]?.headers.get('authorization')).toBe(`Basic ${btoa(`${app.clientId}:${app.clientSecret}`)}`);
    expect(Object.fromEntries(revocations[0]?.form ?? [])).toEqual({ token, token_type_hint: 'access_token' });
    expect((await usersWith(org.url, token)).status).toBe(401);

    // Idempotent: nothing held, nothing sent.
    const sent = wire.sent.length;
    await credential.revoke();
    expect(wire.sent).toHaveLength(sent);
    expect((await okta('/api/v1/users')).status).toBe(200);
    expect(wire.tokenRequests()).toHaveLength(2);
    expect(bearer(wire)).not.toBe(token);
  });

  it("revoke() from another process: the shared store's token is revoked and deleted; the process that used it gets a new one", async () => {
    const org = await emulator({ seed: { users: 1 } });
    const app = org.createOinApp({ scopes: ['okta.users.read'] });
    const tokenStore = sharedStore();
    const options = { orgUrl: org.url, ...app, scopes: ['okta.users.read'], tokenStore, allowInsecureLoopback: true } as const;
    const wire = recordingFetch();
    const worker = createOktaFetch({ credential: createOinAppCredential({ ...options, fetch: wire.fetch }), fetch: wire.fetch });
    expect((await worker('/api/v1/users')).status).toBe(200);
    const token = bearer(wire);
    expect([...tokenStore.entries.values()].map((entry) => entry.accessToken)).toEqual([token]);

    await createOinAppCredential(options).revoke();
    expect(tokenStore.entries.size).toBe(0);
    expect((await usersWith(org.url, token)).status).toBe(401);
    // The worker's token was refused: dropped, a new one obtained.
    expect((await worker('/api/v1/users')).status).toBe(200);
    expect(bearer(wire)).not.toBe(token);
  });

  it('an integration already uninstalled (the app deactivated): OAUTH_ERROR invalid_client, no secret shown, the token out of the store anyway', async () => {
    const org = await emulator({ seed: { users: 1 } });
    const app = org.createOinApp({ scopes: ['okta.users.read'] });
    const tokenStore = sharedStore();
    const wire = recordingFetch();
    const credential = createOinAppCredential({ orgUrl: org.url, ...app, scopes: ['okta.users.read'], tokenStore, allowInsecureLoopback: true, fetch: wire.fetch });
    expect((await createOktaFetch({ credential, fetch: wire.fetch })('/api/v1/users')).status).toBe(200);
    const token = bearer(wire);
    org.deactivateApp(app.clientId);
    expect((await usersWith(org.url, token)).status).toBe(401);

    const error: unknown = await credential.revoke().catch((e: unknown) => e);
    expect(isOktaAuthError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'OAUTH_ERROR', error: 'invalid_client', status: 401 });
    for (const shown of [(error as Error).message, JSON.stringify(error)]) {
      expect(shown).not.toContain(app.clientSecret);
      expect(shown).not.toContain(token);
    }
    expect(tokenStore.entries.size).toBe(0);
  });
});

describe('revoke(options)', () => {
  it('null is none, a string INVALID_CONFIG, nothing sent', async () => {
    const org = await emulator();
    const app = org.createOinApp({ scopes: ['okta.users.read'] });
    const wire = recordingFetch();
    const credential = createOinAppCredential({ orgUrl: org.url, ...app, scopes: ['okta.users.read'], allowInsecureLoopback: true, fetch: wire.fetch });
    await expect(credential.revoke(null as never)).resolves.toBeUndefined();
    await expect(credential.revoke('now' as never)).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    expect(wire.sent).toHaveLength(0);
  });
});

describe('an OIN integration the customer uninstalled', () => {
  it("a token request's invalid_client says the integration may have been uninstalled", async () => {
    const org = await emulator({ seed: { users: 1 } });
    const app = org.createOinApp({ scopes: ['okta.users.read'] });
    org.deactivateApp(app.clientId);
    const credential = createOinAppCredential({ orgUrl: org.url, ...app, scopes: ['okta.users.read'], allowInsecureLoopback: true });
    const error: unknown = await createOktaFetch({ credential })('/api/v1/users').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', error: 'invalid_client', status: 401 });
    expect((error as Error).message).toMatch(/the customer has not removed or deactivated the integration/);
    expect((error as Error).message).not.toContain(app.clientSecret);
  });
});

describe('orgs.revoke(orgUrl, tenant)', () => {
  it('revokes the org’s token (held, or in the shared store once dropped), then drops the org', async () => {
    const org = await emulator({ seed: { users: 1 } });
    const app = org.createOinApp({ scopes: ['okta.users.read'] });
    const tokenStore = sharedStore();
    const wire = recordingFetch();
    let now = 0;
    const orgs = createMultiOrgCredentials({
      create: (orgUrl, tenant: { clientId: string; clientSecret: string }) =>
        createOinAppCredential({ orgUrl, ...tenant, scopes: ['okta.users.read'], tokenStore, allowInsecureLoopback: true, fetch: wire.fetch }),
      idleMs: 1000,
      now: () => now,
    });
    const tenant = { clientId: app.clientId, clientSecret: app.clientSecret };
    const credential = orgs.get(org.url, tenant);
    expect((await createOktaFetch({ credential, fetch: wire.fetch })('/api/v1/users')).status).toBe(200);
    const token = bearer(wire);

    // Dropped for idleMs: the token is in the shared store alone.
    now += 2000;
    orgs.get('https://other.okta.com', tenant);
    expect(orgs.size).toBe(1);
    await orgs.revoke(org.url, tenant);
    expect((await usersWith(org.url, token)).status).toBe(401);
    expect(tokenStore.entries.size).toBe(0);
    await expect(createOktaFetch({ credential, fetch: wire.fetch })('/api/v1/users')).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });

  it('INVALID_CONFIG for credentials that cannot revoke, sending nothing and dropping nothing', async () => {
    const org = await emulator();
    const app = org.createServiceApp({ scopes: ['okta.users.read'] });
    const wire = recordingFetch();
    const orgs = createMultiOrgCredentials({
      // A credential of your own that wraps a service app's without its revoke().
      create: (orgUrl, tenant: { clientId: string; privateKey: string }): OktaCredential => {
        const made = createServiceAppCredential({ orgUrl, ...tenant, scopes: ['okta.users.read'], allowInsecureLoopback: true, fetch: wire.fetch });
        return { kind: made.kind, origin: made.origin, authorize: (attempt) => made.authorize(attempt) };
      },
    });
    const tenant = { clientId: app.clientId, privateKey: app.privateKeyPem };
    orgs.get(org.url, tenant);
    await expect(orgs.revoke(org.url, tenant)).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    expect(orgs.size).toBe(1);
    expect(wire.sent).toHaveLength(0);
  });
});
