/**
 * Refresh-token rotation against answers a hostile or broken token endpoint gives (real HTTP, the
 * emulator's faults): no refresh token in the answer, an unsendable one, an invalid_grant echoing
 * the refresh token, concurrent forced renewals. Red-teamed in the twentysecond session.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { signOut } from './client-functions.js';
import { signIn, signInFailure as failure, useSignInOrg } from './test-helpers/sign-in-org.js';
import { createMemoryStorage } from './storage.js';
import type { UserTokens } from './tokens.js';

const env = useSignInOrg();
const tokenPath = '/oauth2/v1/token';

/** Every log event of the clients `expiredLater` made. */
const events: unknown[] = [];

async function expiredLater() {
  // Signed in on the org's clock as the client's (a call after another moved both an hour): the hour below then ends the tokens by Okta's clock too.
  env.org.setClockOffset(0);
  const clock = { now: Date.now() };
  const signInClient = env.spa({ now: () => clock.now, logger: (event) => void events.push(event) }, 'rotate');
  const { tokens } = await signIn(signInClient);
  const saved: (UserTokens | null)[] = [];
  const storage = createMemoryStorage();
  const credential = signInClient.credential(tokens, { storage, onTokens: (t) => void saved.push(t) });
  await credential.getAccessToken();
  clock.now += 3600_000;
  env.org.setClockOffset((clock.now - Date.now()) / 1000);
  return { signInClient, tokens, credential, saved, storage, key: `okta-oauth:${signInClient.clientId}:tokens` };
}

const shown = (value: unknown) => [inspect(value, { depth: 10, showHidden: true }), JSON.stringify(value), String(value)].join('\n');

