/**
 * The optional compare-and-delete, compare-and-set and unreadable-entry methods of `OktaStorage`
 * (`removeIfEqual`, `replaceIfEqual`, `removeIfUnreadable`): each answers whether it acted, acts
 * only on the text it was given, and is one step of the store, also between two handles.
 */
import type { Rule } from './basic-rules.js';
import { Broken, keyShown, Skipped, type CheckContext } from './context.js';
import type { StorageUnderCheck } from './types.js';

/** Rounds of each race: a store that is not one step loses most of them, one is enough to fail. */
const raceRounds = 3;

type Ctx = CheckContext<StorageUnderCheck>;

/** Fails unless `answer` is the boolean `wanted`, saying what the call was. */
function expectAnswer(answer: unknown, wanted: boolean, what: string, why: string): void {
  if (answer === wanted) return;
  const got = typeof answer === 'boolean' ? String(answer) : `${typeof answer} ${typeof answer === 'number' ? String(answer) : ''}`.trim();
  throw new Broken(`${what} answered ${got} ${why}: answer ${wanted} (a boolean: true only when it ${what.startsWith('replace') ? 'wrote' : 'deleted'}).`);
}

const removeIfEqual = (ctx: Ctx, key: string, value: string, handle: StorageUnderCheck = ctx.first): Promise<unknown> =>
  ctx.call(`removeIfEqual(${keyShown(key)})`, () => handle.removeIfEqual?.(key, value));

const replaceIfEqual = (ctx: Ctx, key: string, expected: string, value: string, handle: StorageUnderCheck = ctx.first): Promise<unknown> =>
  ctx.call(`replaceIfEqual(${keyShown(key)})`, () => handle.replaceIfEqual?.(key, expected, value, { expiresAt: Date.now() + 3_600_000 }));

const offered = (ctx: Ctx, method: 'removeIfEqual' | 'replaceIfEqual' | 'removeIfUnreadable'): void => {
  if (typeof ctx.first[method] !== 'function') throw new Skipped(`the storage has no ${method}`);
};

/** Fails unless exactly one of two racing answers is `true`. */
function expectOneWinner(answers: readonly unknown[], what: string): void {
  const won = answers.filter((answer) => answer === true).length;
  if (won !== 1) {
    throw new Broken(
      `Two ${what} of the same expected value on ${answers.length === 2 ? 'two handles' : 'one handle'} at once: ${won} answered true. Compare and write in one step of the store (a transaction, a conditional write, a script), so exactly one wins.`,
    );
  }
}

