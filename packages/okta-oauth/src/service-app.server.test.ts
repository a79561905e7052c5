import { createOktaFetch, isOktaApiError } from '@org/okta-auth-core';
import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isOktaOAuthError } from './errors.js';
import type { TokenStore, TokenStoreEntry } from './index.js';
import { createServiceAppCredential } from './service-app.js';
import { serviceAppCredentialFromEnv } from './service-app-env.js';
import { claims, emulator, header, serviceApp, useEmulators } from './test-helpers/org.js';
import { recordingFetch } from './test-helpers/wire.js';

useEmulators();

describe('service app: keys and client assertions', () => {
  it.each([
    ['RSA', 'pem', 'RS256'],
    ['RSA', 'jwk', 'RS256'],
    ['EC', 'pem', 'ES256'],
    ['EC', 'jwk', 'ES256'],
  ] as const)('an %s key as %s signs a %s assertion Okta accepts', async (keyType, keyForm, alg) => {
    const org = await emulator({ seed: { users: 1 } }); // and the org's seeded super admin
    const { okta, wire, clientId, keyId } = serviceApp(org, { keyType }, { keyForm });
    expect(((await (await okta('/api/v1/users')).json()) as unknown[]).length).toBe(2);
    const [first] = wire.tokenRequests();
    const assertion = first?.form?.get('client_assertion');
    expect(header(assertion)).toMatchObject({ alg, kid: keyId });
    const payload = claims(assertion);
    expect(payload).toMatchObject({ iss: clientId, sub: clientId, aud: `${org.url}/oauth2/v1/token` });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(300);
    expect(first?.form?.get('grant_type')).toBe('client_credentials');
    expect(first?.form?.get('scope')).toBe('okta.users.read');
    expect(first?.form?.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
  });

  it('a JWK marked for signing (use "sig", key_ops sign and verify) signs an assertion Okta accepts; one marked use "enc" sends nothing', async () => {
    const org = await emulator({ seed: { users: 1 } });
    const app = org.createServiceApp({ keyType: 'RSA', requireDpop: true, scopes: ['okta.users.read'] });
    const wire = recordingFetch();
    const credential = (privateKey: object) => createServiceAppCredential({ orgUrl: org.url, clientId: app.clientId, privateKey, scopes: ['okta.users.read'], allowInsecureLoopback: true, fetch: wire.fetch });
    const signing = credential({ ...app.privateJwk, use: 'sig', key_ops: ['sign', 'verify'] });
    expect((await createOktaFetch({ credential: signing, fetch: wire.fetch })('/api/v1/users')).status).toBe(200);
    expect(header(wire.tokenRequests()[0]?.form?.get('client_assertion'))).toMatchObject({ alg: 'RS256', kid: app.keyId });
    expect(() => credential({ ...app.privateJwk, use: 'enc' })).toThrow(expect.objectContaining({ code: 'INVALID_KEY' }));
    expect(org.counters().tokenRequests.client_credentials?.success).toBe(1);
  });

  it('surfaces invalid_client with status, request id and a hint, and caches nothing', async () => {
    const org = await emulator();
    const other = org.createServiceApp({ keyType: 'EC', scopes: ['okta.users.read'] });
    const { okta, wire } = serviceApp(org, {}, { privateKey: other.privateKeyPem, keyId: other.keyId });
    const error: unknown = await okta('/api/v1/users').catch((e: unknown) => e);
    expect(isOktaOAuthError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', error: 'invalid_client', status: 401 });
    expect((error as { requestId?: string }).requestId).toMatch(/\S+/);
    expect((error as { error_description?: string }).error_description).toBeTruthy();
    expect((error as Error).message).toMatch(/invalid_client.*public key with kid/);
    const assertion = wire.tokenRequests()[0]?.form?.get('client_assertion') ?? '';
    expect((error as Error).message).not.toContain(assertion.slice(-20));
    expect(inspect(error)).not.toContain(assertion.slice(-20));
    await okta('/api/v1/users').catch(() => undefined);
    expect(wire.tokenRequests().filter((r) => r.headers.get('dpop') !== null)).toHaveLength(2);
    expect(org.counters().tokenRequests.client_credentials).toEqual({ invalid_client: 2 });
  });

  // Okta grants the requested scopes the app has and leaves the others out of the token (the emulator's FIDELITY
  // T13; before, the emulator refused the whole request with invalid_scope and this test asserted that).
  it('a scope the app was not granted is left out of the token: the credential works for the rest, and a call that needs it says it was requested but Okta did not grant it', async () => {
    const org = await emulator({ seed: { users: 1 } });
    const stored: TokenStoreEntry[] = [];
    const tokenStore: TokenStore = { get: () => Promise.resolve(undefined), set: (_key, entry) => Promise.resolve(void stored.push(entry)), delete: () => Promise.resolve() };
    const { okta, wire } = serviceApp(org, { scopes: ['okta.users.read'] }, { scopes: ['okta.users.read', 'okta.groups.read'], tokenStore });
    expect((await okta('/api/v1/users')).status).toBe(200);
    expect(wire.tokenRequests()[0]?.form?.get('scope')).toBe('okta.users.read okta.groups.read');
    // What Okta granted, as the token store receives it (the option okta-auth doctor reads it through).
    expect(stored.map((entry) => entry.scope)).toEqual(['okta.users.read']);
    const error: unknown = await okta('/api/v1/groups').catch((e: unknown) => e);
    expect(isOktaApiError(error)).toBe(true);
    expect(error).toMatchObject({ status: 403, missingScope: 'okta.groups.read' });
    expect((error as Error).message).toContain(
      'The access token lacks the scope okta.groups.read: it was requested but Okta did not grant it; grant it to the app (Okta API Scopes tab). The token was granted: okta.users.read.',
    );
    expect(org.counters().tokenRequests.client_credentials?.success).toBe(1);
  });

  it('none of the requested scopes granted: TOKEN_REQUEST_FAILED consent_required naming the requested scopes and where to grant them', async () => {
    const org = await emulator();
    const { okta } = serviceApp(org, { scopes: ['okta.users.read'] }, { scopes: ['okta.groups.read', 'okta.apps.manage'] });
    const error: unknown = await okta('/api/v1/groups').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', error: 'consent_required', error_description: 'You are not allowed any of the requested scopes.', status: 400 });
    expect((error as Error).message).toContain('You are not allowed any of the requested scopes. Requested: "okta.groups.read okta.apps.manage". Grant these scopes to the app (Okta API Scopes tab) or request fewer.');
  });

  it('re-signs once when the org clock is far from ours', async () => {
    const org = await emulator({ seed: { users: 1 } });
    org.setClockOffset(900);
    const { okta, wire } = serviceApp(org);
    expect((await okta('/api/v1/users')).status).toBe(200);
    const signed = wire.tokenRequests().map((r) => claims(r.form?.get('client_assertion')).iat ?? 0);
    expect(signed.at(-1)! - signed[0]!).toBeGreaterThanOrEqual(890);
    expect(org.counters().tokenRequests.client_credentials?.success).toBe(1);
  });

  it('prints no secret', async () => {
    const org = await emulator({ seed: { users: 1 } });
    const { credential, okta, wire } = serviceApp(org);
    await okta('/api/v1/users');
    const token = wire.apiRequests()[0]?.headers.get('authorization')?.split(' ')[1] ?? '';
    expect(token.length).toBeGreaterThan(10);
    for (const shown of [JSON.stringify(credential), inspect(credential, { depth: 10, showHidden: true })]) {
      expect(shown).not.toContain(token);
      expect(shown).not.toContain('PRIVATE KEY');
    }
    // maxInFlight: the limit the factory was given, if any (none here: undefined, not in its JSON).
    expect(Object.keys(credential).sort()).toEqual(['authorize', 'challenge', 'explain', 'kind', 'logger', 'maxInFlight', 'origin', 'retry', 'revoke', 'timeoutMs']);
    expect(JSON.parse(JSON.stringify(credential))).toEqual({ kind: 'service-app', origin: org.url });
  });
});

describe('service app: DPoP at the token endpoint', () => {
  it('sends a proof with the first request and answers the nonce challenge once', async () => {
    const org = await emulator({ seed: { users: 1 } });
    const { okta, wire } = serviceApp(org);
    await okta('/api/v1/users');
    const [first, second] = wire.tokenRequests();
    expect(wire.tokenRequests()).toHaveLength(2);
    const p1 = claims(first?.headers.get('dpop'));
    const p2 = claims(second?.headers.get('dpop'));
    expect(p1).toMatchObject({ htm: 'POST', htu: `${org.url}/oauth2/v1/token` });
    expect(p1.nonce).toBeUndefined();
    expect(typeof p2.nonce).toBe('string');
    expect(p2.jti).not.toBe(p1.jti);
    expect(claims(second?.form?.get('client_assertion')).jti).not.toBe(claims(first?.form?.get('client_assertion')).jti);
    expect(header(first?.headers.get('dpop'))).toMatchObject({ typ: 'dpop+jwt', alg: 'ES256' });
    expect(header(first?.headers.get('dpop')).jwk).not.toHaveProperty('d');
    expect(first?.headers.get('x-okta-user-agent-extended')).toBe('isDPoP:true');
    expect(org.counters().tokenRequests.client_credentials).toEqual({ use_dpop_nonce: 1, success: 1 });
  });

  it('uses a DPoP key that is not the client key', async () => {
    const org = await emulator({ seed: { users: 1 } });
    const { okta, wire } = serviceApp(org, { keyType: 'RSA' });
    await okta('/api/v1/users');
    const jwk = header(wire.tokenRequests()[0]?.headers.get('dpop')).jwk;
    expect(jwk?.kty).toBe('EC');
  });

  it.each(['ES384', 'RS256'] as const)('signs proofs with dpopAlgorithm %s', async (dpopAlgorithm) => {
    const org = await emulator({ seed: { users: 1 } });
    const { okta, wire } = serviceApp(org, {}, { dpopAlgorithm });
    expect((await okta('/api/v1/users')).status).toBe(200);
    expect(header(wire.tokenRequests()[0]?.headers.get('dpop')).alg).toBe(dpopAlgorithm);
    expect(header(wire.apiRequests()[0]?.headers.get('dpop')).alg).toBe(dpopAlgorithm);
  });

  it("'auto' follows a Bearer answer from an app without DPoP", async () => {
    const org = await emulator({ seed: { users: 1 } });
    const { okta, wire } = serviceApp(org, { requireDpop: false });
    await okta('/api/v1/users');
    expect(wire.tokenRequests()[0]?.headers.get('dpop')).toBeTruthy();
    const api = wire.apiRequests()[0];
    expect(api?.headers.get('authorization')).toMatch(/^Bearer /);
    expect(api?.headers.get('dpop')).toBeNull();
  });

  it("'required' refuses a Bearer answer and caches nothing", async () => {
    const org = await emulator({ seed: { users: 1 } });
    const { okta, wire } = serviceApp(org, { requireDpop: false }, { dpop: 'required' });
    for (let i = 0; i < 2; i++) {
      const error: unknown = await okta('/api/v1/users').catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'DPOP_NOT_BOUND' });
      expect((error as Error).message).toMatch(/Require Demonstrating Proof of Possession/);
    }
    expect(wire.tokenRequests()).toHaveLength(2);
    expect(wire.apiRequests()).toHaveLength(0);
  });

  it("'off' sends no proof, and explains the error from an app that requires DPoP", async () => {
    const org = await emulator();
    const { okta, wire } = serviceApp(org, { requireDpop: true }, { dpop: 'off' });
    const error: unknown = await okta('/api/v1/users').catch((e: unknown) => e);
    expect(wire.tokenRequests()[0]?.headers.get('dpop')).toBeNull();
    expect(error).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', error: 'invalid_dpop_proof', status: 400 });
    expect((error as Error).message).toMatch(/The DPoP proof JWT header is missing.*set dpop to "auto" or "required"/);
  });

  it("'off' with an app without DPoP uses Bearer", async () => {
    const org = await emulator({ seed: { users: 1 } });
    const { okta, wire } = serviceApp(org, { requireDpop: false }, { dpop: 'off' });
    await okta('/api/v1/users');
    expect(wire.apiRequests()[0]?.headers.get('authorization')).toMatch(/^Bearer /);
  });

  it('signs resource calls: DPoP scheme, ath, htm, htu, new jti', async () => {
    const org = await emulator({ seed: { users: 1 } });
    const { okta, wire } = serviceApp(org);
    await okta('/api/v1/users?limit=1');
    await okta('/api/v1/users?limit=1', { method: 'get' });
    const [a, b] = wire.apiRequests();
    const token = a?.headers.get('authorization')?.replace(/^DPoP /, '') ?? '';
    expect(a?.headers.get('authorization')).toMatch(/^DPoP /);
    const proof = claims(a?.headers.get('dpop'));
    expect(proof).toMatchObject({ htm: 'GET', htu: `${org.url}/api/v1/users`, ath: createHash('sha256').update(token).digest('base64url') });
    expect(claims(b?.headers.get('dpop')).jti).not.toBe(proof.jti);
    expect(wire.tokenRequests()).toHaveLength(2);
  });
});

