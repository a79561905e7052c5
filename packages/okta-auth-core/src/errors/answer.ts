/**
 * The one bounded reader of Okta's answers (and its bound of an answer's body handed to the caller,
 * 32 MiB decompressed: `bounded-answer.ts`), and what core remembers about the attempt that got
 * each answer (its secrets), so that every error, field and log event built from an answer —
 * by core, ky hooks or a method package — is scrubbed with the secrets of that very attempt.
 */
import type { RequestAttempt } from '../credential.js';
import { OktaAuthError, sharedRecords } from './errors.js';
import { failureAt, transportFailure } from './failure.js';
import { failureEvent, type AttemptLog } from '../config/logger.js';
import { distinctSecrets, scrub } from '../secrets/secret.js';
import { isResponseLike } from './api-error-input.js';

/**
 * What an answer's attempt carried and how it was bounded: the v1 record every copy of core reads (`sharedRecords`),
 * so a field is added only as optional, and none changes its meaning.
 */
export interface AttemptRecord {
  /** Every secret the attempt sent (see `requestSecrets`), listed on first use (`attemptSecrets`). */
  readonly secrets: () => readonly string[];
  /** What was sent (its `METHOD /path` names it in messages, built only for one). */
  readonly attempt: RequestAttempt;
  /** The attempt's `timeoutMs` (none through `createOktaKy`, whose bound may be ky's), which a failed read names. */
  readonly timeoutMs: number | undefined;
  /** The caller's own signal: when it fired, a failed read is `ABORTED`, not `TIMEOUT`. */
  readonly userSignal: AbortSignal | undefined;
  /** The attempt's log (none without a logger): {@link logFailure} ends it. */
  readonly log?: AttemptLog | undefined;
  /**
   * The attempt's timer (the fetch driver's `AttemptTimer`), armed while the answer's body is read: core's read of it
   * ({@link readAnswerText}) is waited for within it, so a `fetch` option that dropped the signal cannot hold it.
   */
  readonly timer?: { within<T>(work: PromiseLike<T>): Promise<T> } | undefined;
}

/** What core knows of an answer: its attempt's record, or (an answer core did not fetch) only secrets a method package read in it. */
type KnownAnswer = Pick<AttemptRecord, 'secrets'> & Partial<Omit<AttemptRecord, 'secrets'>>;

// Keyed by the answer (any object: a lookup by an answer's parts alone finds nothing), in the one registry every copy
// of core in the realm shares (`sharedRecords`): an answer of another copy's driver is scrubbed with its attempt's secrets too.
const records = sharedRecords().answers as WeakMap<object, KnownAnswer>;

/** The most of an error body that is read (and kept): 64 KiB. */
export const maxErrorBodyBytes = 65_536;

/**
 * The most of an answer's body a caller reads, decompressed (`bounded-answer.ts`), and of a page
 * (`readPage`), and of what okta-cli's `api` command prints: 32 MiB, where Okta's largest pages are a few MB. @internal
 */
export const maxAnswerBytes = 32 * 1024 * 1024;

/** What every refusal of a body past {@link maxAnswerBytes} says of it (a page's too, `badPage`), and what to do. @internal */
export const tooLarge = `is larger than ${maxAnswerBytes / 1024 / 1024} MiB; ask for smaller pages (limit).`;

/**
 * Remembers the attempt an answer belongs to: the first thing every driver does with what its
 * `fetch` resolved with, once the request went out, so the one check of it is here: a Response
 * ({@link isResponseLike}), else `INVALID_CONFIG` naming the option (a wrapper without `return`, one
 * returning `response.json()`, a bare mock), not the runtime's `TypeError`. @internal
 */
export function recordAttempt(response: unknown, record: AttemptRecord): void {
  if (!isResponseLike(response)) throw new OktaAuthError('INVALID_CONFIG', `The fetch option must be a function that resolves with a Response, not ${response === null ? 'null' : typeof response}.`);
  records.set(response, record);
}

/**
 * Adds an answer's own secrets (a token answer's tokens, once its body is read) to the one list
 * of the attempt that got it: every later reading of that list ({@link answerSecrets},
 * {@link scrubAnswer}, `answerRequestId`, every refusal built from the answer) masks them too.
 * For an answer core did not fetch, they are its list. Still listed on first use. @internal
 */
export function recordAnswerSecrets(response: Response, secrets: Iterable<string>): void {
  const record = records.get(response);
  const earlier = record?.secrets;
  const own = [...secrets];
  let list: readonly string[] | undefined;
  records.set(response, { ...record, secrets: () => (list ??= distinctSecrets([...(earlier?.() ?? []), ...own])) });
}

