/**
 * A service app revoking its own access token (RFC 7009: a leaked token, a key compromise, a shutdown) against
 * @org/okta-emulator over real HTTP: `ServiceAppCredential.revoke()` of `@org/okta-oauth` and `revoke(credential)`
 * of `@org/okta-oauth/service-app` (whose credential has no such method), the OIN credential's one revocation
 * (`revokeAppTokens`), authenticated by the app's `private_key_jwt` assertion. Okta's `/oauth2/v1/revoke` takes the
 * client's authentication and the token, a DPoP-bound one too, with no DPoP proof.
 */
import { createOktaFetch, isOktaAuthError, type OktaCredential } from '@org/okta-auth-core';
import type { OktaEmulator } from '@org/okta-emulator';
import { SignJWT, importPKCS8 } from 'jose';
import { describe, expect, it } from 'vitest';
import { importPrivateKey } from './client-auth/import-private-key.js';
import { createServiceAppCredential } from './service-app.js';
import { isOktaOAuthError } from './errors.js';
import { createServiceAppCredential as createLean, createMultiOrgCredentials, revoke } from './service-app-entry.js';
import { claims, emulator, useEmulators } from './test-helpers/org.js';
import { sharedStore } from './test-helpers/shared-store.js';
import { recordingFetch, type SentRequest } from './test-helpers/wire.js';

useEmulators();

type App = ReturnType<OktaEmulator['createServiceApp']>;
const scopes = ['okta.users.read'];
const revocations = (sent: readonly SentRequest[]): SentRequest[] => sent.filter((request) => request.url.pathname === '/oauth2/v1/revoke');
const tokenOf = (wire: ReturnType<typeof recordingFetch>): string => (wire.apiRequests().at(-1)?.headers.get('authorization') ?? '').replace(/^(Bearer|DPoP) /, '');

/** What the org says of `token` at its `/introspect`, asked as the app with an assertion signed here. */
async function introspect(org: OktaEmulator, app: App, token: string): Promise<{ active: boolean }> {
  const endpoint = `${org.url}/oauth2/v1/introspect`;
  const key = await importPKCS8(app.privateKeyPem, 'ES256');
  const assertion = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: app.keyId }).setIssuer(app.clientId).setSubject(app.clientId).setAudience(endpoint).setJti(crypto.randomUUID()).setIssuedAt().setExpirationTime('5m').sign(key);
  const body = new URLSearchParams({ token, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion });
  return (await (await fetch(endpoint, { method: 'POST', body })).json()) as { active: boolean };
}

