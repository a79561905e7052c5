import { Secret } from '@org/okta-auth-core';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import { createOinAppCredential } from '../oin-app.js';
import { createServiceAppCredential } from '../service-app.js';
import { testKey } from '../test-helpers/keys.js';
import { createSignInClient } from '../user/sign-in-client.js';
import { clientAssertionLifetimeSeconds } from './assertion.js';
import { bindClientAuth, serviceAppAuth, type ClientAuth } from './client-auth.js';
import { clientSecretBasic, clientSecretJwt, clientSecretPost, noClientAuth } from './client-secret.js';
import { privateKeyJwt } from './private-key-jwt.js';

const endpoint = new URL('https://acme.okta.com/oauth2/v1/token');
const secret = 'a-client-secret-of-forty-characters-0123';

async function apply(auth: ClientAuth, clientId = '0oaclient'): Promise<{ body: URLSearchParams; headers: Headers; nowSeconds: number }> {
  const body = new URLSearchParams({ grant_type: 'client_credentials' });
  const headers = new Headers();
  const nowSeconds = Math.floor(Date.now() / 1000);
  await bindClientAuth(clientId, auth).apply({ endpoint, body, headers, nowSeconds, signal: undefined });
  return { body, headers, nowSeconds };
}

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return isOktaOAuthError(error) ? `${error.code}: ${error.message}` : `not typed: ${String(error)}`;
  }
  return undefined;
}