describe('refresh rotation against a hostile token endpoint', () => {
  it('keeps the old refresh token when the answer has none (RFC 6749 §6)', async () => {
    const { tokens, credential, saved } = await expiredLater();
    env.org.injectFault({ path: tokenPath, kind: 'status', status: 200, body: { access_token: 'at-new', token_type: 'Bearer', expires_in: 3600, scope: 'openid' }, count: 1 });
    expect((await credential.getAccessToken()).reveal()).toBe('at-new');
    expect(saved.at(-1)?.refreshToken?.reveal()).toBe(tokens.refreshToken?.reveal());
  });

  it('refuses an unsendable refresh token without showing it, and keeps the tokens', async () => {
    for (const refresh_token of ['rt\u001b[2Kevil', `rt-${'x'.repeat(100_000)}`, 'rt with space']) {
      const { tokens, credential, saved } = await expiredLater();
      env.org.injectFault({ path: tokenPath, kind: 'status', status: 200, body: { access_token: 'at-new-secret', token_type: 'Bearer', expires_in: 3600, refresh_token }, count: 1 });
      const error = await failure(credential.getAccessToken());
      expect(error.code).toBe('INVALID_TOKEN_RESPONSE');
      expect(shown(error)).not.toContain('at-new-secret');
      expect(shown(error)).not.toContain(refresh_token.slice(0, 20));
      expect(credential.tokens).toBe(tokens);
      expect(saved).toEqual([]);
    }
  });

  // Each was read as "no refresh token" and the old one kept: with rotation, a token Okta has just revoked.
  it.each([12345, { value: 'rt-in-an-object' }, ['rt-in-an-array'], true, null, ''])(
    'refuses a refresh_token that is present but not a token (%o) as INVALID_TOKEN_RESPONSE naming the field, and keeps the tokens',
    async (refresh_token) => {
      const { tokens, credential, saved } = await expiredLater();
      env.org.injectFault({ path: tokenPath, kind: 'status', status: 200, body: { access_token: 'at-new-secret', token_type: 'Bearer', expires_in: 3600, refresh_token }, count: 1 });
      const error = await failure(credential.getAccessToken());
      expect(error).toMatchObject({ code: 'INVALID_TOKEN_RESPONSE', message: expect.stringContaining('with "refresh_token" set to a value that cannot go in an HTTP header or form (a string of printable ASCII, 1 B to 64 KiB)') });
      expect(shown(error)).not.toContain('at-new-secret');
      expect(shown(error)).not.toContain('rt-in-an');
      expect(credential.tokens).toBe(tokens);
      expect(saved).toEqual([]);
    },
  );

  it('ends the session on invalid_grant after rotation, scrubbing the refresh token the answer echoes', async () => {
    const { tokens, credential, saved, storage, key } = await expiredLater();
    const sent = tokens.refreshToken!.reveal();
    env.org.injectFault({
      path: tokenPath,
      kind: 'status',
      status: 400,
      body: { error: 'invalid_grant', error_description: `The refresh token ${sent} is invalid or expired.` },
      headers: { 'x-okta-request-id': sent, 'www-authenticate': `Bearer error="invalid_grant", token="${sent}"` },
      count: 1,
    });
    const error = await failure(credential.getAccessToken());
    expect(error.code).toBe('LOGIN_REQUIRED');
    expect(error.message).toMatch(/sign in again/);
    expect(shown(error)).not.toContain(sent);
    expect(shown((error as { cause?: unknown }).cause)).not.toContain(sent);
    expect(events.length).toBeGreaterThan(0);
    expect(JSON.stringify(events)).not.toContain(sent);
    expect(saved).toEqual([null]);
    expect(await storage.get(key)).toBeUndefined();
    expect(credential.tokens).toBeUndefined();
  });

  it('makes one refresh for concurrent forced renewals', async () => {
    const { credential } = await expiredLater();
    await credential.getAccessToken();
    const before = env.org.counters().tokenRequests.refresh_token?.success ?? 0;
    const got = await Promise.all([credential.getAccessToken({ forceRefresh: true }), credential.getAccessToken({ forceRefresh: true }), credential.getAccessToken()]);
    expect(env.org.counters().tokenRequests.refresh_token?.success ?? 0).toBe(before + 1);
    expect(new Set(got.map((t) => t.reveal())).size).toBe(1);
  });

  it('still says sign in again, and tells onTokens(null), when storage fails to remove the rejected tokens; a sign-out removes them later', async () => {
    const clock = { now: Date.now() };
    const signInClient = env.spa({ now: () => clock.now }, 'rotate');
    const { tokens } = await signIn(signInClient);
    const memory = createMemoryStorage();
    const storeDown = new Error('the session store is down');
    let down = true;
    const storage = {
      get: (key: string) => memory.get(key),
      set: (key: string, value: string) => memory.set(key, value),
      remove: async (key: string) => {
        if (down) throw storeDown;
        await memory.remove(key);
      },
    };
    const told: (UserTokens | null)[] = [];
    const credential = signInClient.credential(tokens, { storage, onTokens: (t) => void told.push(t) });
    await credential.getAccessToken(); // the first write has landed
    await signOut(signInClient, tokens); // revoked at Okta (an admin, another device): the next refresh is refused
    clock.now += 3600_000;
    env.org.setClockOffset((clock.now - Date.now()) / 1000);
    const key = `okta-oauth:${signInClient.clientId}:tokens`;
    const error = await failure(credential.getAccessToken());
    // Before, the caller got the storage's error (nothing said to sign in again) and onTokens never heard null.
    expect(error.code).toBe('LOGIN_REQUIRED');
    expect(error.error).toBe('invalid_grant');
    expect((error as { cause?: unknown }).cause).toBe(storeDown);
    expect(told).toEqual([null]);
    expect(credential.tokens).toBeUndefined();
    expect(await memory.get(key)).toEqual(expect.any(String));
    down = false;
    await signOut(signInClient, credential);
    expect(await memory.get(key)).toBeUndefined();
    expect(told).toEqual([null]);
  });

  it('still says sign in again when onTokens(null) throws after a rejected refresh', async () => {
    const clock = { now: Date.now() };
    const signInClient = env.spa({ now: () => clock.now }, 'rotate');
    const { tokens } = await signIn(signInClient);
    const thrown = new Error('the session store is down');
    const credential = signInClient.credential(tokens, {
      onTokens: (t) => {
        if (t === null) throw thrown;
      },
    });
    await signOut(signInClient, tokens);
    clock.now += 3600_000;
    env.org.setClockOffset((clock.now - Date.now()) / 1000);
    const error = await failure(credential.getAccessToken());
    expect(error.code).toBe('LOGIN_REQUIRED');
    expect((error as { cause?: unknown }).cause).toBe(thrown);
    expect(credential.tokens).toBeUndefined();
  });
  // RFC 6749 §5.2: invalid_grant comes in a 400; a proxy's or Okta's 5xx naming it ended the session (LOGIN_REQUIRED).
  it.each([503, 500])('a %i whose body says invalid_grant is Okta not answering, not a refused refresh token: the tokens stay', async (status) => {
    const { tokens, credential, saved } = await expiredLater();
    env.org.injectFault({ path: tokenPath, kind: 'status', status, body: { error: 'invalid_grant', error_description: 'The refresh token is invalid or expired.' }, count: 1 });
    const error = await failure(credential.getAccessToken());
    expect(error).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', status, error: 'invalid_grant' });
    expect(credential.tokens).toBe(tokens);
    expect(saved).toEqual([]);
    expect((await credential.getAccessToken()).reveal()).not.toBe(tokens.accessToken.reveal());
  });
});
