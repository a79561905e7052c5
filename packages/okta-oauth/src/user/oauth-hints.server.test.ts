/**
 * One hint builder for every OAuth endpoint, over real HTTP against @org/okta-emulator: an
 * `invalid_client` at the revocation, introspection and device authorization endpoints gets the
 * client-authentication hint the token endpoint gives (the method sent, the key id, a public
 * client's client id); the device endpoint's `unauthorized_client` and the token endpoint's
 * (device_code grant) say the same; a hint quotes only the client's own values, never the answer's.
 */
import type { OktaEmulator } from '@org/okta-emulator';
import { describe, expect, it } from 'vitest';
import { privateKeyJwt } from '../client-auth/private-key-jwt.js';
import { kmsKey } from '../test-helpers/keys.js';
import type { SignInClient } from './sign-in-client.js';
import { clientFor, redirectUri, signIn, signInFailure as failure, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();

/** The messages of the token, revocation, introspection and device authorization endpoints' refusals of `wrong`. */
async function refusals(org: OktaEmulator, app: { clientId: string; clientSecret?: string }, wrong: SignInClient, confidential = true, scopes?: string[]): Promise<Record<string, string>> {
  const { tokens } = await signIn(clientFor(org, app, scopes === undefined ? {} : { scopes }));
  const messages: Record<string, string> = {};
  if (confidential) messages.token = (await failure(signIn(wrong))).message;
  const { notRevoked } = await wrong.signOut(tokens);
  messages.revocation = notRevoked[0]?.error.message ?? 'revoked';
  // A public client does not introspect (introspect refuses it before sending anything).
  if (confidential) messages.introspection = (await failure(wrong.introspect(tokens.accessToken))).message;
  messages.device = (await failure(wrong.startDeviceSignIn())).message;
  return messages;
}

describe('invalid_client: one client-authentication hint at every OAuth endpoint', () => {
  it('a wrong client secret: every endpoint names the method sent and the factory of the other', async () => {
    const app = env.org.createSignInApp({ type: 'web', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
    const messages = await refusals(env.org, app, clientFor(env.org, { clientId: app.clientId, clientSecret: 'not-the-secret' }));
    const hint = " Check the client id and secret, and that the app's client authentication is client_secret_basic (client_secret_post: clientAuth: clientSecretPost(secret)); SPA and Native apps take none.";
    expect(Object.keys(messages)).toEqual(['token', 'revocation', 'introspection', 'device']);
    for (const message of Object.values(messages)) {
      expect(message).toMatch(/invalid_client/);
      expect(message).toContain(hint);
      expect(message).not.toContain('not-the-secret');
    }
  });

  it('a key Okta does not know: every endpoint quotes the key id sent', async () => {
    const registered = await kmsKey('registered-key');
    const unknown = await kmsKey('not-registered');
    const app = env.org.createSignInApp({ type: 'web', redirectUris: [redirectUri], scopes: ['okta.users.read'], tokenEndpointAuthMethod: 'private_key_jwt', publicJwks: [registered.publicJwk] });
    const right = clientFor(env.org, app, { clientAuth: privateKeyJwt(registered.signer) });
    const { tokens } = await signIn(right);
    const wrong = clientFor(env.org, app, { clientAuth: privateKeyJwt(unknown.signer) });
    const messages = [
      (await failure(signIn(wrong))).message,
      (await wrong.signOut(tokens)).notRevoked[0]?.error.message,
      (await failure(wrong.introspect(tokens.accessToken))).message,
      (await failure(wrong.startDeviceSignIn())).message,
    ];
    for (const message of messages) {
      expect(message).toContain(` Check the client id, that the app's public key with kid "not-registered" is registered and active in Okta, and that the app uses "Public key / Private key" client authentication.`);
    }
  });

  it('a public client with a mistyped client id: revocation and device authorization say to check the client id', async () => {
    const app = env.org.createSignInApp({ type: 'native', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
    // Tokens without an ID token: tokens whose ID token names the real client id are refused before
    // anything is sent (signOut(client, tokens) checks their owner), so the revocation must not see one.
    const messages = await refusals(env.org, app, clientFor(env.org, { clientId: `${app.clientId}x` }), false, ['offline_access', 'okta.users.read']);
    expect(Object.keys(messages)).toEqual(['revocation', 'device']);
    for (const message of Object.values(messages)) {
      expect(message).toMatch(/invalid_client/);
      expect(message).toContain(' Check the client id (and that the app is active). No secret was sent:');
    }
  });
});

describe('unauthorized_client: the device endpoint and the device_code grant agree', () => {
  const sentence = ' Device sign-in needs a Native app with the Device Authorization grant type (Okta allows no other app type).';

  it('the token endpoint refusing the device_code grant says what the device authorization endpoint says', async () => {
    const { org } = env;
    const web = org.createSignInApp({ type: 'web', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
    const started = (await failure(clientFor(org, web).startDeviceSignIn())).message;
    const native = clientFor(org, org.createSignInApp({ type: 'native', redirectUris: [redirectUri], scopes: ['okta.users.read'] }), { sleep: () => Promise.resolve() });
    const device = await native.startDeviceSignIn();
    // The app lost the grant between the start and the poll (an admin's edit): Okta's answer for it.
    org.injectFault({ path: '/oauth2/v1/token', kind: 'status', status: 400, count: 1, body: { error: 'unauthorized_client', error_description: 'The client is not authorized to use the provided grant type. Configured grant types: [authorization_code, refresh_token].' } });
    const polled = await failure(device.poll());
    expect(polled).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', error: 'unauthorized_client' });
    for (const message of [started, polled.message]) expect(message).toContain(sentence);
  });
});

describe("a hint quotes the client's own values, never the answer's", () => {
  const codes = ['invalid_client', 'invalid_scope', 'invalid_dpop_proof', 'use_dpop_nonce', 'unauthorized_client', 'access_denied'];

  it.each(['/oauth2/v1/revoke', '/oauth2/v1/introspect', '/oauth2/v1/device/authorize', '/oauth2/v1/token'])('%s: the answer text is shown once, as the description', async (path) => {
    const { org } = env;
    // A confidential client: it may introspect; the faults answer for it at every endpoint.
    const app = org.createSignInApp({ type: 'web', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
    const client = clientFor(org, app, { retry: false });
    const { tokens } = await signIn(client);
    let hinted = 0;
    for (const error of codes) {
      const sentinel = `sentinel-${error}-answer-text`;
      org.injectFault({ path, kind: 'status', status: 400, count: 1, body: { error, error_description: sentinel } });
      const refused =
        path === '/oauth2/v1/revoke'
          ? (await client.signOut(tokens)).notRevoked[0]?.error
          : await failure(path === '/oauth2/v1/introspect' ? client.introspect(tokens.accessToken) : path === '/oauth2/v1/token' ? signIn(client) : client.startDeviceSignIn());
      const message = refused?.message ?? '';
      expect(message.split(sentinel)).toHaveLength(2);
      // What follows the description is the hint: our own words and values only.
      const hint = message.slice(message.indexOf(sentinel) + sentinel.length).replace(/ \([\w.:-]+(, request [^)]*)?\)$/, '');
      if (hint.length > 3) hinted++;
      expect(hint).not.toMatch(/sentinel/);
    }
    // Every code has a hint at every endpoint.
    expect(hinted).toBe(codes.length);
  });
});
