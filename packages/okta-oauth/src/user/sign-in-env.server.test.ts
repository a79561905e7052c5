import { createOktaFetch } from '@org/okta-auth-core';
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import { signInClientFromEnv } from './sign-in-env.js';
import { fillSignInForm } from '@org/okta-test-utils';

const redirectUri = 'http://127.0.0.1:5173/callback';
let org: OktaEmulator;
let userPath: string;

beforeEach(async () => {
  org = await startEmulator();
  userPath = `/api/v1/users/${org.createUser({ login: 'ada@example.com', password: 'Correct-Horse-9', admin: true }).id}`;
});

afterEach(async () => {
  await org.close();
});

function configError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isOktaOAuthError(error) && error.code === 'INVALID_CONFIG') return error.message;
    throw error;
  }
  throw new Error('expected INVALID_CONFIG');
}

describe('signInClientFromEnv', () => {
  it("signs a user in to a confidential web app configured with Okta's SDK variable names", async () => {
    const app = org.createSignInApp({ type: 'web', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
    const env = {
      OKTA_CLIENT_ORGURL: org.url,
      OKTA_CLIENT_CLIENTID: app.clientId,
      OKTA_CLIENT_CLIENTSECRET: app.clientSecret,
      OKTA_CLIENT_SCOPES: 'openid, offline_access okta.users.read',
      OKTA_CLIENT_REDIRECTURI: redirectUri,
    };
    const signIn = signInClientFromEnv(env, { allowInsecureLoopback: true });
    const { url, transaction } = await signIn.startSignIn();
    expect(url.searchParams.get('scope')).toBe('openid offline_access okta.users.read');
    expect(url.searchParams.get('redirect_uri')).toBe(redirectUri);
    const callback = await fillSignInForm(url, 'ada@example.com', 'Correct-Horse-9');
    const result = await signIn.finishSignIn(callback, transaction);
    const okta = createOktaFetch({ credential: signIn.credential(result) });
    expect((await okta(userPath)).status).toBe(200);
    expect(inspect(signIn)).not.toContain(app.clientSecret ?? 'no secret');
  });

  it('options win over the redirect and scope variables', async () => {
    const app = org.createSignInApp({ type: 'spa', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
    const env = { OKTA_CLIENT_ORGURL: org.url, OKTA_CLIENT_CLIENTID: app.clientId, OKTA_CLIENT_REDIRECTURI: 'http://127.0.0.1:1/elsewhere' };
    const signIn = signInClientFromEnv(env, { allowInsecureLoopback: true, redirectUri, scopes: ['openid'] });
    const { url } = await signIn.startSignIn();
    expect(url.searchParams.get('redirect_uri')).toBe(redirectUri);
    expect(url.searchParams.get('scope')).toBe('openid');
  });

  it('names the missing variable, refuses a secret and a key together, and never echoes values', () => {
    expect(configError(() => signInClientFromEnv({}))).toMatch(/OKTA_CLIENT_ORGURL is not set/);
    expect(configError(() => signInClientFromEnv({ OKTA_CLIENT_ORGURL: 'https://acme.okta.com' }))).toMatch(/OKTA_CLIENT_CLIENTID is not set/);
    const base = { OKTA_CLIENT_ORGURL: 'https://acme.okta.com', OKTA_CLIENT_CLIENTID: '0oa1' };
    expect(configError(() => signInClientFromEnv(base))).toMatch(/OKTA_CLIENT_SCOPES is not set/);
    const both = configError(() => signInClientFromEnv({ ...base, OKTA_CLIENT_SCOPES: 'openid', OKTA_CLIENT_CLIENTSECRET: 'very-secret-value', OKTA_CLIENT_PRIVATEKEY: '-----BEGIN PRIVATE KEY-----' }));
    expect(both).toMatch(/Both OKTA_CLIENT_CLIENTSECRET and OKTA_CLIENT_PRIVATEKEY/);
    expect(both).not.toContain('very-secret-value');
  });

  it('reads only own variables: an env inheriting every one (a polluted Object.prototype, an env built on another) has none set', () => {
    const inherited = Object.create({ OKTA_CLIENT_ORGURL: org.url, OKTA_CLIENT_CLIENTID: '0oa1', OKTA_CLIENT_SCOPES: 'openid' }) as Record<string, string>;
    expect(configError(() => signInClientFromEnv(inherited, { allowInsecureLoopback: true }))).toMatch(/^OKTA_CLIENT_ORGURL is not set/);
    expect(configError(() => signInClientFromEnv(Object.assign(Object.create(inherited) as object, { OKTA_CLIENT_ORGURL: org.url }), { allowInsecureLoopback: true }))).toMatch(/^OKTA_CLIENT_CLIENTID is not set/);
  });

});
