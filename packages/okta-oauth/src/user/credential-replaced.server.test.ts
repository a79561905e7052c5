/**
 * A sign-in stored under a key that holds another user's tokens, and stored values the client
 * cannot read, on @org/okta-emulator. A command-line tool keeps one key (the default,
 * `okta-oauth:<clientId>:tokens`): a second person signing in there replaces the first, whose
 * refresh token no one keeps any more. The root entry's client revokes it once its write replaced
 * it; the same user's new sign-in is left alone. A value `restoreCredential` cannot read is logged
 * (`token-store`, `corrupt`) and left where it is.
 */
import type { OktaLogEvent } from '@org/okta-auth-core';
import { fillSignInForm, until } from '@org/okta-test-utils';
import { expect, it } from 'vitest';
import { restoreCredential } from './client-functions.js';
import type { SignInClient } from './sign-in-client.js';
import { createMemoryStorage } from './storage.js';
import { password, signIn, tokensKeyOf, useSignInOrg } from './test-helpers/sign-in-org.js';
import type { UserTokens } from './tokens.js';

const env = useSignInOrg();

/** Another person signs in with `client` (grace, created once per org). */
async function signInGrace(client: SignInClient) {
  const login = 'grace@example.com';
  env.org.createUser({ login, password, admin: true, firstName: 'Grace', lastName: 'Other' });
  const { url, transaction } = await client.startSignIn();
  return client.finishSignIn(await fillSignInForm(url, login, password), transaction);
}

/** Whether Okta takes the refresh token of `tokens` as active (introspection as the public app). */
async function refreshActive(client: SignInClient, tokens: UserTokens): Promise<boolean> {
  const body = new URLSearchParams({ token: tokens.refreshToken?.reveal() ?? '' });
  const answer = await fetch(`${env.org.url}/oauth2/v1/introspect?client_id=${client.clientId}`, { method: 'POST', body });
  return ((await answer.json()) as { active: boolean }).active;
}

it("a second person's sign-in under the same key revokes the first person's tokens it replaced", async () => {
  const client = env.spa();
  const storage = createMemoryStorage();
  const first = await signIn(client);
  await client.credential(first.tokens, { storage }).getAccessToken();
  const second = await signInGrace(client);
  await client.credential(second.tokens, { storage }).getAccessToken(); // the first write has landed; its revocation is not awaited
  expect(await storage.get(tokensKeyOf(client.clientId))).toBe(JSON.stringify(second.tokens.toStorable()));
  // Before, the first person's refresh token stayed valid at Okta, held by no one (this waited until the test's timeout).
  await until(async () => !(await refreshActive(client, first.tokens)), "the first person's refresh token revoked");
  expect(await refreshActive(client, second.tokens)).toBe(true);
});

it("the same person's new sign-in under the key leaves the earlier one's tokens alone", async () => {
  const client = env.spa();
  const storage = createMemoryStorage();
  const first = await signIn(client);
  await client.credential(first.tokens, { storage }).getAccessToken();
  const again = await signIn(client);
  await client.credential(again.tokens, { storage }).getAccessToken();
  // Another tab of the same user may hold them, and takes the new sign-in's from storage at its renewal.
  expect(await refreshActive(client, first.tokens)).toBe(true);
});

it.each([
  ['not JSON', () => 'not json'],
  ['truncated', (text: string) => text.slice(0, text.length / 2)],
  ["a later version's", (text: string) => JSON.stringify({ ...(JSON.parse(text) as object), version: 2 })],
])('restoreCredential logs a stored value it cannot read (%s) as corrupt, and leaves it', async (_name, damage) => {
  const events: OktaLogEvent[] = [];
  const client = env.spa({ logger: (event) => void events.push(event) });
  const { tokens } = await signIn(client);
  const storage = createMemoryStorage();
  const key = tokensKeyOf(client.clientId);
  const text = damage(JSON.stringify(tokens.toStorable()));
  await storage.set(key, text);
  expect(await restoreCredential(client, { storage })).toBeUndefined();
  // Before, nothing was logged: the user was asked to sign in again with no word of why.
  expect(events.filter((event) => event.type === 'token-store')).toEqual([{ type: 'token-store', operation: 'get', outcome: 'corrupt' }]);
  expect(JSON.stringify(events)).not.toContain(tokens.accessToken.reveal());
  expect(await storage.get(key)).toBe(text);
  // Nothing stored is no event.
  await storage.remove(key);
  expect(await restoreCredential(client, { storage })).toBeUndefined();
  expect(events.filter((event) => event.type === 'token-store')).toHaveLength(1);
});
