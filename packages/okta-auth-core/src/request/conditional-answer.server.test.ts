/**
 * Conditional requests (core README, "Conditional requests"): a 304 to a GET or HEAD that asked for one
 * (`If-None-Match`, `If-Modified-Since`: RFC 9110 §15.4.5) is the call's answer, handed back as the
 * `Response` by every driver, through the one rule of which answers are errors (`answersCall`); a 304
 * to a request that asked for none (a proxy's) stays `API_ERROR`. On the scripted server: the emulator
 * sends no `ETag` (Okta documents `ETag` on a user and `If-Match` on its updates, not its 304).
 */
import ky from 'ky';
import type { ServerResponse } from 'node:http';
import { failure, json } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { createOktaFetch } from './okta-fetch.js';
import { createOktaKy } from '../ky/create-okta-ky.js';
import { oktaKyHooks } from '../ky/hooks.js';
import { isOktaApiError } from '../errors/api-error.js';
import { isOktaAuthError } from '../errors/errors.js';
import { paginate } from '../pagination/paginate.js';
import { coordinateRateLimits, type CoordinatedRateLimits } from '../rate-limit/rate-limit-coordinator.js';
import type { RateLimitObservation } from '../rate-limit/rate-limit-coordinator.js';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { useScriptedServer } from '../test-helpers/scripted-server.js';

/** Okta's ETag of a user, weak, as its docs show one (`W/"1234567890abcdef"`). */
const etag = 'W/"1234567890abcdef"';
const user = '/api/v1/users/00u1';
const rateLimit = { 'x-rate-limit-limit': '600', 'x-rate-limit-remaining': '598', 'x-rate-limit-reset': '1900000000' };

/** A 304 with the user's ETag and the rate-limit headers Okta sends on every answer. */
const notModified = (res: ServerResponse) => {
  res.writeHead(304, { etag, ...rateLimit });
  res.end();
};

/** The org: a 304 to a request carrying the ETag (or any If-Modified-Since), else the user and its ETag. */
const okta = useScriptedServer((req, res) => {
  if (req.headers['if-none-match'] === etag || req.headers['if-modified-since'] !== undefined) return notModified(res);
  json(res, 200, { id: '00u1' }, { etag, ...rateLimit });
});

type Call = (path: string, init?: RequestInit) => Promise<Response>;

/** The three drivers, each a call of a path with fetch's init (ky takes its headers and method alike). */
const drivers: Record<string, (coordinator?: CoordinatedRateLimits) => Call> = {
  fetch: (rateLimitCoordinator) => {
    const call = createOktaFetch({ credential: countingCredential(okta.origin), rateLimitCoordinator });
    return (path, init) => call(path, init);
  },
  'ky instance': (rateLimitCoordinator) => {
    const api = createOktaKy({ credential: countingCredential(okta.origin), rateLimitCoordinator });
    return (path, init) => api(path.slice(1), init);
  },
  'ky hooks on your own instance': (rateLimitCoordinator) => {
    const api = ky.create({ baseUrl: `${okta.origin}/`, retry: { limit: 4 }, hooks: oktaKyHooks({ credential: countingCredential(okta.origin), rateLimitCoordinator }) });
    return (path, init) => api(path.slice(1), init);
  },
};

