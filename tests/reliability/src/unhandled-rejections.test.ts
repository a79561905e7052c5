/**
 * The one collector of unhandled rejections of `@org/okta-test-utils` (`unhandled-rejections.ts`), which
 * every "nothing left unhandled" test reads: it sees a rejection the test made, even one made by the last
 * microtask before the read; with `uncaughtExceptions`, an exception thrown out of band too; a rejection the
 * test never read fails it; and its listener is on during each test of its block only, gone after.
 */
import { useUnhandledRejections } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';

/** The listeners on the events the collector listens to, with none of its block's hooks around. */
let outside: { rejection: number; exception: number } | undefined;
const listeners = () => ({ rejection: process.listenerCount('unhandledRejection'), exception: process.listenerCount('uncaughtException') });

it('(before the block) counts the listeners without the collector', () => {
  outside = listeners();
  expect(outside.rejection).toBeGreaterThan(0); // vitest's own
});

describe('useUnhandledRejections', () => {
  const unhandled = useUnhandledRejections();

  it('reports a rejection nobody handled, even one made by the microtask just before the read', async () => {
    expect(listeners()).toEqual({ rejection: outside!.rejection + 1, exception: outside!.exception });
    const early = new Error('rejected at once');
    const late = new Error('rejected by a later microtask');
    void Promise.reject(early);
    void Promise.resolve()
      .then(() => undefined)
      .then(() => Promise.reject(late));
    expect(await unhandled.settled()).toEqual([early, late]);
  });

  it('sees only its own test: a handled rejection is none, and the list starts empty', async () => {
    await expect(Promise.reject(new Error('handled'))).rejects.toThrow('handled');
    expect(await unhandled.settled()).toEqual([]);
  });

  it.fails('fails a test that left a rejection it never read', async () => {
    expect(await unhandled.settled()).toEqual([]);
    void Promise.reject(new Error('after the last read'));
  });
});

describe('useUnhandledRejections({ uncaughtExceptions: true })', () => {
  const outOfBand = useUnhandledRejections({ uncaughtExceptions: true });

  it('reports an exception thrown from a callback, with the rejections', async () => {
    expect(listeners()).toEqual({ rejection: outside!.rejection + 1, exception: outside!.exception + 1 });
    const thrown = new Error('thrown from an immediate');
    await new Promise<void>((resolve) => {
      setImmediate(() => {
        resolve();
        throw thrown;
      });
    });
    expect(await outOfBand.settled()).toEqual([thrown]);
  });
});

it('(after the blocks) finds every listener of the collector gone', () => {
  expect(listeners()).toEqual(outside);
});
