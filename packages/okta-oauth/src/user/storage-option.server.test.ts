/**
 * A sign-in `storage` that is not an OktaStorage (get, set, remove): the browser's own Web Storage
 * object (`getItem`, `setItem`: wrapped by `createWebStorage`, never given as is), or a mistyped value.
 * The client, a credential and `restoreCredential` refuse it with `INVALID_CONFIG` naming the option
 * and the fix, before anything is stored or sent; before, the first `startSignIn`, a credential's first
 * write or `restoreCredential` failed with a raw `TypeError` ("ctx.storage.get is not a function").
 * Both entries (`@org/okta-oauth`, `@org/okta-oauth/sign-in`), over real HTTP against the emulator.
 */
import { describe, expect, it } from 'vitest';
import { awaitedRefusal as refusal } from '../test-helpers/refusal.js';
import { restoreCredential } from './client-functions.js';
import type { OktaStorage } from '../token-cache/storage.js';
import { clientFor, signIn, signInEntries, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();

/** What `window.sessionStorage` offers, in Node.js. */
const webStorage = { length: 0, getItem: () => null, setItem: () => undefined, removeItem: () => undefined, key: () => null, clear: () => undefined };
const notStorages: readonly unknown[] = [webStorage, 'session', { get: () => null, set: () => undefined }];

describe.each(signInEntries)('a sign-in storage that is not an OktaStorage (%s)', (_entry, create) => {
  it('is refused by the client, a credential and restoreCredential, naming the option and createWebStorage; nothing is sent', async () => {
    const app = env.org.createSignInApp({ type: 'spa', redirectUris: ['http://127.0.0.1:5173/callback'], scopes: ['okta.users.read'] });
    const client = clientFor(env.org, app, {}, create);
    const result = await signIn(client);
    env.org.resetCounters();
    const storage = (value: unknown) => value as OktaStorage;
    const outcomes = [];
    for (const value of notStorages) {
      outcomes.push(
        await refusal(() => clientFor(env.org, app, { storage: storage(value) }, create).startSignIn()),
        await refusal(() => client.credential(result, { storage: storage(value) }).getAccessToken()),
        await refusal(() => restoreCredential(client, { storage: storage(value) })),
      );
    }
    const fix = 'must be an OktaStorage (get, set, remove), such as createSessionStorage(); wrap a Web Storage (getItem, setItem) in createWebStorage().';
    expect(outcomes).toEqual(
      notStorages.flatMap((value) => [
        `INVALID_CONFIG: storage ${fix}`,
        `INVALID_CONFIG: credential: storage ${fix}`,
        // A storage that is not an object keeps restoreCredential's own refusal.
        `INVALID_CONFIG: ${typeof value === 'object' ? `restoreCredential: storage ${fix}` : 'restoreCredential needs { storage }: the storage the credential was given.'}`,
      ]),
    );
    expect(env.org.counters().tokenRequests).toEqual({});
  });

  // A JavaScript caller's null storage is no storage, as its null now, sleep or idTokenVerifier: the client's memory
  // storage, as before the up-front check (which refused it). A credential never took null (a raw TypeError at its first write).
  it("takes the client's null storage as none: the sign-in completes in the default memory storage", async () => {
    const app = env.org.createSignInApp({ type: 'spa', redirectUris: ['http://127.0.0.1:5173/callback'], scopes: ['okta.users.read'] });
    const client = clientFor(env.org, app, { storage: null as unknown as OktaStorage }, create);
    const result = await signIn(client);
    expect((await client.credential(result).getAccessToken()).reveal()).toBe(result.tokens.accessToken.reveal());
  });
});
