/**
 * A token request made for an API call's attempt (a service app's client-credentials grant, a user's
 * refresh, inside `authorize`) runs within that attempt's bound (`timeoutMs`, 30 s by default): a 429
 * early in Okta's window asks for about a minute, which the default `retry.maxWaitMs` (65 s) allows,
 * and the attempt's timer cut the wait off as `TIMEOUT "GET <host>/api/v1/users got no complete answer
 * within 30000 ms"`, saying nothing of the rate limit. The wait is bounded by what the attempt can
 * spare (half of what remains of its `timeoutMs`), so the 429 is `RATE_LIMITED` at once, naming the
 * setting that would help. Over real HTTP against @org/okta-emulator; a token request made for no
 * attempt (`getAccessToken()`) keeps the whole `retry.maxWaitMs`.
 */
import { createOktaFetch, type OktaCredential } from '@org/okta-auth-core';
import { createOktaKy } from '@org/okta-auth-core/ky';
import { describe, expect, it } from 'vitest';
import { createServiceAppCredential } from '../service-app.js';
import type { TokenStore } from '../token-cache/token-store.js';
import { signIn, useSignInOrg } from '../user/test-helpers/sign-in-org.js';

const env = useSignInOrg();

/** A service app's credential on the running org, its client-credentials grant cold. */
function serviceCredential(): OktaCredential {
  const app = env.org.createServiceApp({ keyType: 'EC', requireDpop: false, scopes: ['okta.users.read'] });
  return createServiceAppCredential({ orgUrl: env.org.url, clientId: app.clientId, privateKey: app.privateKeyPem, keyId: app.keyId, scopes: ['okta.users.read'], allowInsecureLoopback: true });
}

/** Spends the token endpoint's one request a minute: the next token request is answered 429, about a minute to wait. */
async function tokenEndpointSpent(): Promise<void> {
  env.org.setRateLimit('/oauth2/v1/token', 1);
  await serviceCredential().authorize({ method: 'GET', url: new URL('/api/v1/users', env.org.url) });
}

/** What an API call made with `credential` (defaults: timeoutMs 30 s, retry.maxWaitMs 65 s) failed with. */
async function callFailure(credential: OktaCredential, path = '/api/v1/users', timeoutMs?: number): Promise<{ code?: unknown; message?: unknown }> {
  return createOktaFetch({ credential, timeoutMs })(path).then(
    (answer) => ({ code: `answered ${answer.status}` }),
    (error: unknown) => error as { code?: unknown; message?: unknown },
  );
}

/** Core's reason, naming the attempt's bound: the setting that would let the wait be taken. */
const notWaitedForTheAttempt = /^Okta's token endpoint is still rate limiting this client \([\w.:-]+, request [^)]+\): not waited for: its wait of \d+ ms for the reset is past the \d+ ms left of timeoutMs; raise timeoutMs\.$/;

