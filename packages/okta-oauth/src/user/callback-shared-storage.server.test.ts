/**
 * A callback finished from storage by two clients that share it (two processes over one Redis, two
 * clients of one page over its `sessionStorage`), at once: a double-submitted callback, a
 * load balancer's retry. Each client's flights keep it from finishing a transaction twice itself;
 * across clients, the transaction is taken from storage with the storage's `removeIfEqual`
 * (one step of the store), so only the client that removed it exchanges the code: the other is
 * `STATE_MISMATCH` without a token request. The storage's reads are held until both clients have
 * read the transaction, so each finds it before either removes it (no timing).
 */
import { fillSignInForm } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import type { OktaStorage } from '../token-cache/storage.js';
import { createMemoryStorage } from './storage.js';
import { isOktaSignInError } from './errors.js';
import { clientFor, login, password, redirectUri, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();

/** A memory storage whose reads of a transaction answer once `readers` of them are waiting. */
function heldReads(readers: number): { storage: OktaStorage; transactionReads: () => number } {
  const memory = createMemoryStorage();
  let waiting = 0;
  let reads = 0;
  let release: () => void = () => undefined;
  const all = new Promise<void>((resolve) => {
    release = resolve;
  });
  const storage: OktaStorage = {
    async get(key) {
      const value = await memory.get(key);
      if (!key.includes(':transaction:')) return value;
      reads++;
      if (++waiting === readers) release();
      await all;
      return value;
    },
    set: (key, value) => memory.set(key, value),
    remove: (key) => memory.remove(key),
    removeIfEqual: (key, value) => memory.removeIfEqual?.(key, value) ?? false,
  };
  return { storage, transactionReads: () => reads };
}

describe('a callback finished from one storage by two clients at once', () => {
  it('exchanges the code once: the client that took the transaction signs in, the other is STATE_MISMATCH', async () => {
    const app = env.org.createSignInApp({ type: 'spa', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
    const { storage, transactionReads } = heldReads(2);
    const [one, two] = [clientFor(env.org, app, { storage }), clientFor(env.org, app, { storage })] as const;
    const { url } = await one.startSignIn();
    const callback = await fillSignInForm(url, login, password);
    const outcomes = await Promise.allSettled([one.finishSignIn(callback), two.finishSignIn(callback)]);
    expect(transactionReads()).toBe(2);
    const signedIn = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
    expect(signedIn).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(isOktaSignInError(refused[0]) && refused[0].code).toBe('STATE_MISMATCH');
    expect(env.org.counters().tokenRequests.authorization_code).toEqual({ success: 1 });
    expect(await storage.get(`okta-oauth:${app.clientId}:transactions`)).toBeUndefined();
  });

  it('exchanges the code once when each is passed the transaction (a server keeps it in the user session, RFC 9700 §4.5): the other is STATE_MISMATCH', async () => {
    const app = env.org.createSignInApp({ type: 'web', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
    const { storage, transactionReads } = heldReads(2);
    const [one, two] = [clientFor(env.org, app, { storage }), clientFor(env.org, app, { storage })] as const;
    const { url, transaction } = await one.startSignIn();
    const callback = await fillSignInForm(url, login, password);
    const session = JSON.parse(JSON.stringify(transaction)) as typeof transaction; // as a session store gives it back
    const outcomes = await Promise.allSettled([one.finishSignIn(callback, transaction), two.finishSignIn(callback, session)]);
    expect(transactionReads()).toBe(2);
    const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    expect(refused.map((error) => isOktaSignInError(error) && error.code)).toEqual(['STATE_MISMATCH']);
    expect(env.org.counters().tokenRequests.authorization_code).toEqual({ success: 1 });
  });

  it('finishes with the transaction passed when the storage does not hold it (another process\'s memory)', async () => {
    const app = env.org.createSignInApp({ type: 'web', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
    const [one, two] = [clientFor(env.org, app), clientFor(env.org, app)] as const;
    const { url, transaction } = await one.startSignIn();
    const callback = await fillSignInForm(url, login, password);
    expect((await two.finishSignIn(callback, transaction)).claims?.preferred_username).toBe(login);
  });
});
