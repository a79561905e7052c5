import type { RequestAttempt } from '../credential.js';
import { isOktaAuthError, OktaAuthError } from './errors.js';
import { scrub, shownPath } from '../secrets/secret.js';
import { isBrowser } from '../config/runtime-globals.js';
import { guarded } from './guarded.js';

/**
 * An origin as a browser serializes one (`location.origin`): a scheme, `://` and an ASCII host (a
 * name, punycode for a non-ASCII one, or `[IPv6]`) with its port, at most 300 characters: never a
 * user, a path, a space, a control character or a bidirectional override. Chromium's `file://` (no
 * host) is none.
 */
const originShape = /^[a-z][\w+.-]{0,19}:\/\/[\w.:[\]%~-]{1,277}$/i;

/** The page's own origin (a page's or a browser worker's `location.origin`), read at each call; `undefined` unless shaped like one. */
function pageOrigin(): string | undefined {
  try {
    const origin = (globalThis as { location?: { origin?: unknown } }).location?.origin;
    return typeof origin === 'string' && originShape.test(origin) ? origin : undefined;
  } catch {
    // A polyfill's or a Proxy's getter may throw (Deno 2's location is undefined without --location).
    return undefined;
  }
}

/**
 * The one advice for a call a browser refused or hid (a `fetch` rejected by CORS, an opaque answer):
 * the page's origin must be a Trusted Origin of the org with the CORS scope. It names the page's
 * own origin (`location.origin`: `http://localhost:5173` and `http://127.0.0.1:5173` are two), but
 * not an opaque one (`null`: a `file:` page, a sandboxed frame), Chromium's `file://`, nor anything
 * a polyfilled `location` holds that is not shaped like an origin.
 * @see https://developer.okta.com/docs/guides/enable-cors/main/
 */
export function trustedOriginAdvice(): string {
  const origin = pageOrigin();
  return `add this page's origin${origin === undefined ? '' : ` (${origin})`} in Okta under Security > API > Trusted Origins, with CORS; an API token (SSWS) is refused from any page`;
}

/** How a message names an attempt: `METHOD host/path` (the org's host, among many orgs), the path scrubbed of the attempt's `secrets`, never the query. */
export function attemptName(attempt: RequestAttempt, secrets: readonly string[]): string {
  return `${attempt.method} ${attempt.url.host}${shownPath(attempt.url, secrets)}`;
}

/**
 * The one making of a transport failure (`NETWORK_ERROR`, `TIMEOUT`, `ABORTED`, `INVALID_RESPONSE`): its message
 * `rest` after what failed, an attempt as {@link attemptName} names it (scrubbed of `secrets`), and then `origin`,
 * the attempt's org (`https://acme.okta.com`: its scheme and host, never secret), as `OktaApiError` has it (among
 * many orgs, which one failed); or a text naming what failed, of no one org (`The operation`), and no `origin`. @internal
 */
export function failureAt<Code extends string>(code: Code, at: string | RequestAttempt, secrets: readonly string[], rest: string, cause?: { cause?: unknown }): OktaAuthError<Code> {
  const origin = typeof at === 'string' ? undefined : at.url.origin;
  return Object.assign(new OktaAuthError(code, `${typeof at === 'string' ? at : attemptName(at, secrets)}${rest}`, cause), origin && { origin });
}

/** The settings that bound an attempt, as messages name them: `timeoutMs`, or a ky driver's call's own bound. */
export type BoundName = 'timeoutMs' | "ky's timeout" | "ky's totalTimeout";

/**
 * What a slot's `TIMEOUT` names as bounding its wait (`waitBound`): the only `boundBy` it repeats
 * (`driverBound` in `rate-limit/in-flight-limit.ts` accepts exactly these; `config/wait-bound.test.ts`
 * lists them by this type, so a new name fails to compile there until the pattern takes it).
 */
export type SlotBoundName = BoundName | 'retry.maxWaitMs' | `retry.maxWaitMs and ${BoundName}`;

/** A time bound other than `timeoutMs` that ended an attempt (ky's `timeout` or `totalTimeout`), as a message names it. */
export interface TimeoutBound {
  readonly ms: number;
  readonly name: BoundName;
}

/**
 * The own fields a runtime's network error has, and nothing else: Node.js's system errors (`errno`, `syscall`, `address`,
 * `port`, `hostname`), happy eyeballs' `AggregateError` (`errors`, up to 10), undici's (`name`, its `socket`'s addresses and
 * counts, `bytesRead` and `bytesWritten`, its brand Symbols `Symbol(undici.error.UND_ERR…)`), and the arrays among them. Each name
 * is also held to the secret test values get ({@link keptCause}).
 */
