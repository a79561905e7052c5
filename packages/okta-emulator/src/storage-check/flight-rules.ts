/**
 * `OktaStorage`'s optional `singleFlight` (one token request per key at a time across every handle,
 * `fresh`, `obtain`'s error, `stored`, the caller's `signal`) and its declared bounds (`timeoutMs`, `fleetWaitMs`).
 */
import type { Rule } from './basic-rules.js';
import { Broken, errorName, keyShown, pause, Skipped, type CheckContext } from './context.js';
import type { StorageUnderCheck } from './types.js';

type Ctx = CheckContext<StorageUnderCheck>;
type Obtain = () => Promise<{ readonly value: string; readonly expiresAt: number }>;
type FlightOptions = Parameters<NonNullable<StorageUnderCheck['singleFlight']>>[2];

/** okta-oauth's bounds on what a storage declares (`maxStorageTimeoutMs`, `maxStorageFleetWaitMs` in its `token-cache/storage.ts`). */
const declaredBounds = { timeoutMs: 60_000, fleetWaitMs: 3_600_000 } as const;

const hourAhead = (): number => Date.now() + 3_600_000;

/** A promise the check resolves, and whether it has been. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

function flightOf(ctx: Ctx, handle: StorageUnderCheck = ctx.first) {
  if (typeof handle.singleFlight !== 'function') throw new Skipped('the storage has no singleFlight');
  return (key: string, obtain: Obtain, options: FlightOptions) => ctx.settle(() => handle.singleFlight?.(key, obtain, options));
}

/** An `obtain` answering `value`, counting its calls in `calls.n`; with `gate`, it waits for it after telling `started`. */
function counted(calls: { n: number }, value: string, gate?: { started: () => void; open: Promise<void> }, expiresAt = hourAhead()): Obtain {
  return async () => {
    calls.n += 1;
    gate?.started();
    await gate?.open;
    return { value, expiresAt };
  };
}

/** Starts a flight on the first handle whose `obtain` holds until `open()`, and waits for its `obtain` to start. */
async function heldFlight(ctx: Ctx, key: string, value: string, calls: { n: number }) {
  const [started, gate] = [deferred(), deferred()];
  const first = flightOf(ctx)(key, counted(calls, value, { started: started.resolve, open: gate.promise }), { fresh: (text) => text === value });
  const began = await ctx.settle(() => started.promise);
  if (began.kind !== 'fulfilled') {
    gate.resolve();
    throw new Broken(`singleFlight(${keyShown(key)}) did not call obtain within ${ctx.stepMs} ms for a key that holds nothing: call it (the token request) at once when no other handle runs one.`);
  }
  return { first, open: gate.resolve };
}

/** How a flight ended, for a message: never its value. */
const stepsOf = (outcome: { readonly kind: string; readonly error?: unknown }): string =>
  outcome.kind === 'timeout' ? 'did not settle' : outcome.kind === 'rejected' ? `rejected with ${errorName(outcome.error)}` : 'answered another value';

