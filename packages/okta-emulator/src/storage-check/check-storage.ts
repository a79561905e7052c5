import { optionError } from '../emulator-error.js';
import { basicRules, type Rule } from './basic-rules.js';
import { compareRules } from './compare-rules.js';
import { Broken, CheckContext, errorName, settleStep, Skipped } from './context.js';
import { flightRules } from './flight-rules.js';
import type { CheckOktaStorageOptions, OktaStorageCheckName, OktaStorageCheckReport, OktaStorageViolation, StorageUnderCheck } from './types.js';

/** Every rule, in the order checked. */
const rules: readonly Rule[] = [...basicRules, ...compareRules, ...flightRules];

/** `valueChars`' default: the Durable Object store's bound on a value, above a user's tokens with a large groups claim. */
const defaultValueChars = 32_768;
/** The longest value the check writes: 1 MiB of UTF-16 units (a value this size is no token entry). */
const maxCheckValueChars = 1_048_576;
/** `stepTimeoutMs`' default: how long one call of the storage may take before it counts as never ending. */
const defaultStepTimeoutMs = 10_000;
/** The longest `stepTimeoutMs` the check takes: ten minutes. */
const maxCheckStepMs = 600_000;

const where = 'checkOktaStorage';

/** A positive whole number option up to `max`, else its default; anything else is refused naming it. */
function countOption(value: unknown, option: string, fallback: number, max: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) throw optionError(where, option, `must be a whole number from 1 to ${max}.`);
  return value;
}

/**
 * The storage the factory made within `stepMs`, or the refusal of what it made instead, or of its never settling;
 * what it throws, as itself.
 */
async function storageFrom<S extends StorageUnderCheck>(made: () => S | Promise<S>, option: string, stepMs: number): Promise<S> {
  const outcome = await settleStep(stepMs, made);
  if (outcome.kind === 'rejected') throw outcome.error;
  if (outcome.kind === 'timeout') throw optionError(where, option, `did not settle within ${stepMs} ms (stepTimeoutMs): it must make the storage, and every call must end (bound your store's own calls).`);
  const storage: unknown = outcome.value;
  const missing = ['get', 'set', 'remove'].filter((method) => typeof (storage as Record<string, unknown> | null)?.[method] !== 'function');
  if (missing.length > 0) throw optionError(where, option, `must make an OktaStorage (an object with get, set and remove): ${missing.join(', ')} missing.`);
  return storage as S;
}

/**
 * Checks a storage of yours (a SQL table, DynamoDB, Vault…) against the contract of
 * `@org/okta-oauth`'s `OktaStorage`, the `storage` and `tokenStore` its credentials and sign-in
 * transactions take: `get`/`set`/`remove`, keys of every shape okta-oauth writes, values of the sizes it
 * writes, what a second handle (another process) reads, and, where offered, `removeIfEqual`,
 * `replaceIfEqual` and `removeIfUnreadable` (each one step of the store, raced between two handles),
 * `singleFlight` (one token request per key at a time, `fresh`, `stored`, `obtain`'s error, the caller's
 * signal) and the declared `timeoutMs`/`fleetWaitMs`. Each rule gets a fresh storage from `create`; every
 * call is bounded by `stepTimeoutMs`, `create` and `secondHandle` too. Resolves a report naming each rule broken and what to fix (keys
 * are quoted, values never: they stand for tokens); it rejects only for options it cannot use
 * (`OktaEmulatorError` `INVALID_OPTION`: a `create` or `secondHandle` that makes no storage within `stepTimeoutMs`
 * among them), or with what `create` or `secondHandle` threw. No test runner needed: assert on `report.violations`.
 *
 * It writes only keys of its own run (removed at the end), so a store shared with other tests is fine.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { checkOktaStorage } from '@org/okta-emulator';
 * import { createMemoryStorage } from '@org/okta-oauth';
 *
 * const report = await checkOktaStorage(() => createMemoryStorage());
 * assert.deepEqual(report.violations, []);
 * ```
 * @see https://github.com/org/okta-auth/blob/main/packages/okta-emulator/README.md#check-a-storage-of-your-own
 */
export async function checkOktaStorage<S extends StorageUnderCheck>(create: () => S | Promise<S>, options?: CheckOktaStorageOptions<S>): Promise<OktaStorageCheckReport> {
  if (typeof create !== 'function') throw optionError(where, 'create', 'must be a function that makes a fresh storage (your OktaStorage).');
  // What a JavaScript caller (no types) may pass: checked before it is read.
  const given: unknown = options;
  if (given !== undefined && given !== null && (typeof given !== 'object' || Array.isArray(given))) throw optionError(where, 'options', 'must be an options object or nothing.');
  for (const name of ['secondHandle', 'writeUnreadable'] as const) {
    const value: unknown = options?.[name];
    if (value !== undefined && value !== null && typeof value !== 'function') throw optionError(where, name, 'must be a function, or left out.');
  }
  const { secondHandle, writeUnreadable } = options ?? {};
  const valueChars = countOption(options?.valueChars, 'valueChars', defaultValueChars, maxCheckValueChars);
  const stepMs = countOption(options?.stepTimeoutMs, 'stepTimeoutMs', defaultStepTimeoutMs, maxCheckStepMs);
  const run = crypto.randomUUID().slice(0, 8);
  const violations: OktaStorageViolation[] = [];
  const passed: OktaStorageCheckName[] = [];
  const skipped: { name: OktaStorageCheckName; reason: string }[] = [];
  for (const rule of rules) {
    const first = await storageFrom(create, 'create', stepMs);
    const second = typeof secondHandle === 'function' ? await storageFrom(() => secondHandle(first), 'secondHandle', stepMs) : first;
    const unreadable = typeof writeUnreadable === 'function' ? (key: string) => writeUnreadable(first, key) : undefined;
    const ctx = new CheckContext<StorageUnderCheck>(first, second, second !== first, run, stepMs, valueChars, unreadable);
    try {
      await rule.check(ctx);
      passed.push(rule.name);
    } catch (error) {
      if (error instanceof Skipped) skipped.push({ name: rule.name, reason: error.message });
      else violations.push({ name: rule.name, message: error instanceof Broken ? error.message : `The check itself failed: ${errorName(error)}.` });
    } finally {
      // What the rule wrote, removed (bounded, failures ignored) once its calls still running have ended (one step at most):
      // a store shared with other tests keeps only its own keys.
      await ctx.finished();
      await Promise.all(ctx.keys.map((key) => ctx.settle(() => first.remove(key))));
    }
  }
  return { violations, passed, skipped };
}
