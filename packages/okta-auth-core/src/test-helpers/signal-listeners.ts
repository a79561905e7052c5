import { getEventListeners } from 'node:events';
import { vi } from 'vitest';

/** A frame of core's own code (not a test's, nor a test helper's): its function's name, if it has one. */
const coreFrame = /^\s*at (?:(?:async )?(?:new )?([\w$.<>]+) \()?[^()]*\/okta-auth-core\/src\/(?!test-helpers\/)[^()]*?(?<!\.test)\.ts:\d+:\d+\)?$/;

/**
 * The names of core's functions on the stack (innermost first) when the frame below the spy's own
 * (this module's, vitest's spy in node_modules) is core's code, else none (the runtime's, a library's).
 */
function coreAdders(): string[] {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 50;
  const stack = new Error('added').stack ?? '';
  Error.stackTraceLimit = limit;
  const frames = stack.split('\n').slice(1).filter((line) => !/signal-listeners\.ts|\/node_modules\//.test(line));
  if (!coreFrame.test(frames[0] ?? '')) return [];
  return frames.flatMap((line) => {
    const frame = coreFrame.exec(line);
    return frame ? [frame[1] ?? '(anonymous)'] : [];
  });
}

/**
 * Watches who adds an `abort` listener to `signal` (a caller's), by the stack of the call that added
 * it: `left()` answers core's still on it (those whose innermost frame is core's code), each as the
 * names of core's functions that added it (`followCall`, `typedSignal`, … innermost first). The
 * others are not listed: the runtime's (undici's `Request` keeps one on the signal it was given, until
 * it is collected or the signal fires: a fetcher of your own's) or a library's.
 */
export function watchListeners(signal: AbortSignal): { readonly left: () => string[][]; readonly added: () => number } {
  const adders = new Map<unknown, string[]>();
  const add = signal.addEventListener.bind(signal);
  vi.spyOn(signal, 'addEventListener').mockImplementation((...args: Parameters<AbortSignal['addEventListener']>) => {
    adders.set(args[1], coreAdders());
    add(...args);
  });
  return {
    // How many of core's were added: none would mean the stack no longer names core's files (run from dist/, a moved
    // folder), and `left` would then find none whatever was left.
    added: () => [...adders.values()].filter((names) => names.length > 0).length,
    left: () => getEventListeners(signal, 'abort').flatMap((listener) => {
      const names = adders.get(listener) ?? [];
      return names.length > 0 ? [names] : [];
    }),
  };
}
