/**
 * The harness of the bad-input properties (`parsers-*.property.test.ts`): fast-check cases for every
 * @org/okta-oauth parser that sees outside data, through the public API. Each case must end in a
 * value or our typed error (isOktaAuthError), never another exception and never a hang; long
 * adversarial inputs must not take super-linear time (they finish under the hang bound). Org URLs,
 * Link, WWW-Authenticate, rate-limit headers, Okta error bodies at resources, API tokens and SSWS
 * env config are covered in core's and ssws's own property tests.
 */
import { isOktaAuthError } from '@org/okta-auth-core';
import type { Arbitrary } from 'fast-check';
import { afterAll, expect, vi } from 'vitest';

/** Cases per parser (`PROPERTY_RUNS` to change). */
export const RUNS = Number(process.env.PROPERTY_RUNS ?? 2000);
/** For properties that sign an RSA JWT per case. */
export const SIGNED_RUNS = Math.max(100, Math.round(RUNS / 2));
/** No single case may take longer: a hang or super-linear time shows up as a failure. */
export const HANG_MS = 5000;

/** Counts the cases each parser saw in one test file. */
export interface CaseCounter {
  /** `arb`, counting each case it makes under `name`. */
  readonly counted: <T>(name: string, arb: Arbitrary<T>) => Arbitrary<T>;
  /** Counts one case under `name`. */
  readonly count: (name: string) => void;
}

/**
 * Call once at the top of a property test file: sets the file's test timeout for RUNS cases and
 * prints its cases per parser, and their total, after its tests.
 */
export function propertyCases(): CaseCounter {
  // A property runs its cases one after another: its time grows with RUNS and the machine's pace.
  // 60 ms a case (2 min for 2,000): the longest took 23 s of the project's 30 s on a loaded 2-core
  // machine, and over 30 s with a sixth of a core; a hang still fails its case within HANG_MS.
  vi.setConfig({ testTimeout: Math.max(30_000, RUNS * 60) });
  const counts: Record<string, number> = {};
  afterAll(() => {
    console.log(`property cases per parser: ${JSON.stringify(counts)}; total ${Object.values(counts).reduce((a, b) => a + b, 0)}`);
  });
  const count = (name: string): void => {
    counts[name] = (counts[name] ?? 0) + 1;
  };
  return {
    count,
    counted: (name, arb) =>
      arb.map((x) => {
        count(name);
        return x;
      }),
  };
}

/** How the cases of one property ended: `note` each `valueOrTyped` result, `expectBoth()` after `fc.assert`. */
export interface Outcomes {
  readonly note: <R extends { value?: unknown; error?: unknown }>(result: R) => R;
  /** Fails unless some case ended in a value and some in a typed error. */
  readonly expectBoth: () => void;
}

/**
 * A property whose every case ends in a typed error passes with a parser that refuses everything,
 * and its checks on a value never run (nor, the other way, its checks on an error): count how the
 * cases ended and assert that both ways were taken.
 */
export function outcomes(): Outcomes {
  let values = 0;
  let errors = 0;
  return {
    note: (result) => {
      if ('error' in result) errors++;
      else values++;
      return result;
    },
    expectBoth: () => {
      expect({ values: values > 0, errors: errors > 0 }, `cases: ${String(values)} values, ${String(errors)} typed errors`).toEqual({ values: true, errors: true });
    },
  };
}

class Untyped extends Error {}


/**
 * Runs one case: a value, or our typed error with one of the `codes` the caller expects; anything
 * else (another exception, a typed error with another code, or a hang) fails the property. Each
 * property names its codes, so a parser that answers with the wrong code (a bad token answer that
 * becomes `INVALID_CONFIG`) fails it instead of passing as "some typed error".
 */
export async function valueOrTyped<T>(work: () => T | Promise<T>, codes: readonly string[]): Promise<{ value?: T; error?: unknown }> {
  if (codes.length === 0) throw new Untyped('valueOrTyped: name the error codes this case may end in');
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Untyped(`no answer within ${HANG_MS} ms`));
    }, HANG_MS);
  });
  try {
    return { value: await Promise.race([Promise.resolve().then(work), hang]) };
  } catch (error) {
    if (error instanceof Untyped) throw error;
    if (!isOktaAuthError(error)) throw new Untyped(`not a typed error: ${String(error)}\n${(error as Error).stack ?? ''}`);
    if (!codes.includes(error.code)) throw new Untyped(`typed error ${error.code} (${error.message}), expected one of ${codes.join(', ')}`);
    expect(error.message.length).toBeGreaterThan(0);
    return { error };
  } finally {
    clearTimeout(timer);
  }
}
