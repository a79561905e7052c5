/**
 * lostack137: a store's single flight that called `obtain` (one refresh grant) and then failed, its own write's answer
 * lost (a Durable Object reset or past its `timeoutMs`, Redis failing on the compare-and-set). The flight rejects; the
 * credential takes the renewal it obtained (no second grant) and writes it itself over the tokens of its own sign-in
 * (user-fleet.ts's fallback write): a sign-out on another process meanwhile (the key removed) refuses that write, and the
 * renewal is revoked, never handed out; without one the renewal is written and handed out. The stores' own:
 * okta-token-store-durable-object's `test/lost-answer.server.test.ts`, okta-token-store-redis's `test/user-fleet-lost-answer.server.test.ts`.
 * held140: that write failing at first, the renewal is held back (pending138) and its `onTokens` told once, by the call whose write lands.
 */
import { failure } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import type { OktaStorage } from '../token-cache/storage.js';
import type { UserTokens } from './tokens.js';
import { createMemoryStorage } from './storage.js';
import { expiredSignIn, fleetStorage } from './test-helpers/fleet-storage.js';
import { useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();
const lost = () => new Error('Durable Object reset because its code was updated.');

describe("a user fleet whose store's answer to its own write was lost", () => {
  it('signed out on another process while Okta answered: LOGIN_REQUIRED, the renewal revoked, nothing stored or held, one refresh grant', async () => {
    let obtained = '';
    const fleet = fleetStorage(async (memory, key, obtain) => {
      obtained = (await obtain()).value;
      // The other process's sign-out, then the store's refused write whose answer never comes back.
      await memory.remove(key);
      throw lost();
    });
    const { credential, storageKey } = await expiredSignIn(env, fleet.storage);
    const error = await failure(credential.getAccessToken(), isOktaOAuthError);
    expect([error.code, error.message]).toEqual(['LOGIN_REQUIRED', 'The session ended while the tokens were being renewed (signed out, or its refresh token refused): sign in again.']);
    expect(obtained).not.toBe('');
    expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
    // The renewal's refresh and access tokens, revoked before the caller's answer.
    expect(env.org.counters().requests['POST /oauth2/v1/revoke']).toBe(2);
    expect(credential.tokens).toBeUndefined();
    expect(fleet.memory.get(storageKey)).toBeUndefined();
    expect((await failure(credential.getAccessToken(), isOktaOAuthError)).code).toBe('LOGIN_REQUIRED');
    expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
  });

  it('no sign-out: the renewal written over its own sign-in and handed out, one refresh grant, nothing revoked', async () => {
    let obtained = '';
    const fleet = fleetStorage(async (_memory, _key, obtain) => {
      obtained = (await obtain()).value;
      throw lost();
    });
    const { credential, tokens, storageKey } = await expiredSignIn(env, fleet.storage);
    const token = await credential.getAccessToken();
    expect(token.reveal()).not.toBe(tokens.accessToken.reveal());
    expect(JSON.stringify(credential.tokens?.toStorable())).toBe(obtained);
    expect(fleet.memory.get(storageKey)).toBe(obtained);
    expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
    expect(env.org.counters().requests['POST /oauth2/v1/revoke']).toBeUndefined();
  });

  it('held140: the write failing at first, onTokens is told once, when a later call\'s write lands; an onTokens throwing then fails only the calls waiting on it', async () => {
    const fleet = fleetStorage(async (_memory, _key, obtain) => {
      await obtain();
      throw lost();
    });
    let down = false;
    const storage: OktaStorage = { ...fleet.storage, set: async (key, value, options) => (down ? Promise.reject(new Error('ECONNREFUSED')) : fleet.storage.set(key, value, options)) };
    const { client, storageKey } = await expiredSignIn(env, storage);
    const told: (string | null)[] = [];
    const thrown = new Error('the app\'s database is down');
    let throwing = true;
    const onTokens = (tokens: UserTokens | null) => {
      told.push(tokens?.accessToken.reveal() ?? null);
      if (throwing) throw thrown;
    };
    const credential = (await client.restoreCredential({ storage, storageKey, onTokens }))!;
    down = true;
    for (let call = 0; call < 2; call++) await expect(credential.getAccessToken()).rejects.toThrow('ECONNREFUSED');
    expect(told).toEqual([]);
    down = false;
    // Two calls at once: one write, one onTokens, its error theirs (before: both resolved, onTokens never told).
    const calls = await Promise.allSettled([credential.getAccessToken(), credential.getAccessToken()]);
    expect(calls).toEqual([{ status: 'rejected', reason: thrown }, { status: 'rejected', reason: thrown }]);
    expect(told).toHaveLength(1);
    // Not confirmed by a call that got it yet: no getter shows it (join140).
    expect(credential.tokens).toBeUndefined();
    throwing = false;
    const renewal = await credential.getAccessToken();
    expect(told).toEqual([renewal.reveal()]);
    expect(fleet.memory.get(storageKey)).toBe(JSON.stringify(credential.tokens!.toStorable()));
    expect((await credential.getAccessToken()).reveal()).toBe(renewal.reveal());
    expect(told).toEqual([renewal.reveal()]);
    expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
  });

  it('the store down after Okta answered: credential.tokens and claims show no renewal until its write lands (then the renewal)', async () => {
    const memory = createMemoryStorage();
    const state = { down: false };
    const up = <T>(run: () => T): T => (state.down ? (Promise.reject(new Error('store down')) as T) : run());
    const storage: OktaStorage = {
      get: (key) => up(() => memory.get(key)),
      set: (key, value, options) => up(() => memory.set(key, value, options)),
      remove: (key) => up(() => memory.remove(key)),
      singleFlight: async (_key, obtain) => {
        await obtain();
        state.down = true;
        throw new Error('store down after Okta answered');
      },
    };
    const { credential, tokens } = await expiredSignIn(env, storage);
    expect(await failure(credential.getAccessToken(), (error): error is Error => error instanceof Error)).toMatchObject({ message: 'store down' });
    // Held back (another process may have signed the user out): what get() refuses, the getters never show.
    expect([credential.tokens, credential.claims]).toEqual([undefined, undefined]);
    state.down = false;
    const token = await credential.getAccessToken();
    expect(token.reveal()).not.toBe(tokens.accessToken.reveal());
    expect(credential.tokens?.accessToken.reveal()).toBe(token.reveal());
    expect(credential.claims).toBeDefined();
    expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
  });
});