export const compareRules: readonly Rule[] = [
  {
    name: 'remove-if-equal',
    check: async (ctx) => {
      offered(ctx, 'removeIfEqual');
      const key = ctx.key('remove-if-equal');
      const held = ctx.value();
      await ctx.set(key, held);
      expectAnswer(await removeIfEqual(ctx, key, ctx.value()), false, `removeIfEqual(${keyShown(key)})`, 'for a value the key does not hold');
      await ctx.expectRead(key, held, 'After removeIfEqual with a value the key does not hold (it must delete nothing)');
      expectAnswer(await removeIfEqual(ctx, key, held), true, `removeIfEqual(${keyShown(key)})`, 'for the value the key holds');
      await ctx.expectRead(key, undefined, 'After removeIfEqual with the value the key holds (it must delete it)');
      expectAnswer(await removeIfEqual(ctx, key, held), false, `removeIfEqual(${keyShown(key)})`, 'for a key that holds nothing');
    },
  },
  {
    name: 'remove-if-equal-race',
    check: async (ctx) => {
      offered(ctx, 'removeIfEqual');
      for (let round = 0; round < raceRounds; round += 1) {
        const key = ctx.key(`remove-race-${round}`);
        const held = ctx.value();
        await ctx.set(key, held);
        expectOneWinner(await Promise.all([removeIfEqual(ctx, key, held), removeIfEqual(ctx, key, held, ctx.second)]), 'removeIfEqual');
        await ctx.expectRead(key, undefined, 'After two removeIfEqual of the value held');
        await ctx.set(key, held);
        const next = ctx.value();
        await Promise.all([removeIfEqual(ctx, key, held), ctx.set(key, next, undefined, ctx.second)]);
        await ctx.expectRead(
          key,
          next,
          'After removeIfEqual of the value held raced a set of a new value on the other handle (in either order the new value stays: compare and delete in one step, or a sign-in written meanwhile is removed)',
        );
      }
    },
  },
  {
    name: 'replace-if-equal',
    check: async (ctx) => {
      offered(ctx, 'replaceIfEqual');
      const key = ctx.key('replace-if-equal');
      const held = ctx.value();
      await ctx.set(key, held);
      expectAnswer(await replaceIfEqual(ctx, key, ctx.value(), ctx.value()), false, `replaceIfEqual(${keyShown(key)})`, 'for an expected value the key does not hold');
      await ctx.expectRead(key, held, 'After replaceIfEqual with an expected value the key does not hold (it must write nothing)');
      const next = ctx.value();
      expectAnswer(await replaceIfEqual(ctx, key, held, next), true, `replaceIfEqual(${keyShown(key)})`, 'for the value the key holds');
      await ctx.expectRead(key, next, 'After replaceIfEqual with the value the key holds (it must write the new one)');
      const gone = ctx.key('replace-if-equal-missing');
      expectAnswer(await replaceIfEqual(ctx, gone, held, next), false, `replaceIfEqual(${keyShown(gone)})`, 'for a key that holds nothing (a sign-out removed it)');
      await ctx.expectRead(gone, undefined, 'After replaceIfEqual on a key that holds nothing (it must not write: the sign-out stays)');
    },
  },
  {
    name: 'replace-if-equal-race',
    check: async (ctx) => {
      offered(ctx, 'replaceIfEqual');
      for (let round = 0; round < raceRounds; round += 1) {
        const key = ctx.key(`replace-race-${round}`);
        const held = ctx.value();
        await ctx.set(key, held);
        const [mine, theirs] = [ctx.value(), ctx.value()];
        const answers = await Promise.all([replaceIfEqual(ctx, key, held, mine), replaceIfEqual(ctx, key, held, theirs, ctx.second)]);
        expectOneWinner(answers, 'replaceIfEqual');
        await ctx.expectRead(key, answers[0] === true ? mine : theirs, "After two replaceIfEqual of the value held, the winner's value");
        await ctx.set(key, held);
        await Promise.all([replaceIfEqual(ctx, key, held, mine), ctx.call(`remove(${keyShown(key)})`, () => ctx.second.remove(key))]);
        await ctx.expectRead(key, undefined, 'After replaceIfEqual of the value held raced a remove on the other handle (in either order the key ends empty: a sign-out is never undone)');
      }
    },
  },
  {
    name: 'unreadable-entries',
    check: async (ctx) => {
      const { writeUnreadable } = ctx;
      const removes = typeof ctx.first.removeIfUnreadable === 'function';
      if (writeUnreadable === undefined && !removes) throw new Skipped('the storage has no removeIfUnreadable and no writeUnreadable option was given');
      const removeIfUnreadable = (key: string): Promise<unknown> => ctx.call(`removeIfUnreadable(${keyShown(key)})`, () => ctx.first.removeIfUnreadable?.(key));
      if (removes) {
        const key = ctx.key('readable');
        const held = ctx.value();
        await ctx.set(key, held);
        expectAnswer(await removeIfUnreadable(key), false, `removeIfUnreadable(${keyShown(key)})`, 'for an entry the store reads');
        await ctx.expectRead(key, held, 'After removeIfUnreadable of an entry the store reads (it must stay)');
        expectAnswer(await removeIfUnreadable(ctx.key('unwritten')), false, 'removeIfUnreadable', 'for a key that holds nothing');
      }
      if (writeUnreadable === undefined) return;
      const key = ctx.key('unreadable');
      await ctx.call('writeUnreadable (the option)', () => writeUnreadable(key));
      await ctx.expectRead(key, undefined, 'For an entry the store cannot read (answer nothing, and log it: okta-oauth then signs in again)');
      if (!removes) return;
      expectAnswer(await removeIfUnreadable(key), true, `removeIfUnreadable(${keyShown(key)})`, 'for an entry the store cannot read');
      expectAnswer(await removeIfUnreadable(key), false, `removeIfUnreadable(${keyShown(key)}) again`, 'after it removed the entry');
    },
  },
];
