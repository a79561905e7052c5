/**
 * The rules every storage keeps (`get`, `set`, `remove`, keys, values, expiry, what another handle
 * reads), as `@org/okta-oauth`'s `OktaStorage` documents them.
 */
import { answerShown, Broken, keyShown, type CheckContext } from './context.js';
import type { OktaStorageCheckName, StorageUnderCheck } from './types.js';

/** One rule: resolves when kept, throws `Broken` (or `Skipped`) when not. */
export interface Rule {
  readonly name: OktaStorageCheckName;
  readonly check: (ctx: CheckContext<StorageUnderCheck>) => Promise<void>;
}

/**
 * Keys in every shape okta-oauth writes, with this run's id: a service token's cache key
 * (`encodeURIComponent`'d parts joined by `|`), a sign-in transaction's, the list's, a user's tokens'
 * default key, and `storageKey`s an app gives (a path, an e-mail, spaces and punctuation, non-ASCII, a
 * long one), then neighbours that a store dropping, replacing or case-folding a character, or cutting
 * a long key, would take for one another.
 */
export function keyShapes(run: string): string[] {
  const tokens = `okta-oauth:0oa${run}:tokens`;
  const long = `okta-oauth:${run}:${'k'.repeat(1000 - run.length - 12)}`;
  return [
    `okta-oauth:v2|https%3A%2F%2Facme.okta.com%2Foauth2%2Fv1%2Ftoken|0oa${run}|private_key_jwt%3AXk9_-Q|okta.groups.read%20okta.users.read|bearer`,
    `okta-oauth:0oa${run}:transaction:Ab3_-xY9${run}`,
    `okta-oauth:0oa${run}:transactions`,
    tokens,
    `user/${run}/ada.lovelace+okta@example.com`,
    `tenant acme.okta.com:user 00u${run} (session ~1)!*'`,
    `okta-oauth:${run}:Ünïcödé-ключ-鍵-😀`,
    long,
    // Neighbours of the default key and of the long one.
    tokens.replaceAll(':', '/'),
    tokens.replaceAll(':', '|'),
    tokens.replaceAll(':', '%3A'),
    tokens.replaceAll(':', '_'),
    tokens.replaceAll(':', ''),
    tokens.toUpperCase(),
    `${tokens} `,
    `${tokens}:`,
    `${long.slice(0, -1)}j`,
    long.slice(0, 255),
  ];
}

export const basicRules: readonly Rule[] = [
  {
    name: 'get-missing',
    check: async (ctx) => {
      const key = ctx.key('missing');
      const answer = await ctx.get(key);
      if (answer !== null && answer !== undefined) {
        throw new Broken(`get(${keyShown(key)}) of a key never written answered ${answerShown(answer)}: answer null or undefined when there is no value.`);
      }
    },
  },
  {
    name: 'set-get',
    check: async (ctx) => {
      for (const chars of [2, 200, ctx.valueChars]) {
        const key = ctx.key(`size-${chars}`);
        const value = ctx.value(chars);
        await ctx.set(key, value);
        await ctx.expectRead(key, value, `After set of a value of ${chars} characters`).catch((error: unknown) => {
          throw error instanceof Broken ? new Broken(`${error.message} Store and answer the text as given, every character (JSON text, non-ASCII, astral pairs), up to ${ctx.valueChars} characters.`) : error;
        });
      }
    },
  },
  {
    name: 'set-replaces',
    check: async (ctx) => {
      const key = ctx.key('replaced');
      await ctx.set(key, ctx.value());
      const second = ctx.value();
      await ctx.set(key, second);
      await ctx.expectRead(key, second, 'After a second set of the key (it replaces the first)');
    },
  },
  {
    name: 'remove',
    check: async (ctx) => {
      const key = ctx.key('removed');
      await ctx.set(key, ctx.value());
      await ctx.call(`remove(${keyShown(key)})`, () => ctx.first.remove(key));
      await ctx.expectRead(key, undefined, 'After remove');
      await ctx.call(`remove(${keyShown(key)}) of a key already removed (no error: sign-out removes what may be gone)`, () => ctx.first.remove(key));
      const never = ctx.key('never-written');
      await ctx.call(`remove(${keyShown(never)}) of a key never written (no error)`, () => ctx.first.remove(never));
    },
  },
  {
    name: 'key-characters',
    check: async (ctx) => {
      const keys = keyShapes(ctx.run).map((key) => ctx.own(key));
      const values = new Map(keys.map((key) => [key, ctx.value()]));
      for (const [key, value] of values) await ctx.set(key, value);
      const wrong: string[] = [];
      for (const [key, value] of values) {
        const read = await ctx.get(key);
        if (read === value) continue;
        const other = [...values].find(([, stored]) => stored === read)?.[0];
        wrong.push(`${keyShown(key)} (${other === undefined ? answerShown(read) : `the value of ${keyShown(other)}`})`);
      }
      if (wrong.length > 0) {
        throw new Broken(
          `These keys did not read back what was set under them: ${wrong.join(', ')}. Keep every key as given (a hash of it is fine: no character dropped, replaced or case-folded, no length cut, up to 1,000 characters).`,
        );
      }
    },
  },
  {
    name: 'expires-at',
    check: async (ctx) => {
      const cases: [string, { readonly expiresAt?: number | undefined } | undefined][] = [
        ['an hour ahead', { expiresAt: Date.now() + 3_600_000 }],
        ['undefined', { expiresAt: undefined }],
        ['absent', {}],
        ['no options', undefined],
      ];
      for (const [tag, options] of cases) {
        const key = ctx.key(`expires-${tag.replaceAll(' ', '-')}`);
        const value = ctx.value();
        await ctx.set(key, value, options);
        await ctx.expectRead(key, value, `After set with expiresAt ${tag} (epoch milliseconds; none: the store's own default expiry)`);
      }
    },
  },
  {
    name: 'stale-read',
    check: async (ctx) => {
      const key = ctx.key('shared');
      const on = ctx.twoHandles ? 'the second handle' : 'the storage';
      await ctx.expectRead(key, undefined, 'Before any write', ctx.second);
      const steps: [string, string | undefined][] = [
        ['set', ctx.value()],
        ['a second set', ctx.value()],
        ['remove', undefined],
      ];
      for (const [what, value] of steps) {
        await (value === undefined ? ctx.call(`remove(${keyShown(key)})`, () => ctx.first.remove(key)) : ctx.set(key, value));
        await ctx.expectRead(key, value, `After ${what} on the first handle, read on ${on} (answer what the store holds now: no cache a write elsewhere does not clear)`, ctx.second);
      }
    },
  },
];
