/**
 * A `dpopKeyPair` whose public half is not its private key's (two pairs' halves mixed up, say
 * when reloading them from IndexedDB) is refused before anything is sent: `INVALID_CONFIG`
 * naming the fix, where its proofs (signed by one key, carrying the other in their `jwk`) went to
 * Okta and came back `invalid_dpop_proof` at the first call. Over real HTTP against
 * @org/okta-emulator, which verifies every proof with the key it carries and counts the requests.
 * So is a pair whose public half cannot be exported (imported with `extractable: false`), which
 * rejected every call with WebCrypto's own `DOMException` (`InvalidAccessError`), not a typed error.
 */
import { describe, expect, it } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import { keyParams } from '../internal/jws.js';
import type { WebCryptoKeyPair } from '../internal/web-crypto.js';
import { emulator, serviceApp, useEmulators } from '../test-helpers/org.js';
import { generateDpopKeyPair } from './dpop-key-pair.js';
import type { DpopAlgorithm } from './dpop-key.js';

useEmulators();

describe.each(['ES256', 'RS256'] as const)("a service app's own %s dpopKeyPair", (algorithm: DpopAlgorithm) => {
  it('two generated pairs with their public halves swapped: INVALID_CONFIG naming the fix, no token request sent', async () => {
    const org = await emulator({ seed: { users: 1 } });
    const [one, two] = await Promise.all([generateDpopKeyPair(algorithm), generateDpopKeyPair(algorithm)]);
    const mixed: WebCryptoKeyPair = { privateKey: one.privateKey, publicKey: two.publicKey };
    const { okta, wire } = serviceApp(org, {}, { dpopKeyPair: mixed, dpopAlgorithm: algorithm });
    const error: unknown = await okta('/api/v1/users').catch((e: unknown) => e);
    expect(isOktaOAuthError(error) ? [error.code, error.message] : String(error)).toEqual([
      'INVALID_CONFIG',
      "dpopKeyPair's publicKey is not its privateKey's: Okta would refuse its proofs (invalid_dpop_proof). Give the pair's own.",
    ]);
    expect(wire.tokenRequests()).toHaveLength(0);
    expect(org.counters().tokenRequests).toEqual({});
  });

  it('its public half imported non-extractable (its JWK goes in every proof): INVALID_CONFIG naming the fix, not the runtime\'s DOMException, no token request sent', async () => {
    const org = await emulator({ seed: { users: 1 } });
    const pair = await generateDpopKeyPair(algorithm);
    const publicJwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
    const publicKey = await crypto.subtle.importKey('jwk', publicJwk, keyParams(algorithm), false, ['verify']);
    const { okta, wire } = serviceApp(org, {}, { dpopKeyPair: { privateKey: pair.privateKey, publicKey }, dpopAlgorithm: algorithm });
    const error: unknown = await okta('/api/v1/users').catch((e: unknown) => e);
    expect(isOktaOAuthError(error) ? [error.code, error.message] : String(error)).toEqual([
      'INVALID_CONFIG',
      'dpopKeyPair must be a WebCrypto key pair with a private and an extractable public key.',
    ]);
    expect(wire.tokenRequests()).toHaveLength(0);
  });

  it('the pair itself: proofs Okta accepts', async () => {
    const org = await emulator({ seed: { users: 1 } });
    const { okta, wire } = serviceApp(org, {}, { dpopKeyPair: await generateDpopKeyPair(algorithm), dpopAlgorithm: algorithm });
    expect((await okta('/api/v1/users')).status).toBe(200);
    expect(wire.apiRequests()[0]?.headers.get('authorization')).toMatch(/^DPoP /);
  });
});
