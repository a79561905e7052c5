/**
 * createOktaKy authorizes attempts and judges answers in the fetch it gives ky, not in hooks: ky
 * clones every answer once per afterResponse hook (and its options per call for an init hook), so
 * a 2xx through our instance is never cloned, while 429s, challenges, timeouts and the user's own
 * hooks behave as through `oktaKyHooks`, and no user hook sees more of a secret than before.
 */
import { inspect } from 'node:util';
import { failure, json } from '@org/okta-test-utils';
import ky from 'ky';
import { describe, vi } from 'vitest';
import type { OktaCredential } from '../credential.js';
import { OktaAuthError } from '../errors/errors.js';
import { watchAttemptTimers } from '../test-helpers/attempt-timers.js';
import { readWhileCollecting } from '../test-helpers/collecting.js';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { createOktaKy } from './create-okta-ky.js';
import { oktaKyHooks } from './hooks.js';
import { scriptedServerIt } from '../test-helpers/scripted-server.js';

/** Each test's own org (the okta fixture), answering 200 `{ ok: true }` unless the test says otherwise. */
const it = scriptedServerIt((_req, res) => json(res, 200, { ok: true }));

// Every test has its own server, credential and instance: they run at once, but for those in the block after
// this one, alone: two watch a global (setTimeout, Response.prototype.clone), and two collect garbage every
// 20 ms (which holds the event loop, past a short bound of a test beside them on a loaded machine).
describe.concurrent('createOktaKy', () => {
  it("retries a 429 through ky's retry (re-authorized) and runs the base instance's own hooks and fetch", async ({ okta, expect }) => {
    okta.handle((_req, res, index) => (index === 0 ? json(res, 429, { errorCode: 'E0000047' }, { 'retry-after': '0' }) : json(res, 200, { ok: true })));
    const seen: number[] = [];
    const fetched: string[] = [];
    const base = ky.create({
      fetch: (input, init) => {
        fetched.push((input).url);
        return fetch(input, init);
      },
      hooks: { afterResponse: [({ response }) => void seen.push(response.status)] },
    });
    const api = createOktaKy({ credential: countingCredential(okta.origin), ky: base });
    await expect(api.get('api/v1/users').json()).resolves.toEqual({ ok: true });
    expect(okta.requests.map((r) => r.headers.authorization)).toEqual(['Test secret-token-value-1', 'Test secret-token-value-2']);
    expect(fetched).toHaveLength(2);
    // The 429 was judged (and retried) in fetch: the user's hook sees only the final answer.
    expect(seen).toEqual([200]);
  });

  it("a caller's abort while a credential's authorize ignores it is ABORTED when ky's timeout ends the wait, the signal given with a Request too", async ({ okta, expect }) => {
    const credential = { kind: 'test', origin: okta.origin, authorize: () => new Promise<never>(() => undefined) };
    const caller = new AbortController();
    setTimeout(() => caller.abort(new Error('the caller gave up')), 50);
    const api = createOktaKy({ credential, timeoutMs: 500 });
    await expect(api(new Request(`${okta.origin}/api/v1/users`, { signal: caller.signal }))).rejects.toMatchObject({ code: 'ABORTED' });
    expect(okta.requests).toHaveLength(0);
  });

  it("authorizes inside ky's per-attempt timeout: a credential that never answers is a typed TIMEOUT and its signal is aborted", async ({ okta, expect }) => {
    const signals: AbortSignal[] = [];
    const credential: OktaCredential = {
      kind: 'stuck',
      origin: okta.origin,
      // Settles only when the attempt's signal aborts (a token endpoint that never answers).
      authorize: ({ signal }) => {
        if (signal === undefined) return Promise.reject(new Error('the attempt has no signal'));
        signals.push(signal);
        return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }));
      },
    };
    const got: unknown = await failure(createOktaKy({ credential, timeoutMs: 200, retry: false }).get('api/v1/users').json());
    expect(got).toBeInstanceOf(OktaAuthError);
    expect((got as OktaAuthError).code).toBe('TIMEOUT');
    expect(signals).toHaveLength(1);
    expect(signals[0]?.aborted).toBe(true);
    expect(okta.requests).toHaveLength(0);
  });

  it("a credential's authorize that never settles is TIMEOUT at timeoutMs even with ky's timeout off (a call's timeout: false or a long one, an extend's)", async ({ okta, expect }) => {
    const credential: OktaCredential = { kind: 'test', origin: okta.origin, authorize: () => new Promise<never>(() => undefined) };
    const api = createOktaKy({ credential, timeoutMs: 300, retry: false });
    // ky's timeout is the caller's to change; timeoutMs bounds the attempt whatever it says, as in the other drivers.
    const calls = [() => api.get('api/v1/users', { timeout: false }), () => api.get('api/v1/users', { timeout: 2_147_483_647 }), () => api.extend({ timeout: false }).get('api/v1/users')];
    for (const call of calls) {
      // Nothing but timeoutMs ends the wait. Before the fix the call stayed pending, which fails by the
      // test's timeout: a race with a sleep (3 s, then 'pending') could end first on a loaded machine.
      const outcome = await call().then(() => 'answered', (error: unknown) => error);
      expect(outcome).toBeInstanceOf(OktaAuthError);
      expect(outcome).toMatchObject({ code: 'TIMEOUT', message: `GET ${new URL(okta.origin).host}/api/v1/users: the credential's authorize did not settle within 300 ms (timeoutMs); nothing was sent.` });
    }
    expect(okta.requests).toHaveLength(0);
  });

  it("a timeout while authorizing the retry of a 503 is TIMEOUT, not the 503's answer said to have stalled", async ({ okta, expect }) => {
    okta.handle((_req, res) => json(res, 503, { errorCode: 'E0000009', errorSummary: 'whole body' }));
    let calls = 0;
    const credential: OktaCredential = {
      kind: 'slow on retry',
      origin: okta.origin,
      // The first attempt is authorized; the retry's authorize settles only when its signal aborts.
      authorize: ({ signal }) => {
        calls += 1;
        if (calls === 1) return Promise.resolve({ authorization: 'Test secret-token-value-1' });
        return new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true }));
      },
    };
    const got: unknown = await failure(createOktaKy({ credential, timeoutMs: 2000 }).get('api/v1/users').json());
    expect(okta.requests).toHaveLength(1);
    expect(calls).toBe(2);
    expect(got).toMatchObject({ code: 'TIMEOUT' });
    expect(got).not.toHaveProperty('status');
  });

  it("oktaKyHooks on your own instance: a totalTimeout that ends in the wait before retrying a 503 is TIMEOUT, not the 503's answer said to have stalled", async ({ okta, expect }) => {
    okta.handle((_req, res) => json(res, 503, { errorCode: 'E0000009', errorSummary: 'whole body' }));
    const credential = countingCredential(okta.origin);
    // ky waits out what is left of totalTimeout before the retry (its delay is longer), then times out.
    const mine = ky.create({ baseUrl: `${okta.origin}/`, totalTimeout: 2000, retry: { limit: 2, statusCodes: [503], delay: () => 60_000 }, hooks: oktaKyHooks({ credential, timeoutMs: 2000 }) });
    const got: unknown = await failure(mine.get('api/v1/users').json());
    expect(okta.requests).toHaveLength(1);
    expect(got).toMatchObject({ code: 'TIMEOUT' });
    expect(got).not.toHaveProperty('status');
  });

  it.for(['fetch failed', 'Failed to fetch'])("a credential's TypeError('%s') reaches the caller as itself, unretried (authorizing is not transport)", async (message, { okta, expect }) => {
    const thrown = new TypeError(message);
    let calls = 0;
    const credential: OktaCredential = {
      kind: 'vault',
      origin: okta.origin,
      authorize: () => {
        calls += 1;
        return Promise.reject(thrown);
      },
    };
    const got: unknown = await failure(createOktaKy({ credential }).get('api/v1/users').json());
    expect(got).toBe(thrown);
    expect(calls).toBe(1);
    expect(okta.requests).toHaveLength(0);
  });

  it("the base instance's and the call's own hooks run, and none sees the credential in options or a request it is handed before sending", async ({ okta, expect }) => {
    okta.handle((_req, res, index) => (index === 0 ? json(res, 429, { errorCode: 'E0000047' }, { 'retry-after': '0' }) : json(res, 200, { ok: true })));
    const seen: string[] = [];
    const look = (where: string, request: Request, options: unknown): void => {
      seen.push(`${where} ${request.headers.get('authorization') ?? 'no authorization'}`);
      // What a logging hook would print: neither holds a secret the credential gave.
      const printed = `${inspect(options, { depth: 10, showHidden: true })} ${JSON.stringify(options)}`;
      if (printed.includes('secret-token-value') || printed.includes('proof-value-number')) seen.push(`${where} options hold a secret`);
    };
    const base = ky.create({
      hooks: {
        beforeRequest: [({ request, options }) => look('base beforeRequest', request, options)],
        beforeRetry: [({ request, options }) => look('base beforeRetry', request, options)],
        afterResponse: [({ request, options }) => look('base afterResponse', request, options)],
      },
    });
    const api = createOktaKy({ credential: countingCredential(okta.origin), ky: base });
    const body = await api.get('api/v1/users', { hooks: { beforeRequest: [({ request, options }) => look('call beforeRequest', request, options)] } }).json();
    expect(body).toEqual({ ok: true });
    expect(okta.requests.map((r) => r.headers.authorization)).toEqual(['Test secret-token-value-1', 'Test secret-token-value-2']);
    expect(seen).toEqual([
      'base beforeRequest no authorization',
      'call beforeRequest no authorization',
      'base beforeRetry no authorization',
      'base afterResponse no authorization',
    ]);
  });

  it.for([
    [500, 'API_ERROR'],
    [429, 'RATE_LIMITED'],
  ] as const)('oktaKyHooks on your own instance: a %i whose body stalls ends in %s within timeoutMs, not a hang (ky\'s timeout ends at the headers)', async ([status, code], { okta, expect }) => {
    okta.handle((_req, res) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.write('{"errorCode":');
    });
    const credential = countingCredential(okta.origin);
    // ky's own timeout is left at its 10 s default: only the policy's timeoutMs can end the read in time. 2 s, so the
    // headers, sent at once, arrive within it on a loaded machine too (the status decides the code).
    const mine = ky.create({ baseUrl: `${okta.origin}/`, retry: 0, hooks: oktaKyHooks({ credential, timeoutMs: 2000, retry: false }) });
    await expect(mine.get('api/v1/users').json()).rejects.toMatchObject({ code });
  });

  it('oktaKyHooks on your own instance still authorizes each attempt and retries a 429, and its state shows no hook a secret', async ({ okta, expect }) => {
    okta.handle((_req, res, index) => (index === 0 ? json(res, 429, { errorCode: 'E0000047' }, { 'retry-after': '0' }) : json(res, 200, { ok: true })));
    const credential = countingCredential(okta.origin);
    const mine = ky.create({ baseUrl: `${okta.origin}/`, retry: { limit: 4, statusCodes: [] }, hooks: oktaKyHooks({ credential }) });
    const printed: string[] = [];
    // A call's own hook runs after ours: the state in options holds the attempt, never its secrets.
    const print = ({ options }: { options: unknown }): void => void printed.push(`${inspect(options, { depth: 10, showHidden: true })} ${JSON.stringify(options)}`);
    await expect(mine.get('api/v1/users', { hooks: { beforeRetry: [print], afterResponse: [print] } }).json()).resolves.toEqual({ ok: true });
    expect(okta.requests.map((r) => r.headers.authorization)).toEqual(['Test secret-token-value-1', 'Test secret-token-value-2']);
    // beforeRetry before the second attempt, afterResponse on the 200 (our hook retried the 429 before the call's ran).
    expect(printed).toHaveLength(2);
    expect(printed.join('\n')).toContain('@org/okta-auth-core:state');
    expect(printed.join('\n')).not.toMatch(/secret-token-value|proof-value-number/);
  });

  it("oktaKyHooks: a caller's abort reaches the signal a credential's authorize is given (it follows ky's), nothing sent", async ({ okta, expect }) => {
    // timeoutMs far off: only the caller's abort, passed on, can end this authorize.
    let seen: unknown;
    const credential: OktaCredential = {
      kind: 'test',
      origin: okta.origin,
      authorize: ({ signal }) => new Promise<never>((_resolve, reject) => signal?.addEventListener('abort', () => reject((seen = signal.reason) as Error))),
    };
    const caller = new AbortController();
    const reason = new Error('the caller gave up');
    setTimeout(() => caller.abort(reason), 50);
    const mine = ky.create({ baseUrl: `${okta.origin}/`, hooks: oktaKyHooks({ credential, timeoutMs: 60_000 }) });
    await expect(mine.get('api/v1/users', { signal: caller.signal })).rejects.toMatchObject({ code: 'ABORTED' });
    expect(seen).toBe(reason);
    expect(okta.requests).toHaveLength(0);
  });
});

