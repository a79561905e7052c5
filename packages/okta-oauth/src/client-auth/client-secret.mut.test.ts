/**
 * The client secret methods and `bindClientAuth` at their edges (mutation testing, twenty-eighth
 * round): which secrets are taken (trimmed, printable ASCII, a `Secret` revealed), the 32-byte floor
 * of an HMAC assertion, the values declared for scrubbing, the token cache binding (an HMAC of a
 * fixed label, never the secret), and what `bindClientAuth` refuses or filters.
 */
import { Secret } from '@org/okta-auth-core';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import { bindClientAuth, secretBinding, type ClientAuth } from './client-auth.js';
import { checkClientSecret, clientSecretBasic, clientSecretJwt, clientSecretPost, noClientAuth } from './client-secret.js';

const endpoint = new URL('https://acme.okta.com/oauth2/v1/token');
const secret = 'a-client-secret-of-forty-characters-0123';

async function apply(auth: ClientAuth, clientId = '0oaclient'): Promise<{ body: URLSearchParams; headers: Headers }> {
  const body = new URLSearchParams({ grant_type: 'client_credentials' });
  const headers = new Headers();
  await bindClientAuth(clientId, auth).apply({ endpoint, body, headers, nowSeconds: Math.floor(Date.now() / 1000), signal: undefined });
  return { body, headers };
}

function refusal(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return isOktaOAuthError(error) ? `${error.code}: ${error.message}` : `not typed: ${String(error)}`;
  }
  return undefined;
}

const posted = async (value: string | Secret) => (await apply(clientSecretPost(value))).body.get('client_secret');

describe('checkClientSecret', () => {
  it('takes a Secret as its value, and trims the text either way', async () => {
    expect(await posted(new Secret(secret))).toBe(secret);
    expect(await posted(`  ${secret}\t`)).toBe(secret);
    expect(await posted(new Secret(` ${secret} `))).toBe(secret);
  });

  it.each([['a space inside', 'a b'], ['the first printable character', ' !x'], ['the last', 'x~']])('takes %s', async (_, value) => {
    expect(await posted(value)).toBe(value.trim());
  });

  it.each<[string, unknown]>([['blank', ' \t '], ['a number', 42], ['nothing', undefined], ['an empty Secret', new Secret(' ')]])('refuses %s as missing, naming the option', (_, value) => {
    expect(refusal(() => checkClientSecret(value))).toBe(
      "INVALID_CONFIG: clientSecret is missing or empty: give the client secret of the app (Okta Admin Console, the app's General tab).",
    );
    expect(refusal(() => checkClientSecret(value, 'OKTA_CLIENT_SECRET'))).toMatch(/^INVALID_CONFIG: OKTA_CLIENT_SECRET is missing or empty/);
  });

  it.each([['a DEL', 'abc\x7F'], ['a control character', '\x1Fabc'], ['non-ASCII first', 'ébc'], ['non-ASCII last', 'abé'], ['a line break inside', 'ab\ncd']])(
    'refuses %s',
    (_, value) => {
      expect(refusal(() => checkClientSecret(value))).toBe(
        'INVALID_CONFIG: clientSecret contains characters a client secret cannot have (line breaks or non-ASCII); check how it was stored.',
      );
      expect(refusal(() => checkClientSecret(value, 'OKTA_CLIENT_SECRET'))).toMatch(/^INVALID_CONFIG: OKTA_CLIENT_SECRET contains/);
    },
  );
});