export const flightRules: readonly Rule[] = [
  {
    name: 'single-flight-once',
    check: async (ctx) => {
      const second = flightOf(ctx, ctx.second);
      const key = ctx.key('flight-once');
      const [value, calls] = [ctx.value(), { n: 0 }];
      const { first, open } = await heldFlight(ctx, key, value, calls);
      const waiter = second(key, counted(calls, ctx.value()), { fresh: (text) => text === value });
      await pause();
      open();
      const [one, other] = await Promise.all([first, waiter]);
      if (calls.n !== 1) {
        throw new Broken(
          `obtain ran ${calls.n} times for one key (${ctx.twoHandles ? 'on two handles' : 'twice on one handle'}, the second call made while the first one's ran): run one token request per key at a time across every handle, and hand a waiter the value stored once \`fresh\` accepts it.`,
        );
      }
      for (const [who, outcome] of [['The first caller', one], ['The waiting caller', other]] as const) {
        if (outcome.kind !== 'fulfilled' || outcome.value !== value) throw new Broken(`${who} of singleFlight(${keyShown(key)}) ${stepsOf(outcome)}: give every caller the one value obtain returned.`);
      }
      await ctx.expectRead(key, value, "After singleFlight, obtain's value (store it until its expiresAt)");
    },
  },
  {
    name: 'single-flight-fresh',
    check: async (ctx) => {
      const flight = flightOf(ctx);
      const key = ctx.key('flight-fresh');
      const [held, calls] = [ctx.value(), { n: 0 }];
      await ctx.set(key, held);
      const kept = await flight(key, counted(calls, ctx.value()), { fresh: (text) => text === held });
      if (calls.n !== 0 || kept.kind !== 'fulfilled' || kept.value !== held) {
        throw new Broken(
          `singleFlight(${keyShown(key)}) over a stored value that options.fresh accepts ${calls.n > 0 ? 'called obtain' : stepsOf(kept)}: answer the stored value without a token request (another process's renewal is used, not asked for again).`,
        );
      }
      const [next, renewals] = [ctx.value(), { n: 0 }];
      const renewed = await flight(key, counted(renewals, next), { fresh: () => false });
      if (renewals.n !== 1 || renewed.kind !== 'fulfilled' || renewed.value !== next) {
        throw new Broken(`singleFlight(${keyShown(key)}) over a stored value that options.fresh refuses ${renewals.n === 0 ? 'did not call obtain' : stepsOf(renewed)}: renew it (call obtain) and answer obtain's value.`);
      }
      await ctx.expectRead(key, next, "After singleFlight renewed a value fresh refused, obtain's value");
    },
  },
  {
    name: 'single-flight-error',
    check: async (ctx) => {
      const flight = flightOf(ctx);
      const key = ctx.key('flight-error');
      const failure = new Error('obtain failed (a token request Okta refused; checkOktaStorage)');
      const failed = await flight(key, () => Promise.reject(failure), {});
      if (failed.kind !== 'rejected' || failed.error !== failure) {
        throw new Broken(
          `singleFlight(${keyShown(key)}) whose obtain threw ${failed.kind === 'rejected' ? `rejected with ${errorName(failed.error)}, another error` : stepsOf(failed)}: reject with obtain's own error, as itself (the credential reads its code).`,
        );
      }
      const [value, calls] = [ctx.value(), { n: 0 }];
      const after = await flight(key, counted(calls, value), {});
      if (after.kind !== 'fulfilled' || after.value !== value || calls.n !== 1) {
        throw new Broken(`The next singleFlight(${keyShown(key)}) after an obtain that threw ${stepsOf(after)}: release the key's lock when obtain fails, so the next caller asks at once.`);
      }
    },
  },
  {
    name: 'single-flight-stored',
    check: async (ctx) => {
      const flight = flightOf(ctx);
      const missing = ctx.key('flight-stored-missing');
      const calls = { n: 0 };
      const none = await flight(missing, counted(calls, ctx.value(), undefined, Infinity), { stored: true });
      if (calls.n > 0) throw new Skipped('singleFlight ignores options.stored (allowed; then a sign-out on one process cannot stop a renewal on another)');
      if (none.kind !== 'fulfilled' || none.value !== undefined) throw new Broken(`singleFlight(${keyShown(missing)}, { stored: true }) of a key that holds nothing ${stepsOf(none)}: resolve undefined (signed out).`);
      const key = ctx.key('flight-stored');
      await ctx.set(key, ctx.value());
      const renewal = ctx.value();
      const renewed = await flight(key, counted(calls, renewal, undefined, Infinity), { stored: true, fresh: () => false });
      if (calls.n !== 1 || renewed.kind !== 'fulfilled' || renewed.value !== renewal) {
        throw new Broken(`singleFlight(${keyShown(key)}, { stored: true }) of a stored value fresh refuses ${calls.n === 0 ? 'did not call obtain' : stepsOf(renewed)}: renew it and answer obtain's value.`);
      }
      await ctx.expectRead(key, renewal, "After a stored flight whose obtain's expiresAt is Infinity, obtain's value (store it as set without expiresAt does)");
      await ctx.set(key, ctx.value());
      const seen = { landed: false };
      let removal: ReturnType<Ctx['settle']> | undefined;
      const obtain: Obtain = async () => {
        removal = ctx.settle(() => ctx.second.remove(key));
        seen.landed = (await Promise.race([removal, pause().then(() => undefined)]))?.kind === 'fulfilled';
        return { value: ctx.value(), expiresAt: Infinity };
      };
      const raced = await flight(key, obtain, { stored: true, fresh: () => false });
      // A remove the store refused, or held past the flight, while the flight ran: the store serialized them, nothing to judge.
      if ((await removal)?.kind !== 'fulfilled') return;
      if (seen.landed && raced.kind === 'fulfilled' && raced.value !== undefined) {
        throw new Broken(`singleFlight(${keyShown(key)}, { stored: true }) resolved a value though a remove of the key landed while obtain ran: resolve undefined (the credential revokes what obtain got).`);
      }
      await ctx.expectRead(key, undefined, 'After a remove on the other handle while a stored flight ran obtain (write the renewal only if no removal came since the check, in one step: a sign-out is never undone)');
    },
  },
  {
    name: 'single-flight-abort',
    check: async (ctx) => {
      const second = flightOf(ctx, ctx.second);
      const key = ctx.key('flight-abort');
      const [value, calls] = [ctx.value(), { n: 0 }];
      const { first, open } = await heldFlight(ctx, key, value, calls);
      const abort = new AbortController();
      const waiter = second(key, counted({ n: 0 }, ctx.value()), { fresh: (text) => text === value, signal: abort.signal });
      await pause();
      abort.abort();
      const waited = await waiter;
      open();
      await first;
      if (waited.kind === 'timeout') {
        throw new Broken(`A caller of singleFlight(${keyShown(key)}) waiting for another's obtain did not settle within ${ctx.stepMs} ms of its options.signal aborting: stop waiting then (reject), so the credential asks Okta itself.`);
      }
    },
  },
  {
    name: 'declared-bounds',
    check: async (ctx) => {
      await Promise.resolve();
      const declared = Object.entries(declaredBounds).filter(([name]) => ctx.first[name as keyof typeof declaredBounds] !== undefined);
      if (declared.length === 0) throw new Skipped('the storage declares neither timeoutMs nor fleetWaitMs');
      for (const [name, max] of declared) {
        const ms: unknown = ctx.first[name as keyof typeof declaredBounds];
        if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 1 || ms > max) {
          const shown = typeof ms === 'number' ? String(ms) : `a ${typeof ms}`;
          throw new Broken(`${name} is ${shown}, which okta-oauth does not take as declared: a number of milliseconds from 1 to ${max}, or leave it out for the default.`);
        }
      }
    },
  },
];
