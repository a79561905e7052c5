/**
 * The rate-limit coordinator hooks of both drivers (fetch, ky instance, ky hooks), over real HTTP: a coordinator's wait is
 * honoured before the attempt, every answer's headers reach it, and a coordinator that throws
 * or never settles never fails or wedges a request.
 */
import { describe, expect, it } from 'vitest';
import type { OktaLogEvent } from '../config/logger.js';
import { coordinateRateLimits, type RateLimitCoordinator, type RateLimitObservation, type RateLimitScope } from './rate-limit-coordinator.js';
import { createOktaFetch } from '../request/okta-fetch.js';
import { isOktaAuthError } from '../errors/errors.js';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { thrown } from '../test-helpers/outcome.js';
import { failure, json, startScriptedServer } from '@org/okta-test-utils';
import { drivers } from '../test-helpers/drivers.js';
import type { OktaCredential } from '../credential.js';
import { paginatePages } from '../pagination/paginate.js';
import { useScriptedServer } from '../test-helpers/scripted-server.js';

const okta = useScriptedServer((_req, res) => {
  json(res, 200, [], { 'x-rate-limit-limit': '600', 'x-rate-limit-remaining': '599', 'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 60) });
});

describe.each(Object.keys(drivers))('rateLimitCoordinator through %s', (name) => {
  const driver = drivers[name]!;

  it('asks before each attempt, waits as told, and reports what Okta said', async () => {
    const order: string[] = [];
    const seen: { scope: RateLimitScope; observation: RateLimitObservation }[] = [];
    let asked = 0;
    const coordinator: RateLimitCoordinator = {
      reserve: (scope) => {
        order.push(`reserve ${scope.bucket}`);
        return asked++ === 0 ? 30 : 0;
      },
      observe: (scope, observation) => {
        seen.push({ scope, observation });
      },
    };
    const client = driver({ credential: countingCredential(okta.origin), rateLimitCoordinator: coordinateRateLimits(coordinator) });
    await client.getJson('/api/v1/users/00u1/groups');
    expect(order).toEqual(['reserve GET /api/v1/users/{id}/groups', 'reserve GET /api/v1/users/{id}/groups']);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.scope).toEqual({ origin: okta.origin, bucket: 'GET /api/v1/users/{id}/groups', path: '/api/v1/users/00u1/groups' });
    expect(seen[0]?.observation).toMatchObject({ status: 200, limit: 600, remaining: 599 });
    expect(seen[0]?.observation.resetAt).toBeGreaterThan(Date.now());
  });

  it('a coordinator that throws or never settles is skipped with a log event', async () => {
    const events: OktaLogEvent[] = [];
    const hung: RateLimitCoordinator = { reserve: () => new Promise<number>(() => undefined), observe: () => new Promise<void>(() => undefined) };
    const throwing: RateLimitCoordinator = {
      reserve: () => {
        throw new Error('redis down');
      },
      observe: () => Promise.reject(new Error('redis down')),
    };
    for (const coordinator of [hung, throwing]) {
      const client = driver({ credential: countingCredential(okta.origin), rateLimitCoordinator: coordinateRateLimits(coordinator), logger: (e) => events.push(e) });
      expect(await client.getJson('/api/v1/users')).toEqual([]);
    }
    expect(events).toContainEqual({ type: 'rate-limit-coordinator', operation: 'acquire', outcome: 'timeout', call: expect.any(Number) });
    expect(events).toContainEqual({ type: 'rate-limit-coordinator', operation: 'acquire', outcome: 'error', call: expect.any(Number) });
  });

  it("a path that echoes the request's token: the walk refuses such a next link, and the coordinator's scopes name a call to it scrubbed", async () => {
    // The server chooses a next link's path: this one is built from the API token sent. The walk
    // refuses it (another path, a secret of the request); a caller may still call such a path itself.
    const token = 'sentinel-api-token-0123456789abcdef';
    const echoing = await startScriptedServer((req, res) => {
      const sent = String(req.headers.authorization).replace('SSWS ', '');
      json(res, 200, [], req.path.startsWith('/api/v1/users') ? { link: `<${echoing.origin}/api/v1/${sent}/page/2>; rel="next"` } : {});
    });
    try {
      const credential: OktaCredential = { kind: 'test', origin: echoing.origin, authorize: () => Promise.resolve({ authorization: `SSWS ${token}` }) };
      const buckets: string[] = [];
      const coordinator: RateLimitCoordinator = {
        reserve: (scope) => {
          buckets.push(scope.bucket, String(scope.path));
          return 0;
        },
        observe: (scope) => {
          buckets.push(scope.bucket, String(scope.path));
        },
      };
      const client = driver({ credential, rateLimitCoordinator: coordinateRateLimits(coordinator) });
      const refused = await failure((async () => {
        for await (const page of paginatePages(client.pages, '/api/v1/users')) expect(page.items).toEqual([]);
      })());
      expect((refused as { code?: string }).code).toBe('INVALID_RESPONSE');
      expect(echoing.requests.map((request) => request.path)).toEqual(['/api/v1/users']);
      await client.pages(`/api/v1/${token}/page/2`, {});
      expect(echoing.requests.map((request) => request.path)).toEqual(['/api/v1/users', `/api/v1/${token}/page/2`]);
      // The bucket (a template) and the path, which a spent window is kept for, both scrubbed.
      const scrubbed = ['GET /api/v1/[redacted …cdef]/{id}/{id}', '/api/v1/[redacted …cdef]/page/2'];
      expect(buckets).toEqual(['GET /api/v1/users', '/api/v1/users', 'GET /api/v1/users', '/api/v1/users', ...scrubbed, ...scrubbed]);
    } finally {
      await echoing.close();
    }
  });
});

describe('the rateLimitCoordinator option', () => {
  it('refuses a coordinator that was not wrapped by coordinateRateLimits, naming the fix', () => {
    const plain = { reserve: () => 0, observe: () => undefined } as unknown as ReturnType<typeof coordinateRateLimits>;
    const error = thrown(() => createOktaFetch({ credential: countingCredential('https://acme.okta.com'), rateLimitCoordinator: plain }));
    expect(isOktaAuthError(error) && error.code).toBe('INVALID_CONFIG');
    expect((error as Error).message).toContain('coordinateRateLimits({ reserve, observe })');
  });

  it('keeps the wrapped methods callable as the coordinator\'s own', async () => {
    const coordinator = { base: 7, reserve(this: { base: number }) { return this.base; }, observe: () => undefined };
    expect(await coordinateRateLimits(coordinator).reserve({ origin: 'https://acme.okta.com', bucket: '/api/v1/users' })).toBe(7);
  });
});
