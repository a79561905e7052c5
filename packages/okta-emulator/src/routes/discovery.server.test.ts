import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator } from '../index.js';

describe('discovery and keys', () => {
  let org: OktaEmulator;
  beforeAll(async () => {
    org = await startEmulator();
  });
  afterAll(() => org.close());

  it.each(['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server'])('%s describes the org AS', async (path) => {
    const res = await fetch(`${org.url}${path}`);
    expect(res.status).toBe(200);
    const doc = await res.json();
    expect(doc).toMatchObject({
      issuer: org.url,
      authorization_endpoint: `${org.url}/oauth2/v1/authorize`,
      token_endpoint: `${org.url}/oauth2/v1/token`,
      jwks_uri: `${org.url}/oauth2/v1/keys`,
      revocation_endpoint: `${org.url}/oauth2/v1/revoke`,
      introspection_endpoint: `${org.url}/oauth2/v1/introspect`,
      device_authorization_endpoint: `${org.url}/oauth2/v1/device/authorize`,
      end_session_endpoint: `${org.url}/oauth2/v1/logout`,
      code_challenge_methods_supported: ['S256'],
      dpop_signing_alg_values_supported: ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'],
    });
    // Okta's documents do not advertise RFC 9207 (W5; with authorizationResponseIss: authorization-response-iss.server.test.ts).
    expect(doc).not.toHaveProperty('authorization_response_iss_parameter_supported');
    expect(doc.token_endpoint_auth_methods_supported).toContain('private_key_jwt');
  });

  // Okta's org authorization server metadata as Okta publishes it: the `OrgASOidcMetadata` example of
  // `getWellKnownOpenIDConfiguration` (okta/okta-management-openapi-spec dist/current/oauth-minimal.yaml at
  // fdda229e), the same lists an org's document held as okta-auth-js cached it (FIDELITY W2 to W4).
  it.each(['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server'])('%s lists the scopes, claims and grants Okta lists for the org authorization server', async (path) => {
    const doc = await (await fetch(`${org.url}${path}`)).json();
    // The seven OpenID Connect scopes, in Okta's order: no okta.* scope (Okta lists none), no device_sso (no Native SSO on the org AS).
    expect(doc.scopes_supported).toEqual(['openid', 'email', 'profile', 'address', 'phone', 'offline_access', 'groups']);
    expect(doc.claims_supported).toEqual([
      'iss', 'ver', 'sub', 'aud', 'iat', 'exp', 'jti', 'auth_time', 'amr', 'idp', 'nonce', 'name', 'nickname', 'preferred_username', 'given_name', 'middle_name',
      'family_name', 'email', 'email_verified', 'profile', 'zoneinfo', 'locale', 'address', 'phone_number', 'picture', 'website', 'gender', 'birthdate', 'updated_at',
      'at_hash', 'c_hash',
    ]);
    // Okta's list less the grants the emulator does not serve (implicit, password); Okta lists no client_credentials.
    expect(doc.grant_types_supported).toEqual(['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code']);
  });

  it('publishes the RS256 signing key, and the old one after a rotation', async () => {
    const jwks = await (await fetch(`${org.url}/oauth2/v1/keys`)).json();
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String) });
    expect(jwks.keys[0].d).toBeUndefined();
    const kid = org.rotateSigningKey();
    const after = await (await fetch(`${org.url}/oauth2/v1/keys`)).json();
    expect(after.keys.map((k: { kid: string }) => k.kid)).toEqual([kid, jwks.keys[0].kid]);
  });

  it('overrideDiscovery() lays fields over both documents, removes null ones, and {} restores them', async () => {
    org.overrideDiscovery({ issuer: 'https://other.okta.com', device_authorization_endpoint: null });
    for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
      const doc = await (await fetch(`${org.url}${path}`)).json();
      expect(doc.issuer).toBe('https://other.okta.com');
      expect(doc).not.toHaveProperty('device_authorization_endpoint');
      expect(doc.token_endpoint).toBe(`${org.url}/oauth2/v1/token`);
    }
    const admin = await fetch(`${org.url}/__emulator/discovery`, { method: 'POST', body: JSON.stringify({}) });
    expect(admin.status).toBe(204);
    const doc = await (await fetch(`${org.url}/.well-known/openid-configuration`)).json();
    expect(doc.issuer).toBe(org.url);
    expect(doc.device_authorization_endpoint).toBe(`${org.url}/oauth2/v1/device/authorize`);
    expect(() => org.overrideDiscovery([] as never)).toThrow(/overrideDiscovery: fields must be an object of discovery fields/);
  });

  it('discovery and keys are not rate-limited', async () => {
    org.setRateLimit('/.well-known', 1);
    org.setRateLimit('/oauth2/v1/keys', 1);
    for (let i = 0; i < 3; i++) {
      expect((await fetch(`${org.url}/.well-known/openid-configuration`)).status).toBe(200);
      expect((await fetch(`${org.url}/oauth2/v1/keys`)).status).toBe(200);
    }
  });
});
