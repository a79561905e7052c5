/**
 * Sign-out and the storage writes it races, each in one explicit order (the orders the property
 * test in credential-interleavings.server.test.ts found), on @org/okta-emulator: once `signOut`
 * resolves, storage holds none of the session's tokens, and a write still under way (a slow
 * remote store, past `timeoutMs`) does not bring them back when it lands.
 */
import { useUnhandledRejections } from '@org/okta-test-utils';
import { expect, it } from 'vitest';
import { signOut } from './client-functions.js';
import { gate, roundTrip as roundTripTo } from './test-helpers/late-storage.js';
import { orgPacedFetch, signIn, spaOf, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();
const unhandled = useUnhandledRejections();
const roundTrip = () => roundTripTo(env.org);

/** Storage whose `set` and `remove` wait for the given gates; `events` records what landed. */
function heldStorage(holds: { set?: Promise<void>; remove?: Promise<void> }) {
  const saved = new Map<string, string>();
  const events: string[] = [];
  return {
    saved,
    events,
    storage: {
      get: (key: string) => saved.get(key),
      async set(key: string, value: string) {
        await holds.set;
        saved.set(key, value);
        events.push('set');
      },
      async remove(key: string) {
        await holds.remove;
        saved.delete(key);
        events.push('remove');
      },
    },
  };
}

it('a request waiting on the first storage write when sign-out starts: the write lands first, then the removal', async () => {
  const client = spaOf(env.org);
  const { tokens } = await signIn(client);
  const setHeld = gate();
  const { storage, saved, events } = heldStorage({ set: setHeld.opened });
  const credential = client.credential(tokens, { storage });
  const request = credential.getAccessToken().then(
    () => 'token',
    (error: unknown) => (error as { code?: string }).code,
  );
  const signingOut = signOut(client, credential).then(() => saved.size);
  // Before, sign-out removed at once (the request had taken the first write), and the write landed after.
  await roundTrip();
  setHeld.open();
  expect(await signingOut).toBe(0);
  expect(events).toEqual(['set', 'remove']);
  expect(await request).toBe('LOGIN_REQUIRED');
  await roundTrip();
  expect(saved.size).toBe(0);
});

it('a first storage write that outlasts timeoutMs: sign-out removes the tokens, and again once the write lands', async () => {
  // 3 s for its storage calls: sign-out's wait for the write gives up after it (its revocations wait up to signInTimeoutMs: orgPacedFetch).
  const client = spaOf(env.org, { timeoutMs: 3000, fetch: orgPacedFetch });
  const { tokens } = await signIn(client);
  const setHeld = gate();
  const { storage, saved, events } = heldStorage({ set: setHeld.opened });
  const credential = client.credential(tokens, { storage });
  const result = await signOut(client, credential);
  expect(result.revoked).toEqual(['refresh_token', 'access_token']);
  expect(events).toEqual(['remove']);
  // The slow store finally writes the signed-out user's tokens: they must not stay.
  setHeld.open();
  await roundTrip();
  expect(events).toEqual(['remove', 'set', 'remove']);
  expect(saved.size).toBe(0);
});

it("a second sign-out while the first one's removal is under way resolves only after it", async () => {
  const client = spaOf(env.org);
  const { tokens } = await signIn(client);
  const removeHeld = gate();
  const { storage, saved } = heldStorage({ remove: removeHeld.opened });
  const credential = client.credential(tokens, { storage });
  await credential.getAccessToken(); // the first write has landed
  const first = signOut(client, credential).then(() => saved.size);
  const second = signOut(client, credential).then((result) => ({ left: saved.size, revoked: result.revoked }));
  // Its own signal still stops its wait.
  const aborted = signOut(client, credential, { signal: AbortSignal.abort() }).then(
    () => 'resolved',
    (error: unknown) => (error as { code?: string }).code,
  );
  expect(await aborted).toBe('ABORTED');
  // Before, the second resolved at once (nothing left to revoke) while the tokens were still in storage.
  await roundTrip();
  removeHeld.open();
  expect(await second).toEqual({ left: 0, revoked: [] });
  expect(await first).toBe(0);
});

it("a second sign-out after the first one's removal failed removes the tokens itself", async () => {
  const client = spaOf(env.org);
  // A removal that fails once (an IndexedDB transaction aborted, say), and one whose caller aborted before it ran.
  for (const first of [{ failOnce: true }, { signal: AbortSignal.abort() }] as { failOnce?: boolean; signal?: AbortSignal }[]) {
    const { tokens } = await signIn(client);
    const { storage, saved } = heldStorage({});
    let fail = first.failOnce === true;
    const failing = {
      ...storage,
      async remove(key: string) {
        if (fail) {
          fail = false;
          throw new Error('remove failed');
        }
        await storage.remove(key);
      },
    };
    const credential = client.credential(tokens, { storage: failing });
    await credential.getAccessToken(); // the first write has landed
    const refused = await signOut(client, credential, { signal: first.signal }).then(
      () => 'resolved',
      (error: unknown) => (error as Error).message,
    );
    expect(refused).not.toBe('resolved');
    expect(saved.size).toBe(1);
    // Before, the second resolved at once (nothing left to revoke) and the tokens stayed in storage.
    await signOut(client, credential);
    expect(saved.size).toBe(0);
  }
});

it('a sign-out whose signal fired before it, after a removal that failed: ABORTED, and no unhandled rejection', async () => {
  const client = spaOf(env.org);
  const { tokens } = await signIn(client);
  const { storage } = heldStorage({});
  const credential = client.credential(tokens, { storage: { ...storage, remove: () => Promise.reject(new Error('remove failed')) } });
  await credential.getAccessToken();
  const code = (work: Promise<unknown>) => work.then(() => 'resolved', (error: unknown) => (error as { code?: string }).code ?? (error as Error).message);
  expect(await code(signOut(client, credential))).toBe('remove failed');
  expect(await code(signOut(client, credential, { signal: AbortSignal.abort() }))).toBe('ABORTED');
  await roundTrip();
  expect(await unhandled.settled()).toEqual([]);
});

it('a sign-out whose storage removal fails still tells onTokens(null), then throws the storage error', async () => {
  const client = spaOf(env.org);
  const { tokens } = await signIn(client);
  const { storage, saved } = heldStorage({});
  const told: unknown[] = [];
  const credential = client.credential(tokens, { storage: { ...storage, remove: () => Promise.reject(new Error('remove failed')) }, onTokens: (t) => void told.push(t) });
  await credential.getAccessToken();
  const refused = await signOut(client, credential).then(
    () => 'resolved',
    (error: unknown) => (error as Error).message,
  );
  expect(refused).toBe('remove failed');
  // Before, the app's onTokens never heard the end: a session kept through it kept the signed-out tokens.
  expect(told).toEqual([null]);
  expect(saved.size).toBe(1);
});
