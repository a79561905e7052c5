/**
 * Red team of the service and OIN app paths (seventh session): the scope an `insufficient_scope`
 * challenge names (RFC 6750 §3) reaches the credential's hint (`OktaApiError.hint`, and the
 * message). A resource naming a "scope" that is no RFC 6749 §3.3 scope list — C1 control
 * characters (an 8-bit CSI, which Node's HTTP parser lets through as Latin-1), quotes, most of a
 * 16 KiB header — had it quoted whole in the hint, twice over. The hint now names only a
 * well-formed scope list of at most 8192 characters (the granted scope's rule) and otherwise says
 * Okta named no readable scope.
 */
import { createOktaFetch, isOktaAuthError } from '@org/okta-auth-core';
import { createOinAppCredential } from '@org/okta-oauth';
import { afterEach, describe, expect, it } from 'vitest';
import { startHostileOrg, type HostileOrg } from './test-helpers/hostile-oauth-server.js';

let org: HostileOrg | undefined;
afterEach(async () => {
  await org?.close();
  org = undefined;
});

async function challengeOrg(scope: string): Promise<HostileOrg> {
  return startHostileOrg({
    '/oauth2/v1/token': () => ({ body: { access_token: 'access-token-0123456789', token_type: 'Bearer', expires_in: 3600, scope: 'okta.users.read' } }),
    '/api/v1/users': () => ({
      status: 403,
      headers: { 'www-authenticate': `Bearer error="insufficient_scope", scope="${scope}"` },
      body: { errorCode: 'E0000006', errorSummary: 'You do not have permission' },
    }),
  });
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as Error & { code?: string; hint?: string },
  );

/** Whether a text has a C0 or C1 control character. */
function hasControl(text: string | undefined): boolean {
  for (let i = 0; i < (text?.length ?? 0); i++) {
    const c = text?.charCodeAt(i) ?? 0x20;
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return true;
  }
  return false;
}

function oin(url: string) {
  return createOinAppCredential({ orgUrl: url, clientId: '0oaOin', clientSecret: 'oin-secret-0123456789', scopes: 'okta.users.read', allowInsecureLoopback: true, retry: false });
}

describe('hostile service/OIN: the scope an insufficient_scope challenge names', () => {
  it.each([
    ['an 8-bit CSI (C1 control)', 'okta.groups.read \u009b2K\u009b1Gforged'],
    ['most of a 16 KiB header', `okta.groups.read ${'okta.x '.repeat(2200)}`.trim()],
  ])('with %s is not quoted in the hint', async (_name, scope) => {
    org = await challengeOrg(scope);
    const error = await failure(createOktaFetch({ credential: oin(org.url) })('/api/v1/users'));
    expect(isOktaAuthError(error) && error.code).toBe('API_ERROR');
    expect(error?.hint).toMatch(/lacks a scope/);
    expect(hasControl(error?.hint)).toBe(false);
    expect(error?.hint?.length).toBeLessThan(600);
  });

  it('a well-formed scope is still named, with the advice', async () => {
    org = await challengeOrg('okta.groups.read');
    const error = await failure(createOktaFetch({ credential: oin(org.url) })('/api/v1/users'));
    expect(error?.hint).toContain('lacks the scope okta.groups.read');
  });
});
