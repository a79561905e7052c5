/**
 * The one collector of the rejections nobody handled (and, asked, of the exceptions nobody caught) for every
 * package's tests: a test that proves a promise of the library or of user code is never left rejected unhandled
 * (Node.js ends the process on one by default) reads what this saw while it ran.
 */
import { afterEach, beforeEach } from 'vitest';

/**
 * Node.js's own `setImmediate`, kept before any test fakes the timers (`vi.useFakeTimers()` replaces the global):
 * letting the rejections surface must never wait on a clock the test holds.
 */
const immediate = globalThis.setImmediate;

/**
 * One turn of the event loop. Node.js reports a rejection left unhandled once the microtask queue drained,
 * at the end of the macrotask that made it: by the time an immediate queued now runs, every rejection of the
 * work already queued (microtasks, `process.nextTick`s, the immediates queued before it) has been reported.
 * Reading at once misses the rejections of the last microtasks; a wait of a fixed time is a guess at a clock.
 */
const turn = (): Promise<void> => new Promise((resolve) => void immediate(resolve));

/** What `useUnhandledRejections` gives the tests of its file or `describe` block. */
export interface UnhandledRejections {
  /**
   * Lets Node.js report the rejections left unhandled so far (one turn of the event loop, after the work
   * already queued), then answers every one the running test left (its `reason`, as Node.js gave it).
   * Work that rejects later (a timer, an answer still on the wire) is the test's to wait for first.
   */
  readonly settled: () => Promise<unknown[]>;
}

/**
 * Collects the rejections nobody handled during each test of the file or `describe` block it is called in: the
 * `unhandledRejection` listener is added before each test and removed after it (files share a worker,
 * `isolate: false`, where a listener left on would see every later file's). With `uncaughtExceptions`, the
 * exceptions nobody caught too (one thrown from a timer or a callback), in the same list.
 *
 * While the listener is on, vitest leaves those errors to it (it reports them only when its own listener is
 * the only one); so a rejection the test never read (one that came after its last `settled()`, or in a test
 * that never calls it) fails the test after it ends, as vitest would have failed the run.
 *
 * @param options.uncaughtExceptions - also collect `uncaughtException`s (errors thrown out of band).
 * @example
 * ```ts
 * const unhandled = useUnhandledRejections();
 *
 * it('leaves nothing rejected unhandled', async () => {
 *   await expect(client.getJson('/api/v1/users')).rejects.toMatchObject({ status: 503 });
 *   expect(await unhandled.settled()).toEqual([]);
 * });
 * ```
 */
export function useUnhandledRejections(options: { readonly uncaughtExceptions?: boolean } = {}): UnhandledRejections {
  const events = options.uncaughtExceptions === true ? (['unhandledRejection', 'uncaughtException'] as const) : (['unhandledRejection'] as const);
  const seen: unknown[] = [];
  let read = 0;
  const record = (reason: unknown): void => {
    seen.push(reason);
  };
  beforeEach(() => {
    seen.length = 0;
    read = 0;
    for (const event of events) process.on(event, record);
  });
  afterEach(async () => {
    try {
      await turn();
    } finally {
      for (const event of events) process.off(event, record);
    }
    const unread = seen.slice(read);
    seen.length = 0;
    if (unread.length > 0) {
      throw new AggregateError(unread, `useUnhandledRejections: the test left ${unread.length} unhandled, never read by settled(): ${unread.map(String).join('; ')}`);
    }
  });
  return {
    settled: async () => {
      await turn();
      read = seen.length;
      return [...seen];
    },
  };
}
