/**
 * `oktaKyHooks` on your own instance: your hooks that can end a call with none of ours after them
 * give back the slot of the `maxInFlight` limit the call holds. ky hands what a `beforeRetry` hook
 * throws to no `beforeError` hook, a `beforeRetry` returning `ky.stop` ends the call with no error,
 * and a `beforeError` hook placed before ours that throws ends it before ours runs: without this,
 * the slot would be held until the attempt's `timeoutMs` ended, keeping other callers out.
 */
import ky, { type Hooks } from 'ky';
import type { RequestState } from './answer.js';

type AnyHook = (...args: never[]) => unknown;

/** `hook`, giving back the call's slot when it throws (its error rethrown as itself) or stops the call. */
function guarded<H extends AnyHook>(hook: H, state: RequestState): H {
  return (async (...args: Parameters<H>) => {
    try {
      const result = await hook(...args);
      if (result === ky.stop) state.release?.();
      return result;
    } catch (error) {
      state.release?.();
      throw error;
    }
  }) as unknown as H;
}

/**
 * The call's hooks, its `beforeRetry` and `beforeError` hooks other than `own` guarded (a new
 * object: ky's per-call options are changed, never your instance's); `hooks` itself when it has none.
 */
export function slotGuardedHooks(hooks: Hooks, state: RequestState, own: ReadonlySet<unknown>): Hooks {
  const { beforeRetry = [], beforeError = [] } = hooks;
  if (beforeRetry.every((hook) => own.has(hook)) && beforeError.every((hook) => own.has(hook))) return hooks;
  return {
    ...hooks,
    beforeRetry: beforeRetry.map((hook) => (own.has(hook) ? hook : guarded(hook, state))),
    beforeError: beforeError.map((hook) => (own.has(hook) ? hook : guarded(hook, state))),
  };
}
