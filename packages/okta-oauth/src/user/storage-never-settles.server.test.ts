/**
 * Every call the sign-in client makes to its `storage` (user code) is bounded by the client's
 * `timeoutMs` (docs/SECURITY.md, Bounds) on each path, on @org/okta-emulator: a `get`, `set`,
 * `remove` or `removeIfEqual` that never settles fails the sign-in start, the callback, the
 * restore, the renewal and the sign-out with a `TIMEOUT` naming the call, never hangs the caller,
 * and nothing after the hung call is sent (no token request for a callback whose transaction was
 * never read or taken). The client's short `timeoutMs` bounds only the storage: its requests to
 * the org wait for the org's answer (`orgPacedFetch`).
 */
import { isOktaAuthError } from '@org/okta-auth-core';
import { fillSignInForm } from '@org/okta-test-utils';
import { describe, it, type TestContext } from 'vitest';
import type { OktaStorage } from '../token-cache/storage.js';
import { restoreCredential, signOut } from './client-functions.js';
import { createMemoryStorage } from './storage.js';
import { concurrentTest, login, orgPacedFetch, password, signIn, startSignInOrg, transactionKeyOf, transactionListOf, type SignInOrg } from './test-helpers/sign-in-org.js';

/**
 * The storage calls' bound: only hung calls wait it out. Each test waits it out once, on an org of
 * its own (`startSignInOrg`): they run at once (`describe.concurrent`).
 */
const timeoutMs = 2000;

type Method = 'get' | 'set' | 'remove' | 'removeIfEqual';

/**
 * `createMemoryStorage()` whose calls of `stall`'s method on a key it names never settle from then
 * on; `calls` lists every call made (`<method> <key>`).
 */
function stallingStorage() {
  const memory = createMemoryStorage();
  const calls: string[] = [];
  let stalled: { method: Method; key: (key: string) => boolean } | undefined;
  const call = <T>(method: Method, key: string, run: () => T): T | Promise<never> => {
    calls.push(`${method} ${key}`);
    return stalled?.method === method && stalled.key(key) ? new Promise<never>(() => undefined) : run();
  };
  const storage: OktaStorage = {
    get: (key) => call('get', key, () => memory.get(key)),
    set: (key, value, options) => call('set', key, () => memory.set(key, value, options)),
    remove: (key) => call('remove', key, () => memory.remove(key)),
    removeIfEqual: (key, value) => call('removeIfEqual', key, () => memory.removeIfEqual?.(key, value) ?? false),
  };
  return {
    storage,
    calls,
    stall: (method: Method, key: (key: string) => boolean = () => true) => void (stalled = { method, key }),
  };
}

/** The code and message of a failure, or what settled instead. */
async function settled(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => 'resolved',
    (error: unknown) => (isOktaAuthError(error) ? { code: error.code, message: error.message } : error),
  );
}

const timedOut = (what: string) => ({ code: 'TIMEOUT', message: `${what} did not settle within ${String(timeoutMs)} ms (timeoutMs): it was abandoned.` });

describe.concurrent('a sign-in storage call that never settles', concurrentTest, () => {
  it.for([
    ['the list read (get)', 'get' as const, (clientId: string) => (key: string) => key === transactionListOf(clientId), 'The sign-in storage get()'],
    ['the list write (set)', 'set' as const, (clientId: string) => (key: string) => key === transactionListOf(clientId), 'The sign-in storage set()'],
    ['the transaction write (set)', 'set' as const, (clientId: string) => (key: string) => key.startsWith(`okta-oauth:${clientId}:transaction:`), 'The sign-in storage set()'],
  ] as const)('fails startSignIn at %s with TIMEOUT naming it, the call made once', async ([, method, key, what], test) => {
    const { expect } = test;
    const env = await startSignInOrg(test);
    const client = env.spa({ timeoutMs, fetch: orgPacedFetch });
    const { storage, calls, stall } = stallingStorage();
    const stalling = env.spa({ timeoutMs, fetch: orgPacedFetch, storage });
    stall(method, key(stalling.clientId));
    expect(await settled(stalling.startSignIn())).toEqual(timedOut(what));
    expect(calls.filter((c) => c.startsWith(`${method} `) && key(stalling.clientId)(c.slice(method.length + 1)))).toHaveLength(1);
    // The same org answers a client whose storage settles.
    expect(await settled(client.startSignIn())).toBe('resolved');
  });

  it.for([
    ['get', 'The sign-in storage get()'],
    ['removeIfEqual', 'The sign-in storage removeIfEqual()'],
  ] as const)("fails finishSignIn at the transaction's %s with TIMEOUT naming it, and sends no token request", async ([method, what], test) => {
    const { expect } = test;
    const env = await startSignInOrg(test);
    const { storage, calls, stall } = stallingStorage();
    const client = env.spa({ timeoutMs, fetch: orgPacedFetch, storage });
    const { url } = await client.startSignIn();
    const callback = await fillSignInForm(url, login, password);
    const key = transactionKeyOf(client.clientId, new URL(url).searchParams.get('state') ?? '');
    stall(method, (k) => k === key);
    expect(await settled(client.finishSignIn(callback))).toEqual(timedOut(what));
    expect(calls.filter((c) => c === `${method} ${key}`)).toHaveLength(1);
    expect(env.org.counters().tokenRequests.authorization_code).toBeUndefined();
  });

  it("fails restoreCredential's read with TIMEOUT naming it", async (test) => {
    const { expect } = test;
    const env = await startSignInOrg(test);
    const { storage, stall } = stallingStorage();
    const client = env.spa({ timeoutMs, fetch: orgPacedFetch, storage });
    stall('get');
    expect(await settled(restoreCredential(client, { storage }))).toEqual(timedOut('The sign-in storage get()'));
  });
});

/** A signed-in credential over a {@link stallingStorage} whose first write has landed, and whose `method` calls never settle from then on. */
async function storedCredential(env: SignInOrg, method: Method) {
  const client = env.spa({ timeoutMs, fetch: orgPacedFetch });
  const { tokens } = await signIn(client);
  const { storage, stall } = stallingStorage();
  const credential = client.credential(tokens, { storage });
  await credential.getAccessToken();
  stall(method);
  return { client, credential, tokens };
}

describe.concurrent('a token storage call that never settles', concurrentTest, () => {
  it("fails the renewal's write with TIMEOUT naming it, and the next call uses the renewed tokens", async (test: TestContext) => {
    const { expect } = test;
    const env = await startSignInOrg(test);
    const { credential, tokens } = await storedCredential(env, 'set');
    expect(await settled(credential.getAccessToken({ forceRefresh: true }))).toEqual(timedOut('The token storage set()'));
    expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
    expect(await credential.getAccessToken()).not.toBe(tokens.accessToken.reveal());
  });

  it("fails sign-out's read with TIMEOUT naming it, after the session ended", async (test: TestContext) => {
    const { expect } = test;
    const env = await startSignInOrg(test);
    const { client, credential } = await storedCredential(env, 'get');
    expect(await settled(signOut(client, credential))).toEqual(timedOut('The token storage get()'));
    expect(credential.tokens).toBeUndefined();
  });
});
