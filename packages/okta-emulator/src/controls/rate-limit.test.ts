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
    const bucket = (path: string) => RateLimiter.bucketFor('GET', path);
    expect(limiter.take(bucket('/oauth2/v1/x/first')).remaining).toBe(DEFAULT_LIMIT - 1);
    expect(limiter.take(bucket('/api/v1/users')).remaining).toBe(599);
    for (let i = 0; i < maxWindows; i++) {
      limiter.take(bucket(`/oauth2/v1/x/${i}`));
      // A bucket in use stays (its count goes on).
      if (i % 1000 === 0) limiter.take(bucket('/api/v1/users'));
    }
    // The first path's window was dropped: its count starts again (it was 1 of 600 before).
    expect(limiter.take(bucket('/oauth2/v1/x/first')).remaining).toBe(DEFAULT_LIMIT - 1);
    expect(limiter.take(bucket('/api/v1/users')).remaining).toBe(600 - 2 - maxWindows / 1000);
  });
});

// Okta's rate-limit table (docs/FIDELITY.md, RLG): `/api/v1` split by resource, collection or item, and, for users, method.
describe('RateLimiter.bucketFor', () => {
  it.each([
    ['GET', '/api/v1/users', '/api/v1/users'],
    ['POST', '/api/v1/users', '/api/v1/users'],
    ['GET', '/api/v1/users/00u1', '/api/v1/users/{idOrLogin}'],
    ['HEAD', '/api/v1/users/user0001%40example.com', '/api/v1/users/{idOrLogin}'],
    ['POST', '/api/v1/users/00u1', '/api/v1/users/{id}'],
    ['PUT', '/api/v1/users/00u1', '/api/v1/users/{id}'],
    ['DELETE', '/api/v1/users/00u1', '/api/v1/users/{id}'],
    ['GET', '/api/v1/users/00u1/groups', '/api/v1/users'],
    ['POST', '/api/v1/users/00u1/lifecycle/activate', '/api/v1/users'],
    ['GET', '/api/v1/users/', '/api/v1/users'],
    ['GET', '/api/v1/groups/00g1', '/api/v1/groups/{id}'],
    ['PUT', '/api/v1/groups/00g1/users/00u1', '/api/v1/groups'],
    ['DELETE', '/api/v1/apps/0oa1', '/api/v1/apps/{id}'],
    ['POST', '/api/v1/apps/0oa1/credentials/secrets', '/api/v1/apps'],
    ['GET', '/api/v1/logs', '/api/v1/logs'],
    ['GET', '/api/v1/iam/resource-sets', '/api/v1'],
    ['GET', '/api/v1/constructor', '/api/v1'],
    ['GET', '/api/v1/', '/api/v1'],
    ['POST', '/oauth2/v1/token', '/oauth2/v1/token'],
    // RLG: "OAuth2 client configuration requests: /oauth2/v1/clients", one bucket (100) for every client and method.
    ['GET', '/oauth2/v1/clients', '/oauth2/v1/clients'],
    ['PUT', '/oauth2/v1/clients/0oa1', '/oauth2/v1/clients'],
    ['GET', '/oauth2/v1/clients/0oa1/roles', '/oauth2/v1/clients'],
    ['GET', '/oauth2/v1/clientsx', '/oauth2/v1/clientsx'],
    ['GET', '/.well-known/openid-configuration', '/.well-known'],
  ])('%s %s counts against %s', (method, path, bucket) => {
    expect(RateLimiter.bucketFor(method, path)).toBe(bucket);
  });
});