/**
 * Ends the log of the attempt that got this answer with an `error` event carrying `error`'s code,
 * as the drivers end their own failures: for a method package that turns an answer core handed
 * back (`throwHttpErrors: false`) into its typed error (a refused token request, a discovery
 * 404). Nothing for an error without a string `code`, or an answer core did not fetch. @internal
 */
export function logFailure(response: Response, error: unknown): void {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') records.get(response)?.log?.(failureEvent(error as { code: string; requestId?: string }));
}

/**
 * The secrets of the attempt that got this answer (empty for an answer core did not fetch).
 *
 * @example
 * ```ts
 * const requestId = scrub(response.headers.get('x-okta-request-id') ?? '', answerSecrets(response));
 * ```
 */
export function answerSecrets(response: Pick<Response, 'headers'>): readonly string[] {
  return records.get(response)?.secrets() ?? [];
}

/** Whether a driver of any copy of core got this answer (its attempt recorded): else what its request sent is unknown here. @internal */
export const fetchedByCore = (response: Response): boolean => records.get(response)?.attempt !== undefined;

/**
 * Scrubs text taken from an answer (a header, a field of its body) of every secret its attempt
 * carried, plus `extra` values.
 *
 * @example
 * ```ts
 * const requestId = scrubAnswer(response, response.headers.get('x-okta-request-id'));
 * ```
 */
export function scrubAnswer(response: Response, text: string, extra?: Iterable<string>): string;
export function scrubAnswer(response: Response, text: string | null | undefined, extra?: Iterable<string>): string | undefined;
export function scrubAnswer(response: Response, text: string | null | undefined, extra: Iterable<string> = []): string | undefined {
  if (text === null || text === undefined) return undefined;
  return scrub(text, [...answerSecrets(response), ...extra]);
}

/** The request that got this answer (its failure named `METHOD host/path`, scrubbed, with the org's `origin`), or the answer. */
function answerName(response: Response): string | RequestAttempt {
  return records.get(response)?.attempt ?? `the answer (HTTP ${response.status})`;
}

/**
 * What reading a body threw, as a typed error naming the request, never its content. `userSignal` and
 * `timeoutMs`: a reader's own (`readPage`: the walk's signal, the bound of its timer), where the
 * attempt recorded none (a signal the driver did not see fired is `ABORTED`).
 */
export function readFailure(response: Response, error: unknown, userSignal?: AbortSignal, timeoutMs?: number): OktaAuthError<string> {
  const record = records.get(response);
  return transportFailure(error, answerName(response), userSignal ?? record?.userSignal, record?.timeoutMs ?? timeoutMs, true, record?.secrets());
}

/**
 * How long core's own read of an answer's body (`readPage`) may take: the `timeoutMs` its attempt
 * recorded (the fetch driver's, whose timer stays armed on the body until its read ends, and `oktaKyHooks`', whose
 * body nothing else bounds), `undefined` when the driver recorded none (`createOktaKy`: its timer,
 * armed on the body, may be ky's), else `fallback` (an answer core did not fetch). @internal
 */
export function readBound(response: Response, fallback: number): number | undefined {
  const record = records.get(response);
  return record?.attempt === undefined ? fallback : record.timeoutMs;
}

/**
 * A Response of `body` with the answer's status and headers; its status text made what a Response
 * takes (Latin-1 without control characters: undici reads a status line as UTF-8, U+202E or U+FFFD). @internal
 */
export function answerCopy(response: Response, body: ReadableStream<Uint8Array> | string | null): Response {
  return new Response(body, { status: response.status, statusText: response.statusText.replace(/[^\t\x20-\x7e\x80-\xff]/g, ' '), headers: response.headers });
}

/** The refusal of an answer's body past {@link maxAnswerBytes} as the caller reads it (`bounded-answer.ts`), naming the request. @internal */
export function tooLargeError(response: Response): OktaAuthError<'INVALID_RESPONSE'> {
  return failureAt('INVALID_RESPONSE', answerName(response), records.get(response)?.secrets() ?? [], `: the answer ${tooLarge}`);
}

/**
 * Reads at most `maxBytes` of a body as UTF-8 text, then cancels the rest of the stream: a
 * 300 MB answer costs `maxBytes` of memory. A body that stalls past the attempt's timeout, or
 * breaks, throws a typed `TIMEOUT`, `ABORTED` or `NETWORK_ERROR` (never a raw `DOMException`).
 * `signal` (a fresh `AttemptTimer`'s: its reason a `TimeoutError`) bounds a read that nothing
 * else bounds (the ky hooks on the user's own instance, whose fetch and timer are ky's): when it
 * fires, the stream is cancelled and the read fails with `TIMEOUT`.
 *
 * @example
 * ```ts
 * const { text, truncated } = await readAnswerText(response, maxErrorBodyBytes);
 * ```
 * @see https://streams.spec.whatwg.org/#default-reader-class
 */
