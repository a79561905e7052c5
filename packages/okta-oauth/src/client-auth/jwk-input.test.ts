import { failure } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { importDpopKeyPair } from '../dpop/dpop-key-pair.js';
import { isOktaOAuthError } from '../errors.js';
import { testKey } from '../test-helpers/keys.js';
import { readClientKey } from './client-key.js';
import { curveProblem, fromJwk } from './jwk-input.js';

const keyError = (run: () => unknown) => failure.sync(run, isOktaOAuthError);
/** base64url of `bytes` bytes (lengths only matter here). */
const bytes = (count: number) => 'A'.repeat(Math.ceil((count * 4) / 3));
const secrets = (jwk: { x?: unknown; y?: unknown; d?: unknown }) => [jwk.x, jwk.y, jwk.d].map(String);

describe('curveProblem', () => {
  it.each(['p256', 'p384', 'p521'] as const)('takes a %s JWK as exported, and one with a leading zero byte dropped', (kind) => {
    const { jwk } = testKey(kind);
    expect(curveProblem(jwk)).toBeUndefined();
    const size = { p256: 32, p384: 48, p521: 66 }[kind];
    expect(curveProblem({ ...jwk, x: bytes(size - 1), d: bytes(size - 2) })).toBeUndefined();
  });

  it('names the curve the key has when "crv" names another, never a member', () => {
    const { jwk } = testKey('p256');
    const message = curveProblem({ ...jwk, crv: 'P-384' });
    expect(message).toBe('"crv" is P-384 but its key is a P-256 key (coordinates of 32 bytes, not 48): set "crv" to "P-256" (and drop or fix "alg"), or give the P-384 key.');
    expect(curveProblem({ ...testKey('p521').jwk, crv: 'P-256' })).toMatch(/"crv" is P-256 but its key is a P-521 key \(coordinates of 66 bytes, not 32\)/);
  });

  it('refuses an x that fits no curve, and a y or d that does not fit crv', () => {
    const { jwk } = testKey('p256');
    expect(curveProblem({ ...jwk, x: String(jwk.x).slice(0, 20) })).toBe('"x" has 15 bytes, which fits no curve Okta accepts (P-256: 32, P-384: 48, P-521: 66): check that the JWK is complete and unaltered.');
    expect(curveProblem({ ...jwk, y: bytes(48) })).toBe('"y" has 48 bytes, not the 32 of a P-256 key: check that the JWK is complete and unaltered.');
    expect(curveProblem({ ...jwk, d: bytes(20) })).toMatch(/^"d" has 20 bytes, not the 32 of a P-256 key/);
    expect(curveProblem({ ...jwk, y: '' })).toMatch(/^"y" is missing or not base64url/);
    expect(curveProblem({ ...jwk, x: 'a+b/' })).toMatch(/^"x" is missing or not base64url/);
    expect(curveProblem({ ...jwk, crv: 'secp256k1' })).toBeUndefined(); // refused by fromJwk's curve check
  });
});

describe('fromJwk and importDpopKeyPair', () => {
  it('refuse a P-256 JWK labelled P-384 up front, with their typed error and the fix, never a key member', async () => {
    const { jwk } = testKey('p256');
    const wrong = { ...jwk, crv: 'P-384' };
    const client = keyError(() => fromJwk(wrong, undefined));
    expect(client.code).toBe('INVALID_KEY');
    expect(client.message).toMatch(/^The client JWK's "crv" is P-384 but its key is a P-256 key \(coordinates of 32 bytes, not 48\): set "crv" to "P-256"/);
    const dpop = await failure(() => importDpopKeyPair(wrong, 'ES384'), isOktaOAuthError);
    expect(dpop.code).toBe('INVALID_CONFIG');
    expect(dpop.message).toMatch(/^The DPoP JWK's "crv" is P-384 but its key is a P-256 key/);
    for (const error of [client, dpop]) {
      for (const part of secrets(jwk)) expect(`${error.message} ${JSON.stringify(error)}`).not.toContain(part);
    }
  });
});

describe('fromJwk and readClientKey: what signs with the key is checked before the first request', () => {
  it('refuses an RSA JWK without a private member WebCrypto needs, naming it and never a value', () => {
    const { jwk } = testKey('rsa2048');
    for (const member of ['e', 'p', 'q', 'dp', 'dq', 'qi'] as const) {
      const cut = Object.fromEntries(Object.entries(jwk).filter(([name]) => name !== member));
      const error = keyError(() => fromJwk(cut, undefined));
      expect(error.code).toBe('INVALID_KEY');
      expect(error.message).toBe(`The client RSA JWK's "${member}" is missing or not a base64url string; give the private JWK as exported, unaltered.`);
      expect(`${error.message} ${JSON.stringify(error)}`).not.toContain(String(jwk.d));
    }
    expect(keyError(() => fromJwk({ ...jwk, qi: 42 } as never, undefined)).message).toMatch(/^The client RSA JWK's "qi" is missing or not a base64url string/);
  });

  it("checks a JWK's own kid as the keyId option is: a string of printable ASCII without spaces, at most 128 characters", () => {
    const { jwk } = testKey('p256');
    expect(readClientKey({ ...jwk, kid: 'k1' }).keyId).toBe('k1');
    expect(readClientKey({ ...jwk, kid: '' }).keyId).toBeUndefined();
    for (const kid of ['  ', 'a\nb', 'x'.repeat(129), 'two words', 7]) {
      const error = keyError(() => readClientKey({ ...jwk, kid }));
      expect(error.code).toBe('INVALID_CONFIG');
      expect(error.message).toMatch(/^The client JWK's kid /);
    }
  });
});

// A rotation's JWK Set (old and new keys) given as the key: as JSON text it was named a JWK Set, as an object
// (JSON.parse of the same text) "no kty", and an array of JWKs "no kty" too.
describe('a JWK Set or an array of JWKs given as the client key', () => {
  const [rsa, ec] = [testKey('rsa2048').jwk, testKey('p256').jwk];
  it.each([
    ['a JWK Set object', { keys: [rsa, ec] }],
    ['a JWK Set as text', JSON.stringify({ keys: [rsa, ec] })],
    ['an array of JWKs', [rsa, ec]],
    ['an array of JWKs as text', JSON.stringify([rsa, ec])],
  ])('%s: INVALID_KEY saying to pass the one private JWK, never a member', (_what, input) => {
    const error = keyError(() => readClientKey(input));
    expect([error.code, error.message]).toEqual(['INVALID_KEY', 'The client private key is a set of keys (a JWK Set, or an array of JWKs); pass the one private JWK.']);
    for (const member of [...secrets(ec), String(rsa.d), String(rsa.n)]) expect(error.message).not.toContain(member.slice(0, 12));
  });
});
