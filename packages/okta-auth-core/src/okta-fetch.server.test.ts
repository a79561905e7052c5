/**
 * The fetch driver's hot path over real HTTP: one Request per attempt (the builder's own, its
 * headers set in place), bodies that survive a retry whatever their kind, and one timer per
 * attempt that ends with the attempt (and still bounds reading the body of the answer returned).
 */
import { json, startScriptedServer, type ScriptedServer } from '@org/okta-test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isOktaAuthError } from './errors.js';
import { createOktaFetch } from './okta-fetch.js';
import { countingCredential } from './test-helpers/counting-credential.js';

let okta: ScriptedServer;

beforeEach(async () => {
  okta = await startScriptedServer();
});
afterEach(async () => {
  await okta.close();
});

/** A 429 that asks for no wait, then 200s echoing the body. */
function onceRateLimited(): void {
  okta.handle((req, res, index) => {
    if (index === 0) json(res, 429, { errorCode: 'E0000047' }, { 'retry-after': '0' });
    else json(res, 200, { body: req.body, type: req.headers['content-type'] });
  });
}

describe('createOktaFetch hot path', () => {
  it('sends the Request it built for the attempt, authorized in place, and a new one for each retry', async () => {
    onceRateLimited();
    const sent: Request[] = [];
    const okta$ = createOktaFetch({
      credential: countingCredential(okta.origin),
      fetch: (input) => {
        sent.push(input as Request);
        return fetch(input);
      },
    });
    await (await okta$('/api/v1/users')).json();
    expect(sent).toHaveLength(2);
    expect(sent[0]).toBeInstanceOf(Request);
    expect(sent[0]).not.toBe(sent[1]);
    expect(sent.map((r) => r.headers.get('authorization'))).toEqual(['Test secret-token-value-1', 'Test secret-token-value-2']);
    expect(sent.every((r) => r.redirect === 'manual' && r.headers.get('accept') === 'application/json')).toBe(true);
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

  it('clears the timer of every attempt that ends without an answer to read, and keeps it on the answer returned', async () => {
    onceRateLimited();
    const armed = vi.spyOn(globalThis, 'setTimeout');
    const cleared = vi.spyOn(globalThis, 'clearTimeout');
    await (await createOktaFetch({ credential: countingCredential(okta.origin), timeoutMs: 61_234 })('/api/v1/users')).json();
    const timers = armed.mock.calls.flatMap((call, i) => (call[1] === 61_234 ? [armed.mock.results[i]?.value as unknown] : []));
    expect(timers).toHaveLength(2);
    // The 429's attempt: its timer is cleared before the wait; the answer returned keeps its own.
    expect(cleared.mock.calls.map((call) => call[0] as unknown)).toContain(timers[0]);
    expect(cleared.mock.calls.map((call) => call[0] as unknown)).not.toContain(timers[1]);
  });

  it('bounds reading the body of the answer returned with the attempt timeout', async () => {
    okta.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[');
    });
    const response = await createOktaFetch({ credential: countingCredential(okta.origin), timeoutMs: 300 })('/api/v1/users');
    const error: unknown = await response.text().catch((e: unknown) => e);
    expect((error as { name?: string }).name).toBe('TimeoutError');
    expect(isOktaAuthError(error)).toBe(false);
  });
});
