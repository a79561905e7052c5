/**
 * What a user credential does with a storage write that lands late (past `timeoutMs`), on
 * @org/okta-emulator, each in one explicit order: after sign-out it undoes only what that write
 * wrote, never a newer sign-in's tokens under the same key, and says so when it cannot; before
 * sign-out it writes the current tokens again only over its own stale ones, never over another
 * tab's renewal, and never in the middle of it; and it keeps nothing of writes that never settle.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { OktaLogEvent } from '@org/okta-auth-core';
import { it, vi, type ExpectStatic, type TestContext } from 'vitest';
import { restoreCredential, signOut } from './client-functions.js';
import { gate, lateStorage, roundTrip } from './test-helpers/late-storage.js';
import { stubWebLocks } from './test-helpers/web-locks.js';
import { concurrentTest, orgPacedFetch, signIn, spaOf, startSignInOrg, type SignInOrg } from './test-helpers/sign-in-org.js';

/*
 * Each test waits out the storage calls' 3 s `timeoutMs` at least once: they run at once
 * (`it.concurrent`), each on an org of its own (`startSignInOrg`), but for the last, which stubs
 * `navigator.locks` for the whole process and so runs alone, after them.
 */

const code = (work: Promise<unknown>) => work.then(() => 'ok', (error: unknown) => (error as { code?: string }).code ?? (error as Error).message);

/**
 * A client whose storage calls take at most 3 s: sign-out's wait for a held write gives up after it.
 * Its sign-ins go through a client with `signInTimeoutMs` ({@link signIn}), and its renewals' and
 * sign-out's requests to the org wait up to that too ({@link orgPacedFetch}): before, the same 3 s
 * bound them, and one answer slower than that on a loaded machine failed the test.
 */
const clientOf = (env: SignInOrg, options: { logger?: (event: OktaLogEvent) => void } = {}) => spaOf(env.org, { timeoutMs: 3000, fetch: orgPacedFetch, ...options });

/** A credential's first write, then a renewal whose write outlasts timeoutMs (TIMEOUT), then one that lands. */
async function renewedPastALateWrite(expect: ExpectStatic, credential: { getAccessToken(options?: { forceRefresh?: boolean }): Promise<unknown> }): Promise<void> {
  await credential.getAccessToken();
  expect(await code(credential.getAccessToken({ forceRefresh: true }))).toBe('TIMEOUT');
  expect(await code(credential.getAccessToken({ forceRefresh: true }))).toBe('ok');
}