describe('the secret methods', () => {
  it('declares the secret and its form encoding (what client_secret_basic sends) for scrubbing', () => {
    const odd = 'with space+slash/and:colon&more=0123456789';
    for (const auth of [clientSecretBasic(odd), clientSecretPost(odd), clientSecretJwt(odd)]) {
      expect(bindClientAuth('0oa', auth).secrets()).toEqual([odd, 'with+space%2Bslash%2Fand%3Acolon%26more%3D0123456789']);
    }
  });

  it("names itself in token cache keys by an HMAC of the client id keyed with the secret (never the secret), per client id", async () => {
    const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode('okta-oauth token cache binding v1|0oa1')));
    const expected = btoa(String.fromCharCode(...mac)).replaceAll('+', '-').replaceAll('/', '_').replaceAll('=', '');
    expect(await secretBinding('0oa1', secret)).toBe(expected);
    for (const auth of [clientSecretBasic(secret), clientSecretPost(secret), clientSecretJwt(secret)]) {
      expect(await bindClientAuth('0oa1', auth).binding?.()).toBe(`hmac:${expected}`);
      expect(await bindClientAuth('0oa2', auth).binding?.()).not.toBe(`hmac:${expected}`);
    }
    expect(await bindClientAuth('0oa1', clientSecretPost(`${secret}x`)).binding?.()).not.toBe(`hmac:${expected}`);
    expect(await bindClientAuth('0oa1', noClientAuth()).binding?.()).toBeUndefined();
  });

  it('client_secret_jwt takes a secret of exactly 32 bytes and refuses 31, naming the count', async () => {
    const thirtyTwo = 'x'.repeat(32);
    const { body } = await apply(clientSecretJwt(thirtyTwo));
    await jwtVerify(body.get('client_assertion') ?? '', new TextEncoder().encode(thirtyTwo), { audience: endpoint.href });
    expect(refusal(() => clientSecretJwt('x'.repeat(31)))).toBe(
      'INVALID_CONFIG: clientSecretJwt: the client secret has 31 bytes; an HMAC client assertion needs at least 32 (RFC 7518 §3.2). Generate a new secret in Okta.',
    );
  });

  it('client_secret_jwt signs HS256 by default, every attempt with the one key, and brings the server clock', async () => {
    const auth = clientSecretJwt(secret, {});
    for (let attempt = 0; attempt < 2; attempt++) {
      const assertion = (await apply(auth)).body.get('client_assertion') ?? '';
      expect(decodeProtectedHeader(assertion)).toEqual({ alg: 'HS256', typ: 'JWT' });
      await jwtVerify(assertion, new TextEncoder().encode(secret), { audience: endpoint.href, issuer: '0oaclient' });
    }
    expect(bindClientAuth('0oa', auth).serverClock).toBeTypeOf('function');
    expect(bindClientAuth('0oa', clientSecretPost(secret)).serverClock).toBeUndefined();
    expect(refusal(() => clientSecretJwt(secret, { algorithm: 'hs256' as 'HS256' }))).toBe(
      'INVALID_CONFIG: clientSecretJwt: algorithm "hs256" is not one Okta accepts: use HS256, HS384 or HS512.',
    );
  });

  it('none sends the client id it is bound to', async () => {
    expect((await apply(noClientAuth(), '0oa-none')).body.get('client_id')).toBe('0oa-none');
    expect(bindClientAuth('0oa', noClientAuth()).method).toBe('none');
  });
});

describe('bindClientAuth', () => {
  const message =
    'INVALID_CONFIG: clientAuth must be a ClientAuth (clientSecretBasic, clientSecretPost, clientSecretJwt, privateKeyJwt, noClientAuth or an object with method and apply), with method one of client_secret_basic, client_secret_post, client_secret_jwt, private_key_jwt, none.';
  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'client_secret_post'],
    ['an object without apply', { method: 'none' }],
    ['apply not a function', { method: 'none', apply: 'x' }],
    ['an unknown method', { method: 'tls_client_auth', apply: () => undefined }],
    ['a function with a method (its apply is Function.prototype.apply)', Object.assign(() => undefined, { method: 'none' })],
  ])('refuses %s', (_, auth) => {
    expect(refusal(() => bindClientAuth('0oa', auth as ClientAuth))).toBe(message);
  });

  it('refuses secrets that is not a function, and keeps only the non-empty strings it returns', () => {
    expect(refusal(() => bindClientAuth('0oa', { method: 'none', apply: () => undefined, secrets: ['x'] as never }))).toBe(
      'INVALID_CONFIG: clientAuth.secrets must be a function returning the secret values to scrub.',
    );
    const bound = bindClientAuth('0oa', { method: 'none', apply: () => undefined, secrets: () => ['kept', '', 5 as never, 'also'] });
    expect(bound.secrets()).toEqual(['kept', 'also']);
    expect(bindClientAuth('0oa', { method: 'none', apply: () => undefined }).secrets()).toEqual([]);
  });

  it('refuses a secrets() list longer than 64 (a huge sparse array blocked the event loop in its filter: rev167d L5), as any other non-list', () => {
    const sparse: string[] = [];
    sparse.length = 2 ** 26;
    sparse[5] = 's3cret';
    const many = Array.from({ length: 65 }, (_, i) => `secret-${i}`);
    for (const list of [sparse, many]) {
      const bound = bindClientAuth('0oa', { method: 'none', apply: () => undefined, secrets: () => list });
      expect(refusal(() => bound.secrets())).toBe('INVALID_CONFIG: clientAuth.secrets() must return an array of at most 64 strings, synchronously.');
    }
    expect(bindClientAuth('0oa', { method: 'none', apply: () => undefined, secrets: () => many.slice(0, 64) }).secrets()).toHaveLength(64);
  });

  it("keeps a string keyId only, and gives apply the bound client id over the request's", async () => {
    expect(bindClientAuth('0oa', { method: 'private_key_jwt', keyId: 'kid-1', apply: () => undefined }).keyId).toBe('kid-1');
    expect(bindClientAuth('0oa', { method: 'private_key_jwt', keyId: 7 as never, apply: () => undefined }).keyId).toBeUndefined();
    let seen: string | undefined;
    const bound = bindClientAuth('0oa-bound', { method: 'none', apply: ({ clientId }) => void (seen = clientId) });
    await bound.apply({ clientId: '0oa-other', endpoint, body: new URLSearchParams(), headers: new Headers(), nowSeconds: 0, signal: undefined } as never);
    expect([seen, bound.clientId]).toEqual(['0oa-bound', '0oa-bound']);
  });
});