describe('private_key_jwt', () => {
  it.each([
    ['rsa2048', 'RS256'],
    ['rsa2048', 'RS384'],
    ['rsa2048', 'RS512'],
    ['p256', 'ES256'],
    ['p384', 'ES384'],
    ['p521', 'ES512'],
  ] as const)('signs an RFC 7523 assertion with a %s key (%s) that jose verifies', async (kind, alg) => {
    const { body, nowSeconds } = await apply(privateKeyJwt(testKey(kind).pem, { keyId: 'kid-1', algorithm: alg }));
    expect(body.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    const { payload, protectedHeader } = await jwtVerify(body.get('client_assertion') ?? '', testKey(kind).publicKey, {
      issuer: '0oaclient',
      subject: '0oaclient',
      audience: endpoint.href,
      algorithms: [alg],
    });
    expect(protectedHeader).toMatchObject({ alg, kid: 'kid-1', typ: 'JWT' });
    expect(payload.iat).toBe(nowSeconds);
    expect(payload.exp).toBe(nowSeconds + 300); // the documented lifetime (docs/SECURITY.md, Bounds), not the constant
    expect((payload.jti ?? '').length).toBeGreaterThanOrEqual(20);
  });

  it('uses a new jti for every attempt and leaves kid out when unknown', async () => {
    const auth = privateKeyJwt(testKey('p256').pem);
    const a = (await apply(auth)).body.get('client_assertion') ?? '';
    const b = (await apply(auth)).body.get('client_assertion') ?? '';
    const jti = async (jwt: string) => (await jwtVerify(jwt, testKey('p256').publicKey)).payload.jti;
    expect(await jti(a)).not.toBe(await jti(b));
    expect(decodeProtectedHeader(a).kid).toBeUndefined();
  });

  it('a signer returning DER (as KMSs do) or r‖s both give a verifiable ES256 assertion; anything else is INVALID_KEY', async () => {
    const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
    const raw = async (data: Uint8Array<ArrayBuffer>) => new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, data));
    const der = async (data: Uint8Array<ArrayBuffer>) => {
      const rs = await raw(data);
      const int = (b: Uint8Array) => {
        const bytes = [...b];
        while (bytes.length > 1 && bytes[0] === 0 && ((bytes[1] ?? 0) & 0x80) === 0) bytes.shift();
        if ((bytes[0] ?? 0) & 0x80) bytes.unshift(0);
        return [2, bytes.length, ...bytes];
      };
      const seq = [...int(rs.subarray(0, 32)), ...int(rs.subarray(32))];
      return Uint8Array.from([0x30, seq.length, ...seq]);
    };
    for (const sign of [raw, der]) {
      const { body } = await apply(privateKeyJwt({ alg: 'ES256', kid: 'kms', sign }));
      await expect(jwtVerify(body.get('client_assertion') ?? '', pair.publicKey, { algorithms: ['ES256'] })).resolves.toBeDefined();
    }
    for (const bad of [new Uint8Array(10), 'signature' as unknown as Uint8Array, new Uint8Array(0)]) {
      const failure: unknown = await apply(privateKeyJwt({ alg: 'ES256', sign: () => Promise.resolve(bad) })).catch((e: unknown) => e);
      expect(isOktaOAuthError(failure) && failure.code).toBe('INVALID_KEY');
    }
  });

  it('passes the attempt signal to the signer and refuses a signer without a usable alg', async () => {
    const signals: (AbortSignal | undefined)[] = [];
    const controller = new AbortController();
    const auth = bindClientAuth('0oa', privateKeyJwt({ alg: 'RS256', sign: (_d, { signal }) => (signals.push(signal), Promise.resolve(new Uint8Array(256))) }), serviceAppAuth);
    await auth.apply({ endpoint, body: new URLSearchParams(), headers: new Headers(), nowSeconds: 0, signal: controller.signal });
    expect(signals).toEqual([controller.signal]);
    expect(codeOf(() => privateKeyJwt({ alg: 'HS256' as 'RS256', sign: () => Promise.resolve(new Uint8Array(1)) }))).toMatch(/^INVALID_KEY: .*RS256, RS384/);
    expect(codeOf(() => privateKeyJwt({ alg: 'ES256', sign: () => Promise.resolve(new Uint8Array(1)) }, { keyId: 'x' }))).toMatch(/^INVALID_KEY: Give alg and kid in the signer/);
  });

  it("puts a signer's kid in the header (trimmed), refuses an empty or non-string kid as the keyId option is (INVALID_CONFIG), an alg option beside a signer, and no key at all", async () => {
    const sign = () => Promise.resolve(new Uint8Array(256));
    const { body } = await apply(privateKeyJwt({ alg: 'RS256', kid: 'kms-1', sign }));
    expect(decodeProtectedHeader(body.get('client_assertion') ?? '')).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'kms-1' });
    const withoutKid = (await apply(privateKeyJwt({ alg: 'RS256', sign }))).body.get('client_assertion') ?? '';
    expect(decodeProtectedHeader(withoutKid)).toEqual({ alg: 'RS256', typ: 'JWT' });
    // One check of a key id (checkKeyId), as for the keyId option: a bad one is INVALID_CONFIG, whatever its kind.
    for (const kid of ['', ' ', 5]) {
      expect(codeOf(() => privateKeyJwt({ alg: 'RS256', kid: kid as string, sign }))).toBe("INVALID_CONFIG: The client assertion signer's kid must be a non-empty string when given.");
      expect(codeOf(() => privateKeyJwt('unread', { keyId: kid as string }))).toBe('INVALID_CONFIG: keyId must be a non-empty string when given.');
    }
    const trimmed = (await apply(privateKeyJwt({ alg: 'RS256', kid: ' kms-1 ', sign }))).body.get('client_assertion') ?? '';
    expect(decodeProtectedHeader(trimmed).kid).toBe('kms-1');
    expect(codeOf(() => privateKeyJwt({ alg: 'RS256', sign }, { algorithm: 'RS256' }))).toMatch(/^INVALID_KEY: Give alg and kid in the signer/);
    expect(codeOf(() => privateKeyJwt({ alg: 5 as never, sign }))).toMatch(/^INVALID_KEY: .*alg number is not one/);
    for (const key of [undefined, null]) expect(codeOf(() => privateKeyJwt(key as never))).toMatch(/^INVALID_CONFIG: privateKeyJwt needs the private key/);
  });
});

