/**
 * What the twenty-seventh mutation round found no test reading in `pkcs8.ts`: the wrapped keys
 * byte for byte against OpenSSL's, each tag each reader checks, DER lengths at their edges, and
 * the summary of keys Okta does not take.
 */
import { createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { testKey } from '../test-helpers/keys.js';
import { inspectPkcs8, pkcs1ToPkcs8, sec1ToPkcs8 } from './pkcs8.js';

const der = (kind: 'rsa2048' | 'p256' | 'p384', type: 'pkcs1' | 'sec1' | 'pkcs8'): Uint8Array => new Uint8Array(createPrivateKey(testKey(kind).pem).export({ format: 'der', type }));
const hex = (text: string): Uint8Array => Uint8Array.from(text.match(/../g) ?? [], (pair) => parseInt(pair, 16));
/** `bytes` with the byte at `at` made `value`. */
const changed = (bytes: Uint8Array, at: number, value: number): Uint8Array => {
  const copy = bytes.slice();
  copy[at] = value;
  return copy;
};

describe('pkcs1ToPkcs8 and sec1ToPkcs8', () => {
  it("wrap a key as OpenSSL's PKCS#8 export does, byte for byte", () => {
    expect(pkcs1ToPkcs8(der('rsa2048', 'pkcs1'))).toEqual(der('rsa2048', 'pkcs8'));
    for (const kind of ['p256', 'p384'] as const) expect(sec1ToPkcs8(der(kind, 'sec1'))).toEqual(der(kind, 'pkcs8'));
  });

  it('write a length of 128 in the long form (0x81 0x80), never as 0x80 (an indefinite length)', () => {
    // An RSAPrivateKey of 128 bytes in all: SEQUENCE (81 7d), version 0, an INTEGER of 120 bytes.
    const key = hex(`30817d020100027801${'00'.repeat(119)}`);
    expect(key).toHaveLength(128);
    const wrapped = pkcs1ToPkcs8(key);
    expect(Array.from(wrapped.subarray(21, 24))).toEqual([0x04, 0x81, 0x80]);
    expect(inspectPkcs8(wrapped)).toEqual({ type: 'RSA', bits: 953 });
  });

  it("refuse a key whose SEQUENCE, version or first field is not that key's", () => {
    const pkcs1 = der('rsa2048', 'pkcs1');
    // 30 82 LL LL | 02 01 00 | 02 82 01 01 (the modulus)
    for (const at of [0, 4, 7]) expect(() => pkcs1ToPkcs8(changed(pkcs1, at, 0x31))).toThrow(RangeError);
    const sec1 = der('p256', 'sec1');
    // 30 77 | 02 01 01 | 04 20 (the private key)
    for (const at of [0, 2, 5]) expect(() => sec1ToPkcs8(changed(sec1, at, 0x31))).toThrow(RangeError);
  });

  it('refuse a SEC1 key whose [0] parameters are not a named curve', () => {
    const sec1 = der('p256', 'sec1');
    // 30 77 | 02 01 01 | 04 20 <32 bytes> | a0 0a 06 08 <the P-256 OID>: the OID's tag made a SEQUENCE's.
    expect(sec1[39]).toBe(0xa0);
    expect(sec1[41]).toBe(0x06);
    expect(() => sec1ToPkcs8(changed(sec1, 41, 0x30))).toThrow(new RangeError('no named curve'));
  });
});

describe('inspectPkcs8', () => {
  it('refuses a PrivateKeyInfo with a wrong tag at each place it reads one', () => {
    const pkcs8 = der('rsa2048', 'pkcs8');
    // 30 82 LL LL | 02 01 00 | 30 0d 06 09 <rsaEncryption> 05 00 | 04 82 LL LL | 30 82 LL LL 02 01 00 | 02 82 01 01 (the modulus)
    expect([pkcs8[0], pkcs8[4], pkcs8[7], pkcs8[9], pkcs8[22], pkcs8[26], pkcs8[30], pkcs8[33]]).toEqual([0x30, 0x02, 0x30, 0x06, 0x04, 0x30, 0x02, 0x02]);
    for (const at of [0, 4, 7, 9, 22, 33]) expect(() => inspectPkcs8(changed(pkcs8, at, 0x31)), `byte ${at}`).toThrow(RangeError);
  });

  it('refuses an indefinite length and one of more than 4 bytes, takes one of 4', () => {
    const pkcs8 = der('p256', 'pkcs8');
    // 30 81 87 | …: the same content under each form of its length.
    expect(Array.from(pkcs8.subarray(0, 3))).toEqual([0x30, 0x81, 0x87]);
    const content = pkcs8.subarray(3);
    const under = (...length: number[]) => new Uint8Array([0x30, ...length, ...content]);
    expect(inspectPkcs8(under(0x84, 0, 0, 0, 0x87))).toEqual({ type: 'EC', curve: 'P-256' });
    expect(() => inspectPkcs8(new Uint8Array([...under(0x80), 0, 0]))).toThrow(new RangeError('bad length'));
    expect(() => inspectPkcs8(under(0x85, 0, 0, 0, 0, 0x87))).toThrow(new RangeError('bad length'));
  });

  it('refuses a key whose outer lengths hold, ending inside the modulus: at its tag, or inside a long-form length', () => {
    // PKCS#8 (version, rsaEncryption) around an RSAPrivateKey of version 0 and then only the modulus's `02`, or `02 82 01`.
    const rsa = '020100300d06092a864886f70d0101010500';
    expect(() => inspectPkcs8(hex(`301a${rsa}0406300402010002`))).toThrow(new RangeError('truncated'));
    expect(() => inspectPkcs8(hex(`301c${rsa}04083006020100028201`))).toThrow(new RangeError('truncated'));
  });

  it('refuses every cut of a key', () => {
    for (const kind of ['rsa2048', 'p256'] as const) {
      const pkcs8 = der(kind, 'pkcs8');
      for (let length = 0; length < pkcs8.length; length++) expect(() => inspectPkcs8(pkcs8.subarray(0, length))).toThrow(RangeError);
    }
  });

  it.each([
    ['an EC key without parameters', '3010020100300906072a8648ce3d02010400', { type: 'EC', curve: 'other' }],
    ['an EC key on another curve (secp256k1)', '3017020100301006072a8648ce3d020106052b8104000a0400', { type: 'EC', curve: 'other' }],
    ['an RSA-PSS key', '3012020100300b06092a864886f70d01010a0400', { type: 'other', name: 'RSA-PSS' }],
    ['an Ed25519 key', '300c020100300506032b65700400', { type: 'other', name: 'Ed25519' }],
    ['an Ed448 key', '300c020100300506032b65710400', { type: 'other', name: 'Ed448' }],
    ['an X25519 key', '300c020100300506032b656e0400', { type: 'other', name: 'X25519' }],
    ['a key of an unknown algorithm', '300c020100300506032a03040400', { type: 'other', name: 'an unknown algorithm' }],
  ])('summarises %s', (_, bytes, summary) => {
    expect(inspectPkcs8(hex(bytes))).toEqual(summary);
  });
});
