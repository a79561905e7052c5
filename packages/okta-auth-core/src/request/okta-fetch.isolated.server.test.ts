/**
 * The fetch driver's hot path over real HTTP: no Request of ours for a call without a body or with
 * a string or form (`fetch(url, init)`), one copied per attempt otherwise, bodies that survive a retry whatever their kind, and one timer per
 * attempt that ends with the attempt (and still bounds reading the body of the answer returned).
 */
import { failure, json } from '@org/okta-test-utils';
import { describe, expect, it, vi } from 'vitest';
import { isOktaAuthError } from '../errors/errors.js';
import { executeOktaRequest } from './execute.js';
import { createOktaFetch } from './okta-fetch.js';
import { readWhileCollecting } from '../test-helpers/collecting.js';
import { watchAttemptTimers } from '../test-helpers/attempt-timers.js';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { useScriptedServer } from '../test-helpers/scripted-server.js';


const okta = useScriptedServer();

/** A 429 that asks for no wait, then 200s echoing the body. */
function onceRateLimited(): void {
  okta.handle((req, res, index) => {
    if (index === 0) json(res, 429, { errorCode: 'E0000047' }, { 'retry-after': '0' });
    else json(res, 200, { body: req.body, type: req.headers['content-type'] });
  });
}

describe('createOktaFetch hot path', () => {
  it('sends a call without a body, or with a string or a form, as fetch(url, init): no Request of ours, fresh headers per attempt', async () => {
    onceRateLimited();
    const sent: { input: unknown; init: RequestInit | undefined }[] = [];
    const okta$ = createOktaFetch({
      credential: countingCredential(okta.origin),
      fetch: (input, init) => {
        sent.push({ input, init });
        return fetch(input, init);
      },
    });
    await (await okta$('/api/v1/users?limit=2')).json();
    expect(sent).toHaveLength(2);
    expect(sent.every(({ input }) => input instanceof URL && input.href === `${okta.origin}/api/v1/users?limit=2`)).toBe(true);
    const headers = sent.map(({ init }) => init?.headers as Headers);
    expect(headers[0]).not.toBe(headers[1]);
    expect(headers.map((h) => h.get('authorization'))).toEqual(['Test secret-token-value-1', 'Test secret-token-value-2']);
    expect(sent.every(({ init }) => init?.redirect === 'manual' && init.signal instanceof AbortSignal && (init.headers as Headers).get('accept') === 'application/json')).toBe(true);
  });

  it.each([
    ['URLSearchParams', () => new URLSearchParams({ client_secret: 'form-secret-value-0123456789' })],
    ['a form string', () => 'client_secret=form-secret-value-0123456789'],
  ])('scrubs the secret form fields of a body given as %s (sent without a Request of ours) from the error', async (_kind, body) => {
    okta.handle((req, res) => {
      json(res, 400, { errorCode: 'E0000001', errorSummary: `echo ${req.body}` });
    });
    const okta$ = createOktaFetch({ credential: countingCredential(okta.origin) });
    const headers = typeof body() === 'string' ? { 'content-type': 'application/x-www-form-urlencoded' } : undefined;
    const error: unknown = await failure(okta$('/api/v1/users', { method: 'POST', body: body(), ...(headers ? { headers } : {}) }));
    expect(okta.requests[0]?.body).toContain('form-secret-value-0123456789');
    expect(isOktaAuthError(error) && error.message).toContain('echo client_secret=[redacted');
    expect(JSON.stringify(error) + (error as Error).message).not.toContain('form-secret-value-0123456789');
  });

  it.each<[string, RequestInit]>([
    ['a GET with a body', { method: 'GET', body: '{}' }],
    ['a method the runtime refuses', { method: 'CONNECT' }],
    ['a malformed mode', { mode: 'navigate' }],
  ])('refuses %s as INVALID_CONFIG before anything is sent, not as a network failure', async (_kind, init) => {
    const okta$ = createOktaFetch({ credential: countingCredential(okta.origin) });
    const error: unknown = await failure(okta$('/api/v1/users', init));
    expect(isOktaAuthError(error) && error.code).toBe('INVALID_CONFIG');
    expect(okta.requests).toHaveLength(0);
  });

  it("sends a caller's Request, or a stream body, as a Request copied per attempt", async () => {
    okta.handle((_req, res) => {
      json(res, 200, {});
    });
    const sent: unknown[] = [];
    const okta$ = createOktaFetch({
      credential: countingCredential(okta.origin),
      fetch: (input, init) => {
        sent.push(input);
        return fetch(input, init);
      },
    });
    const mine = new Request(`${okta.origin}/api/v1/users`);
    await (await okta$(mine)).json();
    await (await okta$('/api/v1/users', { method: 'POST', body: new Blob(['x']).stream(), duplex: 'half' } as RequestInit)).json();
    expect(sent).toHaveLength(2);
    expect(sent.every((r) => r instanceof Request && r !== mine && r.redirect === 'manual' && r.headers.get('authorization') !== null)).toBe(true);
  });

  it.each([
    ['a string (as JSON)', () => ({ body: '{"a":1}' }), '{"a":1}', /^application\/json/],
    ['URLSearchParams', () => ({ body: new URLSearchParams({ a: '1' }) }), 'a=1', /^application\/x-www-form-urlencoded/],
    ['a stream', () => ({ body: new Blob(['streamed']).stream(), duplex: 'half' }), 'streamed', undefined],
    ['a Blob', () => ({ body: new Blob(['blob']) }), 'blob', undefined],
    [
      'an async iterable (Node.js)',
      () =>
        ({
          body: (async function* () {
            await Promise.resolve();
            yield new TextEncoder().encode('iterated');
          })(),
          duplex: 'half',
        }) as unknown as RequestInit,
      'iterated',
      undefined,
    ],
  ])('sends a body given as %s again on a retry', async (_kind, init, expected, type) => {
    onceRateLimited();
    const okta$ = createOktaFetch({ credential: countingCredential(okta.origin) });
    const answer = (await (await okta$('/api/v1/users', { method: 'POST', ...init() })).json()) as { body: string; type: string };
    expect(okta.requests.map((r) => r.body)).toEqual([expected, expected]);
    if (type !== undefined) expect(answer.type).toMatch(type);
  });

  it("sends a caller's Request (with a body) on every attempt without changing the caller's object", async () => {
    onceRateLimited();
    const mine = new Request(`${okta.origin}/api/v1/users`, { method: 'POST', body: 'x=1', headers: { 'content-type': 'text/plain' } });
    await (await createOktaFetch({ credential: countingCredential(okta.origin) })(mine)).json();
    expect(okta.requests.map((r) => r.body)).toEqual(['x=1', 'x=1']);
    expect(mine.headers.get('authorization')).toBeNull();
  });

  it("lists an attempt's secrets as they were sent, whatever an injected fetch does to the headers afterwards", async () => {
    // A credential-bearing header of the caller's own, echoed URL-encoded (the raw value does not appear in that form).
    const cookie = 'sid=session/secret+value-0123456789';
    okta.handle((req, res) => {
      json(res, 401, { errorCode: 'E0000011', errorSummary: `echo ${encodeURIComponent(String(req.headers.cookie))}` });
    });
    const okta$ = createOktaFetch({
      credential: countingCredential(okta.origin),
      retry: false,
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        // The list is built later, when the 401 is turned into an error: from what was read when it was sent.
        (init?.headers as Headers).delete('cookie');
        return response;
      },
    });
    const error: unknown = await failure(okta$('/api/v1/users', { headers: { cookie } }));
    expect(okta.requests[0]?.headers.cookie).toBe(cookie);
    expect(isOktaAuthError(error) && error.message).toContain('echo sid%3D[redacted]');
    expect(String(isOktaAuthError(error) && error.message)).not.toContain(encodeURIComponent(cookie).slice(4, 30));
  });

  it("masks one cookie's value echoed alone, of a Cookie header of the caller's own, and every other cookie's value (8 characters or more), never a name", async () => {
    // Okta's session cookie, not the header's first pair: neither the header nor what follows its first space.
    const sid = '102fOSGpqZzRVSMyELVMk0nTw';
    okta.handle((req, res) => {
      json(res, 401, { errorCode: 'E0000011', errorSummary: `session ${sid} of ${String(req.headers.cookie).length} bytes, cut: sid=${sid.slice(0, 14)}, theme dark, consent accepted` });
    });
    const error: unknown = await failure(
      createOktaFetch({ credential: countingCredential(okta.origin), retry: false })('/api/v1/sessions/me', {
        headers: { cookie: `theme=dark; sid=${sid}; consent=accepted` },
      }),
    );
    const message = String(isOktaAuthError(error) && error.message);
    expect(message).not.toContain(sid.slice(0, 12));
    expect(message).toContain('session [redacted …0nTw] of 59 bytes, cut: sid=[redacted], theme dark, consent [redacted]');
  });

  it('clears the timer of every attempt that ends without an answer to read, and keeps it on the answer returned until its body is read', async () => {
    onceRateLimited();
    const armed = vi.spyOn(globalThis, 'setTimeout');
    const cleared = vi.spyOn(globalThis, 'clearTimeout');
    const response = await createOktaFetch({ credential: countingCredential(okta.origin), timeoutMs: 61_234 })('/api/v1/users');
    const timers = armed.mock.calls.flatMap((call, i) => (call[1] === 61_234 ? [armed.mock.results[i]?.value as unknown] : []));
    expect(timers).toHaveLength(2);
    // The 429's attempt: its timer is cleared before the wait; the answer returned keeps its own while its body is unread.
    expect(cleared.mock.calls.map((call) => call[0] as unknown)).toContain(timers[0]);
    expect(cleared.mock.calls.map((call) => call[0] as unknown)).not.toContain(timers[1]);
    // Read to its end, the body needs no bound: the timer is let go (timer161; before, it stayed until timeoutMs).
    await response.json();
    expect(cleared.mock.calls.map((call) => call[0] as unknown)).toContain(timers[1]);
  });

  it('bounds reading the body of the answer returned with the attempt timeout', async () => {
    okta.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[');
    });
    // One timer bounds the headers and the body: a timeoutMs no loaded machine reaches before the headers, the timer fired once they came.
    const timers = watchAttemptTimers();
    const response = await createOktaFetch({ credential: countingCredential(okta.origin), timeoutMs: 60_000 })('/api/v1/users');
    const reading = failure(response.text());
    timers.fireLatest();
    const error: unknown = await reading;
    expect((error as { name?: string }).name).toBe('TimeoutError');
    expect(isOktaAuthError(error)).toBe(false);
  });
});

