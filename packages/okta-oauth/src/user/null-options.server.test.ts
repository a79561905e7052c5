/**
 * A JavaScript caller's `null` options are no options, as `undefined` are (as `startSignIn`,
 * `startDeviceSignIn` and `createMemoryStorage` take them): every method of the sign-in client and
 * its credentials and device sign-ins that takes options, over real HTTP against the emulator.
 * Red-teamed in the thirty-third session: each threw a raw `TypeError` ("Cannot read properties of
 * null") instead of doing its work.
 */
import { activateDevice, fillSignInForm } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { signOut } from './client-functions.js';
import { clientFor, login, password, postLogoutRedirectUri, redirectUri, signIn, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();
const none = null as never;

describe('null options', () => {
  it('finishSignIn, credential, getAccessToken, introspect and both signOuts take null as no options', async () => {
    const app = env.org.createSignInApp({ type: 'web', redirectUris: [redirectUri], postLogoutRedirectUris: [postLogoutRedirectUri], scopes: ['okta.users.read'] });
    const client = clientFor(env.org, app, { retry: false });
    const { url, transaction } = await client.startSignIn(none);
    const { tokens, claims } = await client.finishSignIn(await fillSignInForm(url, login, password), transaction, none);
    expect(claims?.preferred_username).toBe(login);
    const credential = client.credential(tokens, none);
    // An optional callback given null is no callback, as poll's onWait (CONVENTIONS: null is none).
    expect(() => client.credential(tokens, { onTokens: none, storageKey: none })).not.toThrow();
    expect((await credential.getAccessToken(none)).reveal()).toBe(tokens.accessToken.reveal());
    expect((await client.introspect(tokens.accessToken, none)).active).toBe(true);
    expect((await credential.signOut(none)).revoked.length).toBeGreaterThan(0);
    const second = await signIn(client);
    expect((await signOut(client, second.tokens, none)).revoked.length).toBeGreaterThan(0);
    expect((await client.signOut(second.tokens, none)).notRevoked).toEqual([]);
  });

  it("a device sign-in's poll takes null as no options", async () => {
    const app = env.org.createSignInApp({ type: 'native', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
    const client = clientFor(env.org, app, { sleep: () => Promise.resolve() });
    const device = await client.startDeviceSignIn(none);
    // Not an object: the typed refusal naming the argument, before anything is sent.
    await expect(device.poll('fast' as never)).rejects.toMatchObject({ name: 'OktaOAuthError', code: 'INVALID_CONFIG', message: expect.stringContaining('poll(options)') as unknown });
    await activateDevice(env.org.url, device.userCode, login, password);
    expect((await device.poll(none)).claims?.preferred_username).toBe(login);
  });
});
