/**
 * Bad input, token responses and token-endpoint error bodies: fast-check properties for the
 * answers a service app's and an OIN app's credential parse (Bearer and DPoP), from a scripted org
 * (harness: test-helpers/properties.ts). A failed answer caches nothing.
 */
import { createOinAppCredential, createServiceAppCredential, importPrivateKey } from '@org/okta-oauth';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answer, ecPrivateKeyPem } from './test-helpers/arbitraries.js';
import { outcomes, propertyCases, RUNS, SIGNED_RUNS, valueOrTyped } from './test-helpers/properties.js';
import { appRequest, goodToken, json, ORIGIN, scriptedFetch, type Route } from './test-helpers/scripted.js';

const { counted } = propertyCases();

/**
 * A 200 token answer whose members are each good or not: `answer` alone never gave a token the
 * credential takes, so the checks on the headers it builds never ran.
 */
const tokenAnswer = fc
  .record({
    access_token: fc.oneof(fc.constant('eyJ.good.token'), fc.string(), fc.string({ unit: fc.constantFrom('a', ' ', '\n', '.', 'é') })),
    token_type: fc.constantFrom('Bearer', 'DPoP', 'bearer', 'N_A'),
    expires_in: fc.oneof(fc.constant(3600), fc.integer(), fc.string()),
    scope: fc.oneof(fc.constant('okta.users.read'), fc.string()),
  })
  .map((body): Route => () => json(200, body));
const tokenAnswers = fc.oneof(answer, tokenAnswer);
/** What a bad token answer may end in. */
const tokenAnswerCodes = ['INVALID_TOKEN_RESPONSE', 'TOKEN_REQUEST_FAILED', 'RATE_LIMITED', 'INVALID_RESPONSE'];

describe('token responses and token-endpoint error bodies', () => {
  it('OIN app (client secret, Bearer): Authorization headers with a header-safe token, or a typed error; a failure caches nothing', async () => {
    const seen = outcomes();
    await fc.assert(
      fc.asyncProperty(counted('token response (Bearer)', tokenAnswers), async (reply) => {
        let first = true;
        const fetch = scriptedFetch({ '/oauth2/v1/token': (r) => (first ? ((first = false), reply(r)) : goodToken()(r)) });
        const credential = createOinAppCredential({ orgUrl: ORIGIN, clientId: '0oa1', clientSecret: 'secret-value-123', scopes: 'okta.users.read', retry: false, fetch });
        const { value, error } = seen.note(await valueOrTyped(() => credential.authorize(appRequest), tokenAnswerCodes));
        if (value !== undefined) {
          expect(() => new Headers({ authorization: value.authorization })).not.toThrow();
          expect(value.authorization).toMatch(/^Bearer \S+$/);
        }
        if (error !== undefined) {
          // Nothing was cached: the next call asks again and gets the good token.
          const next = await credential.authorize(appRequest);
          expect(next.authorization).toBe('Bearer eyJ.good.token');
        }
      }),
      { numRuns: RUNS },
    );
    seen.expectBoth();
  });

  it('service app with DPoP: DPoP headers with a fresh proof, or a typed error', async () => {
    // The client key is read once (a run only signs with it): reading the PEM in every run was two
    // thirds of the run's time, and the PEM reader has properties of its own (parsers-keys).
    const key = await importPrivateKey(ecPrivateKeyPem, { keyId: 'k' });
    const seen = outcomes();
    await fc.assert(
      fc.asyncProperty(counted('token response (DPoP)', fc.array(tokenAnswers, { minLength: 1, maxLength: 3 })), async (replies) => {
        let i = 0;
        const fetch = scriptedFetch({ '/oauth2/v1/token': (r) => replies[Math.min(i++, replies.length - 1)]!(r) });
        const credential = createServiceAppCredential({ orgUrl: ORIGIN, clientId: '0oa1', ...key, scopes: 'okta.users.read', dpop: 'required', retry: false, fetch });
        const { value } = seen.note(await valueOrTyped(() => credential.authorize(appRequest), [...tokenAnswerCodes, 'DPOP_NOT_BOUND']));
        if (value !== undefined) {
          expect(value.authorization).toMatch(/^DPoP \S+$/);
          expect(value.dpop).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
        }
        expect(i).toBeLessThanOrEqual(3); // at most a nonce retry and a clock retry
      }),
      { numRuns: SIGNED_RUNS },
    );
    seen.expectBoth();
  });
});