describe('the body timeout after a garbage collection', () => {
  // undici follows the signal of a Request it is given through a weak reference: once the caller
  // holds only the Response, a collection of that Request cut the abort off from the body, and a
  // stalled body was never bounded (a CI run hung 30 s on a stalled JWKS). The timer holds it.

  it.each([
    ['createOktaFetch given a Request', () => createOktaFetch({ credential: countingCredential(okta.origin), timeoutMs: 60_000 })(new Request(`${okta.origin}/api/v1/users`))],
    ['createOktaFetch with a body read once (a stream)', () => createOktaFetch({ credential: countingCredential(okta.origin), timeoutMs: 60_000 })('/api/v1/users', { method: 'POST', body: new Blob(['{}']).stream(), duplex: 'half' } as RequestInit)],
    ['a method package builder that returns a Request (token endpoint, discovery, JWKS)', () =>
      executeOktaRequest(({ signal }) => Promise.resolve(new Request(`${okta.origin}/oauth2/v1/keys`, { signal })), { origin: okta.origin, timeoutMs: 60_000 })],
    ['createOktaFetch with a URL and init (no Request of ours)', () => createOktaFetch({ credential: countingCredential(okta.origin), timeoutMs: 60_000 })('/api/v1/users')],
  ] as const)('%s: a stalled body is still a TimeoutError', async (_name, call) => {
    okta.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"keys":[');
    });
    // A timeoutMs no loaded machine reaches before the headers; the attempt's own timer is fired once a collection ran.
    const timers = watchAttemptTimers();
    const error = await readWhileCollecting(await call(), timers.fireLatest);
    expect((error as { name?: string } | undefined)?.name).toBe('TimeoutError');
  });

  it("a caller's abort while a credential's authorize ignores it is ABORTED once the attempt's timer ends the wait, never the raw reason", async () => {
    const credential = { kind: 'test', origin: okta.origin, authorize: () => new Promise<never>(() => undefined) };
    const caller = new AbortController();
    setTimeout(() => caller.abort(new Error('the caller gave up')), 50);
    const error: unknown = await failure(createOktaFetch({ credential, timeoutMs: 500 })('/api/v1/users', { signal: caller.signal }));
    expect(isOktaAuthError(error) && error.code).toBe('ABORTED');
    expect(okta.requests).toHaveLength(0);
  });
});