export async function readAnswerText(response: Response, maxBytes: number = maxErrorBodyBytes, signal?: AbortSignal, body = response.body): Promise<{ text: string; truncated: boolean }> {
  if (body === null) return { text: '', truncated: false };
  let reader: ReadableStreamDefaultReader<Uint8Array>;
  try {
    reader = body.getReader();
  } catch (error) {
    throw readFailure(response, error);
  }
  // A cancelled reader ends its pending read as done: the check after the read makes that a failure.
  // A signal that already fired stops the read at once (its abort event is past). Cancelled a microtask after the
  // abort, as the timer's `within` below ends a read: a runtime's fetch that follows the same signal (ky's, through
  // the caller's) errors the body in that abort's dispatch, and a branch of a clone's tee cancelled inside it (ky
  // clones each answer for its afterResponse hooks) makes Node.js 20's own cancel of the other branch reject,
  // unhandled (small168: `ky/error-body-abort.server.test.ts`, the hooks with the runtime's fetch).
  const stop = (): void => {
    queueMicrotask(() => void reader.cancel(signal?.reason).catch(() => undefined));
  };
  if (signal?.aborted) stop();
  else signal?.addEventListener('abort', stop, { once: true });
  let read: { text: string; truncated: boolean };
  try {
    // Within the attempt's timer, if the answer has one (the fetch driver's): it ends a read that the fetch left
    // unbounded (a `fetch` option that dropped the signal), as its abort ends a real fetch's body.
    const timer = records.get(response)?.timer;
    read = await (timer ? timer.within(readText(reader, maxBytes)) : readText(reader, maxBytes));
  } catch (error) {
    void reader.cancel().catch(() => undefined);
    throw readFailure(response, error);
  }
  if (signal?.aborted === true) throw readFailure(response, signal.reason);
  return read;
}

/**
 * The one loop of {@link readAnswerText} (and of an answer's `text()`, `bounded-answer.ts`): at most
 * `maxBytes` decoded as UTF-8 (as `Response.text()` decodes), the rest cancelled; what the stream
 * throws, as it is. @internal
 */
export async function readText(reader: ReadableStreamDefaultReader<Uint8Array>, maxBytes: number): Promise<{ text: string; truncated: boolean }> {
  // Decoded as it arrives (a character split between chunks is kept for the next one).
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = maxBytes - size;
    truncated = value.byteLength > room;
    const kept = truncated ? value.subarray(0, Math.max(room, 0)) : value;
    text += decoder.decode(kept, { stream: true });
    size += kept.byteLength;
    if (truncated) break;
  }
  // The rest is never read: cancelling closes the stream (and the connection behind it).
  if (truncated) void reader.cancel().catch(() => undefined);
  return { text: text + decoder.decode(), truncated };
}

/**
 * Discards the body of an answer the driver does not read (a 429 or 503 before its retry, a redirect, a
 * challenged 401): never rejects, for a body whose read failed (the caller aborted, say in its
 * logger's `backoff` event) has nothing to close; what follows (the wait, the error) says what happened.
 */
export function discardAnswer(response: Response): Promise<void> | undefined {
  return response.body?.cancel().catch(() => undefined);
}

/**
 * An error answer's body that did not arrive within `timeoutMs`, as Okta's JSON error shape: its
 * `errorSummary` says so. The answer came (its status is known), so every driver gives
 * `OktaApiError` (`API_ERROR`, `RATE_LIMITED`), not `TIMEOUT`. @internal
 */
export const stalledErrorBody = '{"errorSummary":"the body did not arrive within timeoutMs"}';

/**
 * The one reading of an error answer's body for `OktaApiError` (every driver): at most 64 KiB,
 * within `signal` when given (else the attempt's own timeout); a body that stalls is
 * {@link stalledErrorBody}, one that cannot be read otherwise is empty. Rejects only with the
 * caller's abort that ended the read (`ABORTED`, its reason the `cause`: the signal its attempt
 * recorded, the fetch driver's), which is the call's end, not an error answer without a body
 * (abort168: `ky/error-body-abort.server.test.ts`). @internal
 */
export function readErrorText(response: Response, signal?: AbortSignal): Promise<string> {
  return readAnswerText(response, maxErrorBodyBytes, signal).then(
    (read) => read.text,
    (error: unknown) => ((error as OktaAuthError).code === 'TIMEOUT' ? stalledErrorBody : (error as OktaAuthError).code === 'ABORTED' ? Promise.reject(error as OktaAuthError) : ''),
  );
}
