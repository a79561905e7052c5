/**
 * Tokens a sign-in client restores with another DPoP key than the one they were issued with (a
 * client made without `dpopKeyPair` generates a new key, in each process): Okta refuses every
 * proof of the new key, at its APIs and at the token endpoint. The errors say so, instead of
 * pointing at `dpop: "off"` or the clock alone.
 */
import { createOktaFetch, isOktaApiError } from '@org/okta-auth-core';
import { failure } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import { redirectUri, signIn, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();

describe('DPoP-bound tokens used with another DPoP key', () => {
  it('are refused at the API and at refresh with errors that name the key, not dpop "off"', async () => {
    const app = env.org.createSignInApp({ type: 'spa', redirectUris: [redirectUri], scopes: ['okta.users.read', 'offline_access'], requireDpop: true });
    const clock = { now: Date.now() };
    const { tokens } = await signIn(env.client(app, { dpop: 'required', now: () => clock.now }));
    expect(tokens.tokenType).toBe('DPoP');
    // Another client, as after a restart without dpopKeyPair: a new key.
    const okta = createOktaFetch({ credential: env.client(app, { dpop: 'required', now: () => clock.now }).credential(tokens) });

    const refused = await failure(okta(env.userPath), isOktaApiError);
    expect(refused.status).toBe(400);
    expect(refused.hint).toMatch(/same dpopKeyPair/);

    clock.now += 3600_000;
    env.org.setClockOffset(3600);
    const refresh = await failure(okta(env.userPath), isOktaOAuthError);
    expect(refresh).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', error: 'invalid_dpop_proof' });
    expect(refresh.message).toMatch(/same dpopKeyPair/);
    expect(refresh.message).not.toMatch(/set dpop to "off"/);
    expect(JSON.stringify([refused.message, refused.hint, refresh.message])).not.toContain(tokens.refreshToken?.reveal() ?? '-');
  });
});
