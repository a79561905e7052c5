import { randomUUID } from 'node:crypto';
import { newKeyPair } from '@org/okta-test-utils';
import { SignJWT, importPKCS8, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator, type ServiceAppCredentials } from '../index.js';
import { basic, clientAssertion, JWT_BEARER, postToken, type AssertionOptions } from '../test-helpers/oauth.js';

describe('client_credentials with private_key_jwt', () => {
  let org: OktaEmulator;
  let rsa: ServiceAppCredentials;
  let ec: ServiceAppCredentials;

  beforeAll(async () => {
    org = await startEmulator({ seed: { users: 2 } });
    rsa = org.createServiceApp({ scopes: ['okta.users.read', 'okta.groups.read'], requireDpop: false });
    ec = org.createServiceApp({ keyType: 'EC', scopes: ['okta.users.read'], requireDpop: false });
  });
  afterAll(() => org.close());

  const request = async (app: ServiceAppCredentials, o: AssertionOptions = {}, scope = 'okta.users.read', extra: Record<string, string> = {}) =>
    postToken(org, { grant_type: 'client_credentials', scope, client_assertion_type: JWT_BEARER, client_assertion: await clientAssertion(org, app, o), ...extra });

  const expectInvalidClient = async (res: Response, text?: string) => {
    expect(res.status).toBe(401);
    const body = await res.json();
    expect(body.error).toBe('invalid_client');
    if (text !== undefined) expect(body.error_description).toContain(text);
  };

  it('issues an opaque Bearer token to an RSA app', async () => {
    const res = await request(rsa);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.json();
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'okta.users.read' });
    expect(body.access_token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(body.access_token.split('.')).toHaveLength(1);
    const users = await fetch(`${org.url}/api/v1/users`, { headers: { Authorization: `Bearer ${body.access_token}` } });
    expect(users.status).toBe(200);
  });

  it('issues a token to an EC app (ES256)', async () => {
    expect((await request(ec)).status).toBe(200);
  });

  it.each(['RS384', 'RS512'])('accepts %s with an RSA key', async (alg) => {
    expect((await request(rsa, { alg })).status).toBe(200);
  });

  it('accepts ES384 with a registered P-384 key, chosen by kid among several', async () => {
    const { privateKey, publicKey } = newKeyPair({ type: 'ec', namedCurve: 'P-384' });
    const publicJwk = { ...(publicKey.export({ format: 'jwk' }) as JWK), kid: 'p384', alg: 'ES384' };
    const app = org.createServiceApp({ scopes: ['okta.users.read'], requireDpop: false, keyCount: 1, publicJwks: [publicJwk] });
    const res = await request(app, { alg: 'ES384', kid: 'p384', key: privateKey });
    expect(res.status).toBe(200);
    await expectInvalidClient(await request(app, { kid: null }), 'The client_assertion JWT kid is invalid.');
  });

  it('uses the only key when the assertion has no kid', async () => {
    expect((await request(rsa, { kid: null })).status).toBe(200);
  });

  it('rejects HS256 and PS256 assertions', async () => {
    await expectInvalidClient(await request(rsa, { alg: 'HS256', key: new TextEncoder().encode('x'.repeat(32)) }), 'The client_assertion JWT signature algorithm is invalid.');
    const pem = await importPKCS8(rsa.privateKeyPem, 'PS256');
    await expectInvalidClient(await request(rsa, { alg: 'PS256', key: pem }), 'signature algorithm is invalid');
  });

  it('rejects an unknown kid and a signature by another key', async () => {
    await expectInvalidClient(await request(rsa, { kid: 'nope' }), 'kid');
    const other = newKeyPair({ type: 'rsa', modulusLength: 2048 }).privateKey;
    await expectInvalidClient(await request(rsa, { key: other }), 'signature');
  });

  it('requires iss = sub = client id', async () => {
    await expectInvalidClient(await request(rsa, { iss: 'someone-else' }), 'The issuer claim for client_assertion is not a valid client_id.');
    await expectInvalidClient(await request(rsa, { sub: ec.clientId }, 'okta.users.read', { client_id: rsa.clientId }), 'The subject claim for client_assertion is not a valid client_id.');
    await expectInvalidClient(await request(rsa, { iss: ec.clientId }), 'issuer claim');
  });

  it.each([
    ['a trailing slash', (u: string) => `${u}/oauth2/v1/token/`],
    ['the issuer', (u: string) => u],
    ['https', (u: string) => u.replace('http:', 'https:') + '/oauth2/v1/token'],
  ])('requires aud to be the token endpoint exactly (rejects %s)', async (_n, aud) => {
    await expectInvalidClient(await request(rsa, { aud: aud(org.url) }), 'audience');
  });

  it('requires exp in the future and at most one hour ahead', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectInvalidClient(await request(rsa, { exp: now - 10 }), 'expired');
    await expectInvalidClient(await request(rsa, { exp: now + 3700 }), 'too far');
    await expectInvalidClient(await request(rsa, { exp: null }), "The client_assertion must contain the 'exp' claim as seconds since epoch.");
    expect((await request(rsa, { exp: now + 3590 })).status).toBe(200);
  });

  it('checks exp against the org clock', async () => {
    org.setClockOffset(600);
    try {
      await expectInvalidClient(await request(rsa), 'expired');
    } finally {
      org.setClockOffset(0);
    }
  });

  it('accepts an assertion without jti (optional at Okta) and refuses a replayed jti', async () => {
    expect((await request(rsa, { jti: null })).status).toBe(200);
    const jti = randomUUID();
    expect((await request(rsa, { jti })).status).toBe(200);
    await expectInvalidClient(await request(rsa, { jti }), 'already been used');
  });

  it('refuses client secrets for a service app', async () => {
    const res = await postToken(org, { grant_type: 'client_credentials', scope: 'okta.users.read' }, { Authorization: basic(rsa.clientId, 'guess') });
    await expectInvalidClient(res, 'private_key_jwt');
  });

  it('answers invalid_scope for a missing scope and OIDC scopes, consent_required when no scope asked for is granted; an ungranted one beside a granted one is dropped', async () => {
    for (const scope of ['', 'openid']) {
      const res = await request(rsa, {}, scope);
      expect(res.status).toBe(400);
      expect((await res.json()).error).toBe('invalid_scope');
    }
    const none = await request(rsa, {}, 'okta.users.manage');
    expect(none.status).toBe(400);
    expect((await none.json()).error).toBe('consent_required');
    const some = await request(rsa, {}, 'okta.users.read okta.apps.read');
    expect(some.status).toBe(200);
    expect((await some.json()).scope).toBe('okta.users.read');
  });

  it('grants several scopes at once', async () => {
    const res = await request(rsa, {}, 'okta.users.read okta.groups.read');
    expect((await res.json()).scope).toBe('okta.users.read okta.groups.read');
  });

  it('rejects a bad assertion type, unknown clients, multiple credentials, bad grant types and non-form bodies', async () => {
    let res = await request(rsa, {}, 'okta.users.read', { client_assertion_type: 'urn:wrong' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request', error_description: 'The client_assertion_type is invalid.' });

    res = await postToken(org, { grant_type: 'client_credentials', scope: 'okta.users.read', client_id: '0oanotanapp' });
    await expectInvalidClient(res);

    res = await postToken(org, { grant_type: 'client_credentials', scope: 'okta.users.read' });
    await expectInvalidClient(res, 'No client credentials found.');

    res = await request(rsa, {}, 'okta.users.read', { client_secret: 'x' });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_request', error_description: expect.stringContaining('Cannot supply multiple client credentials') });

    res = await request(rsa, {}, 'okta.users.read', { grant_type: 'password' });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe('unsupported_grant_type');

    res = await request(rsa, {}, 'okta.users.read', { grant_type: 'authorization_code' });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe('unauthorized_client');

    res = await fetch(`${org.url}/oauth2/v1/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe('invalid_request');
  });

  it('counts token requests by grant and outcome', async () => {
    org.resetCounters();
    await request(rsa);
    await request(rsa, {}, 'okta.apps.manage');
    await postToken(org, { grant_type: 'client_credentials', scope: 'x' });
    expect(org.counters().tokenRequests).toEqual({ client_credentials: { success: 1, consent_required: 1, invalid_client: 1 } });
    expect(org.counters().requests['POST /oauth2/v1/token']).toBe(3);
  });
});

describe('OIN apps with client_secret_basic', () => {
  let org: OktaEmulator;
  let oin: { clientId: string; clientSecret: string };
  beforeAll(async () => {
    org = await startEmulator({ seed: { users: 1 } });
    oin = org.createOinApp({ scopes: ['okta.users.read'] });
  });
  afterAll(() => org.close());

  it('issues a Bearer token for a correct secret, usable on /api/v1/users', async () => {
    const res = await postToken(org, { grant_type: 'client_credentials', scope: 'okta.users.read' }, { Authorization: basic(oin.clientId, oin.clientSecret) });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.token_type).toBe('Bearer');
    expect((await fetch(`${org.url}/api/v1/users`, { headers: { Authorization: `Bearer ${body.access_token}` } })).status).toBe(200);
  });

  it('ignores a DPoP proof (the app does not require DPoP)', async () => {
    const res = await postToken(org, { grant_type: 'client_credentials', scope: 'okta.users.read' }, { Authorization: basic(oin.clientId, oin.clientSecret), DPoP: 'not.even.ajwt' });
    expect(res.status).toBe(200);
    expect((await res.json()).token_type).toBe('Bearer');
  });

  it('rejects a wrong secret, a secret in the body, and an empty scope', async () => {
    let res = await postToken(org, { grant_type: 'client_credentials', scope: 'okta.users.read' }, { Authorization: basic(oin.clientId, 'wrong') });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'invalid_client', error_description: 'The client secret supplied for a confidential client is invalid.' });
    res = await postToken(org, { grant_type: 'client_credentials', scope: 'okta.users.read', client_id: oin.clientId, client_secret: oin.clientSecret });
    expect(res.status).toBe(401);
    res = await postToken(org, { grant_type: 'client_credentials' }, { Authorization: basic(oin.clientId, oin.clientSecret) });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe('invalid_scope');
  });

  it('a service-app assertion signed with HS256 and the OIN secret is still refused', async () => {
    const jwt = await new SignJWT({ iss: oin.clientId, sub: oin.clientId, aud: `${org.url}/oauth2/v1/token`, jti: randomUUID() })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(oin.clientSecret));
    const res = await postToken(org, { grant_type: 'client_credentials', scope: 'okta.users.read', client_assertion_type: JWT_BEARER, client_assertion: jwt });
    expect(res.status).toBe(401);
  });
});
