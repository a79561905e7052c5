/**
 * A user credential whose storage lags behind it (a write refused, or one that outlasts
 * `timeoutMs` and lands late), on @org/okta-emulator: the credential never goes back to the older
 * tokens still in storage, whose refresh token it already spent (rotation refuses it: the user
 * would be signed out at the next renewal).
 */
import { it, type TestContext } from 'vitest';
import { gate, lateStorage, renewalsPastHeldWrites, roundTrip } from './test-helpers/late-storage.js';
import { concurrentTest, signIn, spaOf, startSignInOrg, storageBoundSignIn } from './test-helpers/sign-in-org.js';

/* Most tests wait out the storage calls' 3 s `timeoutMs`: they run at once (`it.concurrent`), each on an org of its own (`startSignInOrg`). */

const code = (work: Promise<unknown>) => work.then(() => 'ok', (error: unknown) => (error as { code?: string }).code ?? (error as Error).message);

it.concurrent('a renewal whose storage write was refused: the next renewals use its tokens, not the older ones in storage', concurrentTest, async (test: TestContext) => {
  const { expect } = test;
  const env = await startSignInOrg(test);
  const client = spaOf(env.org);
  const { tokens } = await signIn(client);
  const saved = new Map<string, string>();
  let sets = 0;
  const storage = {
    get: (key: string) => saved.get(key),
    set(key: string, value: string) {
      // The first renewal's write is refused (a full quota); the first write and later ones land.
      if (++sets === 2) throw new Error('quota exceeded');
      saved.set(key, value);
    },
    remove: (key: string) => void saved.delete(key),
  };
  const credential = client.credential(tokens, { storage });
  await credential.getAccessToken();
  expect(await code(credential.getAccessToken({ forceRefresh: true }))).toBe('quota exceeded');
  const renewed = credential.tokens;
  expect(renewed?.accessToken.reveal()).not.toBe(tokens.accessToken.reveal());
  // Before, the next renewal took the sign-in's tokens back from storage, and the one after it
  // spent their refresh token a second time: LOGIN_REQUIRED.
  expect(await code(credential.getAccessToken({ forceRefresh: true }))).toBe('ok');
  expect(credential.tokens?.accessToken.reveal()).not.toBe(tokens.accessToken.reveal());
  // Past rotation's grace period, a spent refresh token is refused (and its family revoked).
  env.org.setClockOffset(60);
  expect(await code(credential.getAccessToken({ forceRefresh: true }))).toBe('ok');
  expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 3 });
});

it.concurrent('a renewal whose storage write outlasts timeoutMs and lands after a newer one: storage ends with the newest tokens', concurrentTest, async (test: TestContext) => {
  const { expect } = test;
  // 3 s for its storage calls: the first renewal's wait for its write gives up after it (its requests to the org wait up to signInTimeoutMs: orgPacedFetch).
  const { env, client, tokens } = await storageBoundSignIn(test);
  // The first renewal's write (the second write), held until the test lets it land.
  const { storage, saved, open } = lateStorage(2, 'write');
  const credential = client.credential(tokens, { storage });
  await credential.getAccessToken();
  expect(await code(credential.getAccessToken({ forceRefresh: true }))).toBe('TIMEOUT');
  expect(await code(credential.getAccessToken({ forceRefresh: true }))).toBe('ok');
  const newest = JSON.stringify(credential.tokens?.toStorable());
  expect(saved.values().next().value).toBe(newest);
  open(); // the older write lands now, over the newest
  await new Promise((resolve) => setImmediate(resolve));
  await credential.getAccessToken();
  // A reload restores what storage holds: the newest tokens, whose refresh token is unspent.
  expect(saved.values().next().value).toBe(newest);
  expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 2 });
});

it.concurrent("a late write whose rewrite cannot read storage (get() throws): the newest tokens are written again, as over stale ones", concurrentTest, async (test: TestContext) => {
  const { expect } = test;
  const { env, client, tokens } = await storageBoundSignIn(test);
  const late = lateStorage(2, 'write');
  let readsFail = false;
  const storage = {
    ...late.storage,
    get(key: string) {
      if (readsFail) throw new Error('storage unreadable');
      return late.storage.get(key);
    },
  };
  const credential = client.credential(tokens, { storage });
  await credential.getAccessToken();
  expect(await code(credential.getAccessToken({ forceRefresh: true }))).toBe('TIMEOUT');
  expect(await code(credential.getAccessToken({ forceRefresh: true }))).toBe('ok');
  const newest = JSON.stringify(credential.tokens?.toStorable());
  readsFail = true;
  late.open(); // the older write lands over the newest; the rewrite's read of storage then fails
  await roundTrip(env.org);
  // A read that fails is taken as the stale tokens still there: a reload must not restore spent ones.
  expect(late.stored()).toBe(newest);
});

it.concurrent('an older write that lands while a newer one is still under way writes nothing again: the newer landing decides', concurrentTest, async (test: TestContext) => {
  const { expect } = test;
  const { env, client, tokens } = await storageBoundSignIn(test);
  const saved = new Map<string, string>();
  const held = [gate(), gate()];
  const sets: string[] = [];
  const storage = {
    get: (key: string) => saved.get(key),
    async set(key: string, value: string) {
      sets.push(value);
      // The two renewals' writes (the second and third) reach the store only when the test says.
      const wait = held[sets.length - 2];
      if (wait !== undefined) await wait.opened;
      saved.set(key, value);
    },
    remove: (key: string) => void saved.delete(key),
  };
  const credential = client.credential(tokens, { storage });
  expect(await renewalsPastHeldWrites(credential)).toEqual(['TIMEOUT', 'TIMEOUT']);
  const newest = JSON.stringify(credential.tokens?.toStorable());
  held[0]!.open(); // the older write lands, over nothing newer yet: the newer one is still under way
  await roundTrip(env.org);
  expect(sets).toHaveLength(3);
  held[1]!.open();
  await roundTrip(env.org);
  expect(sets).toHaveLength(3);
  expect(saved.values().next().value).toBe(newest);
});
