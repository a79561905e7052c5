/**
 * Edges of core's one bounded reader and of what it remembers per answer (`answer.ts`): bodies
 * that are absent, empty or exactly at the limit, a body that cannot be read, and the log's end
 * that a method package writes for an answer it turns into its own error.
 */
import { failure } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { isOktaAuthError } from './errors.js';
import { logFailure, readAnswerText, recordAttempt, scrubAnswer } from './answer.js';

const attempt = { method: 'POST', url: new URL('https://acme.okta.com/oauth2/v1/token/refresh-token-value-0001') };

/** An answer recorded as core's drivers record it, with a log collecting its events. */
function recorded(response: Response, events?: Record<string, unknown>[]): Response {
  const log = events && ((event: Record<string, unknown>) => void events.push(event));
  recordAttempt(response, { secrets: () => ['refresh-token-value-0001'], attempt, timeoutMs: 1000, userSignal: undefined, ...(log && { log }) });
  return response;
}

/** A body that sends `first`, then breaks (a reset connection). */
const breaking = (first: string): ReadableStream<Uint8Array> =>
  new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(first));
    },
    pull: () => Promise.reject(new TypeError('terminated')),
  });

describe('readAnswerText at its edges', () => {
  it('reads no body and an empty body as empty and whole', async () => {
    expect(await readAnswerText(new Response(null, { status: 204 }))).toEqual({ text: '', truncated: false });
    expect(await readAnswerText(new Response(''))).toEqual({ text: '', truncated: false });
  });

  it('keeps a body of exactly maxBytes whole, and cuts one byte more', async () => {
    expect(await readAnswerText(new Response('{"a":1}'), 7)).toEqual({ text: '{"a":1}', truncated: false });
    expect(await readAnswerText(new Response('{"a":12}'), 7)).toEqual({ text: '{"a":12', truncated: true });
  });

  it('turns a body that cannot be read into a typed error naming the answer, never a raw TypeError', async () => {
    const locked = new Response('{}', { status: 502 });
    locked.body?.getReader();
    const error: unknown = await failure(readAnswerText(locked));
    expect(isOktaAuthError(error) && [error.code, error.message]).toEqual(['NETWORK_ERROR', 'the answer (HTTP 502): the connection closed before the whole answer was read.']);
  });

  it('stops at once on a signal that fired before the read, as on one that fires during it (a body that never comes)', async () => {
    const never = () => new Response(new ReadableStream<Uint8Array>({ pull: () => new Promise<void>(() => undefined) }), { status: 500 });
    const reason = new DOMException('the attempt timed out', 'TimeoutError');
    const during = new AbortController();
    const pending = failure(readAnswerText(never(), 1024, during.signal));
    during.abort(reason);
    const outcome = (error: unknown) => isOktaAuthError(error) && [error.code, error.message];
    const expected = outcome(await pending);
    expect(expected).not.toBe(false);
    expect(outcome(await failure(readAnswerText(never(), 1024, AbortSignal.abort(reason))))).toEqual(expected);
  });

  it("names a recorded answer's attempt, its path scrubbed, when its body breaks", async () => {
    const error: unknown = await failure(readAnswerText(recorded(new Response(breaking('{"error":'), { status: 400 }))));
    expect(isOktaAuthError(error) && [error.code, error.message]).toEqual(['NETWORK_ERROR', 'POST acme.okta.com/oauth2/v1/token/[redacted …0001]: the connection closed before the whole answer was read.']);
  });
});

describe('scrubAnswer and logFailure', () => {
  it('gives undefined for a header or field that is absent', () => {
    const response = recorded(new Response(null, { status: 400 }));
    expect(scrubAnswer(response, null)).toBeUndefined();
    expect(scrubAnswer(response, undefined)).toBeUndefined();
    expect(scrubAnswer(response, 'rid refresh-token-value-0001')).toBe('rid [redacted …0001]');
  });

  it("ends the answer's log with the code of the error a method package made of it, once, and only for a string code", () => {
    const events: Record<string, unknown>[] = [];
    const response = recorded(new Response(null, { status: 400 }), events);
    logFailure(response, { code: 'TOKEN_REQUEST_FAILED', message: 'refused' });
    for (const error of [new Error('no code'), { code: 400 }, null, undefined, 'TOKEN_REQUEST_FAILED']) logFailure(response, error);
    expect(events).toEqual([{ type: 'error', code: 'TOKEN_REQUEST_FAILED' }]);
    // An answer core did not fetch, or fetched without a logger: nothing, and no throw.
    expect(() => logFailure(new Response(null), { code: 'X' })).not.toThrow();
    expect(() => logFailure(recorded(new Response(null)), { code: 'X' })).not.toThrow();
  });
});