describe("a service app's revoke()", () => {
  it('revokes its DPoP-bound token at /oauth2/v1/revoke with a private_key_jwt assertion (no DPoP proof); the org holds it inactive, the next call gets a fresh token', async () => {
    const org = await emulator({ seed: { users: 1 } });
    const app = org.createServiceApp({ keyType: 'EC', requireDpop: true, scopes });
    const wire = recordingFetch();
    const credential = createServiceAppCredential({ orgUrl: org.url, clientId: app.clientId, privateKey: app.privateKeyPem, keyId: app.keyId, scopes, dpop: 'required', allowInsecureLoopback: true, fetch: wire.fetch });
    const okta = createOktaFetch({ credential, fetch: wire.fetch });
    expect((await okta('/api/v1/users')).status).toBe(200);
    const token = tokenOf(wire);
    expect(wire.apiRequests().at(-1)?.headers.get('authorization')).toMatch(/^DPoP /);
    expect(await introspect(org, app, token)).toMatchObject({ active: true, token_type: 'DPoP' });

    await expect(credential.revoke()).resolves.toBeUndefined();
    const [sent, ...more] = revocations(wire.sent);
    expect(more).toHaveLength(0);
    expect(sent?.headers.get('authorization')).toBeNull();
    expect(sent?.headers.get('dpop')).toBeNull();
    const form = Object.fromEntries(sent?.form ?? []);
    expect(form).toMatchObject({ token, token_type_hint: 'access_token', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' });
    expect(claims(form.client_assertion)).toMatchObject({ iss: app.clientId, sub: app.clientId, aud: `${org.url}/oauth2/v1/revoke` });
    expect(await introspect(org, app, token)).toEqual({ active: false });

    // Nothing held: nothing sent. The next call obtains a new token.
    const count = wire.sent.length;
    await credential.revoke();
    expect(wire.sent).toHaveLength(count);
    expect((await okta('/api/v1/users')).status).toBe(200);
    expect(wire.tokenRequests().filter((request) => request.form?.get('grant_type') === 'client_credentials').map((request) => request.headers.has('dpop'))).toEqual([true, true, true]);
    expect(tokenOf(wire)).not.toBe(token);
    expect(await introspect(org, app, tokenOf(wire))).toMatchObject({ active: true });
  });

  it("a Bearer token in a shared store: revoked and deleted from the store by another process's credential; the org refuses it, the process that used it gets a new one", async () => {
    const org = await emulator({ seed: { users: 1 } });
    const app = org.createServiceApp({ keyType: 'EC', requireDpop: false, scopes });
    const tokenStore = sharedStore();
    const options = { orgUrl: org.url, clientId: app.clientId, privateKey: app.privateKeyPem, keyId: app.keyId, scopes, dpop: 'off', tokenStore, allowInsecureLoopback: true } as const;
    const wire = recordingFetch();
    const worker = createOktaFetch({ credential: createServiceAppCredential({ ...options, fetch: wire.fetch }), fetch: wire.fetch });
    expect((await worker('/api/v1/users')).status).toBe(200);
    const token = tokenOf(wire);

    await createServiceAppCredential(options).revoke();
    expect(tokenStore.entries.size).toBe(0);
    expect((await fetch(`${org.url}/api/v1/users`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    expect((await worker('/api/v1/users')).status).toBe(200);
    expect(tokenOf(wire)).not.toBe(token);
  });

  it('an app deactivated in Okta: OAUTH_ERROR invalid_client naming no secret, and the token forgotten (Okta ended it)', async () => {
    const org = await emulator({ seed: { users: 1 } });
    const app = org.createServiceApp({ keyType: 'EC', requireDpop: true, scopes });
    const tokenStore = sharedStore();
    const wire = recordingFetch();
    const credential = createServiceAppCredential({ orgUrl: org.url, clientId: app.clientId, privateKey: app.privateKeyPem, keyId: app.keyId, scopes, tokenStore, allowInsecureLoopback: true, fetch: wire.fetch });
    expect((await createOktaFetch({ credential, fetch: wire.fetch })('/api/v1/users')).status).toBe(200);
    const token = tokenOf(wire);
    org.deactivateApp(app.clientId);

    const error: unknown = await credential.revoke().catch((e: unknown) => e);
    expect(isOktaAuthError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'OAUTH_ERROR', error: 'invalid_client', status: 401 });
    for (const shown of [(error as Error).message, JSON.stringify(error)]) expect(shown).not.toContain(token);
    expect(tokenStore.entries.size).toBe(0);
  });

  it('from @org/okta-oauth/service-app (a CryptoKey): no revoke() method, revoke(credential) is the same revocation; its options are read as every options argument is', async () => {
    const org = await emulator({ seed: { users: 1 } });
    const app = org.createServiceApp({ keyType: 'EC', requireDpop: true, scopes });
    const wire = recordingFetch();
    const credential = createLean({ orgUrl: org.url, clientId: app.clientId, ...(await importPrivateKey(app.privateKeyPem, { keyId: app.keyId })), scopes, allowInsecureLoopback: true, fetch: wire.fetch });
    expect(Object.keys(credential)).not.toContain('revoke');
    expect('revoke' in credential).toBe(false);
    await expect(revoke(credential, 'now' as never)).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    await expect(revoke(credential, null as never)).resolves.toBeUndefined();
    expect(wire.sent).toHaveLength(0);
    expect((await createOktaFetch({ credential, fetch: wire.fetch })('/api/v1/users')).status).toBe(200);
    const token = tokenOf(wire);
    await revoke(credential, { signal: AbortSignal.timeout(10_000) });
    const [sent, ...more] = revocations(wire.sent);
    expect(more).toHaveLength(0);
    expect(sent?.headers.get('dpop')).toBeNull();
    expect(claims(Object.fromEntries(sent?.form ?? []).client_assertion)).toMatchObject({ iss: app.clientId, aud: `${org.url}/oauth2/v1/revoke` });
    expect(await introspect(org, app, token)).toEqual({ active: false });
  });

  it("revoke(credential) takes the root entry's credential too, and refuses one the package did not make as orgs.revoke() does (INVALID_CONFIG, nothing sent)", async () => {
    const org = await emulator({ seed: { users: 1 } });
    const app = org.createServiceApp({ keyType: 'EC', requireDpop: false, scopes });
    const wire = recordingFetch();
    const made = createServiceAppCredential({ orgUrl: org.url, clientId: app.clientId, privateKey: app.privateKeyPem, keyId: app.keyId, scopes, dpop: 'off', allowInsecureLoopback: true, fetch: wire.fetch });
    // A credential of your own that wraps the package's.
    const wrapped: OktaCredential = { kind: made.kind, origin: made.origin, authorize: (attempt) => made.authorize(attempt) };
    const error: unknown = await revoke(wrapped).catch((e: unknown) => e);
    expect(isOktaOAuthError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('createServiceAppCredential') });
    await expect(revoke(null as never)).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    expect(wire.sent).toHaveLength(0);

    expect((await createOktaFetch({ credential: made, fetch: wire.fetch })('/api/v1/users')).status).toBe(200);
    const token = tokenOf(wire);
    await revoke(made);
    expect(revocations(wire.sent)).toHaveLength(1);
    expect((await fetch(`${org.url}/api/v1/users`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });

  it("orgs.revoke() of @org/okta-oauth/service-app's createMultiOrgCredentials takes its createServiceAppCredential's credentials (no revoke() method)", async () => {
    const org = await emulator({ seed: { users: 1 } });
    const app = org.createServiceApp({ keyType: 'EC', requireDpop: true, scopes });
    const key = await importPrivateKey(app.privateKeyPem, { keyId: app.keyId });
    const wire = recordingFetch();
    const orgs = createMultiOrgCredentials({ create: (orgUrl, clientId: string) => createLean({ orgUrl, clientId, ...key, scopes, allowInsecureLoopback: true, fetch: wire.fetch }) });
    expect((await createOktaFetch({ credential: orgs.get(org.url, app.clientId), fetch: wire.fetch })('/api/v1/users')).status).toBe(200);
    const token = tokenOf(wire);
    await orgs.revoke(org.url, app.clientId);
    expect(revocations(wire.sent)).toHaveLength(1);
    expect(orgs.size).toBe(0);
    expect(await introspect(org, app, token)).toEqual({ active: false });
  });
});
