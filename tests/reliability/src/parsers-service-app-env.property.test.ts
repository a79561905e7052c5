/**
 * Bad input, service-app environment configuration: fast-check properties for the OKTA_CLIENT_*
 * variables read by @org/okta-oauth's serviceAppCredentialFromEnv (harness:
 * test-helpers/properties.ts). SSWS env config is covered in okta-ssws's own property tests.
 */
import type { OktaAuthError } from '@org/okta-auth-core';
import { serviceAppCredentialFromEnv } from '@org/okta-oauth';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mutated, realJwks, realPems } from './test-helpers/arbitraries.js';
import { outcomes, propertyCases, RUNS, valueOrTyped } from './test-helpers/properties.js';
import { ORIGIN } from './test-helpers/scripted.js';

const { counted } = propertyCases();

describe('service-app environment configuration', () => {
  const envValue = (real: string[]) => fc.option(fc.oneof(fc.constantFrom(...real), fc.string(), mutated(real)), { nil: undefined });
  const envArb = fc.record({
    OKTA_CLIENT_ORGURL: envValue([ORIGIN, 'https://acme.okta.com/', 'https://acme-admin.okta.com', 'http://acme.okta.com', 'https://{yourOktaDomain}']),
    OKTA_CLIENT_AUTHORIZATIONMODE: envValue(['PrivateKey', 'privatekey', 'SSWS', 'JWT']),
    OKTA_CLIENT_CLIENTID: envValue(['0oa1b2c3d4e5f6g7h8i9']),
    OKTA_CLIENT_SCOPES: envValue(['okta.users.read', 'okta.users.read okta.groups.read', 'okta.users.read,okta.groups.read']),
    OKTA_CLIENT_PRIVATEKEY: envValue([...realPems, ...realJwks.map((j) => JSON.stringify(j))]),
    OKTA_CLIENT_KEYID: envValue(['k1']),
    OKTA_CLIENT_PRIVATEKEYID: envValue(['k1']),
  });
  it('a credential, or a typed error naming the variable', async () => {
    const seen = outcomes();
    await fc.assert(
      fc.asyncProperty(counted('service-app env', envArb), async (env) => {
        const { error } = seen.note(await valueOrTyped(() => serviceAppCredentialFromEnv(env, { retry: false }), ['INVALID_CONFIG', 'INVALID_KEY', 'INVALID_ORG_URL']));
        // Every refusal is about a variable (no option is given): it names it, in envVariable and its message (expectBoth: some refusals come).
        if (error !== undefined) {
          const { envVariable, message } = error as OktaAuthError;
          expect(Object.keys(env)).toContain(envVariable);
          expect(message).toContain(envVariable);
        }
      }),
      { numRuns: RUNS },
    );
    seen.expectBoth();
  });
});
