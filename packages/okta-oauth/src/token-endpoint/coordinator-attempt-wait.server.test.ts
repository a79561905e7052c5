/**
 * A token request made for an API call's attempt (inside `authorize`) waits a 429 out only within what
 * that attempt can spare (`attempt-wait.server.test.ts`). Its rate-limit coordinator's wait before it
 * was bounded by `retry.maxWaitMs` alone: a coordinator that knew the token endpoint's window spent
 * asked about a minute, which was taken, and the API attempt's timer cut it off as a `TIMEOUT` naming
 * the API call, nothing of the rate limit (docs/security-history.md, coordbound140). The wait now has
 * the 429's rule (`waitLeft`): past half of what the attempt has left, it is not taken and the token
 * request goes to Okta, whose answer decides; unless Okta said the window is spent, when core fails it
 * `RATE_LIMITED` there, nothing sent (coord147: before, a token request, which hands its answers back, was sent). Over real HTTP against @org/okta-emulator, with core's
 * memory coordinator shared by the credentials, as the core README sets one up.
 */
import { createMemoryRateLimitCoordinator, createOktaFetch, type CoordinatedRateLimits, type OktaCredential } from '@org/okta-auth-core';
import { createOktaKy } from '@org/okta-auth-core/ky';
import { describe, expect, it } from 'vitest';
import { createServiceAppCredential } from '../service-app.js';
import { useSignInOrg } from '../user/test-helpers/sign-in-org.js';

const env = useSignInOrg();

/** A service app's credential on the running org, its grant cold, coordinated by `rateLimitCoordinator`. */
function serviceCredential(clientId: string, app: { privateKeyPem: string; keyId: string }, rateLimitCoordinator: CoordinatedRateLimits): OktaCredential {
  return createServiceAppCredential({ orgUrl: env.org.url, clientId, privateKey: app.privateKeyPem, keyId: app.keyId, scopes: ['okta.users.read'], allowInsecureLoopback: true, rateLimitCoordinator });
}

/**
 * The token endpoint allowing `perMinute` requests, one spent by a credential coordinated by a fresh memory
 * coordinator, which then knows the window: its next reserve asks a wait until the reset (about a minute).
 */
async function spentWindow(perMinute: number): Promise<{ credential: () => OktaCredential }> {
  env.org.setRateLimit('/oauth2/v1/token', perMinute);
  const app = env.org.createServiceApp({ keyType: 'EC', requireDpop: false, scopes: ['okta.users.read'] });
  const shared = createMemoryRateLimitCoordinator();
  await serviceCredential(app.clientId, app, shared).authorize({ method: 'GET', url: new URL('/api/v1/users', env.org.url) });
  return { credential: () => serviceCredential(app.clientId, app, shared) };
}

/** What an API call with `credential` and an attempt bound of `timeoutMs` (2 s) ended with. */
const callOutcome = (credential: OktaCredential, timeoutMs = 2_000): Promise<string> =>
  createOktaFetch({ credential, timeoutMs })('/api/v1/users').then(
    (answer) => `answered ${answer.status}`,
    (error: unknown) => `${String((error as { code?: unknown }).code)}: ${String((error as { message?: unknown }).message)}`,
  );

// The wait taken was cut off by the API attempt's 2 s timer; 10 s for the whole test.
describe("a coordinator's wait before a token request made for an attempt", { timeout: 10_000 }, () => {
  it('past what the attempt can spare, in a window Okta said is spent: RATE_LIMITED at once, nothing sent, naming timeoutMs', async () => {
    const { credential } = await spentWindow(1);
    const sent = env.org.counters().requests['POST /oauth2/v1/token'];
    expect(await callOutcome(credential())).toMatch(
      /^RATE_LIMITED: 429 Too Many Requests \(POST [\w.:-]+\/oauth2\/v1\/token\): nothing was sent: the org's budget for write \/oauth2\/v1\/token is spent until its reset in \d+ s; its wait of \d+ ms for the reset is past the \d+ ms left of timeoutMs; raise timeoutMs$/,
    );
    expect(env.org.counters().requests['POST /oauth2/v1/token']).toBe(sent);
  });

  it("through the ky driver too, naming ky's timeout when it is the attempt's shorter bound", async () => {
    const { credential } = await spentWindow(1);
    const outcome = await createOktaKy({ credential: credential() })
      .get('api/v1/users', { timeout: 2_000 })
      .then(
        (answer) => `answered ${answer.status}`,
        (error: unknown) => `${String((error as { code?: unknown }).code)}: ${String((error as { message?: unknown }).message)}`,
      );
    expect(outcome).toMatch(/^RATE_LIMITED: .*nothing was sent: .*past the \d+ ms left of ky's timeout; raise ky's timeout$/);
  });

  it('past what the attempt can spare, is not taken: the token request goes to Okta, which answers (the headroom)', async () => {
    // Two a minute: the coordinator keeps the second back (its headroom), Okta still has it. An attempt of 20 s (half of it
    // still far under the minute's wait), not 2 s: the token request and the call are answered within it on a loaded
    // machine too (a token answer there took over 3 s).
    const { credential } = await spentWindow(2);
    expect(await callOutcome(credential(), 20_000)).toBe('answered 200');
    expect(env.org.counters().tokenRequests).toMatchObject({ client_credentials: { success: 2 } });
  });
});
