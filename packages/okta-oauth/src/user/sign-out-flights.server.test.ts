/**
 * A renewal under way when the user signs out, on @org/okta-emulator over HTTP, for the root and
 * the `/sign-in` credential, and with storage under a Web Lock: no caller gets a token of the signed-out session, neither one that
 * called before sign-out and was still waiting (it fails with `LOGIN_REQUIRED`) nor one that
 * calls after it (it does not join the renewal under way: it gets `LOGIN_REQUIRED` at once, as a
 * signed-out credential does, and sends no refresh). The interleaving is forced, never timed: the
 * refresh's answer (a fetch in front of the org) or the app's `onTokens` is held until the test
 * has signed out. And a forced renewal whose caller aborts while storage is read: the caller stops
 * at once, and the refusal stands.
 */
import { isOktaAuthError } from '@org/okta-auth-core';
import { until } from '@org/okta-test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signOut } from './client-functions.js';
import { createSignInClient, type SignInClientOptions } from './sign-in-client.js';
import { leanSignInClient as createLeanClient } from './test-helpers/sign-in-org.js';
import type { SignInClientBase } from './sign-in-options.js';
import { gate } from './test-helpers/late-storage.js';
import { signIn, spaOf, useSignInOrg } from './test-helpers/sign-in-org.js';
import { stubWebLocks } from './test-helpers/web-locks.js';
import type { UserTokens } from './tokens.js';

const env = useSignInOrg();

const creators = [
  ['root', createSignInClient],
  ['/sign-in', createLeanClient],
] as const satisfies readonly (readonly [string, (options: SignInClientOptions) => SignInClientBase])[];
/** The same with storage, whose renewals run under a Web Lock: a call after sign-out waits for the lock, never for the renewal's outcome. */
const rows = [...creators.map(([name, create]) => [name, create, false] as const), ['root, storage under a Web Lock', createSignInClient, true] as const];

/**
 * A signed-in SPA credential whose client and org clocks move together, and whose next token
 * answer `holdToken()` holds (the request reaches the org; its answer waits for `held.open()`).
 */
async function signedIn(create: (options: SignInClientOptions) => SignInClientBase, locked: boolean, onTokens?: (next: UserTokens | null) => Promise<void>) {
  if (locked) stubWebLocks();
  const saved = new Map<string, string>();
  const storage = { get: (key: string) => saved.get(key), set: (key: string, value: string) => void saved.set(key, value), remove: (key: string) => void saved.delete(key) };
  const clock = { now: Date.now() };
  const held = gate();
  let holding = false;
  const heldFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (holding && new URL(url).pathname === '/oauth2/v1/token') {
      holding = false;
      held.reach();
      await held.opened;
    }
    return response;
  };
  const client = spaOf(env.org, { now: () => clock.now, fetch: heldFetch }, undefined, create);
  const { tokens } = await signIn(client);
  const credential = client.credential(tokens, { ...(onTokens === undefined ? {} : { onTokens }), ...(locked ? { storage } : {}) });
  await credential.getAccessToken(); // the first write has landed
  const later = (ms: number): void => {
    clock.now += ms;
    env.org.setClockOffset((clock.now - Date.now()) / 1000);
  };
  return { client, credential, held, later, saved, holdToken: () => void (holding = true) };
}

const refreshes = () => env.org.counters().tokenRequests.refresh_token;
const tokenPosts = () => env.org.counters().requests['POST /oauth2/v1/token'] ?? 0;
/** What a call ended in: a token, or its error's code (never thrown, so a test waits for every caller). */
const code = (work: Promise<unknown>): Promise<string> => work.then(() => 'a token', (error: unknown) => (isOktaAuthError(error) ? error.code : String(error)));

