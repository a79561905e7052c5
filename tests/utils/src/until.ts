import { onTestFailed, onTestFinished, TestRunner, type TestContext } from 'vitest';

/**
 * Waits, inside a test, for something the test cannot be told about directly (an emulator's
 * counter, a terminal's screen, a file another process writes): runs `check` every `everyMs`
 * until it gives a value other than `undefined`, `false` or `null`, and returns that value.
 *
 * There is no deadline of its own: on a loaded CI machine (2 cores, load 20) any fixed wait can be
 * too short, and a test must not fail because the machine is slow. The test's timeout bounds it;
 * when the test fails meanwhile, the wait stops and `what` (a function is called then, so it can
 * show the last thing seen) is printed as what never came. Where the code under test or the test
 * itself can signal the event (a promise, an `AbortSignal`'s `abort`, a child's output), await
 * that instead. In a test that runs at once with others (`it.concurrent`, `describe.concurrent`), pass its
 * context as `test`: vitest's global hooks cannot tell which of them is calling (they would attach to
 * whichever test started last, and the wait would end when that one does). Called there without it,
 * `until` throws at once, naming the fix.
 *
 * @see https://vitest.dev/api/#ontestfinished
 *
 * @example
 * ```ts
 * await until(() => (org.counters().requests['GET /api/v1/logs'] ?? 0) >= 2, 'the second poll');
 * ```
 */
export async function until<T>(
  check: () => T | undefined | false | null | Promise<T | undefined | false | null>,
  what: string | (() => string),
  everyMs = 20,
  given?: Pick<TestContext, 'onTestFailed' | 'onTestFinished'>,
): Promise<T> {
  const show = () => (typeof what === 'string' ? what : what());
  if (given === undefined && TestRunner.getCurrentTest()?.concurrent === true) {
    throw new Error(`until(): waiting for ${show()} in a test that runs at once with others: pass its context, until(check, what, 20, context).`);
  }
  const test = given ?? { onTestFailed, onTestFinished };
  const wait = { seen: false, over: false };
  test.onTestFailed(() => {
    if (!wait.seen) console.error(`until(): never saw ${show()}`);
  });
  test.onTestFinished(() => {
    wait.over = true;
  });
  while (!wait.over) {
    const value = await check();
    if (value !== undefined && value !== false && value !== null) {
      wait.seen = true;
      return value;
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(`until(): the test ended before it saw ${show()}`);
}
