import { Secret } from '@org/okta-auth-core';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { testKey } from '../test-helpers/keys.js';
import { clientAssertionLifetimeSeconds, clientSecretBasic, noClientAuthentication, privateKeyJwt } from './client-authentication.js';
import { prepareClientKey } from './client-key.js';

const tokenEndpoint = new URL('https://acme.okta.com/oauth2/v1/token');

async function assertionFor(kind: 'rsa2048' | 'p256' | 'p384', keyId?: string): Promise<{ body: URLSearchParams; nowSeconds: number }> {
  const auth = privateKeyJwt('0oaclient', prepareClientKey(testKey(kind).pem, keyId === undefined ? {} : { keyId }));
  const body = new URLSearchParams({ grant_type: 'client_credentials' });
  const nowSeconds = Math.floor(Date.now() / 1000);
  await auth.apply({ tokenEndpoint, body, headers: new Headers(), nowSeconds });
  return { body, nowSeconds };
}

describe('privateKeyJwt', () => {
  it.each([
    ['rsa2048', 'RS256'],
    ['p256', 'ES256'],
    ['p384', 'ES384'],
  ] as const)('signs an RFC 7523 assertion with a %s key (%s)', async (kind, alg) => {
    const { body, nowSeconds } = await assertionFor(kind, 'kid-1');
    expect(body.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    const assertion = body.get('client_assertion') ?? '';
    const { payload, protectedHeader } = await jwtVerify(assertion, testKey(kind).publicKey, {
      issuer: '0oaclient',
      subject: '0oaclient',
      audience: tokenEndpoint.href,
      algorithms: [alg],
    });
    expect(protectedHeader).toMatchObject({ alg, kid: 'kid-1', typ: 'JWT' });
    expect(payload.iat).toBe(nowSeconds);
    expect(payload.exp).toBe(nowSeconds + clientAssertionLifetimeSeconds);
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBeLessThanOrEqual(3600);
    expect(typeof payload.jti).toBe('string');
    expect((payload.jti ?? '').length).toBeGreaterThanOrEqual(20);
  });

  it('uses a new jti for every request and leaves kid out when unknown', async () => {
    const a = await assertionFor('p256');
    const b = await assertionFor('p256');
    const jti = async (body: URLSearchParams) => (await jwtVerify(body.get('client_assertion') ?? '', testKey('p256').publicKey)).payload.jti;
    expect(await jti(a.body)).not.toBe(await jti(b.body));
    expect(decodeProtectedHeader(a.body.get('client_assertion') ?? '').kid).toBeUndefined();
  });
});

describe('clientSecretBasic', () => {
  it('form-encodes id and secret before base64 (RFC 6749 §2.3.1)', async () => {
    const headers = new Headers();
    const body = new URLSearchParams();
    await clientSecretBasic('client id', new Secret('s3cr:t+/é')).apply({ tokenEndpoint, body, headers, nowSeconds: 0 });
    const value = headers.get('authorization') ?? '';
    expect(value.startsWith('Basic ')).toBe(true);
    expect(atob(value.slice(6))).toBe('client+id:s3cr%3At%2B%2F%C3%A9');
    expect([...body.keys()]).toEqual([]);
  });

  it('does not show the secret when printed', () => {
    const auth = clientSecretBasic('id', new Secret('super-secret-value-123'));
    expect(JSON.stringify(auth)).not.toContain('super-secret');
  });
});

describe('noClientAuthentication', () => {
  it('puts client_id in the body', async () => {
    const body = new URLSearchParams();
    await noClientAuthentication('0oaspa').apply({ tokenEndpoint, body, headers: new Headers(), nowSeconds: 0 });
    expect(body.get('client_id')).toBe('0oaspa');
  });
});