const runtimeField =
  /^(?:message|stack|name|cause|code|errno|syscall|hostname|errors|socket|timeout|length|\d|(?:local|remote)?(?:address|port|family)|bytes(?:read|written)|Symbol\(undici\.error\.UND_ERR(?:_[a-z]{1,20}){0,4}\))$/i;

/**
 * Whether what an `Error` inherits is a runtime's: each prototype below this realm's `Error`, `TypeError`,
 * `AggregateError` or `DOMException` prototype holds only its `constructor` (undici's `SocketError` and `UndiciError`, Deno's
 * error classes), whose name quotes no secret; not a class with a getter, `toJSON` or `util.inspect.custom` (which print what
 * a private field holds), nor another realm's error.
 */
function runtimeErrorChain(value: object, secrets: readonly string[]): boolean {
  const builtIn: unknown[] = [Error, TypeError, AggregateError, DOMException].map((type) => type.prototype);
  for (let proto = Object.getPrototypeOf(value) as object | null, depth = 0; proto !== null && depth < 8; proto = Object.getPrototypeOf(proto) as object | null, depth++) {
    if (builtIn.includes(proto)) return true;
    if (Reflect.ownKeys(proto).join() !== 'constructor' || !keptCause((proto as { constructor: { name: unknown } }).constructor.name, secrets)) return false;
  }
  return false;
}

/**
 * Whether `value` may stay a failure's `cause`: an `Error` of a runtime's own class ({@link runtimeErrorChain}) whose every
 * own field (Symbols included) is a runtime's ({@link runtimeField}), 5 deep, and whose strings, key names included, quote
 * none of `secrets`; no Proxy (`structuredClone` refuses one, on Node.js, Chromium and Firefox: what its traps hide is not
 * looked into). A custom `fetch` (a tracing wrapper) can reject with the request, its headers or what it sent in any shape: a
 * string, a nested object, a Map; a field that throws when read keeps none.
 */
function keptCause(value: unknown, secrets: readonly string[], depth = 0): boolean | undefined {
  return guarded(() =>
    Object(value) === value
      ? depth < 5 &&
        // Below it, only an Error, an array or a plain object: a Headers, Map or Set holds what it holds in no own key.
        (runtimeErrorChain(value as object, secrets) || (depth > 0 && [Object.prototype, Array.prototype, null].includes(Object.getPrototypeOf(value) as object | null))) &&
        // Throws for a Proxy (a DataCloneError), at every level.
        structuredClone(value) !== value &&
        Reflect.ownKeys(value as object).every((key) => {
          // A data field, or the runtime's own accessor (Chromium's `stack`): a getter of user code can answer clean text here and the header later.
          const field: PropertyDescriptor = Reflect.getOwnPropertyDescriptor(value as object, key) ?? {};
          return (
            runtimeField.test(String(key)) &&
            keptCause(String(key), secrets) &&
            ('value' in field || (field.get !== undefined && field.get === Reflect.getOwnPropertyDescriptor(Error(), key)?.get)) &&
            keptCause('value' in field ? field.value : (value as Record<PropertyKey, unknown>)[key], secrets, depth + 1)
          );
        })
      : scrub(String(value), secrets) === String(value),
  );
}

/**
 * The one typing of transport failures, while waiting for an answer or reading its body:
 * `ABORTED` when the caller's signal fired, `TIMEOUT` for a timeout, `INVALID_RESPONSE` for
 * headers too large for the runtime or an answer that is not HTTP/1.1 ({@link malformedAnswer}),
 * `NETWORK_ERROR` otherwise. Our own errors (of any copy of core: `isOktaAuthError`, the brand) pass through, but the caller's reason (`abort(oktaError)`) is `ABORTED`. `timeoutMs`: the bound that fired, if
 * known (a number is `timeoutMs`'s). What failed is the `TIMEOUT`'s or `NETWORK_ERROR`'s `cause` only if it is a runtime's
 * own error that quotes none of the attempt's `secrets` ({@link keptCause}); a field that throws when read is none.
 * `at`: the attempt (the message names it by {@link attemptName}, and the error's `origin` is its org's), or a text
 * naming what failed, of no one org (no `origin`).
 * `awaited`: the credential's code the attempt waited on when the bound fired (`authorize`, `challenge`), its `TIMEOUT` saying
 * so and that nothing was sent (resent, after a challenge): no answer was asked for (`waitForUserCode`).
 */
