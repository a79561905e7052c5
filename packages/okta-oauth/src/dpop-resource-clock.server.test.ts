/**
 * DPoP resource proofs on the org's clock (`internal/server-clock.ts`): every credential that signs
 * them (a service app; a signed-in user's, by finishSignIn or restoreCredential, also behind
 * userInfo) uses the clock its token requests learn from Okta's `Date`, and a refused resource
 * answer's `Date` moves it too. The forty-ninth session's do131 saw in workerd a DPoP-bound user's
 * call refused ("issued more than five minutes in the past") with the org's clock an hour ahead:
 * the credential's one challenge went on the 401 of the token the org's clock had expired, and
 * the renewal it then took came from another process through the shared storage, so no token
 * answer had moved its clock and its retry was signed on the local one. Over real HTTP against
 * @org/okta-emulator, whose `Date`, tokens and proof checks follow its clock (one org per file,
 * an app per test, the clock set back after each).
 */
import { createOktaFetch } from '@org/okta-auth-core';
import { startEmulator } from '@org/okta-emulator';
import { useOrgPerFile } from '@org/okta-test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { generateDpopKeyPair } from './dpop/dpop-key-pair.js';
import { createServiceAppCredential } from './service-app.js';
import { claims } from './test-helpers/org.js';
import { recordingFetch } from './test-helpers/wire.js';
import { createMemoryTokenStore } from './token-cache/token-store.js';
import { createMemoryStorage } from './user/storage.js';
import { clientFor, login, password, redirectUri, signIn } from './user/test-helpers/sign-in-org.js';

const env = useOrgPerFile(
  () => startEmulator(),
  (org) => ({ userPath: `/api/v1/users/${org.createUser({ login, password, admin: true, firstName: 'Ada', lastName: 'Admin' }).id}` }),
);
afterEach(() => env.org.setClockOffset(0));

const status = (answer: Promise<Response>) => answer.then((response) => response.status, (error: unknown) => (error instanceof Error ? error.message : error));
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Two service-app credentials of one app, one token store and one DPoP key (two processes), each with its own wire. */
async function serviceApps() {
  const app = env.org.createServiceApp({ keyType: 'EC', requireDpop: true, scopes: ['okta.users.read'] });
  const shared = { orgUrl: env.org.url, clientId: app.clientId, privateKey: app.privateKeyPem, keyId: app.keyId, scopes: ['okta.users.read'], allowInsecureLoopback: true, tokenStore: createMemoryTokenStore(), dpopKeyPair: await generateDpopKeyPair() };
  return [recordingFetch(), recordingFetch()].map((wire) => {
    const credential = createServiceAppCredential({ ...shared, fetch: wire.fetch });
    return { wire, call: () => status(createOktaFetch({ credential, fetch: wire.fetch })('/api/v1/users')) };
  });
}

/** Two sign-in clients of one DPoP app, one storage and one DPoP key (two processes): the user signed in on the first, restored on the second. */
async function signedInUsers() {
  const app = env.org.createSignInApp({ type: 'spa', redirectUris: [redirectUri], scopes: ['okta.users.read', 'offline_access'], requireDpop: true });
  const [storage, dpopKeyPair] = [createMemoryStorage(), await generateDpopKeyPair()];
  const clients = [recordingFetch(), recordingFetch()].map((wire) => ({ wire, client: clientFor(env.org, app, { dpop: 'required', dpopKeyPair, fetch: wire.fetch }) }));
  const [one, two] = clients as [(typeof clients)[number], (typeof clients)[number]];
  const credentials = [one.client.credential(await signIn(one.client), { storage })];
  await credentials[0]?.getAccessToken();
  const restored = await two.client.restoreCredential({ storage });
  if (restored === undefined) throw new Error('restoreCredential found no tokens');
  credentials.push(restored);
  return clients.map(({ wire }, n) => {
    const credential = credentials[n];
    if (credential === undefined) throw new Error('no credential');
    return { wire, call: () => status(createOktaFetch({ credential, fetch: wire.fetch })(env.userPath)) };
  });
}

describe.each([
  ['a service app', serviceApps],
  ["a signed-in user's credential", signedInUsers],
])('%s, DPoP-bound, and the org clock', (_kind, make) => {
  it.each([3600, -3600, 70, -70])('%i s off, moved after the first call: each process is answered, retried once at most', async (offset) => {
    const [one, two] = await make();
    expect(await one?.call()).toBe(200);
    env.org.setClockOffset(offset);
    // The other process's first call, its proof on the local clock (an hour ahead: the token it takes has expired at Okta).
    expect(await two?.call()).toBe(200);
    // Then the first's, which may take the other's renewal (an hour ahead: failed before, the retry's proof on the local clock).
    expect(await one?.call()).toBe(200);
    expect(one?.wire.apiRequests().length).toBeLessThanOrEqual(1 + 2);
    expect(two?.wire.apiRequests().length).toBeLessThanOrEqual(2);
  });

  it('an hour ahead, the token expired at Okta and renewed by the other process: the 401 moves the clock, so the retry is signed on Okta\'s time', async () => {
    const [one, two] = await make();
    expect([await one?.call(), await two?.call()]).toEqual([200, 200]);
    env.org.setClockOffset(3600);
    // One renews (a re-signed token request), stored; the other takes that renewal and sends no token request.
    expect(await one?.call()).toBe(200);
    const tokenRequests = two?.wire.tokenRequests().length;
    const before = nowSeconds();
    expect(await two?.call()).toBe(200);
    const after = nowSeconds();
    expect(two?.wire.tokenRequests().length).toBe(tokenRequests);
    // Refused as expired, then retried once with the renewal, its proof on the org's clock (read from its whole-second Date).
    const [refused, retried, ...more] = two?.wire.apiRequests().slice(1) ?? [];
    expect(more).toEqual([]);
    expect(claims(refused?.headers.get('dpop')).iat).toBeLessThanOrEqual(after);
    expect(claims(retried?.headers.get('dpop')).iat).toBeGreaterThanOrEqual(before + 3600 - 2);
    expect(claims(retried?.headers.get('dpop')).iat).toBeLessThanOrEqual(after + 3600);
  });
});