describe('client secrets', () => {
  it('client_secret_basic form-encodes id and secret before base64 (RFC 6749 §2.3.1)', async () => {
    const { headers, body } = await apply(clientSecretBasic(new Secret('s3cr:t+/é'.replace('é', 'e'))), 'client id');
    expect(atob((headers.get('authorization') ?? '').slice(6))).toBe('client+id:s3cr%3At%2B%2Fe');
    expect(body.has('client_secret')).toBe(false);
  });

  it('client_secret_post sends client_id and client_secret in the body, nothing in a header', async () => {
    const { headers, body } = await apply(clientSecretPost(secret));
    expect([body.get('client_id'), body.get('client_secret'), headers.get('authorization')]).toEqual(['0oaclient', secret, null]);
  });

  it.each(['HS256', 'HS384', 'HS512'] as const)('client_secret_jwt signs an %s assertion with the secret, which is never sent', async (alg) => {
    const { body } = await apply(clientSecretJwt(secret, { algorithm: alg }));
    const assertion = body.get('client_assertion') ?? '';
    const { payload, protectedHeader } = await jwtVerify(assertion, new TextEncoder().encode(secret), { audience: endpoint.href, issuer: '0oaclient', subject: '0oaclient' });
    expect(protectedHeader.alg).toBe(alg);
    expect(payload.exp).toBe(payload.iat! + clientAssertionLifetimeSeconds);
    expect(body.toString()).not.toContain(secret);
  });

  it('none puts client_id in the body only', async () => {
    const { body, headers } = await apply(noClientAuth());
    expect([...body.keys()]).toEqual(['grant_type', 'client_id']);
    expect([...headers.keys()]).toEqual([]);
  });

  it('declares each secret for scrubbing and never prints it', () => {
    for (const auth of [clientSecretBasic(secret), clientSecretPost(secret), clientSecretJwt(secret)]) {
      expect(auth.secrets?.()).toContain(secret);
      expect(JSON.stringify(auth)).not.toContain(secret);
      expect(JSON.stringify(bindClientAuth('0oa', auth))).not.toContain(secret);
    }
  });

  it('refuses an empty or multi-line secret, a short secret for an HMAC, and an unknown HMAC algorithm', () => {
    expect(codeOf(() => clientSecretBasic(''))).toMatch(/^INVALID_CONFIG: clientSecret is missing/);
    expect(codeOf(() => clientSecretPost('abc\ndef'))).toMatch(/^INVALID_CONFIG: .*line breaks/);
    expect(codeOf(() => clientSecretJwt('short-secret'))).toMatch(/^INVALID_CONFIG: .*at least 32/);
    expect(codeOf(() => clientSecretJwt(secret, { algorithm: 'RS256' as 'HS256' }))).toMatch(/^INVALID_CONFIG: .*HS256, HS384 or HS512/);
  });
});

describe('which methods each app type allows', () => {
  const base = { orgUrl: 'https://acme.okta.com', clientId: '0oa1', scopes: ['okta.users.read'] };
  it('service apps: private_key_jwt only, with a message naming the fix', () => {
    for (const clientAuth of [clientSecretBasic(secret), clientSecretPost(secret), clientSecretJwt(secret), noClientAuth()]) {
      expect(codeOf(() => createServiceAppCredential({ ...base, clientAuth }))).toMatch(/^INVALID_CONFIG: clientAuth uses \w+, but Okta accepts only private_key_jwt .*privateKeyJwt/);
    }
    expect(codeOf(() => createServiceAppCredential({ ...base, clientAuth: privateKeyJwt(testKey('p256').pem), privateKey: testKey('p256').pem }))).toMatch(/^INVALID_CONFIG: Give clientAuth or privateKey/);
    expect(codeOf(() => createServiceAppCredential({ ...base }))).toMatch(/^INVALID_CONFIG: privateKey is missing/);
  });

  it('OIN apps: client_secret_basic or client_secret_post', () => {
    for (const clientAuth of [privateKeyJwt(testKey('p256').pem), clientSecretJwt(secret), noClientAuth()]) {
      expect(codeOf(() => createOinAppCredential({ ...base, clientAuth }))).toMatch(/^INVALID_CONFIG: clientAuth uses \w+, but an OIN API service integration/);
    }
    expect(codeOf(() => createOinAppCredential({ ...base, clientAuth: clientSecretPost(secret) }))).toBeUndefined();
    expect(codeOf(() => createOinAppCredential({ ...base, clientAuth: clientSecretPost(secret), clientSecret: secret }))).toMatch(/^INVALID_CONFIG: Give clientAuth or clientSecret/);
  });

  it('sign-in clients: every method; one of clientAuth, clientSecret, privateKey; not a ClientAuth is INVALID_CONFIG', () => {
    const signIn = { orgUrl: 'https://acme.okta.com', clientId: '0oa1', scopes: ['openid'] };
    for (const clientAuth of [clientSecretBasic(secret), clientSecretPost(secret), clientSecretJwt(secret), privateKeyJwt(testKey('p256').pem), noClientAuth()]) {
      expect(codeOf(() => createSignInClient({ ...signIn, clientAuth }))).toBeUndefined();
    }
    expect(codeOf(() => createSignInClient({ ...signIn, clientAuth: noClientAuth(), clientSecret: secret }))).toMatch(/^INVALID_CONFIG: Give one of clientAuth, clientSecret and privateKey/);
    expect(codeOf(() => createSignInClient({ ...signIn, clientAuth: { method: 'tls_client_auth', apply: () => undefined } as unknown as ClientAuth }))).toMatch(/^INVALID_CONFIG: clientAuth must be a ClientAuth/);
  });
});
