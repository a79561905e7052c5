/**
 * What a user credential keeps for its storage writes that land late (past `timeoutMs`), on
 * @org/okta-emulator with storages and a Web Lock manager of the tests' own: the rewrite after a
 * late write waits for the renewals' Web Lock at most `timeoutMs`, then withdraws its request
 * and writes nothing; and of the late writes whose undoing after sign-out failed, it keeps only
 * the one the key can still hold.
 */
import type { OktaLogEvent } from '@org/okta-auth-core';
import { afterEach, it, vi, type TestContext } from 'vitest';
import { signOut } from './client-functions.js';
import { gate, lateStorage, renewalsPastHeldWrites, roundTrip } from './test-helpers/late-storage.js';
import { concurrentTest, orgPacedFetch, signIn, spaOf, startSignInOrg, storageBoundSignIn } from './test-helpers/sign-in-org.js';
import { stubWebLocks } from './test-helpers/web-locks.js';

/*
 * Most tests wait out the storage calls' 3 s `timeoutMs` more than once: they run at once
 * (`it.concurrent`), each on an org of its own (`startSignInOrg`), after the first, which stubs
 * `navigator.locks` for the whole process and so runs alone.
 */
// Also when a test fails while another tab holds the lock it stubbed.
afterEach(() => {
  vi.unstubAllGlobals();
});

const code = (work: Promise<unknown>) => work.then(() => 'ok', (error: unknown) => (error as { code?: string }).code ?? (error as Error).message);

it('a late write while another tab holds the renewal lock past timeoutMs: the rewrite is dropped, its wait withdrawn', async (test: TestContext) => {
  const { expect } = test;
  const env = await startSignInOrg(test);
  const locks = stubWebLocks();
  const client = spaOf(env.org, { timeoutMs: 3000, fetch: orgPacedFetch });
  const { tokens } = await signIn(client);
  const late = lateStorage(2, 'write'); // the first renewal's write reaches the store only later
  let sets = 0;
  const storage = { ...late.storage, set: (key: string, value: string) => (sets++, late.storage.set(key, value)) };
  const credential = client.credential(tokens, { storage });
  await credential.getAccessToken();
  expect(await code(credential.getAccessToken({ forceRefresh: true }))).toBe('TIMEOUT');
  expect(await code(credential.getAccessToken({ forceRefresh: true }))).toBe('ok');
  // Another tab takes the lock and keeps it (a renewal stuck on its own slow store); the late write lands meanwhile.
  const release = gate();
  // The one lock this credential's renewals take (the sign-in took the transactions' list's).
  const renewals = [...locks.names].filter((name) => name.endsWith(':refresh'));
  expect(renewals).toHaveLength(1);
  const [renewalLock] = renewals;
  const otherTab = locks.request(renewalLock ?? '', () => release.opened);
  late.open();
  await roundTrip(env.org);
  const setsBefore = sets;
  // Before, the rewrite waited for the lock for as long as that tab held it, with the late write's text.
  await locks.withdrawn;
  release.open();
  await otherTab;
  await roundTrip(env.org);
  expect(sets, 'nothing written once the other tab let go').toBe(setsBefore);
});

it.concurrent('late writes whose undoing after sign-out failed: a later sign-out undoes only the one the key can hold', concurrentTest, async (test: TestContext) => {
  const { expect } = test;
  const events: OktaLogEvent[] = [];
  const { env, client, tokens } = await storageBoundSignIn(test, { logger: (event) => events.push(event) });
  const saved = new Map<string, string>();
  const held = gate();
  const state = { sets: 0, reads: 0, failReads: false };
  const storage = {
    get(key: string) {
      state.reads++;
      if (state.failReads) throw new Error('get failed');
      return saved.get(key);
    },
    async set(key: string, value: string) {
      // The two renewals' writes reach the store only after sign-out (a store that lost its connection).
      if (++state.sets > 1) await held.opened;
      saved.set(key, value);
    },
    remove: (key: string) => void saved.delete(key),
  };
  const credential = client.credential(tokens, { storage });
  expect(await renewalsPastHeldWrites(credential)).toEqual(['TIMEOUT', 'TIMEOUT']);
  await signOut(client, credential);
  expect(saved.size).toBe(0);
  // Both land, the newer last; reading storage to undo them fails (an IndexedDB transaction aborted, say).
  state.failReads = true;
  held.open();
  await roundTrip(env.org);
  expect(events.filter((event) => event.type === 'token-store')).toHaveLength(2);
  expect(saved.size).toBe(1);
  state.failReads = false;
  state.reads = 0;
  // The key holds the newer write's text: before, the credential kept both texts and read storage for each.
  expect((await signOut(client, credential)).revoked).toEqual([]);
  expect(saved.size).toBe(0);
  expect(state.reads, 'storage read once').toBe(1);
});

