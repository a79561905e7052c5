/**
 * Generated outside data for the bad-input properties (`parsers-*.property.test.ts`): real keys and
 * their mutations, PEM and JWK inputs, and token-endpoint answers (status, content type, body and
 * headers) for the scripted org.
 */
import { newKeyPair } from '@org/okta-test-utils';
import fc from 'fast-check';
import type { Route } from './scripted.js';

const rsa = newKeyPair({ type: 'rsa', modulusLength: 2048 });
const ec = newKeyPair({ type: 'ec', namedCurve: 'P-256' });
/** A real P-256 private key, PKCS#8 PEM. */
export const ecPrivateKeyPem = ec.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
/** Real PEM keys: RSA and EC, private (PKCS#8, PKCS#1, SEC1) and public (SPKI). */
export const realPems = [
  rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  rsa.privateKey.export({ format: 'pem', type: 'pkcs1' }).toString(),
  ecPrivateKeyPem,
  ec.privateKey.export({ format: 'pem', type: 'sec1' }).toString(),
  rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  ec.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
];
/** Real JWKs: RSA and EC private, RSA public. */
export const realJwks = [rsa.privateKey.export({ format: 'jwk' }), ec.privateKey.export({ format: 'jwk' }), rsa.publicKey.export({ format: 'jwk' })] as Record<string, unknown>[];

/** Mutations of a real value: truncation, a changed character, an insertion, line-ending games. */
export function mutated(real: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.tuple(fc.constantFrom(...real), fc.nat()).map(([s, n]) => s.slice(0, n % (s.length + 1))),
    fc.tuple(fc.constantFrom(...real), fc.nat(), fc.string({ minLength: 1, maxLength: 3 })).map(([s, n, c]) => {
      const i = n % s.length;
      return s.slice(0, i) + c + s.slice(i + 1);
    }),
    fc.tuple(fc.constantFrom(...real), fc.nat(), fc.string({ maxLength: 40 })).map(([s, n, c]) => {
      const i = n % s.length;
      return s.slice(0, i) + c + s.slice(i);
    }),
    fc.constantFrom(...real).map((s) => s.replace(/\n/g, '\r\n')),
    fc.constantFrom(...real).map((s) => s.replace(/\n/g, '\\n')),
    fc.constantFrom(...real).map((s) => s.replace(/\n/g, ' ')),
    fc.tuple(fc.constantFrom(...real), fc.constantFrom(...real)).map(([a, b]) => a + b),
  );
}

const base64Body = fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('base64').replace(/(.{64})/g, '$1\n'));
const pemLabel = fc.constantFrom('PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'PUBLIC KEY', 'CERTIFICATE', 'OPENSSH PRIVATE KEY', 'X');
/** PEM private key input: any text, mutated real keys, PEM armour around random or any bodies. */
export const pemInput = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  mutated(realPems),
  fc.tuple(pemLabel, base64Body, pemLabel).map(([a, body, b]) => `-----BEGIN ${a}-----\n${body}\n-----END ${b}-----\n`),
  fc.tuple(pemLabel, fc.string()).map(([a, body]) => `-----BEGIN ${a}-----\n${body}\n-----END ${a}-----`),
);

