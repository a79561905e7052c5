/**
 * How a call ended, for core's tests: the one place a test runs a call to get what it threw. A call
 * that must fail: `failure` of `@org/okta-test-utils` (`rejection` below for core's typed error).
 */
import { failure } from '@org/okta-test-utils';
import { isOktaAuthError, type OktaAuthError } from '../errors/errors.js';

/** A thrown `undefined` as an error, so that no failure reads as "returned" (undefined). */
const caught = (error: unknown): unknown => (error === undefined ? new Error('the call threw undefined') : error);

/**
 * What `call` threw, or undefined when it returned (for a call that may return; one that must throw:
 * `failure.sync`). A call that returns a promise is refused: its rejection would go unread (`rejected`).
 */
export function thrown(call: () => unknown): unknown {
  let result: unknown;
  try {
    result = call();
  } catch (error) {
    return caught(error);
  }
  if (typeof (result as { then?: unknown } | null)?.then === 'function') return new Error('thrown() was given a call returning a promise: use rejected()');
  return undefined;
}

/** What `call` threw or its promise rejected with (a thrown `undefined` as an error), or undefined when it resolved. */
export async function rejected(call: () => unknown): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return caught(error);
  }
  return undefined;
}

/**
 * What a call ended with, as one string to compare: `<code>: <message>` for core's typed error,
 * `not ours: …` for anything else, `none` (or what `none` says) for undefined: nothing thrown.
 */
export function told(error: unknown, none = 'none'): string {
  if (error === undefined) return none;
  return isOktaAuthError(error) ? `${error.code}: ${error.message}` : `not ours: ${String(error)}`;
}

/** How `call` ended: undefined when it resolved, else its OktaAuthError (anything else fails the test). */
export async function run(call: () => Promise<unknown>): Promise<OktaAuthError<string> | undefined> {
  const error = await rejected(call);
  if (error !== undefined && !isOktaAuthError(error)) throw new Error(`expected an OktaAuthError, got ${String(error)}`);
  return error;
}

/** The OktaAuthError `work` (a call, or a promise) rejected with; a call that resolves, or another error, fails the test. */
export function rejection(work: Promise<unknown> | (() => unknown)): Promise<OktaAuthError<string>> {
  return failure(work, isOktaAuthError);
}
