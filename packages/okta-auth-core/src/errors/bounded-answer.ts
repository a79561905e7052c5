/**
 * The bound of an answer's body handed to the caller: 32 MiB ({@link maxAnswerBytes}), counted as
 * the caller reads it, after decompression (a gzip bomb counts what it inflates to). The answer stays
 * the one fetch resolved with (its status, headers, `url`, `type`, the record of its attempt): only
 * its prototype changes, to one whose `text()` and `json()` read through the one bounded loop
 * (`readText`) and whose `body` is a stream counting what is pulled (`arrayBuffer()`, `blob()`,
 * `bytes()`, `formData()` read that stream). So it sees every end of the caller's read (the body read
 * to its end, cancelled, or failed), where it lets the answer's attempt timer go (`ended`). An answer
 * whose prototype has no `body` (a mock your `fetch` resolved with), whose body is no web stream
 * (node-fetch 2's Node stream) or that is bounded already (your `fetch` an OktaFetch) is handed on as
 * it is.
 */
import { maxAnswerBytes, readText, tooLargeError } from './answer.js';

type Reading = Record<string, (this: Response) => unknown>;

/** Each runtime's (or polyfill's) Response prototype, to the bounded one made over it; a bounded one (or one without `body`), to null. */
const protos = new WeakMap<object, object | null>();

/**
 * Each answer bounded here with an attempt's timer (`AttemptTimer`, its `clear`), until the caller's read of its
 * body ends ({@link ended}): one entry per answer, no closure. Keyed by the answer, not its body: a clone (ky's, for
 * your afterResponse hooks) gives the original a new body stream, and its own end is not the original's. An answer
 * cloned leaves it (rev161): its body and its clones' are branches of one download, and the end of one branch (the
 * original cancelled, as ky cancels the answer it cloned for a hook of yours that returns one) is not the end of the
 * others' read, so the timer bounds them all until it fires (`timeoutMs`), as before timer161.
 */
const timers = new WeakMap<Response, { clear(): void }>();

/** The caller's read of `response`'s body ended (read to its end, cancelled, or failed): its timer, if any, let go. */
function ended(response: Response): void {
  timers.get(response)?.clear();
  timers.delete(response);
}

/**
 * Bounds what the caller reads of `response` in place: an answer handed on by `keepWithBody`, `body`
 * its body (unread: not locked, which `keepWithBody` checks; a web stream: with a `getReader`, else as
 * it came); `timer`, the attempt's, armed until that read ends (an answer handed on unbounded keeps it
 * until `timeoutMs`). @internal
 */
export function boundAnswer(response: Response, body: ReadableStream<Uint8Array>, timer?: { clear(): void }): void {
  if (!(body as Partial<ReadableStream>).getReader) return;
  const base = Object.getPrototypeOf(response) as object;
  let proto = protos.get(base);
  if (proto === undefined) protos.set(base, (proto = 'body' in base ? boundedProto(base) : null));
  if (proto) {
    Object.setPrototypeOf(response, proto);
    if (timer) timers.set(response, timer);
  }
}

/**
 * Locks the runtime's own body stream of an answer handed on (under the bounded prototype: its base's getter), if no
 * reader holds it, for the attempt timer's abort (`AttemptTimer`): Node.js 20's fetch then cancels the body of an answer
 * that was cloned and rethrows that cancel's rejection, unhandled; a locked body is not cancelled, and still errors with
 * the abort's reason. Answers the release. @internal
 */
export function lockBody(response: Response | undefined): (() => void) | undefined {
  if (response === undefined) return undefined;
  const proto = Object.getPrototypeOf(response) as object;
  const stream = Reflect.get(protos.get(proto) === null ? (Object.getPrototypeOf(proto) as object) : proto, 'body', response) as ReadableStream<Uint8Array> | null | undefined;
  if (!stream?.getReader || stream.locked) return undefined;
  const reader = stream.getReader();
  return () => {
    reader.releaseLock();
  };
}

function boundedProto(base: object): object {
  const own = base as Reading;
  // The answer's own body, through its runtime's getter.
  const body = (response: Response) => Reflect.get(base, 'body', response) as ReadableStream<Uint8Array> | null;
  async function text(this: Response): Promise<string> {
    const stream = body(this);
    // Read already, or no body: the runtime's own answer (its TypeError), as without the bound.
    if (stream === null || stream.locked || this.bodyUsed) return own.text?.call(this) as Promise<string>;
    let read: Awaited<ReturnType<typeof readText>>;
    try {
      read = await readText(stream.getReader(), maxAnswerBytes);
    } finally {
      ended(this);
    }
    if (read.truncated) throw tooLargeError(this);
    return read.text;
  }
  // A literal's members are as the runtime's: enumerable, configurable, and the methods writable (ky's `parseJson` sets the answer's own `json`).
  const bounded: Reading = {
    __proto__: base,
    get body() {
      const stream = body(this as unknown as Response);
      if (stream === null || stream.locked) return stream;
      const counted = boundedStream(this as unknown as Response, body);
      // The same stream at each read of `body`, as the runtime's.
      Object.defineProperty(this, 'body', { value: counted });
      return counted;
    },
    text,
    async json(this: Response) {
      return JSON.parse(await text.call(this)) as unknown;
    },
    // Each clone (ky's, for your afterResponse hooks) bounded too.
    clone(this: Response) {
      timers.delete(this);
      return Object.setPrototypeOf(own.clone?.call(this), bounded) as Response;
    },
  } as unknown as Reading;
  // The rest read the counting stream, through a copy of the answer that holds it: its headers are all they read (a blob's type, a form's boundary).
  for (const name of ['arrayBuffer', 'blob', 'bytes', 'formData']) {
    if (name in base) {
      // eslint-disable-next-line @typescript-eslint/require-await -- async: a copy that throws (a body read already) rejects, as the runtime's reader does.
      bounded[name] = async function (this: Response) {
        return (new Response(this.body, { headers: this.headers }) as Response & Reading)[name]?.();
      };
    }
  }
  protos.set(bounded, null);
  return bounded;
}

/**
 * `response`'s body as a stream that counts what is pulled: past {@link maxAnswerBytes} and the chunk
 * that crossed it, it fails with `INVALID_RESPONSE` and cancels the rest (the connection closed). What
 * the body's own stream throws (a stall's abort, a reset) reaches the reader as it is. Its reader is
 * taken at the first pull, so a `text()` or `json()` before it reads the body itself.
 */
function boundedStream(response: Response, body: (response: Response) => unknown): ReadableStream<Uint8Array> {
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let size = 0;
  const open = (): ReadableStreamDefaultReader<Uint8Array> => (reader ??= (body(response) as ReadableStream<Uint8Array>).getReader());
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          // Past the bound: the rest cancelled, the stream errored with the refusal (a pull's rejection errors it).
          if (size > maxAnswerBytes) throw (void open().cancel().catch(() => undefined), tooLargeError(response));
          const { done, value } = await open().read();
          if (done) {
            ended(response);
            controller.close();
          } else {
            size += value.byteLength;
            controller.enqueue(value);
          }
        } catch (error) {
          // The read ended: past the bound, or what the body's own stream threw (a stall's abort, a reset).
          ended(response);
          throw error;
        }
      },
      cancel: (reason) => (ended(response), open().cancel(reason)),
    },
    // Read when the caller reads, not ahead.
    { highWaterMark: 0 },
  );
}
