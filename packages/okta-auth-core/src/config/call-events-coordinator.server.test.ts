/**
 * A `rate-limit-coordinator` event is raised during a call (the coordinator failed before an
 * attempt, or after its answer: the call went on with the per-process budget), yet it carried no
 * `call` (session 50): with calls at once, a logger could not tell whose attempt went uncoordinated.
 * Now it carries the number of the call whose attempt asked, and the credential's `authorize` is
 * given that number on the attempt (`RequestAttempt.call`), for the events it raises itself.
 * Two calls at once to two buckets of a real org, through every driver: each call's coordinator
 * fails its `reserve`, and the second's also its `observe`.
 */
import { describe } from 'vitest';
import type { OktaLogEvent } from './logger.js';
import type { OktaCredential } from '../credential.js';
import { coordinateRateLimits } from '../rate-limit/rate-limit-coordinator.js';
import { drivers } from '../test-helpers/drivers.js';
import { itWithApiTokenOrg } from '../test-helpers/api-token-org.js';

const refused = () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379'));

describe.concurrent.each(Object.entries(drivers))('the coordinator events of one call (%s)', (_name, driver) => {
  itWithApiTokenOrg("carry the call's number, apart from a call at once", async ({ org: tokenOrg, expect }) => {
    const { org } = tokenOrg;
    const events: OktaLogEvent[] = [];
    const sswsCredential = tokenOrg.ssws(org.url);
    // What each attempt's authorize was given: its path and the call it names.
    const authorized: string[] = [];
    const credential: OktaCredential = {
      ...sswsCredential,
      authorize: (attempt) => {
        authorized.push(`${String(attempt.call)} ${attempt.url.pathname}`);
        return sswsCredential.authorize(attempt);
      },
    };
    const rateLimitCoordinator = coordinateRateLimits({
      reserve: refused,
      observe: (scope) => (scope.bucket === 'GET /api/v1/groups' ? refused() : undefined),
    });
    const client = driver({ credential, rateLimitCoordinator, logger: (event) => void events.push(event) });
    await Promise.all([client.getJson('/api/v1/users'), client.getJson('/api/v1/groups')]);
    // The observe of the second call fails after its answer was handed on.
    await expect.poll(() => events.filter((event) => event.type === 'rate-limit-coordinator').length).toBe(3);
    const paths = new Map<unknown, string>();
    for (const event of events) if (event.type === 'request') paths.set(event.call, new URL(event.url).pathname);
    const calls = new Map<string | undefined, string[]>();
    for (const event of events) {
      const line = event.type === 'rate-limit-coordinator' ? `${event.operation} ${event.outcome}` : event.type;
      const path = paths.get((event as { call?: unknown }).call);
      calls.set(path, [...(calls.get(path) ?? []), line]);
    }
    expect(Object.fromEntries(calls)).toEqual({
      '/api/v1/users': ['acquire error', 'request', 'response'],
      '/api/v1/groups': ['acquire error', 'request', 'response', 'observe error'],
    });
    expect(authorized.sort()).toEqual([...paths].map(([call, path]) => `${String(call)} ${path}`).sort());
  });
});