describe.each(Object.entries(drivers))('conditional requests through %s', (_name, make) => {
  it('hands back the 304 to an If-None-Match GET, with its headers and no body', async () => {
    const call = make();
    const first = await call(user);
    expect(first.headers.get('etag')).toBe(etag);
    await first.body?.cancel();
    const again = await call(user, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(await again.text()).toBe('');
  });

  it('hands back the 304 to an If-Modified-Since GET and HEAD', async () => {
    const call = make();
    for (const method of ['GET', 'HEAD']) {
      const answer = await call(user, { method, headers: { 'if-modified-since': 'Wed, 21 Oct 2015 07:28:00 GMT' } });
      expect(answer.status).toBe(304);
    }
  });

  it('keeps a 304 to a request that asked for none (a proxy’s) the API_ERROR it was', async () => {
    okta.handle((_req, res) => notModified(res));
    const error = await failure(make()(user), isOktaApiError);
    expect(error).toMatchObject({ code: 'API_ERROR', status: 304 });
  });

  it('keeps a 304 to a conditional POST (a 304 answers only a GET or HEAD) the API_ERROR it was', async () => {
    okta.handle((_req, res) => notModified(res));
    const error = await failure(make()(user, { method: 'POST', headers: { 'if-none-match': etag, 'content-type': 'application/json' }, body: '{}' }), isOktaApiError);
    expect(error).toMatchObject({ code: 'API_ERROR', status: 304 });
  });

  it('keeps the conditional header on a retried attempt (a 429, then the 304)', async () => {
    okta.handle((req, res, index) => {
      if (index > 0) return notModified(res);
      const second = Math.floor(Date.now() / 1000);
      // Reset at the Date's own second: the client waits one second (Reset − Date + 1 s).
      json(res, 429, { errorCode: 'E0000047' }, { date: new Date(second * 1000).toUTCString(), 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(second) });
    });
    const answer = await make()(user, { headers: { 'if-none-match': etag } });
    expect(answer.status).toBe(304);
    expect(okta.requests.map((request) => request.headers['if-none-match'])).toEqual([etag, etag]);
    // Authorized afresh: the retry carried the credential's second header.
    expect(okta.requests.map((request) => request.headers.authorization)).toEqual(['Test secret-token-value-1', 'Test secret-token-value-2']);
  });

  it("reports the 304's rate-limit headers to the coordinator", async () => {
    const observed: RateLimitObservation[] = [];
    const coordinator = coordinateRateLimits({ reserve: () => 0, observe: (_scope, observation) => void observed.push(observation) });
    const answer = await make(coordinator)(user, { headers: { 'if-none-match': etag } });
    expect(answer.status).toBe(304);
    expect(observed).toEqual([expect.objectContaining({ status: 304, limit: 600, remaining: 598 })]);
  });

  it('stops a walk whose page is answered 304 (a fetcher that sends If-None-Match): no page of nothing', async () => {
    const call = make();
    const walk = paginate(async (url, init) => call(url, { ...init, headers: { 'if-none-match': etag } }), '/api/v1/users');
    const error = await failure(walk.next(), isOktaAuthError);
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.message).toBe('Page 1 of /api/v1/users was a 304 (a conditional request): a walk reads every page; the walk stops.');
  });
});

describe('throwHttpErrors: false still hands back any answer, a stray 304 too', () => {
  it('in every place ky and the fetch driver take it (the client, the base instance, an extend, a call)', async () => {
    okta.handle((_req, res) => notModified(res));
    const credential = countingCredential(okta.origin);
    const lax = ky.create({ throwHttpErrors: false });
    const calls: (() => Promise<Response>)[] = [
      () => createOktaFetch({ credential, throwHttpErrors: false })(user),
      () => createOktaKy({ credential, ky: lax })(user.slice(1)),
      () => createOktaKy({ credential }).extend({ throwHttpErrors: false })(user.slice(1)),
      () => createOktaKy({ credential, ky: lax }).extend(() => ({ headers: { 'x-extended': '1' } }))(user.slice(1)),
      () => createOktaKy({ credential })(user.slice(1), { throwHttpErrors: (status) => status !== 304 }),
      () => ky.create({ baseUrl: `${okta.origin}/`, throwHttpErrors: false, hooks: oktaKyHooks({ credential }) })(user.slice(1)),
    ];
    for (const call of calls) expect((await call()).status).toBe(304);
    // A call's own true wins over a lax base instance's false: the stray 304 is the call's error.
    const error = await failure(createOktaKy({ credential, ky: lax })(user.slice(1), { throwHttpErrors: true }), isOktaApiError);
    expect(error.status).toBe(304);
  });

  it("a conditional 304 is the answer whatever a call's throwHttpErrors says", async () => {
    const credential = countingCredential(okta.origin);
    const answer = await createOktaKy({ credential })(user.slice(1), { headers: { 'if-none-match': etag }, throwHttpErrors: true });
    expect(answer.status).toBe(304);
  });
});
