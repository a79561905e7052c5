/**
 * Just enough DER reading to tell what a PKCS#8 private key is (RFC 5208 / RFC 5958) before
 * importing it, so a wrong key is refused up front with a precise message. Reads the
 * AlgorithmIdentifier and, for RSA, the modulus length; wraps a PKCS#1 RSA key (RFC 8017
 * appendix A.1.2) or a SEC1 EC key (RFC 5915) in a PKCS#8 PrivateKeyInfo, which is what
 * WebCrypto imports. Not a general ASN.1 parser.
 * @internal
 */
import { bitLength } from './key-algorithm.js';

export type Pkcs8Summary =
  | { readonly type: 'RSA'; readonly bits: number }
  | { readonly type: 'EC'; readonly curve: 'P-256' | 'P-384' | 'P-521' | 'other' }
  | { readonly type: 'other'; readonly name: string };

interface Tlv {
  readonly tag: number;
  readonly start: number;
  readonly end: number;
}

function readTlv(bytes: Uint8Array, offset: number): Tlv {
  const tag = bytes[offset];
  let lengthByte = bytes[offset + 1];
  if (tag === undefined || lengthByte === undefined) throw new RangeError('truncated');
  let start = offset + 2;
  let length = lengthByte;
  if (lengthByte & 0x80) {
    const count = lengthByte & 0x7f;
    if (count === 0 || count > 4) throw new RangeError('bad length');
    length = 0;
    for (let i = 0; i < count; i++) {
      lengthByte = bytes[start + i];
      if (lengthByte === undefined) throw new RangeError('truncated');
      length = length * 256 + lengthByte;
    }
    start += count;
  }
  const end = start + length;
  if (end > bytes.length) throw new RangeError('truncated');
  return { tag, start, end };
}

function hex(bytes: Uint8Array, tlv: Tlv): string {
  return Array.from(bytes.subarray(tlv.start, tlv.end), (b) => b.toString(16).padStart(2, '0')).join('');
}

const oids: Readonly<Record<string, string>> = {
  '2a864886f70d010101': 'RSA',
  '2a8648ce3d0201': 'EC',
  '2a864886f70d01010a': 'RSA-PSS',
  '2b6570': 'Ed25519',
  '2b6571': 'Ed448',
  '2b656e': 'X25519',
};
const curves: Readonly<Record<string, 'P-256' | 'P-384' | 'P-521'>> = {
  '2a8648ce3d030107': 'P-256',
  '2b81040022': 'P-384',
  '2b81040023': 'P-521',
};

function encodeLength(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return [0x80 | bytes.length, ...bytes];
}

function encodeTlv(tag: number, ...contents: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const length = contents.reduce((sum, part) => sum + part.length, 0);
  const header = [tag, ...encodeLength(length)];
  const out = new Uint8Array(header.length + length);
  out.set(header, 0);
  let offset = header.length;
  for (const part of contents) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function fromHex(text: string): Uint8Array {
  return Uint8Array.from(text.match(/../g) ?? [], (pair) => parseInt(pair, 16));
}

const version0 = fromHex('020100');
const rsaAlgorithm = fromHex('300d06092a864886f70d0101010500'); // rsaEncryption, NULL parameters
const ecPublicKeyOid = fromHex('06072a8648ce3d0201');

/** Wraps a DER PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo. Throws RangeError when it is not one. @internal */
export function pkcs1ToPkcs8(der: Uint8Array): Uint8Array<ArrayBuffer> {
  const outer = readTlv(der, 0);
  const version = readTlv(der, outer.start);
  const modulus = readTlv(der, version.end);
  if (outer.tag !== 0x30 || version.tag !== 0x02 || modulus.tag !== 0x02) throw new RangeError('not an RSAPrivateKey');
  return encodeTlv(0x30, version0, rsaAlgorithm, encodeTlv(0x04, der.subarray(0, outer.end)));
}

/**
 * Wraps a DER SEC1 ECPrivateKey in a PKCS#8 PrivateKeyInfo: the curve moves from the key's
 * `[0] parameters` to the AlgorithmIdentifier (RFC 5915 section 3 / RFC 5480). Throws
 * RangeError when it is not one or names no curve. @internal
 */
export function sec1ToPkcs8(der: Uint8Array): Uint8Array<ArrayBuffer> {
  const outer = readTlv(der, 0);
  const version = readTlv(der, outer.start);
  const privateKey = readTlv(der, version.end);
  if (outer.tag !== 0x30 || version.tag !== 0x02 || privateKey.tag !== 0x04) throw new RangeError('not an ECPrivateKey');
  let curve: Uint8Array | undefined;
  const kept: Uint8Array[] = [der.subarray(outer.start, privateKey.end)];
  for (let offset = privateKey.end; offset < outer.end; ) {
    const field = readTlv(der, offset);
    if (field.tag === 0xa0) {
      const oid = readTlv(der, field.start);
      if (oid.tag === 0x06) curve = der.subarray(field.start, oid.end);
    } else {
      kept.push(der.subarray(offset, field.end)); // [1] publicKey
    }
    offset = field.end;
  }
  if (curve === undefined) throw new RangeError('no named curve');
  return encodeTlv(0x30, version0, encodeTlv(0x30, ecPublicKeyOid, curve), encodeTlv(0x04, encodeTlv(0x30, ...kept)));
}

/** Decodes the base64 body of a PEM block. Throws on bad base64. @internal */
export function pemToDer(pem: string): Uint8Array<ArrayBuffer> {
  const body = pem.replace(/-----(BEGIN|END) [A-Z0-9 ]+-----/g, '').replace(/\s+/g, '');
  const binary = atob(body);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** Summarises a DER PKCS#8 PrivateKeyInfo. Throws RangeError when it is not one. @internal */
export function inspectPkcs8(der: Uint8Array): Pkcs8Summary {
  const outer = readTlv(der, 0);
  if (outer.tag !== 0x30) throw new RangeError('not a sequence');
  const version = readTlv(der, outer.start);
  if (version.tag !== 0x02) throw new RangeError('no version');
  const algorithmId = readTlv(der, version.end);
  if (algorithmId.tag !== 0x30) throw new RangeError('no algorithm');
  const oid = readTlv(der, algorithmId.start);
  if (oid.tag !== 0x06) throw new RangeError('no oid');
  const name = oids[hex(der, oid)] ?? 'an unknown algorithm';
  if (name === 'EC') {
    const parameters = oid.end < algorithmId.end ? readTlv(der, oid.end) : undefined;
    const curve = parameters?.tag === 0x06 ? curves[hex(der, parameters)] : undefined;
    return { type: 'EC', curve: curve ?? 'other' };
  }
  if (name === 'RSA') {
    const privateKey = readTlv(der, algorithmId.end);
    if (privateKey.tag !== 0x04) throw new RangeError('no private key');
    const rsaKey = readTlv(der, privateKey.start);
    const rsaVersion = readTlv(der, rsaKey.start);
    const modulus = readTlv(der, rsaVersion.end);
    if (modulus.tag !== 0x02) throw new RangeError('no modulus');
    return { type: 'RSA', bits: bitLength(der.subarray(modulus.start, modulus.end)) };
  }
  return { type: 'other', name };
}
