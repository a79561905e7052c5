/**
 * Issue 12 item 16: concurrent DPoP requests and the server nonce. A request that went out
 * without the nonce (or with an older one) retries once with the nonce now known, even when
 * another request's answer stored it first: at the token endpoint (five users finishing
 * sign-in at once on one client) and at resources (user credentials and a service app).
 */
import { createOktaFetch, type OktaCredential } from '@org/okta-auth-core';
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { createServiceAppCredential, createSignInClient, type SignInClient } from '@org/okta-oauth';
import { afterEach, describe, expect, it } from 'vitest';
import { fillSignInForm } from '@org/okta-test-utils';

const REDIRECT = 'http://127.0.0.1:5173/callback';
const PASSWORD = 'Correct-Horse-9';
const USERS = 5;
let org: OktaEmulator | undefined;
afterEach(async () => {
  await org?.close();
  org = undefined;
});

function dpopClient(emulator: OktaEmulator): SignInClient {
  const app = emulator.createSignInApp({ type: 'spa', redirectUris: [REDIRECT], scopes: ['okta.users.read'], requireDpop: true });
  return createSignInClient({ orgUrl: emulator.url, clientId: app.clientId, redirectUri: REDIRECT, scopes: ['openid', 'okta.users.read'], dpop: true, allowInsecureLoopback: true, retry: false });
}

/** Five admins, each through the sign-in form; the callbacks are finished all at once. */
async function signInAtOnce(emulator: OktaEmulator, client: SignInClient) {
  const started = [];
  for (let i = 0; i < USERS; i++) {
    const login = `dpop.user${i}@example.com`;
    emulator.createUser({ login, password: PASSWORD, admin: true, firstName: 'D', lastName: `U${i}` });
    const { url, transaction } = await client.startSignIn();
    started.push({ callback: await fillSignInForm(url, login, PASSWORD), transaction });
  }
  return Promise.allSettled(started.map(({ callback, transaction }) => client.finishSignIn(callback, transaction)));
}

const failures = (outcomes: PromiseSettledResult<unknown>[]) =>
  outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => (o.reason as Error).message);

describe('hostile oauth: concurrent DPoP requests and the nonce', () => {
  it('five users finishing sign-in at once on one dpop client all get DPoP tokens (retry when the nonce sent is not the one known)', async () => {
    org = await startEmulator();
    const outcomes = await signInAtOnce(org, dpopClient(org));
    expect(failures(outcomes)).toEqual([]);
    for (const o of outcomes) expect(o.status === 'fulfilled' && o.value.tokens.tokenType).toBe('DPoP');
  });

  it('five user credentials on one dpop client calling a nonce-requiring resource at once all succeed', async () => {
    org = await startEmulator();
    const client = dpopClient(org);
    const outcomes = await signInAtOnce(org, client);
    expect(failures(outcomes)).toEqual([]);
    org.requireResourceNonce(true);
    const credentials = outcomes.map((o) => (o.status === 'fulfilled' ? client.credential(o.value) : undefined)).filter((c) => c !== undefined);
    const calls = await Promise.allSettled(credentials.map((credential) => listUsers(credential)));
    expect(failures(calls)).toEqual([]);
  });

  it('five concurrent calls of a DPoP service app to a nonce-requiring resource all succeed', async () => {
    // Nonces rotate every 10 s and stay acceptable for 30: moving the org clock two minutes on
    // makes the nonce the credential holds stale, so every call is challenged with a new one.
    // (With 1 s nonces, acceptable for 3, a loaded machine's 3 s between a challenge and its
    // retry made the nonce stale before it was used.)
    org = await startEmulator({ seed: { users: 1 }, dpopNonceLifetimeSeconds: 10 });
    const app = org.createServiceApp({ keyType: 'EC', requireDpop: true, scopes: ['okta.users.read'] });
    const credential = createServiceAppCredential({
      orgUrl: org.url,
      clientId: app.clientId,
      privateKey: app.privateKeyPem,
      keyId: app.keyId,
      scopes: ['okta.users.read'],
      dpop: 'required',
      allowInsecureLoopback: true,
      retry: false,
    });
    expect(await listUsers(credential)).toBe(200); // a token and the token endpoint's nonce first
    org.requireResourceNonce(true);
    org.setClockOffset(120);
    const calls = await Promise.allSettled(Array.from({ length: USERS }, () => listUsers(credential)));
    expect(failures(calls)).toEqual([]);
  });
});

async function listUsers(credential: OktaCredential): Promise<number> {
  const okta = createOktaFetch({ credential, retry: false });
  const response = await okta('/api/v1/users?limit=2');
  return response.status;
}
