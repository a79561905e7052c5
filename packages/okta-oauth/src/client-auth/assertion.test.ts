/**
 * The signature a client assertion signer (a KMS, an HSM) returns, as `joseSignature` takes it:
 * ECDSA DER `SEQUENCE { r, s }` converted to the JWS r‖s form at each edge real signatures reach
 * (an integer with a sign byte, one shorter than the curve, P-521's long-form length), anything
 * else refused as `INVALID_KEY`. A random signature meets these edges only now and then, so each
 * is built here (docs/security-history.md, "Sixteenth session: mutation testing").
 */
import { describe, expect, it } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import { joseSignature } from './assertion.js';

const bytes = (length: number, fill: number) => new Array<number>(length).fill(fill);
const int = (value: number[]) => [0x02, value.length, ...value];
function der(r: number[], s: number[]): Uint8Array {
  const body = [...int(r), ...int(s)];
  return Uint8Array.from(body.length > 0x7f ? [0x30, 0x81, body.length, ...body] : [0x30, body.length, ...body]);
}
function refused(alg: string, signature: unknown): string | undefined {
  try {
    joseSignature(alg, signature);
    return undefined;
  } catch (error) {
    return isOktaOAuthError(error) ? error.code : 'not ours';
  }
}

describe('joseSignature', () => {
  it('converts DER with a sign byte (r ≥ 2^255) and a short integer into r‖s, each left-padded to the curve size', () => {
    const r = [0x80, ...bytes(31, 0x11)];
    const s = bytes(30, 0x22);
    expect([...joseSignature('ES256', der([0, ...r], s))]).toEqual([...r, 0, 0, ...s]);
    // Leading zeros the signer kept (not minimal DER) are dropped too.
    expect([...joseSignature('ES256', der([0, 0, 0x01, ...bytes(31, 0x33)], bytes(32, 0x44)))]).toEqual([0x01, ...bytes(31, 0x33), ...bytes(32, 0x44)]);
    // An integer of zero is one zero byte.
    expect([...joseSignature('ES256', der([0], [0]))]).toEqual(bytes(64, 0));
  });

  it('reads the long-form length of ES512 signatures (a SEQUENCE over 127 bytes) and ES384 sizes', () => {
    const r = [0x01, ...bytes(65, 0x55)];
    const s = [0x01, ...bytes(65, 0x66)];
    expect([...joseSignature('ES512', der([0, ...r], [0, ...s]))]).toEqual([...r, ...s]);
    expect(joseSignature('ES384', der(bytes(48, 0x77), bytes(47, 0x78)))).toHaveLength(96);
  });

  it('passes r‖s of the right size and RSA signatures as they are, from a Uint8Array or an ArrayBuffer', () => {
    const rs = Uint8Array.from(bytes(64, 0x30));
    expect(joseSignature('ES256', rs)).toBe(rs);
    expect([...joseSignature('RS256', Uint8Array.from(bytes(256, 7)).buffer)]).toEqual(bytes(256, 7));
  });

  it.each<[string, string, unknown]>([
    ['an empty RSA signature', 'RS256', new Uint8Array(0)],
    ['null', 'RS256', null],
    ['a string', 'ES256', 'signature'],
    ['an array of numbers', 'ES256', bytes(64, 1)],
    ['DER with another tag', 'ES256', Uint8Array.from([0x31, ...der(bytes(32, 1), bytes(32, 2)).subarray(1)])],
    ['DER with an integer of another tag', 'ES256', Uint8Array.from([0x30, 6, 0x03, 1, 1, 0x02, 1, 1])],
    ['DER with bytes after the SEQUENCE', 'ES256', Uint8Array.from([...der(bytes(32, 1), bytes(32, 2)), 0])],
    ['DER cut short', 'ES256', der(bytes(32, 1), bytes(32, 2)).subarray(0, 60)],
    ['DER with r longer than the curve', 'ES256', der(bytes(33, 1), bytes(32, 2))],
    ['DER with s longer than the curve', 'ES256', der(bytes(32, 1), bytes(33, 2))],
    ['DER with a two-byte length', 'ES256', Uint8Array.from([0x30, 0x82, 0, 8, ...int([1]), ...int([1])])],
    ['DER with an integer of a long-form length', 'ES256', Uint8Array.from([0x30, 7, 0x02, 0x81, 1, 1, ...int([1])])],
  ])('refuses %s as INVALID_KEY', (_, alg, signature) => {
    expect(refused(alg, signature)).toBe('INVALID_KEY');
  });
});
