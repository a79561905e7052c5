/**
 * ky options a user may give a `createOktaKy` call, an `extend` or the base instance, and what our
 * policy keeps whatever they say (the thirty-fourth session's red-team, pinned; none failed):
 * `redirect: 'follow'`, `credentials`, `mode` (a redirect to another origin is `REDIRECT_BLOCKED`,
 * nothing reaches it; `oktaKyHooks` on your own instance too); `onUploadProgress` and
 * `onDownloadProgress` (they see the call's own body and answer, never the credential, and a
 * stalled 2xx body read through them still ends at `timeoutMs`, also after a garbage collection);
 * and a base instance's `retry` sub-options (`methods` listing POST, PATCH and DELETE, `statusCodes`,
 * `afterStatusCodes`, `maxRetryAfter`, `backoffLimit`, `delay`, `jitter`, `retryOnTimeout`,
 * `shouldRetry`): a non-idempotent request is sent once, and ky's wait before its own retry is at
 * most 5 s whatever `delay` and `jitter` say.
 */
import { json } from '@org/okta-test-utils';
import ky, { type Options } from 'ky';
import { describe, expect, it } from 'vitest';
import { watchAttemptTimers } from '../test-helpers/attempt-timers.js';
import { readWhileCollecting } from '../test-helpers/collecting.js';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { rejected } from '../test-helpers/outcome.js';
import { useTwoOrigins } from '../test-helpers/two-origins.js';
import { createOktaKy } from './create-okta-ky.js';
import { oktaKyHooks } from './hooks.js';

const servers = useTwoOrigins();

describe("a user's redirect, credentials and mode do not lift the redirect policy", () => {
  const given: Options[] = [{ redirect: 'follow' }, { credentials: 'include' }, { mode: 'no-cors' }, { redirect: 'follow', credentials: 'include', mode: 'cors' }];
  it.each(given)('%o on a call, an extend, the base instance and your own instance: REDIRECT_BLOCKED, nothing sent elsewhere', async (options) => {
    const { okta, elsewhere } = servers;
    okta.handle((_req, res) => {
      res.writeHead(302, { location: `${elsewhere.origin}/stolen` });
      res.end();
    });
    const credential = countingCredential(okta.origin);
    const api = createOktaKy({ credential });
    const calls = [
      () => api.get('api/v1/users', options),
      () => api.extend(options).get('api/v1/users'),
      () => createOktaKy({ credential, ky: ky.create(options) }).get('api/v1/users'),
      () => ky.create({ baseUrl: `${okta.origin}/`, ...options, hooks: oktaKyHooks({ credential }) }).get('api/v1/users', options),
    ];
    for (const call of calls) expect(await rejected(call)).toMatchObject({ code: 'REDIRECT_BLOCKED' });
    expect(elsewhere.requests).toHaveLength(0);
  });
});

describe('onUploadProgress and onDownloadProgress', () => {
  it('see the call\'s own body and answer, never the credential; the call is authorized and sent once', async () => {
    const { okta } = servers;
    okta.handle((_req, res) => json(res, 200, { ok: true }));
    const seen: string[] = [];
    const record = (progress: unknown, chunk: Uint8Array): void => {
      seen.push(JSON.stringify(progress), new TextDecoder().decode(chunk));
    };
    const api = createOktaKy({ credential: countingCredential(okta.origin) });
    expect(await api.post('api/v1/users', { json: { hello: 1 }, onUploadProgress: record, onDownloadProgress: record }).json()).toEqual({ ok: true });
    expect(seen).toContain('{"hello":1}');
    expect(seen).toContain('{"ok":true}');
    expect(seen.join('\n')).not.toContain('secret-token-value');
    expect(okta.requests.map((request) => [request.method, request.headers.authorization, request.body])).toEqual([['POST', 'Test secret-token-value-1', '{"hello":1}']]);
  });

  it('a stalled 2xx body read through onDownloadProgress ends at timeoutMs, also after a garbage collection', async () => {
    const { okta } = servers;
    okta.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[');
    });
    const timers = watchAttemptTimers();
    const api = createOktaKy({ credential: countingCredential(okta.origin), timeoutMs: 60_000 });
    const error = await readWhileCollecting(await api.get('api/v1/users', { onDownloadProgress: () => undefined }), timers.fireLatest);
    expect((error as { name?: string } | undefined)?.name).toBe('TimeoutError');
  });
});

describe("a base instance's retry sub-options", () => {
  const base = ky.create({
    retry: { limit: 1, methods: ['post', 'patch', 'delete', 'get'], statusCodes: [500, 503], afterStatusCodes: [503], maxRetryAfter: 1e9, backoffLimit: Infinity, delay: () => 60_000, jitter: () => 1e9, retryOnTimeout: true, shouldRetry: () => true },
  });

  it.each(['post', 'patch', 'delete'] as const)('a %s answered 503 is sent once, whatever methods and shouldRetry say', async (method) => {
    const { okta } = servers;
    okta.handle((_req, res) => json(res, 503, { errorCode: 'E0000009' }, { 'retry-after': '3600' }));
    const api = createOktaKy({ credential: countingCredential(okta.origin), ky: base });
    expect(await rejected(() => api[method]('api/v1/users', { json: {} }))).toMatchObject({ code: 'API_ERROR', status: 503 });
    expect(okta.requests).toHaveLength(1);
  });

  // waitsum142: the backoff (at most 5 s) is the instance's own wait, counted in retry.maxWaitMs (ownRetries): ky waits none after it.
  it("the instance's own retries: its methods and status codes, no wait for Retry-After, no backoff of ky's own", () => {
    let retry: unknown;
    createOktaKy({ credential: countingCredential(servers.okta.origin), ky: base }).extend((parent) => {
      retry = parent.retry;
      return {};
    });
    expect(retry).toMatchObject({ methods: ['get', 'put', 'head', 'options', 'trace'], statusCodes: [408, 500, 502, 503, 504], afterStatusCodes: [], jitter: undefined });
    expect((retry as { delay: (n: number) => number }).delay(3)).toBe(0);
  });
});