describe.each(rows)('a renewal under way at sign-out (%s credential)', (_, create, locked) => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('whose refresh then fails for a passing reason: neither the caller waiting nor one after sign-out gets the signed-out token', async () => {
    const { client, credential, held, later, saved, holdToken } = await signedIn(create, locked);
    // 40 s before expiry: inside the renewal window, also of the stored copy (whose lifetime is
    // unknown: the 60 s floor), and far enough from expiry that the token would be kept if the
    // early renewal failed for a passing reason.
    later(3560_000);
    const sent = tokenPosts();
    env.org.injectFault({ path: '/oauth2/v1/token', kind: 'status', status: 400, body: { error: 'temporarily_unavailable', error_description: 'Try again later.' }, count: 1 });
    holdToken();
    const waiting = code(credential.getAccessToken());
    await held.reached;
    // Under a Web Lock, sign-out's storage removal waits for the renewal's lock: not awaited here.
    const signingOut = signOut(client, credential);
    await until(() => credential.tokens === undefined, 'the local session ended');
    const after = code(credential.getAccessToken());
    held.open();
    await signingOut;
    expect(await after).toBe('LOGIN_REQUIRED');
    expect(await waiting).toBe('LOGIN_REQUIRED');
    expect(credential.tokens).toBeUndefined();
    expect(saved.size).toBe(0);
    // One refresh, the renewal's (answered by the fault): the call after sign-out sent none.
    expect(tokenPosts() - sent).toBe(1);
  });

  it("whose onTokens is under way: the caller waiting and one after sign-out both get LOGIN_REQUIRED, never the renewed (revoked) tokens", async () => {
    const told = gate();
    let holding = false;
    const settled: (string | null)[] = [];
    const { client, credential, later, saved } = await signedIn(create, locked, async (next) => {
      if (holding && next !== null) {
        told.reach();
        await told.opened;
      }
      settled.push(next === null ? null : 'tokens');
    });
    later(3600_000);
    holding = true;
    const waiting = code(credential.getAccessToken());
    await told.reached;
    const renewed = credential.tokens?.accessToken.reveal() ?? '';
    // Resolves while the app's onTokens is still held: sign-out never waits on it.
    const result = await signOut(client, credential);
    expect(result.revoked).toEqual(['refresh_token', 'access_token']);
    const after = code(credential.getAccessToken());
    told.open();
    expect(await after).toBe('LOGIN_REQUIRED');
    expect(await waiting).toBe('LOGIN_REQUIRED');
    // The app's last word is still null; the renewed pair is the one sign-out revoked.
    expect(settled).toEqual(['tokens', null]);
    expect(saved.size).toBe(0);
    expect(refreshes()).toEqual({ success: 1 });
    const bare = await fetch(new URL(env.userPath, env.org.url), { headers: { authorization: `Bearer ${renewed}` } });
    expect(bare.status).toBe(401);
  });
});

describe.each(creators)('a forced renewal whose caller aborts while storage is read (%s credential)', (_, create) => {
  it('stops that caller at once with ABORTED; the refusal stands, so the next call renews once', async () => {
    const read = gate();
    let holding = false;
    const saved = new Map<string, string>();
    const storage = {
      async get(key: string) {
        if (holding) {
          holding = false;
          read.reach();
          await read.opened;
        }
        return saved.get(key);
      },
      set: (key: string, value: string) => void saved.set(key, value),
      remove: (key: string) => void saved.delete(key),
    };
    const client = spaOf(env.org, {}, undefined, create);
    const { tokens } = await signIn(client);
    const credential = client.credential(tokens, { storage });
    const first = (await credential.getAccessToken()).reveal();
    holding = true;
    const controller = new AbortController();
    const forcing = code(credential.getAccessToken({ forceRefresh: true, signal: controller.signal }));
    await read.reached;
    controller.abort();
    expect(await forcing).toBe('ABORTED');
    read.open();
    const next = (await credential.getAccessToken()).reveal();
    expect(next).not.toBe(first);
    expect(refreshes()).toEqual({ success: 1 });
    expect((await credential.getAccessToken()).reveal()).toBe(next);
  });
});
