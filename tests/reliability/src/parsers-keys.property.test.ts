/**
 * Bad input, service-app keys: fast-check properties for PEM and JWK private keys given to
 * @org/okta-oauth's service-app credential (harness: test-helpers/properties.ts). Each key ends in a
 * credential that signs, or our typed error.
 */
import { isOktaAuthError } from '@org/okta-auth-core';
import { createServiceAppCredential } from '@org/okta-oauth';
import { failure } from '@org/okta-test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jwkInput, pemInput, realJwks } from './test-helpers/arbitraries.js';
import { outcomes, propertyCases, RUNS, valueOrTyped } from './test-helpers/properties.js';
import { appRequest, goodToken, ORIGIN, scriptedFetch } from './test-helpers/scripted.js';

const { counted } = propertyCases();

describe('keys', () => {
  it('a PEM private key: a credential that signs, or INVALID_KEY/INVALID_CONFIG', async () => {
    const seen = outcomes();
    await fc.assert(
      fc.asyncProperty(counted('PEM key', pemInput), async (pem) => {
        seen.note(
          await valueOrTyped(async () => {
            const credential = createServiceAppCredential({ orgUrl: ORIGIN, clientId: '0oa1', privateKey: pem, keyId: 'k', scopes: 'okta.users.read', dpop: 'off', retry: false, fetch: scriptedFetch({ '/oauth2/v1/token': goodToken() }) });
            return credential.authorize(appRequest);
          }, ['INVALID_KEY', 'INVALID_CONFIG']),
        );
      }),
      { numRuns: RUNS },
    );
    seen.expectBoth();
  });

  it('a JWK private key (object or JSON text): a credential that signs, or INVALID_KEY/INVALID_CONFIG', async () => {
    const seen = outcomes();
    await fc.assert(
      fc.asyncProperty(counted('JWK key', fc.oneof(jwkInput, jwkInput.map((j) => JSON.stringify(j) as unknown))), async (jwk) => {
        seen.note(
          await valueOrTyped(async () => {
            const credential = createServiceAppCredential({ orgUrl: ORIGIN, clientId: '0oa1', privateKey: jwk as never, scopes: 'okta.users.read', dpop: 'off', retry: false, fetch: scriptedFetch({ '/oauth2/v1/token': goodToken() }) });
            return credential.authorize(appRequest);
          }, ['INVALID_KEY', 'INVALID_CONFIG']),
        );
      }),
      { numRuns: RUNS },
    );
    seen.expectBoth();
  });
});

describe('regressions (found by these properties, fixed)', () => {
  it('a private JWK with a malformed optional member (p: false) is refused with INVALID_KEY, not a WebCrypto OperationError', async () => {
    const jwk = { ...(realJwks[0]!), p: false };
    // Refused when the key is read (the credential is made), since the thirty-sixth session; before, at the first token request.
    const error: unknown = await failure(() =>
      createServiceAppCredential({ orgUrl: ORIGIN, clientId: '0oa1', privateKey: jwk as never, scopes: 'okta.users.read', dpop: 'off', retry: false, fetch: scriptedFetch({ '/oauth2/v1/token': goodToken() }) }).authorize(appRequest),
    );
    expect(isOktaAuthError(error) && error.code, String(error)).toBe('INVALID_KEY');
  });
});
