/**
 * `oktaKyHooks` on your own instance: your hooks that can end a call with none of ours after them
 * give back the slot of the `maxInFlight` limit the call holds. ky hands what a `beforeRetry` hook
 * throws to no `beforeError` hook, a `beforeRetry` returning `ky.stop` ends the call with no error,
 * and a `beforeError` hook placed before ours that throws ends it before ours runs: without this,
 * the slot would be held until the attempt's `timeoutMs` ended, keeping other callers out.
 */
import ky, { type Hooks } from 'ky';
import { stateOf } from './answer.js';

type AnyHook = (...args: never[]) => unknown;

/**
 * The hooks never guarded: those of every `oktaKyHooks` set (a second set on one instance, as an
 * `extend` joins them, is not the user's: its init finds its hooks there, as given, then refuses the
 * call, one set per instance), and the guards.
 */
const unguarded = new WeakSet();

/** Marks the hooks of one `oktaKyHooks` set as okta-auth's own. */
export function ownHooks(...hooks: readonly object[]): void {
  for (const hook of hooks) unguarded.add(hook);
}

/** The slot of the call a `beforeRetry`/`beforeError` hook was handed, given back (the state the call's options hold then: that of the last init). */
function release(args: readonly unknown[]): void {
  const options = (args[0] as { options?: object } | undefined)?.options;
  if (options !== undefined) stateOf(options)?.release?.();
}

/** `hook`, giving back the call's slot when it throws (its error rethrown as itself) or stops the call. */
function guarded<H extends AnyHook>(hook: H): H {
  const guard = async (...args: Parameters<H>): Promise<unknown> => {
    try {
      const result = await hook(...args);
      if (result === ky.stop) release(args);
      return result;
    } catch (error) {
      release(args);
      throw error;
    }
  };
  unguarded.add(guard);
  return guard as unknown as H;
}

/**
 * The call's hooks, its `beforeRetry` and `beforeError` hooks other than okta-auth's guarded (a new
 * object: ky's per-call options are changed, never your instance's); `hooks` itself when it has none.
 */
export function slotGuardedHooks<H extends Hooks>(hooks: H): H {
  const { beforeRetry = [], beforeError = [] } = hooks;
  if (beforeRetry.every((hook) => unguarded.has(hook)) && beforeError.every((hook) => unguarded.has(hook))) return hooks;
  return {
    ...hooks,
    beforeRetry: beforeRetry.map((hook) => (unguarded.has(hook) ? hook : guarded(hook))),
    beforeError: beforeError.map((hook) => (unguarded.has(hook) ? hook : guarded(hook))),
  };
}