// 10 s for a call whose attempt is bounded by 30 s: the cut-off wait (TIMEOUT after 30 s) fails the test.
describe('a 429 to a token request made for an attempt', { timeout: 10_000 }, () => {
  it("is RATE_LIMITED at once for a service app's grant, naming timeoutMs, not the attempt's TIMEOUT", async () => {
    await tokenEndpointSpent();
    const failed = await callFailure(serviceCredential());
    expect(failed.code).toBe('RATE_LIMITED');
    expect(failed.message).toMatch(notWaitedForTheAttempt);
  });

  it("is RATE_LIMITED at once through the ky driver, naming ky's timeout when it is the shorter", async () => {
    await tokenEndpointSpent();
    const failed = await createOktaKy({ credential: serviceCredential() })
      .get('api/v1/users', { timeout: 20_000 })
      .then(
        (answer) => ({ code: `answered ${answer.status}`, message: '' }),
        (error: unknown) => error as { code?: unknown; message?: unknown },
      );
    expect(failed.code).toBe('RATE_LIMITED');
    expect(failed.message).toMatch(/past the \d+ ms left of ky's timeout; raise ky's timeout\.$/);
  });

  it("is RATE_LIMITED at once for a user's refresh, naming timeoutMs", async () => {
    // The sign-in's code exchange spends the token endpoint's one request a minute.
    env.org.setRateLimit('/oauth2/v1/token', 1);
    const signInClient = env.spa();
    const { tokens } = await signIn(signInClient);
    // Its access token refused (401 invalid_token): the call's next attempt refreshes, answered 429.
    env.org.revokeAccessTokens();
    const failed = await callFailure(signInClient.credential(tokens), env.userPath);
    expect(failed.code).toBe('RATE_LIMITED');
    expect(failed.message).toMatch(notWaitedForTheAttempt);
  });

  /** A new service app's credential whose logger resolves `backoff` at its first 429 wait taken. */
  function watchedServiceApp(): { credential: OktaCredential; backoff: Promise<string> } {
    const app = env.org.createServiceApp({ keyType: 'EC', requireDpop: false, scopes: ['okta.users.read'] });
    let backedOff: () => void = () => undefined;
    const backoff = new Promise<string>((resolve) => (backedOff = () => resolve('backoff')));
    const logger = (event: { type: string }): void => {
      if (event.type === 'backoff') backedOff();
    };
    return { credential: createServiceAppCredential({ orgUrl: env.org.url, clientId: app.clientId, privateKey: app.privateKeyPem, keyId: app.keyId, scopes: ['okta.users.read'], allowInsecureLoopback: true, logger }), backoff };
  }

  it("keeps the whole retry.maxWaitMs for a token request made for no driver's attempt (authorize called directly)", async () => {
    await tokenEndpointSpent();
    const { credential, backoff } = watchedServiceApp();
    const controller = new AbortController();
    const outcome = credential.authorize({ method: 'GET', url: new URL('/api/v1/users', env.org.url), signal: controller.signal }).then(
      () => 'a token',
      (error: unknown) => String((error as { code?: unknown }).code),
    );
    // The 429's wait (about a minute) is taken (its backoff event), then the caller's abort ends this caller's wait.
    expect(await Promise.race([backoff, outcome])).toBe('backoff');
    controller.abort();
    expect(await outcome).toBe('ABORTED');
  });

  it("is waited out by a caller with a longer bound (or none) that joined the token request of a hasty call's attempt", async () => {
    await tokenEndpointSpent();
    const joiners = [
      (credential: OktaCredential, signal: AbortSignal) => createOktaFetch({ credential, timeoutMs: 300_000 })('/api/v1/users', { signal }),
      (credential: OktaCredential, signal: AbortSignal) => credential.authorize({ method: 'GET', url: new URL('/api/v1/users', env.org.url), signal }),
    ];
    for (const joiner of joiners) {
      const { credential, backoff } = watchedServiceApp();
      const controller = new AbortController();
      // The hasty call (timeoutMs 2000) begins the token request; the other joins it.
      const hasty = callFailure(credential, '/api/v1/users', 2_000);
      const joined = joiner(credential, controller.signal).then(
        () => 'answered',
        (error: unknown) => String((error as { code?: unknown }).code),
      );
      expect((await hasty).message).toMatch(notWaitedForTheAttempt);
      // Not the hasty call's RATE_LIMITED: the joiner asks once more, within its own bound, and waits the reset out.
      expect(await Promise.race([backoff, joined])).toBe('backoff');
      controller.abort();
      expect(await joined).toBe('ABORTED');
    }
  });

  it('is asked once by concurrent calls of one bound sharing its token request (hold141: each joiner, begun a moment later, asked again)', async () => {
    await tokenEndpointSpent();
    env.org.resetCounters();
    const okta = createOktaFetch({ credential: serviceCredential() });
    const codes = await Promise.all(
      Array.from({ length: 5 }, () =>
        okta('/api/v1/users').then(
          () => 'answered',
          (error: unknown) => String((error as { code?: unknown }).code),
        ),
      ),
    );
    expect(codes).toEqual(Array(5).fill('RATE_LIMITED'));
    expect(env.org.counters().requests['POST /oauth2/v1/token']).toBe(1);
  });

  it('is not asked again for a joiner whose own signal fired before the token request failed (hold141)', async () => {
    await tokenEndpointSpent();
    env.org.resetCounters();
    const app = env.org.createServiceApp({ keyType: 'EC', requireDpop: false, scopes: ['okta.users.read'] });
    // Each token flight reads the store first, at once: its reads count the flights.
    let reads = 0;
    const tokenStore: TokenStore = {
      get: () => {
        reads++;
        return Promise.resolve(undefined);
      },
      set: () => Promise.resolve(),
      delete: () => Promise.resolve(),
    };
    const controller = new AbortController();
    // The joiner's caller gives up as the 429 arrives, before the hasty call's token request fails.
    const logger = (event: { type: string; status?: number }): void => {
      if (event.type === 'response' && event.status === 429) controller.abort();
    };
    const credential = createServiceAppCredential({ orgUrl: env.org.url, clientId: app.clientId, privateKey: app.privateKeyPem, keyId: app.keyId, scopes: ['okta.users.read'], allowInsecureLoopback: true, tokenStore, logger });
    const hasty = callFailure(credential, '/api/v1/users', 2_000);
    const joined = createOktaFetch({ credential, timeoutMs: 300_000 })('/api/v1/users', { signal: controller.signal }).then(
      () => 'answered',
      (error: unknown) => String((error as { code?: unknown }).code),
    );
    expect((await hasty).message).toMatch(notWaitedForTheAttempt);
    expect(await joined).toBe('ABORTED');
    expect(reads).toBe(1);
    expect(env.org.counters().requests['POST /oauth2/v1/token']).toBe(1);
  });
});