export function transportFailure(
  error: unknown,
  at: string | RequestAttempt,
  userSignal: AbortSignal | undefined,
  timeoutMs: number | TimeoutBound | undefined,
  reading: boolean,
  secrets: readonly string[] = [],
  awaited?: string,
): OktaAuthError<string> {
  // Unless it is the caller's abort reason (`abort(siblingError)`: ABORTED, its cause; compared first, so a reason that cannot be read is never read); a signal not aborted has none.
  if (error !== userSignal?.reason && guarded(() => isOktaAuthError(error))) return error as OktaAuthError<string>;
  if (userSignal?.aborted === true) {
    return failureAt('ABORTED', at, secrets, ' was aborted by the caller.', { cause: userSignal.reason });
  }
  const name = guarded(() => (error as Error).name);
  const cause = { cause: keptCause(error, secrets) ? error : undefined };
  if (name === 'TimeoutError' || name === 'AbortError') {
    // A number is timeoutMs's (its properties undefined).
    const bound = timeoutMs as Partial<TimeoutBound>;
    const within = timeoutMs === undefined ? "within the request's timeout (timeoutMs)" : `within ${bound.ms ?? (timeoutMs as number)} ms (${bound.name ?? 'timeoutMs'})`;
    const tail = reading ? ': the body stalled' : awaited ? `; nothing was ${awaited === 'challenge' ? 're' : ''}sent` : '';
    return failureAt('TIMEOUT', at, secrets, `${awaited ? `: the credential's ${awaited} did not settle` : ' got no complete answer'} ${within}${tail}.`, cause);
  }
  const malformed = malformedAnswer(error, at, secrets);
  if (malformed !== undefined) return malformed;
  // In a browser, a CORS refusal is a bare TypeError too, and the likeliest one; unless the browser knows it is
  // offline (`navigator.onLine` is false only there: undefined, or no navigator, in Node.js and workers). Deno
  // without --allow-net refuses with NotCapable, its message the host and the fix (`Requires net access to "host:port",
  // run again with the --allow-net flag`): said, not only in `cause`; only that shape, bounded (a fetch of yours may name its error so).
  return failureAt(
    'NETWORK_ERROR',
    at,
    secrets,
    reading
      ? ': the connection closed before the whole answer was read.'
      : ` failed before Okta answered (${(name === 'NotCapable' && cause.cause !== undefined ? /^Requires net access to "[^"\s]{1,300}", run again with the --allow-net flag/.exec((error as Error).message)?.[0] : undefined) ?? ((globalThis as { navigator?: { onLine?: unknown } }).navigator?.onLine === false ? 'this device is offline' : `connection refused, reset or DNS failure${isBrowser() ? `, or CORS: ${trustedOriginAdvice()}` : ''}`)}).`,
    cause,
  );
}

/**
 * `INVALID_RESPONSE` when fetch failed because the answer itself was malformed, found anywhere in
 * the cause chain: headers too large for the runtime (undici's `UND_ERR_HEADERS_OVERFLOW`: a 1 MB
 * `Link` header, say), or bytes that are not HTTP/1.1 (undici's parser errors, `HPE_*`: an invalid
 * character in a header, a broken chunked body), or a `Content-Encoding` naming more codings than
 * undici decodes (its guard against a decompression chain, an `Error` with no code: read by its
 * message). Not a misleading `NETWORK_ERROR` (retried as a reset connection), and without
 * the runtime's error as `cause`: a parser error keeps the raw bytes of the answer after the
 * fault (`data`), which can echo the request's credentials (docs/SECURITY.md).
 */
export function malformedAnswer(error: unknown, at: string | RequestAttempt, secrets: readonly string[] = []): OktaAuthError<'INVALID_RESPONSE'> | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    // A field that throws when read (a getter, a revoked Proxy) names no problem and ends the chain.
    const problem = guarded(() => {
      const code = (current as { code?: unknown }).code;
      return code === 'UND_ERR_HEADERS_OVERFLOW'
        ? "the answer's headers were larger than this runtime accepts (a huge Link or other header)"
        : typeof code === 'string' && /^HPE_\w{1,40}$/.test(code)
          ? `the answer did not follow HTTP/1.1 (${code})`
          : current instanceof Error && current.message.startsWith('too many content-encodings')
            ? 'the answer named more content codings (Content-Encoding) than this runtime decodes'
            : undefined;
    });
    if (problem !== undefined) return failureAt('INVALID_RESPONSE', at, secrets, `: ${problem}; Okta sends no such answer.`);
    current = guarded(() => (current as { cause?: unknown }).cause);
  }
  return undefined;
}
