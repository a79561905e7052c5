/**
 * A sign-in whose ID token fails a check (ID_TOKEN_INVALID) hands out no tokens, and leaves none alive at Okta: the
 * tokens of the code exchange are revoked (`revokeUnkept`, as a renewal nobody keeps) before the refusal (ru154).
 */
import { describe, expect, it } from 'vitest';
import { idTokenCorruptions, redirectUri, signIn, signInFailure as failure, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();

describe('an ID token refused at sign-in', () => {
  for (const [kind] of idTokenCorruptions.filter(([name]) => name === 'nonce' || name === 'signature')) {
    it(`(${kind}) revokes the tokens of the code exchange before the refusal`, async () => {
      const obtained: { access_token: string; refresh_token: string }[] = [];
      const fetch: typeof globalThis.fetch = async (input, init) => {
        const response = await globalThis.fetch(input, init);
        const path = new URL(input instanceof Request ? input.url : input).pathname;
        if (path === '/oauth2/v1/token' && response.ok) obtained.push(await response.clone().json());
        return response;
      };
      // A web app, with the refresh token.
      const app = env.org.createSignInApp({ type: 'web', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
      const signInClient = env.client(app, { fetch, scopes: ['openid', 'offline_access', 'okta.users.read'] });
      env.org.corruptNextIdToken(kind);
      const error = await failure(signIn(signInClient));
      expect(error.code).toBe('ID_TOKEN_INVALID');
      expect(obtained).toHaveLength(1);
      expect(env.org.counters().requests['POST /oauth2/v1/revoke']).toBe(2);
      for (const token of [obtained[0]!.access_token, obtained[0]!.refresh_token]) expect((await signInClient.introspect(token)).active).toBe(false);
      // Nothing of them in the error.
      expect(JSON.stringify(error) + error.message).not.toContain(obtained[0]!.access_token);
    });
  }
});
