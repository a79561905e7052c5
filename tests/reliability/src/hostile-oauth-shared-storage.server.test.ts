/**
 * Same class as issue 12 item 1, found in review: a user credential picks up tokens another
 * tab refreshed into its storage only when they are the same user's (same ID token `sub`).
 * Tokens without an ID token (no openid scope) in a store shared by several users under the
 * default key are never handed to another user's credential.
 */
import { createMemoryStorage, createSignInClient, UserTokens } from '@org/okta-oauth';
import { afterEach, describe, expect, it } from 'vitest';
import { startHostileOrg, type HostileOrg } from './test-helpers/hostile-oauth-server.js';

let org: HostileOrg | undefined;
afterEach(async () => {
  await org?.close();
  org = undefined;
});

describe('hostile oauth: a token storage shared by several users', () => {
  it("a user credential never picks up another user's tokens from a shared storage key", async () => {
    let n = 0;
    org = await startHostileOrg({
      // Each user's refresh token renews that user's tokens.
      '/oauth2/v1/token': ({ form }) => {
        const user = /^refresh-of-(\w+)-/.exec(form.get('refresh_token') ?? '')?.[1] ?? 'nobody';
        n++;
        return { body: { access_token: `access-of-${user}-${n}-0123456789`, token_type: 'Bearer', expires_in: 3600, refresh_token: `refresh-of-${user}-${n}-0123456789`, scope: 'okta.users.read' } };
      },
    });
    const client = createSignInClient({ orgUrl: org.url, clientId: '0oaWeb', scopes: ['okta.users.read'], allowInsecureLoopback: true, retry: false });
    const storage = createMemoryStorage(); // one store, the default key: a misconfiguration, but never a token leak
    const expired = (user: string) =>
      new UserTokens({ accessToken: `access-of-${user}-0-0123456789`, tokenType: 'Bearer', expiresAt: Date.now() - 1000, refreshToken: `refresh-of-${user}-0-0123456789` });
    const alice = client.credential(expired('alice'), { storage });
    const bob = client.credential(expired('bob'), { storage });
    expect((await bob.getAccessToken()).reveal()).toMatch(/^access-of-bob-/);
    // Alice's refresh finds Bob's fresh tokens under the shared key: not hers, not taken.
    expect((await alice.getAccessToken()).reveal()).toMatch(/^access-of-alice-/);
    expect(alice.tokens?.refreshToken?.reveal()).toMatch(/^refresh-of-alice-/);
  });
});