describe('serviceAppCredentialFromEnv', () => {
  it('reads the okta-sdk-nodejs variables and works against the org', async () => {
    const org = await emulator({ seed: { users: 1 } });
    const app = org.createServiceApp({ keyType: 'RSA', scopes: ['okta.users.read', 'okta.groups.read'] });
    const wire = recordingFetch();
    const credential = serviceAppCredentialFromEnv(
      {
        OKTA_CLIENT_ORGURL: org.url,
        OKTA_CLIENT_AUTHORIZATIONMODE: 'PrivateKey',
        OKTA_CLIENT_CLIENTID: app.clientId,
        OKTA_CLIENT_SCOPES: 'okta.users.read okta.groups.read',
        OKTA_CLIENT_PRIVATEKEY: JSON.stringify(app.privateJwk),
        OKTA_CLIENT_KEYID: app.keyId,
      },
      { allowInsecureLoopback: true, fetch: wire.fetch },
    );
    const { createOktaFetch } = await import('@org/okta-auth-core');
    const okta = createOktaFetch({ credential, fetch: wire.fetch });
    expect((await okta('/api/v1/groups')).status).toBe(200);
    expect(wire.tokenRequests()[0]?.form?.get('scope')).toBe('okta.users.read okta.groups.read');
  });
});

describe('resource errors', () => {
  it('names the missing scope and says it was never requested', async () => {
    const org = await emulator({ seed: { users: 1 } });
    const { okta } = serviceApp(org, { scopes: ['okta.users.read'] });
    const error: unknown = await okta('/api/v1/groups').catch((e: unknown) => e);
    expect(isOktaApiError(error)).toBe(true);
    expect(error).toMatchObject({ status: 403 });
    expect((error as { challenges: { params: Record<string, string> }[] }).challenges[0]?.params.scope).toBe('okta.groups.read');
    expect((error as Error).message).toMatch(/lacks the scope okta\.groups\.read: add it to the credential's scopes.*granted: okta\.users\.read/);
  });
});
