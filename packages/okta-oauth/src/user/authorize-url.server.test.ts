/**
 * The authorize URL `startSignIn` builds, against @org/okta-emulator: exactly the parameters Okta
 * needs, each option where it belongs, no secret, and the transaction it keeps. Each case was a
 * change of `authorize.ts` that no test noticed (docs/security-history.md, "Sixteenth session: mutation testing").
 */
import { createHash } from 'node:crypto';
import { fillSignInForm } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import type { SignInClientOptions } from './sign-in-client.js';
import { createMemoryStorage } from './storage.js';
import { clientFor, login, password, redirectUri, signInFailure as failure, transactionKeyOf, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();
/** A SPA on the test's org (the helper's own). */
const spa = (options: Partial<SignInClientOptions> = {}) => env.spa(options);

describe('startSignIn: the authorize URL', () => {
  it('carries exactly the protocol parameters, the S256 challenge of the kept verifier, and none of the optional ones unasked', async () => {
    const { url, transaction } = await spa().startSignIn();
    expect([...url.searchParams.keys()].sort()).toEqual(['client_id', 'code_challenge', 'code_challenge_method', 'nonce', 'redirect_uri', 'response_type', 'scope', 'state']);
    expect(url.searchParams.get('code_challenge')).toBe(createHash('sha256').update(transaction.codeVerifier).digest('base64url'));
    expect(transaction).not.toHaveProperty('maxAge');
    expect(transaction.scope).toBe(url.searchParams.get('scope'));
    expect(transaction.redirectUri).toBe(redirectUri);
  });

  it('puts each option where Okta reads it, and the transaction keeps the redirect URI, scopes, max_age and acr_values', async () => {
    const other = 'http://127.0.0.1:5173/other-callback';
    const { url, transaction } = await spa().startSignIn({
      prompt: 'login',
      idp: '0oa-idp-0123456789',
      maxAgeSeconds: 0,
      loginHint: login,
      redirectUri: new URL(other),
      scopes: 'openid,profile',
      acrValues: 'urn:okta:loa:2fa:any',
      extraParams: { ui_locales: 'fr' },
    });
    const p = url.searchParams;
    expect(Object.fromEntries([...p].filter(([name]) => !['state', 'nonce', 'code_challenge'].includes(name)))).toEqual({
      client_id: expect.any(String) as unknown,
      response_type: 'code',
      redirect_uri: other,
      scope: 'openid profile',
      code_challenge_method: 'S256',
      max_age: '0',
      prompt: 'login',
      login_hint: login,
      idp: '0oa-idp-0123456789',
      acr_values: 'urn:okta:loa:2fa:any',
      ui_locales: 'fr',
    });
    expect(transaction).toMatchObject({ redirectUri: other, scope: 'openid profile', maxAge: 0, acrValues: 'urn:okta:loa:2fa:any' });
  });

  it('holds no secret of a confidential client, and keeps the transaction under its state’s SHA-256', async () => {
    const app = env.org.createSignInApp({ type: 'web', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
    const storage = createMemoryStorage();
    const client = clientFor(env.org, app, { storage });
    const { url, transaction } = await client.startSignIn();
    expect(app.clientSecret).toBeTypeOf('string');
    expect(url.href).not.toContain(app.clientSecret);
    expect(url.href).not.toContain(transaction.codeVerifier);
    expect(JSON.parse((await storage.get(transactionKeyOf(app.clientId, transaction.state))) ?? 'null')).toEqual(transaction);
    // The stored transaction finishes the sign-in by itself.
    expect((await client.finishSignIn(await fillSignInForm(url, login, password))).claims?.preferred_username).toBe(login);
  });

  it('refuses a max_age that is negative, not an integer or over Okta\'s 2^31-1, prompt none with max_age 0, and a sign-in without a redirect URI', async () => {
    for (const maxAgeSeconds of [-1, 1.5, Number.NaN, 2 ** 31]) {
      const error = await failure(spa().startSignIn({ maxAgeSeconds }));
      expect(error.code).toBe('INVALID_CONFIG');
      expect(error.message).toContain('maxAgeSeconds must be a whole number of seconds from 0 to 2147483647');
    }
    // Okta's upper bound itself is sent, and Okta's sign-in page answers it.
    const { url } = await spa().startSignIn({ maxAgeSeconds: 2 ** 31 - 1 });
    expect(url.searchParams.get('max_age')).toBe('2147483647');
    expect((await fetch(url, { redirect: 'manual' })).status).toBe(200);
    // prompt=none with max_age=0 cannot succeed (Okta: invalid_prompt_for_zero_max_age): refused before any request.
    const contradiction = await failure(spa().startSignIn({ prompt: 'none', maxAgeSeconds: 0 }));
    expect(contradiction.code).toBe('INVALID_CONFIG');
    expect(contradiction.message).toContain("prompt 'none' with maxAgeSeconds 0");
    expect((await spa().startSignIn({ prompt: 'none', maxAgeSeconds: 1 })).url.searchParams.get('max_age')).toBe('1');
    const error = await failure(spa({ redirectUri: undefined }).startSignIn());
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toContain('redirectUri');
    expect((await spa({ redirectUri: undefined }).startSignIn({ redirectUri })).url.searchParams.get('redirect_uri')).toBe(redirectUri);
    // Each refusal names the option at fault.
    expect((await failure(spa().startSignIn({ redirectUri: 'callback' }))).message).toContain('startSignIn: redirectUri');
    expect((await failure(spa().startSignIn({ scopes: [] }))).message).toContain('startSignIn: scopes');
    expect((await failure(spa().startSignIn({ extraParams: { code_challenge_method: 'plain' } }))).message).toContain('extraParams cannot set "code_challenge_method"');
  });

  it('refuses maxAgeSeconds without the openid scope, as acrValues: no ID token comes, so no auth_time would be checked (left168: it was sent and nothing checked)', async () => {
    const refusal = "startSignIn: maxAgeSeconds must come with the openid scope (the ID token's auth_time is checked), or unset.";
    for (const [client, options] of [
      [spa(), { maxAgeSeconds: 300, scopes: ['okta.users.read', 'offline_access'] }],
      [spa({ scopes: ['okta.users.read'] }), { maxAgeSeconds: 0 }],
    ] as const) {
      const error = await failure(client.startSignIn(options));
      expect([error.code, error.message]).toEqual(['INVALID_CONFIG', refusal]);
    }
    // With openid, max_age is sent and auth_time checked (callback.server.test.ts).
    expect((await spa().startSignIn({ maxAgeSeconds: 300, scopes: ['openid'] })).url.searchParams.get('max_age')).toBe('300');
  });
});
