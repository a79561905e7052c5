/**
 * Text an answer chose reaches a message only through core's one cleaner of echoed text
 * (`printable`: control characters, C1 controls such as the 8-bit CSI U+009B, line separators and
 * bidirectional overrides flattened), as every OAuth error field has since the eighth session.
 * Two okta-oauth messages quoted answer text cut to length but not cleaned: a discovery
 * document's `issuer` (JSON, so any character: a terminal escape that clears the screen, a
 * forged log line) and the `Content-Type` of a token answer that is not JSON (a header value:
 * C1 controls, which Node.js reads from bytes 0x80–0x9F). Nor was `X-Okta-Request-Id` cleaned
 * anywhere but in core's `OktaApiError`: okta-oauth's three readers of it (OAuth errors, unusable
 * token answers, the sign-in client's JSON answers) and core's `response` log event only scrubbed
 * it, so an id with C1 controls reached `TOKEN_REQUEST_FAILED`'s message, `requestId` fields and
 * every logger. One reader now (`answerRequestId`): scrubbed, then cleaned.
 */
import { createOktaFetch, isOktaAuthError, type OktaLogEvent } from '@org/okta-auth-core';
import { createOinAppCredential, createSignInClient, isOktaSignInError, UserTokens } from '@org/okta-oauth';
import { afterEach, describe, expect, it } from 'vitest';
import { startHostileOrg, type HostileOrg } from './test-helpers/hostile-oauth-server.js';
import { discoveryDocument } from './test-helpers/scripted.js';

let org: HostileOrg | undefined;
afterEach(async () => {
  await org?.close();
  org = undefined;
});

/** Core's `unprintable` class, as a test: C0, DEL, C1, U+061C, U+200E/F, U+2028–U+202E, U+2066–U+2069. */
// eslint-disable-next-line no-control-regex -- the characters the test looks for
const unwanted = /[\0-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as Error & { code?: string },
  );

