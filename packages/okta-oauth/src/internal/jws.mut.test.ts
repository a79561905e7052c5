/**
 * What the thirty-second mutation round found no test reading in `jws.ts`: which of its refusals
 * `decodeJws` throws (the ID token check keeps it as the `cause` of `ID_TOKEN_INVALID`
 * `malformed`, so it is what says why), and `jwkThumbprint`'s own refusal (RFC 7638 §3.2: each
 * required member is there).
 */
import { base64url } from '@org/okta-auth-core/internal';
import { describe, expect, it } from 'vitest';
import { decodeJws, encodeJson, jwkThumbprint } from './jws.js';

/** The `TypeError` message `decodeJws(token)` throws, or what else happened. */
function refusal(token: string): string {
  try {
    decodeJws(token);
    return 'decoded';
  } catch (error) {
    return error instanceof TypeError ? error.message : `not a TypeError: ${String(error)}`;
  }
}

const header = encodeJson({ alg: 'RS256', kid: 'k1' });
const text = (value: string) => base64url(new TextEncoder().encode(value));

describe('decodeJws says which part is wrong', () => {
  it.each([
    ['two segments', `${header}.e30`],
    ['four segments', `${header}.e30.c2ln.e30`],
    ['an empty signature (an unsecured JWS, RFC 7515 §A.5)', `${header}.e30.`],
    // The signature is not verified here, but a segment that is not base64url (core's one codec) is no JWS.
    ['a signature of the standard alphabet (+ and /)', `${header}.e30.c2l+/w`],
    ['a signature with a space', `${header}.e30.c2ln c2ln`],
    ['a signature of one character (no whole byte)', `${header}.e30.c`],
    ['a signature of padding alone', `${header}.e30.==`],
  ])('%s: not a compact JWS', (_name, token) => {
    expect(refusal(token)).toBe('not a compact JWS');
  });

  it.each([
    ['a header that is not base64url', `!!!.e30.c2ln`],
    ['a payload that is not JSON', `${header}.${text('{"sub": 00u1')}.c2ln`],
    ['a payload that is not UTF-8', `${header}.${base64url(new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]))}.c2ln`],
  ])('%s: not base64url-encoded JSON', (_name, token) => {
    expect(refusal(token)).toBe('not base64url-encoded JSON');
  });

  it.each([
    ['a JSON array payload', `${header}.${encodeJson([1])}.c2ln`],
    ['a null header', `${text('null')}.e30.c2ln`],
    ['a number payload', `${header}.${text('5')}.c2ln`],
  ])('%s: not a JSON object', (_name, token) => {
    expect(refusal(token)).toBe('not a JSON object');
  });
});

describe('jwkThumbprint', () => {
  it.each([
    ['an EC JWK without y', { kty: 'EC', crv: 'P-256', x: 'eA' }],
    ['an RSA JWK with an empty n', { kty: 'RSA', e: 'AQAB', n: '' }],
  ])('refuses %s as an incomplete JWK', async (_name, jwk) => {
    await expect(jwkThumbprint(jwk)).rejects.toThrow(new TypeError('incomplete JWK'));
  });
});
