/**
 * A discovery document naming an endpoint on the org origin but with a user name or password in
 * it (`http://evil:pw@org/...`): the origin matches, but no request can be made to such a URL
 * (fetch throws a raw `TypeError` quoting it) and the authorize URL would carry it. It is refused
 * like any other unusable document: DISCOVERY_FAILED, typed, nothing sent to that endpoint.
 */
import { createSignInClient, isOktaSignInError } from '@org/okta-oauth';
import { afterEach, describe, expect, it } from 'vitest';
import { startHostileOrg, type HostileOrg } from './test-helpers/hostile-oauth-server.js';
import { discoveryDocument } from './test-helpers/scripted.js';

let org: HostileOrg | undefined;
afterEach(async () => {
  await org?.close();
  org = undefined;
});

const endpoints = {
  authorization_endpoint: '/oauth2/v1/authorize',
  token_endpoint: '/oauth2/v1/token',
  jwks_uri: '/oauth2/v1/keys',
  revocation_endpoint: '/oauth2/v1/revoke',
  introspection_endpoint: '/oauth2/v1/introspect',
  device_authorization_endpoint: '/oauth2/v1/device/authorize',
  end_session_endpoint: '/oauth2/v1/logout',
} as const;

describe('hostile oauth: discovery endpoints with userinfo', () => {
  it.each(Object.entries(endpoints))('a %s on the org origin with a user name and password is DISCOVERY_FAILED, typed, before any call', async (field, path) => {
    org = await startHostileOrg({
      '/.well-known/openid-configuration': (_request, o) => ({ body: { ...discoveryDocument(o.url), [field]: `${o.url.replace('http://', 'http://evil:pw@')}${path}` } }),
      '/oauth2/v1/device/authorize': () => ({ status: 400, body: { error: 'invalid_client' } }),
      '/oauth2/v1/introspect': () => ({ body: { active: false } }),
    });
    const client = createSignInClient({
      orgUrl: org.url,
      clientId: '0oaCli',
      clientSecret: 'client-secret-0123456789abcdef',
      redirectUri: 'http://127.0.0.1/cb',
      scopes: ['okta.users.read'],
      allowInsecureLoopback: true,
      retry: false,
    });
    for (const call of [() => client.startDeviceSignIn(), () => client.introspect('some-token-value-123'), () => client.startSignIn()]) {
      const error: unknown = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isOktaSignInError(error) && error.code, String(error)).toBe('DISCOVERY_FAILED');
      expect((error as Error).message).toContain(field);
      expect((error as Error).message).not.toContain('pw');
    }
    expect(org.requests.map((r) => r.path)).toEqual(Array(3).fill('/.well-known/openid-configuration'));
  });
});
