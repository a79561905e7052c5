/**
 * The limiter's memory is bounded: a bucket outside `/api/v1` is the whole path, so each distinct
 * path (any unauthenticated request to an unknown path) had its own window, kept for good.
 */
import { describe, expect, it } from 'vitest';
import { Clock } from '../state/clock.js';
import { DEFAULT_LIMIT, RateLimiter } from './rate-limit.js';

/** The limiter's bound (`maxWindows`). */
const maxWindows = 10_000;

describe('RateLimiter windows', () => {
  it('keeps at most maxWindows: a stream of new paths drops the least recently used, not one in use', () => {
    const limiter = new RateLimiter(new Clock());
    const bucket = (path: string) => RateLimiter.bucketFor(path);
    expect(limiter.take(bucket('/oauth2/v1/clients/first')).remaining).toBe(DEFAULT_LIMIT - 1);
    expect(limiter.take(bucket('/api/v1/users/00u1')).remaining).toBe(599);
    for (let i = 0; i < maxWindows; i++) {
      limiter.take(bucket(`/oauth2/v1/clients/${i}`));
      // A bucket in use stays (its count goes on).
      if (i % 1000 === 0) limiter.take(bucket('/api/v1/users'));
    }
    // The first path's window was dropped: its count starts again (it was 1 of 600 before).
    expect(limiter.take(bucket('/oauth2/v1/clients/first')).remaining).toBe(DEFAULT_LIMIT - 1);
    expect(limiter.take(bucket('/api/v1/users')).remaining).toBe(600 - 2 - maxWindows / 1000);
  });
});
