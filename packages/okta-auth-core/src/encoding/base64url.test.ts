/**
 * The packages' one base64url codec, random identifiers and SHA-256 helper, in core itself: until
 * the twenty-seventh mutation round only okta-oauth's and the Redis store's tests reached them.
 */
import { describe, expect, it } from 'vitest';
import { base64url, base64urlDecode, randomId, sha256Base64url } from './base64url.js';

const text = (value: string): Uint8Array => new TextEncoder().encode(value);

describe('base64url', () => {
  // RFC 4648 §10's vectors, unpadded: each length modulo 3, so each of the last group's forms.
  it.each([
    ['', ''],
    ['f', 'Zg'],
    ['fo', 'Zm8'],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg'],
    ['fooba', 'Zm9vYmE'],
    ['foobar', 'Zm9vYmFy'],
  ])('encodes %j as %j (RFC 4648 §10, without padding)', (plain, encoded) => {
    expect(base64url(text(plain))).toBe(encoded);
    expect(new TextDecoder().decode(base64urlDecode(encoded))).toBe(plain);
  });

  it('uses the URL alphabet: - and _ for 62 and 63, every character of the 64', () => {
    expect(base64url(new Uint8Array([0xfb, 0xff, 0xbf]))).toBe('-_-_');
    expect(base64url(new Uint8Array([0xff, 0xff, 0xff]))).toBe('____');
    expect(base64url(new Uint8Array([0, 0, 0]))).toBe('AAAA');
    // The 48 bytes whose sextets are 0 to 63 in order, read by the platform's own standard decoder.
    const all = Uint8Array.from(atob('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'), (c) => c.charCodeAt(0));
    expect(base64url(all)).toBe('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_');
  });

  it('round-trips every byte value at each offset of a group', () => {
    for (let offset = 0; offset < 3; offset++) {
      const bytes = Uint8Array.from({ length: 256 + offset }, (_, i) => (i < offset ? 0 : i - offset));
      expect(base64urlDecode(base64url(bytes))).toEqual(bytes);
    }
  });
  it('encodes a long value (a sealed entry, past one chunk of its characters) as the platform\'s standard encoder does', () => {
    const bytes = Uint8Array.from({ length: 100_003 }, (_, i) => (i * 7919) % 256);
    const standard = btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join('')).replace(/\+/g, '-').replace(/\//g, '_').replace(/={1,2}$/, '');
    expect(base64url(bytes)).toBe(standard);
  });
});

describe('base64urlDecode', () => {
  it('takes padding or none', () => {
    expect(base64urlDecode('Zg==')).toEqual(text('f'));
    expect(base64urlDecode('Zm8=')).toEqual(text('fo'));
    expect(base64urlDecode('Zm8')).toEqual(text('fo'));
    expect(base64urlDecode('-_-_')).toEqual(new Uint8Array([0xfb, 0xff, 0xbf]));
    expect(base64urlDecode('')).toEqual(new Uint8Array());
  });

  it.each([
    ['the standard alphabet', '+/+/'],
    ['a space', 'Zm9v Yg'],
    ['a line break', 'Zm9v\nYg'],
    ['a leading character outside the alphabet', '.Zm9v'],
    ['a trailing character outside the alphabet', 'Zm9v.'],
    ['padding in the middle', 'Zg==Zg'],
    ['three padding characters', 'Z==='],
  ])('refuses %s with a TypeError', (_, encoded) => {
    expect(() => base64urlDecode(encoded)).toThrow(new TypeError('not base64url'));
  });
});

describe('randomId', () => {
  it('is 16 bytes by default (22 characters), else the bytes asked for, in the URL alphabet', () => {
    expect(randomId()).toMatch(/^[\w-]{22}$/);
    expect(randomId(32)).toMatch(/^[\w-]{43}$/);
    expect(randomId(48)).toMatch(/^[\w-]{64}$/);
    expect(base64urlDecode(randomId(32))).toHaveLength(32);
  });

  it('differs from call to call', () => {
    expect(new Set(Array.from({ length: 100 }, () => randomId())).size).toBe(100);
  });
});

describe('sha256Base64url', () => {
  it('is the unpadded base64url SHA-256 of the UTF-8 text (RFC 7636 appendix B)', async () => {
    await expect(sha256Base64url('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).resolves.toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    await expect(sha256Base64url('abc')).resolves.toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
    // UTF-8, not UTF-16 or Latin-1: "é" is 0xc3 0xa9.
    await expect(sha256Base64url('é')).resolves.toBe(base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array([0xc3, 0xa9])))));
  });
});
