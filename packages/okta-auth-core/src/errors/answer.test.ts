import { failure } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { isOktaAuthError } from './errors.js';
import { answerSecrets, readAnswerText, readFailure, recordAnswerSecrets, recordAttempt, scrubAnswer } from './answer.js';
import { answerRequestId } from './printable.js';

/** A body of `chunks` chunks of 16 KiB, counting how many were pulled and whether it was cancelled. */
function counted(chunks: number): { response: Response; pulled: () => number; cancelled: () => boolean } {
  let pulled = 0;
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled++;
      if (pulled > chunks) controller.close();
      else controller.enqueue(new Uint8Array(16_384).fill(97));
    },
    cancel() {
      cancelled = true;
    },
  }, { highWaterMark: 0 });
  return { response: new Response(body, { status: 500 }), pulled: () => pulled, cancelled: () => cancelled };
}

describe('readAnswerText', () => {
  it('ends a stalled read when its timer fires: the stream is cancelled and the failure is TIMEOUT', async () => {
    const reason = new DOMException('timeoutMs', 'TimeoutError');
    let cancelled: unknown;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"errorCode":'));
      },
      cancel(why) {
        cancelled = why;
      },
    });
    const timer = new AbortController();
    const reading = readAnswerText(new Response(body, { status: 500 }), 65_536, timer.signal);
    timer.abort(reason);
    const error: unknown = await failure(reading);
    expect(isOktaAuthError(error) && error.code).toBe('TIMEOUT');
    expect(cancelled).toBe(reason);
  });

  it('reads at most maxBytes of a huge body, then cancels the stream', async () => {
    const { response, pulled, cancelled } = counted(20_000);
    const { text, truncated } = await readAnswerText(response, 65_536);
    expect(text.length).toBe(65_536);
    expect(truncated).toBe(true);
    expect(pulled()).toBeLessThanOrEqual(6);
    await Promise.resolve();
    expect(cancelled()).toBe(true);
  });

  it('reads a small body whole', async () => {
    expect(await readAnswerText(new Response('{"error":"invalid_client"}'), 65_536)).toEqual({ text: '{"error":"invalid_client"}', truncated: false });
  });

  it('turns a stalled body into a typed TIMEOUT and a broken one into NETWORK_ERROR', async () => {
    const failing = (error: Error) => new Response(new ReadableStream({ pull: () => Promise.reject(error) }));
    const timeout = await failure(readAnswerText(failing(new DOMException('stalled', 'TimeoutError'))));
    const broken = await failure(readAnswerText(failing(new TypeError('terminated'))));
    expect([isOktaAuthError(timeout) && timeout.code, isOktaAuthError(broken) && broken.code]).toEqual(['TIMEOUT', 'NETWORK_ERROR']);
  });
});

describe('answer secrets', () => {
  it("scrubs an answer's text with the secrets of the attempt that got it", () => {
    const response = new Response(null, { status: 400 });
    let listed = 0;
    const secrets = (): readonly string[] => {
      listed += 1;
      return ['refresh-token-value'];
    };
    recordAttempt(response, { secrets, attempt: { method: 'POST', url: new URL('https://acme.okta.com/oauth2/v1/token') }, timeoutMs: 1000, userSignal: undefined });
    // Listed only when an answer's text is scrubbed, not when it is recorded.
    expect(listed).toBe(0);
    expect(answerSecrets(response)).toEqual(['refresh-token-value']);
    expect(scrubAnswer(response, 'echo refresh-token-value', ['other-secret-value'])).toBe('echo [redacted]');
    expect(answerSecrets(new Response(null))).toEqual([]);
  });

  it("adds an answer's own secrets to its attempt's one list, still listed on first use", () => {
    const response = new Response(null, { status: 200, headers: { 'x-okta-request-id': 'id-own-access-token-value' } });
    let listed = 0;
    const secrets = (): readonly string[] => {
      listed += 1;
      return ['refresh-token-value'];
    };
    recordAttempt(response, { secrets, attempt: { method: 'POST', url: new URL('https://acme.okta.com/oauth2/v1/token') }, timeoutMs: 1000, userSignal: undefined });
    recordAnswerSecrets(response, ['own-access-token-value', 'short']);
    expect(listed).toBe(0);
    // One list for every reader: the attempt's first, then the answer's own (a value under 8 characters is no secret).
    expect(answerSecrets(response)).toEqual(['refresh-token-value', 'own-access-token-value']);
    expect(scrubAnswer(response, 'refresh-token-value own-access-token-value')).toBe('[redacted] [redacted]');
    expect(answerRequestId(response)).toBe('id-[redacted]');
    expect(listed).toBe(1);
    // The attempt is still the one that named the answer.
    expect(readFailure(response, new TypeError('terminated')).message).toMatch(/POST acme\.okta\.com\/oauth2\/v1\/token/);
    // An answer core did not fetch: its own secrets are its list.
    const bare = new Response(null, { status: 200 });
    recordAnswerSecrets(bare, ['own-access-token-value']);
    expect(scrubAnswer(bare, 'echo own-access-token-value')).toBe('echo [redacted]');
    expect(readFailure(bare, new TypeError('terminated')).message).toMatch(/the answer \(HTTP 200\)/);
  });

  it('decodes a character split between two chunks, and counts the limit in bytes', async () => {
    const split = (): Response => {
      const bytes = new TextEncoder().encode('née');
      return new Response(new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(bytes.subarray(0, 2));
          controller.enqueue(bytes.subarray(2));
          controller.close();
        },
      }));
    };
    expect(await readAnswerText(split())).toEqual({ text: 'née', truncated: false });
    expect(await readAnswerText(split(), 3)).toEqual({ text: 'né', truncated: true });
  });
});