describe('createOktaKy, alone: watching a global or collecting garbage', () => {
  it("the caller's signal still aborts reading a 2xx body once the answer is returned, also after a garbage collection", async ({ okta, expect }) => {
    okta.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[');
    });
    // timeoutMs past the test's own timeout: only the caller's abort ends this read, however slow the machine
    // (3 s raced the headers' arrival); a read that does not follow the caller fails the test by its timeout.
    const api = createOktaKy({ credential: countingCredential(okta.origin), timeoutMs: 60_000 });
    const caller = new AbortController();
    const response = await api.get('api/v1/users', { signal: caller.signal });
    const reason = new Error('the caller gave up');
    setTimeout(() => caller.abort(reason), 100);
    expect(await readWhileCollecting(response)).toBe(reason);
  });

  it('bounds reading a stalled 2xx body with timeoutMs, also after a garbage collection (ky\'s timeout ends at the headers)', async ({ okta, expect }) => {
    okta.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[');
    });
    // A timeoutMs no loaded machine reaches before the headers; the attempt's own timer is fired once a collection ran.
    const timers = watchAttemptTimers();
    const api = createOktaKy({ credential: countingCredential(okta.origin), timeoutMs: 60_000 });
    const error = await readWhileCollecting(await api.get('api/v1/users'), timers.fireLatest);
    expect((error as { name?: string } | undefined)?.name).toBe('TimeoutError');
    // The caller's own signal still aborts the call, and a whole answer is read as before.
    const caller = new AbortController();
    caller.abort(new Error('the caller gave up'));
    await expect(api.get('api/v1/users', { signal: caller.signal })).rejects.toMatchObject({ code: 'ABORTED' });
    okta.handle((_req, res) => json(res, 200, { ok: true }));
    expect(await api.get('api/v1/users').json()).toEqual({ ok: true });
  });

  it('clones no 2xx answer (the oktaKyHooks afterResponse hook costs ky one clone)', async ({ okta, expect }) => {
    const clone = vi.spyOn(Response.prototype, 'clone');
    const credential = countingCredential(okta.origin);
    await expect(createOktaKy({ credential }).get('api/v1/users').json()).resolves.toEqual({ ok: true });
    expect(clone).not.toHaveBeenCalled();
    await ky.create({ baseUrl: `${okta.origin}/`, hooks: oktaKyHooks({ credential }) }).get('api/v1/users').json();
    expect(clone).toHaveBeenCalledTimes(1);
  });
});
