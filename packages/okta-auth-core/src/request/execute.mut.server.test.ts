/**
 * The rate-limit coordinator around each attempt, in every driver (mutation testing, thirtieth
 * round, `execute.ts`'s coordinator lines): its wait is asked before every attempt a retry makes
 * (a credential's challenge too), and the wait asked after a 429 gets the attempt's secrets and the
 * logger, as the first one does.
 */
import { json } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import type { OktaCredential } from '../credential.js';
import type { OktaLogEvent } from '../config/logger.js';
import { coordinateRateLimits, type RateLimitCoordinator } from '../rate-limit/rate-limit-coordinator.js';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { drivers } from '../test-helpers/drivers.js';
import { useScriptedServer } from '../test-helpers/scripted-server.js';

/** Answers 401 or 429 (as told) to the first request, then 200 with an empty list. */
let first: 401 | 429 = 429;
const okta = useScriptedServer((_req, res, index) => {
  if (index > 0) json(res, 200, []);
  else if (first === 401) json(res, 401, { errorCode: 'E0000011' });
  else json(res, 429, { errorCode: 'E0000047' }, { 'retry-after': '0' });
});

const token = 'sentinel-api-token-0123456789abcdef';
const constant = (origin: string): OktaCredential => ({ kind: 'test', origin, authorize: () => Promise.resolve({ authorization: `SSWS ${token}` }) });

describe.each(Object.keys(drivers))('the coordinator around each attempt, through %s', (name) => {
  const driver = drivers[name]!;

  it("is asked before the attempt a credential's challenge makes, as before the first", async () => {
    first = 401;
    const asked: string[] = [];
    const coordinator: RateLimitCoordinator = {
      reserve: (scope) => {
        asked.push(scope.bucket);
        return 0;
      },
      observe: () => undefined,
    };
    const credential = countingCredential(okta.origin, { challenge: (response) => response.status === 401 });
    await driver({ credential, rateLimitCoordinator: coordinateRateLimits(coordinator) }).getJson('/api/v1/users');
    expect(okta.requests).toHaveLength(2);
    expect(asked).toEqual(['GET /api/v1/users', 'GET /api/v1/users']);
  });

  it("names a 429's bucket scrubbed of the attempt's token when it asks the wait before the retry", async () => {
    first = 429;
    const buckets: string[] = [];
    const coordinator: RateLimitCoordinator = {
      reserve: (scope) => {
        buckets.push(`reserve ${scope.bucket}`);
        return 0;
      },
      observe: (scope) => {
        buckets.push(`observe ${scope.bucket}`);
      },
    };
    await driver({ credential: constant(okta.origin), rateLimitCoordinator: coordinateRateLimits(coordinator) }).getJson(`/api/v1/${token}/page/2`);
    expect(okta.requests).toHaveLength(2);
    expect(buckets).toEqual(['reserve', 'observe', 'reserve', 'observe'].map((call) => `${call} GET /api/v1/[redacted …cdef]/{id}/{id}`));
  });

  it("logs the coordinator's failure when it asks the wait before a 429's retry, and waits the 429 out itself", async () => {
    first = 429;
    let calls = 0;
    const coordinator: RateLimitCoordinator = {
      reserve: () => {
        if (calls++ === 0) return 0;
        throw new Error('redis went away');
      },
      observe: () => undefined,
    };
    const events: OktaLogEvent[] = [];
    await driver({ credential: constant(okta.origin), logger: (event) => events.push(event), rateLimitCoordinator: coordinateRateLimits(coordinator) }).getJson('/api/v1/users');
    expect(okta.requests).toHaveLength(2);
    // Asked before the first attempt, after the 429 (failed: logged) and before the retry (failed again: logged).
    expect(calls).toBe(3);
    const failed = { type: 'rate-limit-coordinator', operation: 'acquire', outcome: 'error', call: expect.any(Number) };
    expect(events.filter((event) => event.type === 'rate-limit-coordinator')).toEqual([failed, failed]);
  });
});
