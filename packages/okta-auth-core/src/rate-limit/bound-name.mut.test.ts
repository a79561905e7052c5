/**
 * The `boundBy` a slot's `TIMEOUT` repeats (`driverBound`, in-flight-limit.ts) is one of the drivers'
 * names whole: mutation testing, twenty-ninth round (docs/security-history.md). A text that only
 * ends or starts with one (a caller's own text, which may hold a secret) reads as `maxWaitMs`.
 * On fake timers: the wait is timed out by advancing them.
 */
import { failure } from '@org/okta-test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isOktaAuthError } from '../errors/errors.js';
import { createInFlightLimit } from './in-flight-limit.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

async function advice(boundBy: string): Promise<string> {
  const limit = createInFlightLimit(1);
  const release = await limit.acquire({ maxWaitMs: 100, holdMs: 1_000, signal: undefined, what: () => 'GET /api/v1/users' });
  const waiting = failure(limit.acquire({ maxWaitMs: 100, holdMs: 1_000, signal: undefined, what: () => 'GET /api/v1/users', boundBy }), isOktaAuthError);
  await vi.advanceTimersByTimeAsync(100);
  const error = await waiting;
  release();
  expect(error.code).toBe('TIMEOUT');
  return error.message.slice(error.message.lastIndexOf('raise the limit or ') + 'raise the limit or '.length);
}

describe("a slot's TIMEOUT names the drivers' bounds whole", () => {
  it.each(['retry.maxWaitMs', 'timeoutMs', "ky's timeout", "ky's totalTimeout", 'retry.maxWaitMs and timeoutMs', "retry.maxWaitMs and ky's totalTimeout"])('repeats %s', async (name) => {
    expect(await advice(name)).toBe(`${name}.`);
  });

  it.each(['SSWS 00secret timeoutMs', 'timeoutMs SSWS 00secret', 'xretry.maxWaitMs', "ky's timeouts", 'retryXmaxWaitMs'])('reads %s as maxWaitMs', async (name) => {
    expect(await advice(name)).toBe('maxWaitMs.');
  });
});
