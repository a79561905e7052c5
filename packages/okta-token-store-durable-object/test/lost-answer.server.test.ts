/**
 * lostack137, end to end in this process: a sign-in client's credential on the Durable Object store (the real
 * OktaTokenStoreObject over a Map, src/test-helpers/memory-storage.ts) and @org/okta-emulator on 127.0.0.1 as the
 * org. The user's renewal holds the object's lease; the object's write of it (`complete`) runs, but its answer never
 * reaches the isolate (the stub throws, as for an object reset on a deploy or past `timeoutMs`). With a sign-out on
 * another isolate just before that write (the key removed), the renewal must never be handed out: docs/SECURITY.md's
 * "never handed out (LOGIN_REQUIRED)". Without one, the renewal is written and handed out with one refresh grant.
 * In workerd: test/user-fleet.server.test.ts (the answer not lost).
 */
import { fillSignInForm } from '@org/okta-test-utils';
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { createSignInClient, isOktaOAuthError } from '@org/okta-oauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDurableObjectTokenStorage, OktaTokenStoreObject, type DurableObjectNamespaceLike } from '../src/index.js';
import { memoryStorage } from '../src/test-helpers/memory-storage.js';

const redirectUri = 'http://127.0.0.1:5173/callback';
const password = 'Correct-Horse-9';
let org: OktaEmulator;
let users = 0;

beforeAll(async () => {
  org = await startEmulator();
});
afterAll(async () => {
  await org.close();
});

/**
 * A user signed in an hour ago (the client's clock and the org's) on a storage over one object whose answer to
 * `complete` is lost; `signOutFirst`: the key removed (another isolate's sign-out) just before that write.
 */
async function expiredSession(signOutFirst: boolean, { downAfter = 0 } = {}) {
  const login = `lost-${++users}@example.com`;
  org.createUser({ login, password });
  const app = org.createSignInApp({ type: 'spa', redirectUris: [redirectUri], scopes: ['okta.users.read.self'], refreshTokenRotation: 'rotate' });
  const object = new OktaTokenStoreObject({ storage: memoryStorage().storage });
  // `down`: the reads after the lost answer that fail too (the object still unreachable: the credential's own write begins with one).
  const lost = { on: false, completes: 0, down: 0 };
  const namespace: DurableObjectNamespaceLike = {
    idFromName: (name) => name,
    get: () => ({
      fetch: async (url, init) => {
        if (lost.down > 0 && url.endsWith('/get')) {
          lost.down--;
          throw new Error('Durable Object reset because its code was updated.');
        }
        if (!lost.on || !url.endsWith('/complete')) return object.fetch(new Request(url, init));
        lost.completes++;
        lost.down = downAfter;
        const { k } = JSON.parse(String(init?.body)) as { k: string };
        if (signOutFirst) await object.fetch(new Request(url.replace(/complete$/, 'remove'), { method: 'POST', body: JSON.stringify({ k }) }));
        await object.fetch(new Request(url, init));
        throw new Error('Durable Object reset because its code was updated.');
      },
    }),
  };
  const storage = createDurableObjectTokenStorage({ namespace });
  const clock = { now: Date.now() };
  const client = createSignInClient({ orgUrl: org.url, allowInsecureLoopback: true, clientId: app.clientId, redirectUri, scopes: ['openid', 'offline_access', 'okta.users.read.self'], now: () => clock.now });
  const { url, transaction } = await client.startSignIn();
  const { tokens } = await client.finishSignIn(await fillSignInForm(url, login, password), transaction);
  const storageKey = `user:${app.clientId}:session-1`;
  const credential = client.credential(tokens, { storage, storageKey });
  await credential.getAccessToken();
  clock.now += 3600_000;
  org.setClockOffset(3600);
  org.resetCounters();
  lost.on = true;
  const stored = () => storage.get(storageKey);
  return { credential, tokens, lost, stored };
}

/** What {@link expiredSession} gives a test. */
type Session = Awaited<ReturnType<typeof expiredSession>>;

/** The credential's next call refused (LOGIN_REQUIRED): one refresh grant, its renewal revoked, nothing stored or held. */
async function expectRenewalRevoked({ credential, lost, stored }: Session) {
  const error = await credential.getAccessToken().then(
    () => undefined,
    (failed: unknown) => failed,
  );
  expect(isOktaOAuthError(error) && error.code).toBe('LOGIN_REQUIRED');
  expect(lost.completes).toBe(1);
  expect(org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
  // The renewal's refresh and access tokens.
  expect(org.counters().requests['POST /oauth2/v1/revoke']).toBe(2);
  expect(credential.tokens).toBeUndefined();
  expect(await stored()).toBeUndefined();
}

/** The credential's next call hands the renewal out: one refresh grant, nothing revoked, the renewal stored. */
async function expectRenewalHandedOut({ credential, tokens, lost, stored }: Session) {
  const token = await credential.getAccessToken();
  expect(token.reveal()).not.toBe(tokens.accessToken.reveal());
  expect(lost.completes).toBe(1);
  expect(org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
  expect(org.counters().requests['POST /oauth2/v1/revoke']).toBeUndefined();
  expect(await stored()).toBe(JSON.stringify(credential.tokens?.toStorable()));
}

describe("a user's renewal whose object answer to its write was lost", () => {
  it('signed out on another isolate just before the write: LOGIN_REQUIRED, the renewal revoked, nothing stored or held, one refresh grant', async () => {
    // Before: the renewal was handed out (and kept by this credential for an access token's life), its refresh token alive at Okta.
    await expectRenewalRevoked(await expiredSession(true));
  });

  it('no sign-out: the renewal is written over its own sign-in and handed out, one refresh grant, nothing revoked', async () => {
    await expectRenewalHandedOut(await expiredSession(false));
  });

  it('pending138: signed out just before the write, the object unreachable for the credential\'s own write too: the next call does not get the renewal (LOGIN_REQUIRED, revoked), one refresh grant', async () => {
    const session = await expiredSession(true, { downAfter: 1 });
    await expect(session.credential.getAccessToken()).rejects.toThrow('The token store object failed get');
    expect(session.lost.down).toBe(0);
    // Before: the renewal held in memory was handed out, its refresh token alive at Okta, nothing stored.
    await expectRenewalRevoked(session);
  });

  it('pending138: no sign-out, the object unreachable for the credential\'s own write too: the next call writes the renewal and gets it, one refresh grant', async () => {
    const session = await expiredSession(false, { downAfter: 1 });
    await expect(session.credential.getAccessToken()).rejects.toThrow('The token store object failed get');
    await expectRenewalHandedOut(session);
  });
});
