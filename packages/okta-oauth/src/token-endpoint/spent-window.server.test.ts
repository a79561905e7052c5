/**
 * A token request into a window Okta said is spent (the token endpoint's `X-Rate-Limit-Remaining: 0`, read by a
 * shared memory coordinator), its wait past what the call has left: core fails it `RATE_LIMITED` before sending,
 * although token requests hand their answers back (`throwHttpErrors: false`, to read OAuth errors): before, each was
 * sent for Okta's 429. Core's error passes through (nothing was sent: no OAuth answer to read), naming the reset and
 * the setting to raise. Client credentials, a code exchange and a refresh, counted at the emulator over real HTTP.
 */
import { createMemoryRateLimitCoordinator, isOktaApiError } from '@org/okta-auth-core';
import { describe, expect, it } from 'vitest';
import { createServiceAppCredential } from '../service-app.js';
import { signIn, useSignInOrg } from '../user/test-helpers/sign-in-org.js';

const env = useSignInOrg();
const retry = { limit: 2, maxWaitMs: 2000 };
const sentTokenRequests = (): number => env.org.counters().requests['POST /oauth2/v1/token'] ?? 0;
const refusedHere = /^429 Too Many Requests \(POST 127\.0\.0\.1:\d+\/oauth2\/v1\/token\): nothing was sent: the org's budget for write \/oauth2\/v1\/token is spent until its reset in \d+ s; its wait of \d+ ms for the reset is past the \d+ ms left of retry\.maxWaitMs; raise retry\.maxWaitMs$/;

/** The token endpoint allowing one request a minute, its window starting a second ago on the org's clock (its reset far past 2 s). */
function oneTokenRequestAMinute(): void {
  env.org.setClockOffset(61 - (Math.floor(Date.now() / 1000) % 60));
  env.org.setRateLimit('/oauth2/v1/token', 1);
}

/** What `work` failed with: core's `RATE_LIMITED`, made here (no request id), and the window in its `rateLimit`. */
async function refused(work: Promise<unknown>): Promise<void> {
  const error = await work.then(() => undefined, (e: unknown) => e);
  expect(isOktaApiError(error) && { code: error.code, requestId: error.requestId, remaining: error.rateLimit.remaining }).toEqual({ code: 'RATE_LIMITED', requestId: undefined, remaining: 0 });
  expect((error as Error).message).toMatch(refusedHere);
}

describe('a token request into a window Okta said is spent', () => {
  it('client credentials: RATE_LIMITED, nothing sent', async () => {
    oneTokenRequestAMinute();
    const app = env.org.createServiceApp({ keyType: 'EC', requireDpop: false, scopes: ['okta.users.read'] });
    const rateLimitCoordinator = createMemoryRateLimitCoordinator({ headroom: 0 });
    const credential = () =>
      createServiceAppCredential({ orgUrl: env.org.url, clientId: app.clientId, privateKey: app.privateKeyPem, keyId: app.keyId, scopes: ['okta.users.read'], allowInsecureLoopback: true, rateLimitCoordinator, retry });
    const attempt = { method: 'GET', url: new URL('/api/v1/users', env.org.url) };
    await credential().authorize(attempt);
    const before = sentTokenRequests();
    await refused(credential().authorize(attempt));
    expect(sentTokenRequests()).toBe(before);
  });

  it("a user's code exchange and refresh: RATE_LIMITED, nothing sent", async () => {
    oneTokenRequestAMinute();
    const clock = { now: Date.now() };
    const client = env.spa({ now: () => clock.now, rateLimitCoordinator: createMemoryRateLimitCoordinator({ headroom: 0 }), retry });
    const { tokens } = await signIn(client);
    const before = sentTokenRequests();
    await refused(signIn(client));
    // The access token expired on the client's clock: its renewal is a refresh, into the same window.
    clock.now += 3600_000;
    await refused(client.credential(tokens).getAccessToken());
    expect(sentTokenRequests()).toBe(before);
  }, 30_000);
});
