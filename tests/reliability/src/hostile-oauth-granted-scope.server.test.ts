/**
 * The granted `scope` of a token answer is shown: in the hint of every later `insufficient_scope`
 * error (its message), and in `UserTokens.scopes`. A hostile answer's scope of terminal escapes,
 * line breaks (a forged log line) and most of a megabyte reached the message of that error whole.
 * A scope that is not RFC 6749 §3.3's syntax, or is over 8192 characters, is now refused with
 * INVALID_TOKEN_RESPONSE (for service, OIN and user tokens alike: one token-answer reader), and an
 * unexpected `token_type` is quoted through the one cleaner.
 */
import { createOktaFetch, isOktaAuthError } from '@org/okta-auth-core';
import { createOinAppCredential, createSignInClient, UserTokens } from '@org/okta-oauth';
import { afterEach, describe, expect, it } from 'vitest';
import { startHostileOrg, type HostileOrg } from './test-helpers/hostile-oauth-server.js';

let org: HostileOrg | undefined;
afterEach(async () => {
  await org?.close();
  org = undefined;
});

const hostileScopes = [
  ['terminal escapes and a forged log line', 'okta.users.read \u001b[2J\u001b[31m\r\nINFO all good'],
  ['most of a megabyte', `okta.users.read ${'okta.x'.repeat(150_000)}`],
  ['a quote and a backslash', 'okta.users.read "x\\y"'],
] as const;

async function scopeOrg(scope: unknown, tokenType = 'Bearer'): Promise<HostileOrg> {
  return startHostileOrg({
    '/oauth2/v1/token': () => ({ body: { access_token: 'access-token-0123456789', token_type: tokenType, expires_in: 3600, refresh_token: 'refresh-token-1-0123456789', scope } }),
    '/api/v1/users': () => ({ status: 403, headers: { 'www-authenticate': 'Bearer error="insufficient_scope", scope="okta.groups.read"' }, body: { errorCode: 'E0000006', errorSummary: 'You do not have permission' } }),
  });
}

/** Whether a text has a control character (a terminal escape, a line break). */
function hasControl(text: string | undefined): boolean {
  for (let i = 0; i < (text?.length ?? 0); i++) if ((text?.charCodeAt(i) ?? 0x20) < 0x20) return true;
  return false;
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as Error & { code?: string },
  );

function oin(url: string) {
  return createOinAppCredential({ orgUrl: url, clientId: '0oaOin', clientSecret: 'oin-secret-0123456789', scopes: 'okta.users.read', allowInsecureLoopback: true, retry: false });
}

describe('hostile oauth: the granted scope of a token answer', () => {
  it.each(hostileScopes)('an OIN token answer whose scope has %s is INVALID_TOKEN_RESPONSE; nothing of it reaches the message', async (_name, scope) => {
    org = await scopeOrg(scope);
    const error = await failure(createOktaFetch({ credential: oin(org.url) })('/api/v1/users'));
    expect(isOktaAuthError(error) && error.code).toBe('INVALID_TOKEN_RESPONSE');
    expect(error?.message).toMatch(/"scope"/);
    expect(error?.message.length).toBeLessThan(1000);
    expect(hasControl(error?.message)).toBe(false);
    expect(org.to('/api/v1/users')).toHaveLength(0);
  });

  it.each(hostileScopes)('a refreshed user token whose scope has %s is INVALID_TOKEN_RESPONSE and not used', async (_name, scope) => {
    org = await scopeOrg(scope);
    const client = createSignInClient({ orgUrl: org.url, clientId: '0oaWeb', scopes: ['okta.users.read'], allowInsecureLoopback: true, retry: false });
    const credential = client.credential(new UserTokens({ accessToken: 'expired-access-token-0123456789', tokenType: 'Bearer', expiresAt: Date.now() - 1000, refreshToken: 'refresh-token-0-0123456789' }));
    const error = await failure(credential.getAccessToken());
    expect(isOktaAuthError(error) && error.code).toBe('INVALID_TOKEN_RESPONSE');
    const scopes = credential.tokens?.scopes.join(' ') ?? '';
    expect(hasControl(scopes) || scopes.includes('"')).toBe(false);
  });

  // Each was read as "no scope": the client took it for what it asked for, unlike a present but malformed refresh_token or id_token.
  it.each([
    ['a number', 12345],
    ['null', null],
    ['an object', { granted: 'scope-secret-0123456789' }],
    ['an array', ['okta.users.read', 'scope-secret-0123456789']],
  ] as const)('a token answer whose scope is present but %s is INVALID_TOKEN_RESPONSE naming the field, never its value', async (_name, scope) => {
    org = await scopeOrg(scope);
    const error = await failure(createOktaFetch({ credential: oin(org.url) })('/api/v1/users'));
    expect(isOktaAuthError(error) && error.code).toBe('INVALID_TOKEN_RESPONSE');
    expect(error?.message).toMatch(/with a "scope" that is not a space-separated list of scope names/);
    expect(JSON.stringify(error) + String(error)).not.toMatch(/scope-secret|12345|access-token-0123456789/);
    expect(org.to('/api/v1/users')).toHaveLength(0);
  });

  it('a well-formed scope (several spaces too) is kept, and the insufficient_scope hint names it', async () => {
    org = await scopeOrg(' okta.users.read  okta.apps.read ');
    const error = await failure(createOktaFetch({ credential: oin(org.url) })('/api/v1/users'));
    expect(isOktaAuthError(error) && error.code).toBe('API_ERROR');
    expect(error?.message).toContain('okta.users.read');
  });

  it('an unexpected token_type with control characters is quoted through the one cleaner', async () => {
    org = await scopeOrg('okta.users.read', 'mac\u001b[2J\r\nINFO forged');
    const error = await failure(createOktaFetch({ credential: oin(org.url) })('/api/v1/users'));
    expect(isOktaAuthError(error) && error.code).toBe('INVALID_TOKEN_RESPONSE');
    expect(error?.message).toMatch(/unexpected token_type "mac/);
    expect(hasControl(error?.message)).toBe(false);
  });
});