/** base64url of random bytes. */
export const b64u = fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('base64url'));
/** A JWK member value: base64url, text, a number, null, a boolean or an array. */
export const member = fc.oneof(b64u, fc.string(), fc.integer(), fc.constant(null), fc.boolean(), fc.array(fc.string(), { maxLength: 3 }));
/** JWK input: records of JWK members, real JWKs with a member changed or removed, anything. */
export const jwkInput: fc.Arbitrary<unknown> = fc.oneof(
  fc.record(
    {
      kty: fc.oneof(fc.constantFrom('RSA', 'EC', 'OKP', 'oct', 'rsa', ''), fc.string(), fc.integer()),
      crv: fc.oneof(fc.constantFrom('P-256', 'P-384', 'P-521', 'secp256k1', 'Ed25519', 'X25519'), fc.string()),
      alg: fc.oneof(fc.constantFrom('RS256', 'ES256', 'ES384', 'PS256', 'HS256', 'none', 'EdDSA'), fc.string()),
      kid: fc.oneof(fc.string(), fc.integer()),
      use: fc.constantFrom('sig', 'enc', 'x'),
      key_ops: fc.array(fc.string(), { maxLength: 3 }),
      d: member,
      x: member,
      y: member,
      n: member,
      e: member,
      p: member,
      q: member,
      dp: member,
      dq: member,
      qi: member,
      k: member,
    },
    { requiredKeys: [] },
  ),
  fc.tuple(fc.constantFrom(...realJwks), fc.constantFrom('d', 'x', 'y', 'n', 'e', 'p', 'q', 'kty', 'crv'), fc.option(member)).map(([jwk, key, value]) => {
    const copy: Record<string, unknown> = { ...jwk };
    if (value === null) Reflect.deleteProperty(copy, key);
    else copy[key] = value;
    return copy;
  }),
  fc.anything(),
);

const answerBody = fc.oneof(
  fc.record(
    {
      access_token: fc.oneof(fc.string(), fc.constant('eyJ.abc.def'), fc.integer(), fc.constant(null), fc.string({ unit: 'grapheme' })),
      token_type: fc.oneof(fc.constantFrom('Bearer', 'bearer', 'DPoP', 'dpop', 'N_A', 'Basic', ''), fc.string(), fc.integer()),
      expires_in: fc.oneof(fc.integer(), fc.double(), fc.constantFrom('3600', '1e3', '-1', '0', 'NaN', '', '99999999999'), fc.constant(null)),
      scope: fc.oneof(fc.string(), fc.integer(), fc.array(fc.string())),
      refresh_token: fc.oneof(fc.string(), fc.integer()),
      id_token: fc.oneof(fc.string(), fc.integer()),
      error: fc.oneof(fc.constantFrom('invalid_client', 'invalid_grant', 'use_dpop_nonce', 'invalid_dpop_proof', 'authorization_pending', 'slow_down'), fc.string()),
      error_description: fc.string({ unit: 'grapheme' }),
      errorCode: fc.oneof(fc.constantFrom('E0000011', 'E0000047'), fc.string()),
      errorSummary: fc.string(),
      errorCauses: fc.anything(),
    },
    { requiredKeys: [] },
  ),
  fc.anything(),
);
/** An answer: status, content type and a body that is JSON of an answer-like object, or any text. */
export const answer = fc
  .tuple(
    fc.oneof(fc.constantFrom(200, 200, 200, 201, 204, 400, 401, 403, 404, 429, 500, 502, 503), fc.integer({ min: 200, max: 299 }), fc.integer({ min: 400, max: 599 })),
    fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/html', 'text/plain', ''),
    fc.oneof(answerBody.map((b) => JSON.stringify(b) as string | undefined), fc.string(), fc.string({ unit: 'grapheme' }), fc.constant('{"access_token":')),
    fc.option(fc.oneof(fc.string(), fc.constantFrom('DPoP error="use_dpop_nonce"', 'Bearer error="invalid_token"'))),
    fc.option(fc.oneof(fc.string({ unit: 'grapheme-ascii' }), fc.constant('abc-nonce'))),
  )
  .map(([status, type, body, wwwAuthenticate, nonce]): Route => () => {
    const headers = new Headers({ date: new Date().toUTCString() });
    if (type !== '') headers.set('content-type', type);
    try {
      if (wwwAuthenticate !== null) headers.set('www-authenticate', wwwAuthenticate);
      if (nonce !== null) headers.set('dpop-nonce', nonce);
    } catch {
      // not a header value: leave it out
    }
    return new Response(status === 204 || status === 205 ? null : (body ?? ''), { status, headers });
  });