it.concurrent('renewals whose storage set() never settles: the credential keeps none of their tokens', concurrentTest, async (test: TestContext) => {
  const { expect } = test;
  const env = await startSignInOrg(test);
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const client = clientOf(env);
  const { tokens } = await signIn(client);
  let sets = 0;
  // The first write lands; every later one never settles, and the store keeps nothing of it (a lost connection).
  const storage = { get: () => undefined, set: () => (++sets === 1 ? undefined : new Promise<void>(() => undefined)), remove: () => undefined };
  const credential = client.credential(tokens, { storage });
  await credential.getAccessToken();
  const collected = new Set<number>();
  const registry = new FinalizationRegistry<number>((renewal) => collected.add(renewal));
  for (const renewal of [1, 2, 3]) {
    expect(await code(credential.getAccessToken({ forceRefresh: true }))).toBe('TIMEOUT');
    registry.register(credential.tokens ?? {}, renewal);
  }
  // The third renewal's tokens are the current ones; before, every write under way kept its tokens.
  for (let round = 0; round < 50 && collected.size < 2; round++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect([...collected].sort()).toEqual([1, 2]);
});

it.concurrent("a write acknowledged after sign-out leaves a new sign-in's tokens on the same key alone", concurrentTest, async (test: TestContext) => {
  const { expect } = test;
  const env = await startSignInOrg(test);
  const client = clientOf(env);
  const first = await signIn(client);
  const { storage, saved, stored, open } = lateStorage(1, 'ack');
  await signOut(client, client.credential(first.tokens, { storage }));
  expect(saved.size).toBe(0);
  // The next user of the computer signs in at once; their tokens go under the same key.
  const second = await signIn(client);
  await client.credential(second.tokens, { storage }).getAccessToken();
  const theirs = JSON.stringify(second.tokens.toStorable());
  expect(stored() === theirs).toBe(true);
  // Before, the first sign-out removed the key again now, and a reload signed the new user out.
  open();
  await roundTrip(env.org);
  expect(stored() === theirs, "storage holds the new user's tokens").toBe(true);
  expect((await restoreCredential(client, { storage }))?.tokens?.accessToken.reveal()).toBe(second.tokens.accessToken.reveal());
});

it.concurrent('a write that lands after sign-out, over a new sign-in, is still removed: the signed-out tokens never stay', concurrentTest, async (test: TestContext) => {
  const { expect } = test;
  const env = await startSignInOrg(test);
  const client = clientOf(env);
  const first = await signIn(client);
  const { storage, saved, open } = lateStorage(1, 'write');
  await signOut(client, client.credential(first.tokens, { storage }));
  const second = await signIn(client);
  await client.credential(second.tokens, { storage }).getAccessToken();
  open(); // the slow store writes the signed-out user's tokens over the new user's
  await roundTrip(env.org);
  expect(saved.size).toBe(0);
});

it.concurrent('a write undone after sign-out leaves nothing to undo: a later sign-out makes no storage call', concurrentTest, async (test: TestContext) => {
  const { expect } = test;
  const env = await startSignInOrg(test);
  const client = clientOf(env);
  const { tokens } = await signIn(client);
  const late = lateStorage(1, 'write'); // the first write outlasts sign-out's wait for it
  let calls = 0;
  const storage = {
    ...late.storage,
    get: (key: string) => (calls++, late.storage.get(key)),
    remove: (key: string) => (calls++, late.storage.remove(key)),
  };
  const credential = client.credential(tokens, { storage });
  await signOut(client, credential);
  late.open();
  await roundTrip(env.org);
  expect(late.saved.size).toBe(0);
  const before = calls;
  // The undo worked: nothing is kept for a later sign-out, which a failing storage would then fail.
  expect((await signOut(client, credential)).revoked).toEqual([]);
  expect(calls - before).toBe(0);
});

it.concurrent('a write removed after sign-out whose removal fails is logged, and a later sign-out removes it', concurrentTest, async (test: TestContext) => {
  const { expect } = test;
  const env = await startSignInOrg(test);
  const events: OktaLogEvent[] = [];
  const client = clientOf(env, { logger: (event) => events.push(event) });
  const { tokens } = await signIn(client);
  const late = lateStorage(1, 'write'); // the first write outlasts sign-out's wait for it
  let removes = 0;
  let gets = 0;
  const storage = {
    ...late.storage,
    get: (key: string) => (gets++, late.storage.get(key)),
    remove(key: string) {
      // The removal after the late write fails (an IndexedDB transaction aborted, say).
      if (++removes === 2) throw new Error('remove failed');
      late.storage.remove(key);
    },
  };
  const credential = client.credential(tokens, { storage });
  await signOut(client, credential);
  late.open();
  await roundTrip(env.org);
  expect(removes).toBe(2);
  expect(late.saved.size).toBe(1);
  // Before, nothing said so, and a later sign-out resolved with the tokens still stored.
  expect(events.filter((event) => event.type === 'token-store')).toEqual([{ type: 'token-store', operation: 'delete', outcome: 'error' }]);
  expect(JSON.stringify(events)).not.toContain(tokens.accessToken.reveal());
  expect((await signOut(client, credential)).revoked).toEqual([]);
  expect(late.saved.size).toBe(0);
  // Undone now: a third sign-out has nothing left to undo, and makes no storage call.
  const calls = gets + removes;
  await signOut(client, credential);
  expect(gets + removes - calls).toBe(0);
});

it.concurrent("a renewal's write acknowledged after a newer one, while another tab renewed: storage keeps that tab's tokens", concurrentTest, async (test: TestContext) => {
  const { expect } = test;
  const env = await startSignInOrg(test);
  const client = clientOf(env);
  const { tokens } = await signIn(client);
  // The first renewal's write (the second write) is acknowledged only when the test says.
  const { storage, stored, open } = lateStorage(2, 'ack');
  const credential = client.credential(tokens, { storage });
  await renewedPastALateWrite(expect, credential);
  // Another tab (a credential restored from the same storage) renews: it spends the refresh token stored.
  const tab = await restoreCredential(client, { storage });
  expect(await code(tab?.getAccessToken({ forceRefresh: true }) ?? Promise.resolve())).toBe('ok');
  const theirs = JSON.stringify(tab?.tokens?.toStorable());
  expect(stored() === theirs).toBe(true);
  // Before, this put back the first tab's current tokens, whose refresh token the other tab spent.
  open();
  await roundTrip(env.org);
  // Storage holds the other tab's tokens, not this tab's stale ones: this tab takes them again
  // (a renewal reads storage first) rather than spend its own refresh token, which that tab spent.
  expect(await code(credential.getAccessToken({ forceRefresh: true }))).toBe('ok');
  expect(credential.tokens?.accessToken.reveal()).toBe(tab?.tokens?.accessToken.reveal());
  expect(stored() === theirs, "storage holds the other tab's tokens").toBe(true);
  // Past rotation's grace period a spent refresh token is refused: a reload must find an unspent one.
  env.org.setClockOffset(60);
  const reloaded = await restoreCredential(client, { storage });
  expect(await code(reloaded?.getAccessToken({ forceRefresh: true }) ?? Promise.resolve())).toBe('ok');
});

it.concurrent("a rewrite whose storage read outlasts a sign-out writes nothing: a new sign-in's tokens on the same key stay", concurrentTest, async (test: TestContext) => {
  const { expect } = test;
  const env = await startSignInOrg(test);
  const client = clientOf(env);
  const first = await signIn(client);
  const late = lateStorage(2, 'write'); // the first renewal's write reaches the store only later
  const asked = gate();
  const answer = gate();
  let slowRead = false;
  const storage = {
    ...late.storage,
    async get(key: string) {
      // The store reads at once and answers later (a remote store's round trip).
      const value = late.storage.get(key);
      if (slowRead) {
        slowRead = false;
        asked.open();
        await answer.opened;
      }
      return value;
    },
  };
  const credential = client.credential(first.tokens, { storage });
  await renewedPastALateWrite(expect, credential);
  slowRead = true;
  late.open(); // the older write lands: before writing the current tokens again, the credential reads storage
  await asked.opened;
  await signOut(client, credential);
  expect(late.saved.size).toBe(0);
  const second = await signIn(client);
  await client.credential(second.tokens, { storage }).getAccessToken();
  const theirs = JSON.stringify(second.tokens.toStorable());
  // Before, the read's answer (the late write's text, read before sign-out) had the signed-out
  // credential write its tokens over the new user's, then remove them as a late write.
  answer.open();
  await roundTrip(env.org);
  expect(late.stored() === theirs, "storage holds the new user's tokens").toBe(true);
});

it('a late write lands while another tab holds the renewal lock: the tokens are written again only after that tab is done', async (test: TestContext) => {
  const { expect } = test;
  const env = await startSignInOrg(test);
  const locks = stubWebLocks();
  try {
    const client = clientOf(env);
    const { tokens } = await signIn(client);
    const late = lateStorage(2, 'write'); // the first renewal's write reaches the store only later
    let otherTabRenewing = false;
    let startedWhileOtherTabRenewed = 0;
    const storage = {
      ...late.storage,
      set(key: string, value: string) {
        if (otherTabRenewing) startedWhileOtherTabRenewed++;
        return late.storage.set(key, value);
      },
    };
    const credential = client.credential(tokens, { storage });
    await renewedPastALateWrite(expect, credential);
    // Another tab renews under the lock (it reads storage, asks Okta, writes): the late write lands meanwhile.
    // The one lock this credential's renewals take (the sign-in took the transactions' list's).
    const renewals = [...locks.names].filter((name) => name.endsWith(':refresh'));
    expect(renewals).toHaveLength(1);
    const [renewalLock] = renewals;
    await locks.request(renewalLock ?? '', async () => {
      otherTabRenewing = true;
      late.open();
      await roundTrip(env.org);
      otherTabRenewing = false;
    });
    // Before, this tab wrote its tokens again at once, in the middle of the other tab's renewal.
    expect(startedWhileOtherTabRenewed).toBe(0);
    await roundTrip(env.org);
    expect(late.stored() === JSON.stringify(credential.tokens?.toStorable()), 'storage holds the current tokens again').toBe(true);
  } finally {
    vi.unstubAllGlobals();
  }
});
