// @org/okta-oauth's token storage at sign-out, on every runtime: sign-out removes the signed-out
// tokens with the storage's removeIfEqual (a compare-and-remove in one step), so a new sign-in
// written between its read and its removal stays: createMemoryStorage everywhere, and Web
// Storage (createSessionStorage, createWebStorage(localStorage)) where the runtime has it:
// Chromium, Firefox, WebKit and Deno. Node.js, Bun and workerd have none: there createSessionStorage is
// INVALID_CONFIG. (Node.js 22-24 has Web Storage behind --experimental-webstorage only.)
import { UserTokens, createMemoryStorage, createSessionStorage, createSignInClient, createWebStorage, isOktaOAuthError, signOut } from '@org/okta-oauth';
import { equal, ok, rejects } from '../assert.js';

/**
 * `storage` watched: `between(write)` makes `write(key)` run just after the next read, before the
 * reader's next step (sign-out's read, before its removal), as another tab's sign-in would land.
 * `compare: false` leaves out removeIfEqual (a store without it: sign-out uses remove()).
 */
function raced(storage, { compare = true } = {}) {
  let writer;
  let key;
  const watched = {
    get(k) {
      const value = storage.get(k);
      writer?.(k);
      writer = undefined;
      return value;
    },
    set(k, value) {
      key = k;
      return storage.set(k, value);
    },
    remove: (k) => storage.remove(k),
  };
  if (compare) watched.removeIfEqual = (k, value) => storage.removeIfEqual(k, value);
  return { storage: watched, between: (write) => { writer = write; }, key: () => key };
}

/**
 * Signs the fixture's user out of a credential kept in `storage`, another tab's new sign-in
 * written (by `write(key, text)`) just after sign-out's read; returns what storage holds after.
 */
async function signOutRacing(fixture, storage, write, options) {
  const { clientId, scopes, stored, theirs } = fixture.oauth.signOutUser;
  const client = createSignInClient({ orgUrl: fixture.orgUrl, clientId, scopes, allowInsecureLoopback: true });
  const watched = raced(storage, options);
  const credential = client.credential(UserTokens.fromStorable(stored), { storage: watched.storage });
  let written = false;
  watched.between((key) => { write(key, theirs); written = true; });
  const { revoked } = await signOut(client, credential);
  equal(revoked.join(','), 'refresh_token,access_token', 'revoked');
  ok(written, "the other tab's sign-in was written after sign-out's read");
  return { key: watched.key(), held: storage.get(watched.key()) };
}

/** This runtime's Web Storage objects, by name: none on Node.js, Bun and workerd. */
function webStorages() {
  const found = {};
  for (const name of ['sessionStorage', 'localStorage']) {
    try {
      if (globalThis[name] !== undefined && globalThis[name] !== null) found[name] = globalThis[name];
    } catch {
      // blocked (a sandboxed frame): none
    }
  }
  return found;
}

export const storageCases = [
  {
    name: "oauth storage: a new sign-in written between sign-out's read and its removal stays (createMemoryStorage's removeIfEqual; without it, removed)",
    async run(fixture) {
      const { theirs } = fixture.oauth.signOutUser;
      const memory = createMemoryStorage();
      const kept = await signOutRacing(fixture, memory, (key, text) => memory.set(key, text));
      equal(kept.held === theirs, true, 'the new sign-in stays');
      // The same race on a store without removeIfEqual: remove() takes the new sign-in (the window it closes).
      const plain = createMemoryStorage();
      const lost = await signOutRacing(fixture, plain, (key, text) => plain.set(key, text), { compare: false });
      equal(lost.held, undefined, 'without removeIfEqual, the new sign-in is removed');
    },
  },
  {
    name: "oauth storage: on Web Storage (createSessionStorage, createWebStorage(localStorage)) a new sign-in written between sign-out's read and its removal stays; without Web Storage, createSessionStorage is INVALID_CONFIG",
    async run(fixture) {
      const { theirs } = fixture.oauth.signOutUser;
      const web = webStorages();
      const expected = (fixture.runtime === 'browser' && fixture.engine !== 'edge') || fixture.runtime === 'deno';
      equal(web.sessionStorage !== undefined && web.localStorage !== undefined, expected, `${fixture.runtime} has sessionStorage and localStorage`);
      if (!expected) {
        const error = await rejects(() => createSessionStorage(), 'createSessionStorage without sessionStorage');
        ok(isOktaOAuthError(error) && error.code === 'INVALID_CONFIG', `INVALID_CONFIG, got ${String(error)}`);
        return;
      }
      for (const [name, storage] of [['createSessionStorage()', createSessionStorage()], ['createWebStorage(localStorage)', createWebStorage(web.localStorage)]]) {
        const real = name.startsWith('createSession') ? web.sessionStorage : web.localStorage;
        let key;
        try {
          const kept = await signOutRacing(fixture, storage, (k, text) => { key = k; real.setItem(k, text); });
          equal(kept.held === theirs && real.getItem(kept.key) === theirs, true, `${name}: the new sign-in stays`);
          equal(storage.removeIfEqual(kept.key, 'something else'), false, `${name}: removeIfEqual of another text`);
          equal(storage.removeIfEqual(kept.key, theirs), true, `${name}: removeIfEqual of the text held`);
          equal(real.getItem(kept.key), null, `${name}: removed`);
        } finally {
          if (key !== undefined) real.removeItem(key);
        }
      }
    },
  },
];
