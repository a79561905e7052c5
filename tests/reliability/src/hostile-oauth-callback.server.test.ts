/**
 * Issue 12 item 1: a sign-in callback's tokens go only to the caller whose transaction (state,
 * PKCE verifier) produced the code exchange, and a transaction is used once. The org on
 * 127.0.0.1 binds each code to its PKCE challenge, as Okta does. A callback repeating a response
 * parameter (RFC 6749 §3.1) is refused before any token request.
 */
import { createHash } from 'node:crypto';
import { isOktaAuthError } from '@org/okta-auth-core';
import { createSignInClient, type SignInClient } from '@org/okta-oauth';
import { failure } from '@org/okta-test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { startHostileOrg, type HostileOrg } from './test-helpers/hostile-oauth-server.js';

const REDIRECT = 'http://127.0.0.1:5173/callback';
let org: HostileOrg | undefined;
afterEach(async () => {
  await org?.close();
  org = undefined;
});

/**
 * An org whose token endpoint answers a code only with the verifier of the sign-in that got it.
 * With `held`, both wait on events, not on a delay: the exchange with the right verifier is
 * answered once `held` settles, and one with another verifier once that exchange has arrived
 * (so the two are in flight together however slow the machine).
 */
async function pkceOrg(held?: Promise<void>): Promise<{ org: HostileOrg; issue(authorizeUrl: URL, code: string): void; exchanges(): number }> {
  const codes = new Map<string, { challenge: string; accessToken: string }>();
  let exchanges = 0;
  let arrived: () => void = () => undefined;
  const rightOneArrived = new Promise<void>((resolve) => (arrived = resolve));
  const started = await startHostileOrg({
    '/oauth2/v1/token': async ({ form }) => {
      exchanges++;
      const code = codes.get(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      if (createHash('sha256').update(verifier).digest('base64url') !== code?.challenge) {
        if (held !== undefined) await rightOneArrived;
        return { status: 400, body: { error: 'invalid_grant', error_description: 'PKCE verification failed.' } };
      }
      arrived();
      await held;
      codes.delete(form.get('code') ?? '');
      return { body: { access_token: code.accessToken, token_type: 'Bearer', expires_in: 3600, scope: 'okta.users.read' } };
    },
  });
  return {
    org: started,
    issue(authorizeUrl, code) {
      codes.set(code, { challenge: authorizeUrl.searchParams.get('code_challenge') ?? '', accessToken: `access-token-of-${code}-0123456789` });
    },
    exchanges: () => exchanges,
  };
}

function client(url: string): SignInClient {
  return createSignInClient({ orgUrl: url, clientId: '0oaWeb', redirectUri: REDIRECT, scopes: ['okta.users.read'], allowInsecureLoopback: true, retry: false });
}

const callbackOf = (url: string, code: string, state: string) => `${REDIRECT}?code=${code}&state=${state}&iss=${encodeURIComponent(url)}`;

/** A sign-in started on a fresh PKCE org, which has issued `code` for it; `callback` brings that code back. */
async function startedWithCode(code: string) {
  const setup = await pkceOrg();
  org = setup.org;
  const signIn = client(org.url);
  const { url, transaction } = await signIn.startSignIn();
  setup.issue(url, code);
  return { setup, signIn, url, transaction, callback: callbackOf(org.url, code, transaction.state) };
}

describe('hostile oauth: sign-in callbacks', () => {
  it("a callback's tokens never reach a caller with another transaction, even while the victim's exchange is in flight", async () => {
    let answerVictim: () => void = () => undefined;
    const setup = await pkceOrg(new Promise((resolve) => (answerVictim = resolve)));
    org = setup.org;
    const signIn = client(org.url);
    const victim = await signIn.startSignIn();
    const attacker = await signIn.startSignIn();
    setup.issue(victim.url, 'victim-code-0123456789');
    // The attacker replays the victim's code with his own state and transaction while the victim's exchange runs.
    const victimResult = signIn.finishSignIn(callbackOf(org.url, 'victim-code-0123456789', victim.transaction.state), victim.transaction);
    const attackerResult = signIn.finishSignIn(callbackOf(org.url, 'victim-code-0123456789', attacker.transaction.state), attacker.transaction);
    // …and once more with the victim's state in the URL but his own transaction.
    const attackerWithVictimState = signIn.finishSignIn(callbackOf(org.url, 'victim-code-0123456789', victim.transaction.state), {
      ...attacker.transaction,
      state: victim.transaction.state,
    });
    // Each outcome is taken at once: the third is refused before anything is sent, while the others wait.
    const outcomes = Promise.allSettled([victimResult, attackerResult, attackerWithVictimState]);
    // The victim's exchange is answered only once the attacker's own exchange has its outcome.
    await attackerResult.catch(() => undefined);
    answerVictim();
    const [v, a, b] = await outcomes;
    expect(v.status === 'fulfilled' && v.value.tokens.accessToken.reveal()).toBe('access-token-of-victim-code-0123456789-0123456789');
    for (const outcome of [a, b]) {
      expect(outcome.status).toBe('rejected');
      const reason = outcome.status === 'rejected' ? (outcome.reason as unknown) : undefined;
      expect(isOktaAuthError(reason) && ['TOKEN_REQUEST_FAILED', 'STATE_MISMATCH'].includes(reason.code)).toBe(true);
    }
  });

  it('the same callback finished twice at once with the same transaction shares one code exchange', async () => {
    const { setup, signIn, transaction, callback } = await startedWithCode('double-code-0123456789');
    const [first, second] = await Promise.all([signIn.finishSignIn(callback, transaction), signIn.finishSignIn(callback, transaction)]);
    expect(second.tokens).toBe(first.tokens);
    expect(setup.exchanges()).toBe(1);
  });

  it('a transaction is used once: finishing it again is refused without a token request', async () => {
    const { setup, signIn, url, transaction, callback } = await startedWithCode('once-code-0123456789');
    await signIn.finishSignIn(callback, transaction);
    setup.issue(url, 'second-code-0123456789');
    const again = await failure(signIn.finishSignIn(callbackOf(setup.org.url, 'second-code-0123456789', transaction.state), transaction));
    expect(isOktaAuthError(again) && again.code).toBe('STATE_MISMATCH');
    expect(setup.exchanges()).toBe(1);
  });

  it.each([
    ['code', (c: string) => `${c}&code=other-code-0123456789`],
    ['state', (c: string) => `${c}&state=another-state-0123456789`],
    ['iss', (c: string) => `${c}&iss=${encodeURIComponent('https://evil.example')}`],
    ['error', (c: string) => `${c}&error=access_denied&error=server_error`],
  ])('a callback repeating %s (RFC 6749 §3.1) is INVALID_CALLBACK before any token request; the real callback still finishes', async (name, tamper) => {
    const { setup, signIn, transaction, callback } = await startedWithCode('repeat-code-0123456789');
    const tampered = await failure(signIn.finishSignIn(tamper(callback), transaction));
    expect(isOktaAuthError(tampered) && tampered.code).toBe('INVALID_CALLBACK');
    expect((tampered as Error).message).toContain(`parameter ${name}`);
    expect(setup.exchanges()).toBe(0);
    expect((await signIn.finishSignIn(callback, transaction)).tokens.accessToken.reveal()).toMatch(/^access-token-of-repeat-code/);
  });
});