it.concurrent("a late write whose undoing never settles: logged as the token cache logs its store's timeouts", concurrentTest, async (test: TestContext) => {
  const { expect } = test;
  const events: OktaLogEvent[] = [];
  const { client, tokens } = await storageBoundSignIn(test, { logger: (event) => events.push(event) });
  const late = lateStorage(1, 'write'); // the first write outlasts sign-out's wait for it
  let hang = false;
  const storage = { ...late.storage, get: (key: string) => (hang ? new Promise<never>(() => undefined) : late.storage.get(key)) };
  await signOut(client, client.credential(tokens, { storage }));
  hang = true; // reading storage to undo the late write never answers
  late.open();
  await vi.waitFor(() => expect(events.filter((event) => event.type === 'token-store')).toEqual([{ type: 'token-store', operation: 'delete', outcome: 'timeout' }]), { timeout: 10_000 });
  expect(JSON.stringify(events)).not.toContain(tokens.accessToken.reveal());
});

it.concurrent.for([3000.5, 2 ** 32])("a late write with timeoutMs %s (a positive number the client takes, not AbortSignal.timeout's delay on Node.js): the rewrite still writes the current tokens", concurrentTest, async (timeoutMs, test) => {
  const { expect } = test;
  const { env, client, tokens } = await storageBoundSignIn(test, { timeoutMs });
  const late = lateStorage(1, 'write'); // the credential's first write reaches the store only later
  const written: string[] = [];
  const storage = { ...late.storage, set: (key: string, value: string) => (written.push(value), late.storage.set(key, value)) };
  const credential = client.credential(tokens, { storage });
  // The first request stops waiting for the first write (its signal: timeoutMs may be days); a renewal's write lands at once.
  expect(await code(credential.getAccessToken({ signal: AbortSignal.abort() }))).toBe('ABORTED');
  expect(await code(credential.getAccessToken({ forceRefresh: true }))).toBe('ok');
  const current = written.at(-1);
  expect(late.stored() === current).toBe(true);
  late.open();
  await roundTrip(env.org);
  await roundTrip(env.org);
  // Before, the rewrite's AbortSignal.timeout(timeoutMs) threw a RangeError on Node.js (an unhandled rejection) and the first write's tokens stayed.
  expect(written, 'written again').toHaveLength(3);
  expect(late.stored() === current, 'storage holds the current tokens').toBe(true);
});

it.concurrent("a late write whose undoing fails while a later sign-out undoes an older one: a third sign-out still undoes it", concurrentTest, async (test: TestContext) => {
  const { expect } = test;
  const { env, client, tokens } = await storageBoundSignIn(test);
  const saved = new Map<string, string>();
  const held = [gate(), gate()];
  const read = { held: false, asked: gate(), answer: gate() };
  let sets = 0;
  let removes = 0;
  const storage = {
    async get(key: string) {
      if (read.held) {
        read.held = false;
        read.asked.open();
        await read.answer.opened;
      }
      return saved.get(key);
    },
    async set(key: string, value: string) {
      // The two renewals' writes (the second and third) reach the store only after sign-out, one after the other.
      const wait = held[++sets - 2];
      if (wait !== undefined) await wait.opened;
      saved.set(key, value);
    },
    remove(key: string) {
      // The undo of each late write fails (an IndexedDB transaction aborted, say); the other removals work.
      if (++removes === 2 || removes === 3) throw new Error('remove failed');
      saved.delete(key);
    },
  };
  const credential = client.credential(tokens, { storage });
  expect(await renewalsPastHeldWrites(credential)).toEqual(['TIMEOUT', 'TIMEOUT']);
  await signOut(client, credential);
  held[0]!.open(); // the older lands; its undo fails: kept for a later sign-out
  await roundTrip(env.org);
  expect([saved.size, removes]).toEqual([1, 2]);
  // A later sign-out undoes it, its read slow; meanwhile the newer lands, and its undo fails too.
  read.held = true;
  const second = signOut(client, credential);
  await read.asked.opened;
  held[1]!.open();
  await roundTrip(env.org);
  expect(removes).toBe(3);
  read.answer.open();
  await second;
  expect(saved.size).toBe(1);
  // The newer write's text is what a third sign-out undoes: before, the second one forgot it.
  await signOut(client, credential);
  expect(saved.size).toBe(0);
});