describe('hostile oauth: answer text quoted in messages', () => {
  it.each([
    ['a terminal escape and a forged log line', 'https://evil.example\u001b[2J\u001b[H\r\nINFO signed in as root'],
    ['C1 controls and bidirectional overrides', 'https://evil.example\u009b2K\u0085forged\u202eresu\u2066x\u2069\u2028end'],
  ])("a discovery document's issuer with %s is DISCOVERY_FAILED quoting none of them", async (_name, issuer) => {
    org = await startHostileOrg({ '/.well-known/openid-configuration': (_request, o) => ({ body: { ...discoveryDocument(o.url), issuer } }) });
    const client = createSignInClient({ orgUrl: org.url, clientId: '0oaSpa', redirectUri: 'http://127.0.0.1/cb', scopes: ['openid'], allowInsecureLoopback: true, retry: false });
    const error = await failure(client.startSignIn());
    expect(isOktaSignInError(error) && error.code).toBe('DISCOVERY_FAILED');
    expect(error?.message).toContain('https://evil.example');
    expect(error?.message).not.toMatch(unwanted);
  });

  const contentType = 'text/\u009b2J\u009bHforged\u0085line';
  const nonJson = () => startHostileOrg({ '/oauth2/v1/token': () => ({ headers: { 'content-type': contentType }, body: 'not json' }) });

  it('a non-JSON token answer whose Content-Type has C1 controls is INVALID_TOKEN_RESPONSE quoting none of them (service and OIN apps)', async () => {
    org = await nonJson();
    const credential = createOinAppCredential({ orgUrl: org.url, clientId: '0oaOin', clientSecret: 'oin-secret-0123456789', scopes: 'okta.users.read', allowInsecureLoopback: true, retry: false });
    const error = await failure(createOktaFetch({ credential })('/api/v1/users'));
    expect(isOktaAuthError(error) && error.code).toBe('INVALID_TOKEN_RESPONSE');
    expect(error?.message).toContain('not JSON (text/');
    expect(error?.message).not.toMatch(unwanted);
  });

  it('a non-JSON refresh answer whose Content-Type has C1 controls is INVALID_TOKEN_RESPONSE quoting none of them (users)', async () => {
    org = await nonJson();
    const client = createSignInClient({ orgUrl: org.url, clientId: '0oaSpa', scopes: ['okta.users.read'], allowInsecureLoopback: true, retry: false });
    const expired = new UserTokens({ accessToken: 'access-token-0123456789', tokenType: 'Bearer', expiresAt: Date.now() - 1000, refreshToken: 'refresh-token-0123456789' });
    const error = await failure(client.credential(expired).getAccessToken());
    expect(isOktaAuthError(error) && error.code).toBe('INVALID_TOKEN_RESPONSE');
    expect(error?.message).toContain('not JSON (text/');
    expect(error?.message).not.toMatch(unwanted);
  });

  // Node.js writes header strings as Latin-1: the client reads the byte 0x9B back as U+009B.
  const requestId = 'req\u009b2K\u009b1Gforged\u0085line';

  it('a token endpoint error whose request id has C1 controls: the message, requestId and the response log event are without them', async () => {
    org = await startHostileOrg({
      '/oauth2/v1/token': () => ({ status: 400, headers: { 'x-okta-request-id': requestId }, body: { error: 'invalid_request', error_description: 'no' } }),
    });
    const events: OktaLogEvent[] = [];
    const client = createSignInClient({ orgUrl: org.url, clientId: '0oaSpa', scopes: ['okta.users.read'], allowInsecureLoopback: true, retry: false, logger: (event) => void events.push(event) });
    const expired = new UserTokens({ accessToken: 'access-token-0123456789', tokenType: 'Bearer', expiresAt: Date.now() - 1000, refreshToken: 'refresh-token-0123456789' });
    const error = await failure(client.credential(expired).getAccessToken());
    expect(isOktaAuthError(error) && error.code).toBe('TOKEN_REQUEST_FAILED');
    expect(error?.message).toContain('req 2K 1Gforged line');
    const responses = events.filter((event) => event.type === 'response');
    expect(responses.map((event) => event.requestId)).toContain('req 2K 1Gforged line');
    for (const text of [error?.message, (error as { requestId?: string }).requestId, JSON.stringify(responses)]) expect(text).not.toMatch(unwanted);
  });

  it('a device authorization answer that is not JSON, whose request id has C1 controls: requestId is without them', async () => {
    org = await startHostileOrg({ '/oauth2/v1/device/authorize': () => ({ headers: { 'x-okta-request-id': requestId }, body: 'not json' }) });
    const client = createSignInClient({ orgUrl: org.url, clientId: '0oaSpa', scopes: ['okta.users.read'], allowInsecureLoopback: true, retry: false });
    const error = await failure(client.startDeviceSignIn());
    expect(isOktaSignInError(error) && error.code).toBe('INVALID_RESPONSE');
    expect((error as { requestId?: string }).requestId).toBe('req 2K 1Gforged line');
  });

  it('a token answer with a bad expires_in whose request id has C1 controls: requestId is without them', async () => {
    org = await startHostileOrg({
      '/oauth2/v1/token': () => ({ headers: { 'x-okta-request-id': requestId }, body: { access_token: 'access-token-0123456789', token_type: 'Bearer', expires_in: -5 } }),
    });
    const credential = createOinAppCredential({ orgUrl: org.url, clientId: '0oaOin', clientSecret: 'oin-secret-0123456789', scopes: 'okta.users.read', allowInsecureLoopback: true, retry: false });
    const error = await failure(createOktaFetch({ credential })('/api/v1/users'));
    expect(isOktaAuthError(error) && error.code).toBe('INVALID_TOKEN_RESPONSE');
    expect((error as { requestId?: string }).requestId).toBe('req 2K 1Gforged line');
  });
});
