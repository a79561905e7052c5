// openid-client v6 (a certified OIDC relying party we did not write) against the emulator over real HTTP.
import { failure } from '@org/okta-test-utils';
import { importPKCS8 } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator, type ServiceAppCredentials } from '../index.js';
import { Browser, hiddenInputs } from '../test-helpers/browser.js';

const REDIRECT = 'http://127.0.0.1:5173/callback';
const LOGIN = 'ada@example.com';
const PASSWORD = 'Correct-Horse1';

let org: OktaEmulator;
let svc: ServiceAppCredentials;

beforeAll(async () => {
  org = await startEmulator();
  org.createUser({ login: LOGIN, password: PASSWORD, admin: true });
  org.seedUsers(3);
  svc = org.createServiceApp({ keyType: 'EC', scopes: ['okta.users.read'] });
});
afterAll(() => org.close());

// eslint-disable-next-line @typescript-eslint/no-deprecated -- the emulator serves plain HTTP on loopback
const insecure = { execute: [oidc.allowInsecureRequests] };

/** Okta wants the client assertion's `aud` to be the token endpoint; openid-client puts the issuer there. */
async function serviceConfig(audience: 'token-endpoint' | 'issuer'): Promise<oidc.Configuration> {
  const key = await importPKCS8(svc.privateKeyPem, 'ES256');
  const auth = oidc.PrivateKeyJwt(
    { key, kid: svc.keyId },
    audience === 'issuer' ? {} : { [oidc.modifyAssertion]: (_h, payload) => void (payload.aud = `${org.url}/oauth2/v1/token`) },
  );
  return oidc.discovery(new URL(org.url), svc.clientId, undefined, auth, insecure);
}

/** Fill the emulator's sign-in form over HTTP and return the callback URL. */
async function signInAt(url: URL): Promise<URL> {
  const browser = new Browser();
  const page = await browser.get(url.href);
  expect(page.status).toBe(200);
  const res = await browser.post(`${org.url}/login/sign-in`, { ...hiddenInputs(await page.text()), username: LOGIN, password: PASSWORD });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location')!);
}

describe('openid-client against the emulator', () => {
  it('discovers the org authorization server', async () => {
    const config = await oidc.discovery(new URL(org.url), 'any-client', undefined, oidc.None(), insecure);
    const md = config.serverMetadata();
    expect(md.issuer).toBe(org.url);
    expect(md.token_endpoint).toBe(`${org.url}/oauth2/v1/token`);
    expect(md.dpop_signing_alg_values_supported).toContain('ES256');
  });

  it('client credentials with private_key_jwt and DPoP (nonce dance done by the client), then a DPoP-bound API call', async () => {
    const config = await serviceConfig('token-endpoint');
    const dpop = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair('ES256'));
    org.resetCounters();
    const tokens = await oidc.clientCredentialsGrant(config, { scope: 'okta.users.read' }, { DPoP: dpop });
    expect(tokens.token_type.toLowerCase()).toBe('dpop');
    expect(org.counters().tokenRequests.client_credentials).toEqual({ use_dpop_nonce: 1, success: 1 });
    const res = await oidc.fetchProtectedResource(config, tokens.access_token, new URL(`${org.url}/api/v1/users?limit=2`), 'GET', undefined, undefined, { DPoP: dpop });
    expect(res.status).toBe(200);
    expect(await res.json()).toHaveLength(2);
  });

  it("pinned: openid-client's default assertion aud (the issuer) is refused, as Okta requires the token endpoint URL", async () => {
    const config = await serviceConfig('issuer');
    const dpop = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair('ES256'));
    const error = await failure(oidc.clientCredentialsGrant(config, { scope: 'okta.users.read' }, { DPoP: dpop }));
    expect(error).toBeInstanceOf(oidc.ResponseBodyError);
    expect(error).toMatchObject({ status: 401, error: 'invalid_client', error_description: 'The audience claim for client_assertion must be the endpoint invoked for the request.' });
  });

  it('authorization code with PKCE (S256), ID token checks, userinfo, refresh, introspection and revocation', async () => {
    const web = org.createSignInApp({ type: 'web', redirectUris: [REDIRECT], scopes: ['okta.users.read'] });
    const config = await oidc.discovery(new URL(org.url), web.clientId, web.clientSecret, oidc.ClientSecretBasic(web.clientSecret), insecure);
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid profile email offline_access okta.users.read',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    const callback = await signInAt(url);
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true });
    const claims = tokens.claims()!;
    expect(claims.preferred_username).toBe(LOGIN);

    const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(info.sub).toBe(claims.sub);

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.access_token).not.toBe(tokens.access_token);

    const active = await oidc.tokenIntrospection(config, refreshed.access_token);
    expect(active).toMatchObject({ active: true, client_id: web.clientId });
    await oidc.tokenRevocation(config, refreshed.access_token);
    expect((await oidc.tokenIntrospection(config, refreshed.access_token)).active).toBe(false);
  });

  it('a public (native) client: PKCE sign-in with no secret', async () => {
    const native = org.createSignInApp({ type: 'native', redirectUris: [REDIRECT] });
    const config = await oidc.discovery(new URL(org.url), native.clientId, undefined, oidc.None(), insecure);
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state: 's1' });
    const tokens = await oidc.authorizationCodeGrant(config, await signInAt(url), { pkceCodeVerifier: verifier, expectedState: 's1' });
    expect(tokens.claims()?.iss).toBe(org.url);
  });

  it('device grant with a native app (the client waits the 5 s interval before its first poll)', async () => {
    const native = org.createSignInApp({ type: 'native', redirectUris: [REDIRECT] });
    const config = await oidc.discovery(new URL(org.url), native.clientId, undefined, oidc.None(), insecure);
    const device = await oidc.initiateDeviceAuthorization(config, { scope: 'openid profile offline_access' });
    expect(device.interval).toBe(5);
    org.approveDevice(device.user_code, LOGIN);
    const tokens = await oidc.pollDeviceAuthorizationGrant(config, device);
    expect(tokens.claims()?.preferred_username).toBe(LOGIN);
    expect(tokens.refresh_token).toBeTruthy();
  });
});
