import type { AnswerState, AuthorizationHeaders, RequestAttempt } from '@org/okta-auth-core';
import { describe, expect, it } from 'vitest';
import { DpopSession } from '../dpop/dpop-session.js';
import { ServerClock } from '../internal/server-clock.js';
import { TokenCache } from '../token-cache/token-cache.js';
import { createMemoryTokenStore } from '../token-cache/token-store.js';
import { appAdvice, serviceAppOwner } from './app-advice.js';
import { createTokenCredential } from './token-credential.js';

const origin = 'https://acme.okta.com';

function setup(tokenType: 'Bearer' | 'DPoP' = 'Bearer') {
  let n = 0;
  const cache = new TokenCache({
    store: createMemoryTokenStore(),
    key: 'k',
    obtain: () => Promise.resolve({ accessToken: `at-${++n}`, tokenType, expiresAt: Date.now() + 3_600_000, lifetimeMs: 3_600_000, scope: 'okta.users.read' }),
  });
  const credential = createTokenCredential({ kind: 'service-app', origin, cache, dpop: new DpopSession(origin), clock: new ServerClock(), advice: appAdvice(['okta.users.read'], serviceAppOwner) });
  const attempt = (): RequestAttempt => ({ method: 'GET', url: new URL('/api/v1/users', origin) });
  return { credential, attempt };
}

const answer = (status: number, wwwAuthenticate?: string, headers: Record<string, string> = {}) =>
  new Response(null, { status, headers: { ...(wwwAuthenticate === undefined ? {} : { 'www-authenticate': wwwAuthenticate }), ...headers } });

/** What core hands challenge() and explain(): this attempt, the request as sent with what authorize() gave, the answer. */
const state = (attempt: RequestAttempt, sent: AuthorizationHeaders, response: Response, errorCode?: string): AnswerState => ({
  attempt,
  request: new Request(attempt.url, { headers: sent }),
  response,
  errorCode,
});

describe('token credential challenges', () => {
  it('drops the token on 401 invalid_token and on a bare 401, not on other errors', async () => {
    const { credential, attempt } = setup();
    const a1 = attempt();
    const h1 = await credential.authorize(a1);
    expect(h1.authorization).toBe('Bearer at-1');
    expect(await credential.challenge?.(state(a1, h1, answer(401, 'Bearer error="invalid_token", error_description="The access token is invalid."')))).toBe(true);
    const a2 = attempt();
    const h2 = await credential.authorize(a2);
    expect(h2.authorization).toBe('Bearer at-2');
    expect(await credential.challenge?.(state(a2, h2, answer(401)))).toBe(true);
    const a3 = attempt();
    const h3 = await credential.authorize(a3);
    expect(h3.authorization).toBe('Bearer at-3');
    expect(await credential.challenge?.(state(a3, h3, answer(401, 'Bearer error="invalid_request"')))).toBe(false);
    expect(await credential.challenge?.(state(a3, h3, answer(403, 'Bearer error="invalid_token"')))).toBe(false);
    expect(await credential.challenge?.(state(a3, h3, answer(400)))).toBe(false);
    expect((await credential.authorize(attempt())).authorization).toBe('Bearer at-3');
  });

  it('does not drop a newer token when an old one is refused', async () => {
    const { credential, attempt } = setup();
    const old = attempt();
    const oldSent = await credential.authorize(old);
    const newer = attempt();
    const newerSent = await credential.authorize(newer);
    await credential.challenge?.(state(newer, newerSent, answer(401, 'Bearer error="invalid_token"')));
    expect((await credential.authorize(attempt())).authorization).toBe('Bearer at-2');
    await credential.challenge?.(state(old, oldSent, answer(401, 'Bearer error="invalid_token"')));
    expect((await credential.authorize(attempt())).authorization).toBe('Bearer at-2');
  });

  it('remembers a resource nonce from a DPoP challenge (400 or 401) and signs with it', async () => {
    const { credential, attempt } = setup('DPoP');
    const a = attempt();
    const concurrent = attempt();
    const first = await credential.authorize(a);
    const concurrentSent = await credential.authorize(concurrent);
    expect(first.authorization).toBe('DPoP at-1');
    expect(first.dpop).toBeTruthy();
    const challenge = 'DPoP algs="ES256", error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof."';
    expect(await credential.challenge?.(state(a, first, answer(401, challenge, { 'dpop-nonce': 'rs-1' })))).toBe(true);
    // Sent without the nonce another answer brought meanwhile: retried too.
    expect(await credential.challenge?.(state(concurrent, concurrentSent, answer(401, challenge, { 'dpop-nonce': 'rs-1' })))).toBe(true);
    const b = attempt();
    const second = await credential.authorize(b);
    const payload = JSON.parse(atob((second.dpop ?? '').split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
    expect(payload.nonce).toBe('rs-1');
    // Sent with the nonce and refused with that same nonce: no retry can help.
    expect(await credential.challenge?.(state(b, second, answer(400, challenge, { 'dpop-nonce': 'rs-1' })))).toBe(false);
  });

  it("moves its clock by any refusal's Date: the retry of a 401 invalid_token an hour ahead is signed on Okta's time; a Date two days off is not followed", async () => {
    const iat = (sent: AuthorizationHeaders) => (JSON.parse(atob((sent.dpop ?? '').split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { iat: number }).iat;
    const expired = 'DPoP algs="ES256", error="invalid_token", error_description="The token has expired."';
    const dated = (offsetMs: number) => ({ date: new Date(Date.now() + offsetMs).toUTCString() });
    const { credential, attempt } = setup('DPoP');
    const local = Math.floor(Date.now() / 1000);
    const hostile = attempt();
    const hostileSent = await credential.authorize(hostile);
    expect(await credential.challenge?.(state(hostile, hostileSent, answer(401, expired, dated(2 * 86_400_000))))).toBe(true);
    expect(iat(await credential.authorize(attempt()))).toBeLessThan(local + 60);
    const a = attempt();
    const sent = await credential.authorize(a);
    expect(await credential.challenge?.(state(a, sent, answer(401, expired, dated(3_600_000))))).toBe(true);
    expect(iat(await credential.authorize(attempt()))).toBeGreaterThanOrEqual(local + 3600 - 2);
  });

  it('explains insufficient_scope with what was requested and granted', async () => {
    const { credential, attempt } = setup();
    const a = attempt();
    const sent = await credential.authorize(a);
    const www = 'Bearer authorization_uri="x", realm="x", scope="okta.groups.read", error="insufficient_scope", error_description="The access token provided does not contain the required scopes."';
    expect(await credential.challenge?.(state(a, sent, answer(403, www)))).toBe(false);
    expect(credential.explain(state(a, sent, answer(403, www), 'E0000006'))).toMatch(/lacks the scope okta\.groups\.read: add it.*granted: okta\.users\.read/);
    // Another answer (no insufficient_scope challenge) gets no scope advice: nothing was left over.
    expect(credential.explain(state(attempt(), sent, answer(403), 'E0000006'))).toBeUndefined();
  });
});
