/**
 * A caller's signal, which many calls may share, followed by each call's own controller: an
 * attempt's timer (`AttemptTimer`) and a bounded wait for user code (`settleWithin`), both in
 * `abort.ts`.
 */

/** Each caller's signal followed ({@link anySignal}), to the own controllers of the calls following it and its one listener: none, no entry. */
const followers = new WeakMap<AbortSignal, { readonly calls: Set<AbortController>; readonly follow: () => void }>();

/** Each call's own controller, to the caller's signal it follows ({@link releaseSignal}). */
const following = new WeakMap<AbortController, AbortSignal>();

/**
 * The one combination of a caller's signal (which many calls may share: an app's shutdown signal)
 * with one call's own controller: `own` follows the caller's signal, by one listener on it for all
 * the calls following it at once (Node.js warns past 10 on one signal), and its signal is answered.
 * Each call leaves when `own` aborts or {@link releaseSignal} is called (the call settled), and the
 * listener with the last: nothing per call stays on a long-lived signal. Not `AbortSignal.any`,
 * whatever the runtime: Node.js 20 keeps a WeakRef per combined signal on each source for good, and
 * later majors prune them only as garbage collections run (nodejs/node#55351, #64476); nor is it
 * in Next.js's edge runtime and Vercel's `edge-runtime` 4. @internal
 */
export function anySignal(caller: AbortSignal, own: AbortController): AbortSignal {
  if (caller.aborted) own.abort(caller.reason);
  else {
    let followed = followers.get(caller);
    if (followed === undefined) {
      const calls = new Set<AbortController>();
      // The one listener, for all its calls: each aborted with its reason, and so leaving ({@link releaseSignal}), the
      // listener with the last. A closure, not `this`: a polyfill's signal (node-abort-controller 3) calls it with its emitter.
      const follow = (): void => {
        for (const call of calls) call.abort(caller.reason);
      };
      followers.set(caller, (followed = { calls, follow }));
      caller.addEventListener('abort', follow);
    }
    followed.calls.add(own);
    following.set(own, caller);
    own.signal.addEventListener('abort', () => {
      releaseSignal(own);
    });
  }
  return own.signal;
}

/** Takes `own`'s call off the caller's signal {@link anySignal} made it follow, and the listener with the last call, if any (the call settled). @internal */
export function releaseSignal(own: AbortController): void {
  const caller = following.get(own);
  const followed = caller && followers.get(caller);
  if (followed && followed.calls.delete(own) && !followed.calls.size) {
    followers.delete(caller);
    caller.removeEventListener('abort', followed.follow);
  }
}
