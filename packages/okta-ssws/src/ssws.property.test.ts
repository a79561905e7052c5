import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isOktaAuthError } from '@org/okta-auth-core';
import { createSswsCredential } from './ssws-credential.js';
import { sswsCredentialFromEnv } from './ssws-from-env.js';

const runs = { numRuns: 2_000 };
const tokenish = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: fc.constantFrom('0', 'Q', 'x', '-', '_', ' ', '\n', 'eyJ', '.', 'SSWS ', '{', '}', 'é'), maxLength: 60 }),
  fc.stringMatching(/^[\w-]{20,60}$/),
);

describe('API token input, property-based', () => {
  it('any token gives a credential or a typed error that does not echo it', () => {
    // Both ways must come: refusing every token would pass the checks in catch alone.
    const seen = { credentials: 0, refused: 0 };
    fc.assert(
      fc.property(tokenish, (token) => {
        try {
          const credential = createSswsCredential({ orgUrl: 'https://acme.okta.com', token });
          expect(credential.kind).toBe('ssws');
          expect(JSON.stringify(credential)).not.toContain(token.trim());
          seen.credentials++;
        } catch (error) {
          seen.refused++;
          expect(isOktaAuthError(error) && error.code).toBe('INVALID_TOKEN');
          const secretish = token.trim();
          if (secretish.length >= 12 && !/^ssws\s/i.test(secretish)) expect((error as Error).message).not.toContain(secretish);
        }
      }),
      runs,
    );
    expect(Math.min(seen.credentials, seen.refused), JSON.stringify(seen)).toBeGreaterThan(0);
  });

  it('any environment gives a credential or a typed error naming a variable', () => {
    const seen = { credentials: 0, refused: 0 };
    const value = fc.option(tokenish, { nil: undefined });
    // An org URL that parses, sometimes: without it, every case was refused.
    const orgUrlish = fc.option(fc.oneof(tokenish, fc.constantFrom('https://acme.okta.com', 'https://acme.oktapreview.com/')), { nil: undefined });
    fc.assert(
      fc.property(orgUrlish, value, fc.option(fc.constantFrom('SSWS', 'PrivateKey', 'ssws', '', 'x'), { nil: undefined }), (orgUrl, token, mode) => {
        try {
          expect(sswsCredentialFromEnv({ OKTA_CLIENT_ORGURL: orgUrl, OKTA_CLIENT_TOKEN: token, OKTA_CLIENT_AUTHORIZATIONMODE: mode }).kind).toBe('ssws');
          seen.credentials++;
        } catch (error) {
          seen.refused++;
          expect(isOktaAuthError(error)).toBe(true);
          expect(['INVALID_CONFIG', 'INVALID_TOKEN', 'INVALID_ORG_URL']).toContain((error as { code: string }).code);
        }
      }),
      runs,
    );
    expect(Math.min(seen.credentials, seen.refused), JSON.stringify(seen)).toBeGreaterThan(0);
  });
});
