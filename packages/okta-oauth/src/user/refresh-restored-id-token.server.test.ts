/**
 * A refreshed ID token must keep the first one's `sub`, `aud` and `azp` (OIDC Core §12.2). Tokens
 * restored from a record an earlier release wrote (its fields, no `dpopJkt`) compare against the
 * stored ID token, and a record kept without one (an app that dropped it) has nothing to compare
 * against: neither refuses Okta's refreshed ID tokens, each refresh after the other.
 */
import { createOktaFetch } from '@org/okta-auth-core';
import { describe, expect, it } from 'vitest';
import { restoreCredential } from './client-functions.js';
import { createMemoryStorage } from './storage.js';
import { signIn, tokensKeyOf, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();

describe('refreshing tokens restored from an earlier release\'s record', () => {
  it.each([
    ['with its ID token', true],
    ['kept without its ID token', false],
  ])('%s: every refreshed ID token is taken', async (_name, withIdToken) => {
    const client = env.spa();
    const { tokens } = await signIn(client);
    // Bearer tokens: the record an earlier release wrote, field for field (no dpopJkt).
    const { idToken, ...earlier } = tokens.toStorable();
    expect(idToken).toEqual(expect.any(String));
    expect(earlier).not.toHaveProperty('dpopJkt');
    const storage = createMemoryStorage();
    await storage.set(tokensKeyOf(client.clientId), JSON.stringify(withIdToken ? { ...earlier, idToken } : earlier));
    const credential = await restoreCredential(client, { storage });
    if (credential === undefined) throw new Error('restoreCredential refused the record');
    for (let refresh = 0; refresh < 2; refresh++) {
      await credential.getAccessToken({ forceRefresh: true });
      expect(credential.tokens?.idToken?.reveal()).not.toBe(idToken);
    }
    expect((await createOktaFetch({ credential })(env.userPath)).status).toBe(200);
    expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 2 });
  });
});
