import type { Clock } from '../state/clock.js';
import { randomToken } from '../state/ids.js';
import { checkKnownFields, invalidOption, shown, type FieldNames } from '../emulator-error.js';
import { isRecord } from '../http/http-types.js';

/**
 * The kinds of failure {@link FaultSpec} can inject.
 *
 * @example
 * ```ts
 * const kind: FaultKind = 'drop';
 * org.injectFault({ path: '/oauth2/v1/token', kind, count: 1 });
 * ```
 * @see https://developer.okta.com/docs/reference/error-codes/
 */
export type FaultKind = 'latency' | 'hold' | 'status' | 'drop' | 'truncate' | 'html' | 'non-json' | 'redirect' | 'headers' | 'slow-body';

/**
 * A fault to inject on requests whose path matches.
 *
 * @example
 * ```ts
 * org.injectFault({ path: '/api/v1/*', kind: 'status', status: 503, durationMs: 30_000 });
 * org.injectFault({ path: '/api/v1/users', kind: 'latency', latencyMs: 200, count: 5 });
 * ```
 * @see https://developer.okta.com/docs/reference/error-codes/
 */
export interface FaultSpec {
  /** An exact request path (`/api/v1/users`) or a prefix ending in `*` (`/api/v1/*`). */
  path: string;
  /** What goes wrong (see `FaultKind`). */
  kind: FaultKind;
  /** For `status` (default 503), `html` (default 502), `non-json` (default: the real status) and `redirect` (301, 302, 303, 307 or 308; default 302). */
  status?: number | undefined;
  /** For `redirect` (required): the `Location` answered, such as another origin's URL. */
  location?: string | undefined;
  /**
   * For `status`: the JSON body to answer instead of Okta's error for the status, such as
   * `{ error: 'invalid_grant', error_description: '…' }` on `/oauth2/v1/token` (a failing token request).
   */
  body?: Record<string, unknown> | undefined;
  /**
   * For `status`: extra response headers, such as `WWW-Authenticate` or `DPoP-Nonce`; each replaces the
   * org's header of that name whatever its case (`x-rate-limit-reset` replaces `X-Rate-Limit-Reset`).
   * For `headers` (required): the same over the real answer. An empty value removes the header
   * (`{ Date: '' }`: an answer without `Date`).
   */
  headers?: Record<string, string> | undefined;
  /**
   * For `latency`: milliseconds added before the request is handled (default 1000). For `slow-body`:
   * milliseconds between the four parts of the answer's body (default 1000, at most `HOLD_BOUNDS.maxHoldMs`).
   */
  latencyMs?: number | undefined;
  /**
   * For `latency` and `drop`: handle the request first, then wait (`latency`) or destroy the connection
   * (`drop`), so it took effect though its answer may be lost, as at Okta. Default `false`: not handled.
   */
  handled?: boolean | undefined;
  /**
   * For `hold`: the most milliseconds (real time) a request is held before it is handled anyway, so a
   * test can never hang the org: 1 to `HOLD_BOUNDS.maxHoldMs` (60 s), default 10 s.
   */
  holdMs?: number | undefined;
  /** Affect only this many matching requests. */
  count?: number | undefined;
  /** Affect matching requests for this long, measured on the org's clock. */
  durationMs?: number | undefined;
}

interface ActiveFault {
  id: string;
  spec: FaultSpec;
  remaining: number | undefined;
  until: number | undefined;
}

export const FAULT_KINDS: readonly FaultKind[] = ['latency', 'hold', 'status', 'drop', 'truncate', 'html', 'non-json', 'redirect', 'headers', 'slow-body'];

/**
 * Bounds of the `hold` fault: at most `maxHeld` requests held at once in the org (a matching request
 * past it is handled at once), each for at most `holdMs` (default `defaultHoldMs`, at most
 * `maxHoldMs`). Mutable for the emulator's own tests only.
 */
export const HOLD_BOUNDS = { maxHeld: 100, defaultHoldMs: 10_000, maxHoldMs: 60_000 };

function refuse(option: string, what: string): never {
  return invalidOption('injectFault', `fault.${option}`, what);
}

/** The fields of a fault spec (`checkKnownFields` refuses any other; the README lists them). */
export const FAULT_FIELDS: FieldNames<FaultSpec> = { path: true, kind: true, status: true, location: true, body: true, headers: true, latencyMs: true, handled: true, holdMs: true, count: true, durationMs: true };

/** Throw an `OktaEmulatorError` (`INVALID_OPTION`, `option` such as `fault.kind`) saying what to fix when `f` is not a valid {@link FaultSpec}. */
export function checkFaultSpec(f: FaultSpec): void {
  if (!isRecord(f)) invalidOption('injectFault', 'fault', "must be a fault spec object, such as { path: '/api/v1/users', kind: 'status', status: 503 }.");
  if (!FAULT_KINDS.includes(f.kind)) refuse('kind', `must be one of ${FAULT_KINDS.join(', ')}, not ${shown(f.kind)}.`);
  checkKnownFields(f, 'injectFault', FAULT_FIELDS, 'fault.');
  if (typeof f.path !== 'string' || !f.path.startsWith('/')) refuse('path', `must be a request path starting with /, such as '/api/v1/users' or '/api/v1/*', not ${shown(f.path)}.`);
  // A fault is matched against the request's path alone: one with a query would match no request.
  const path = f.path.split(/[?#]/, 1)[0] ?? f.path;
  if (path !== f.path) refuse('path', `must be a request path without its query: '${path}', not ${shown(f.path)}.`);
  if (f.status !== undefined && !(Number.isInteger(f.status) && f.status >= 100 && f.status <= 599)) {
    refuse('status', `must be an HTTP status code from 100 to 599, such as 503, or unset, not ${shown(f.status)}.`);
  }
  if (f.count !== undefined && !(Number.isInteger(f.count) && f.count >= 1)) refuse('count', `must be a whole number of requests from 1, or unset for every matching request, not ${shown(f.count)}.`);
  if (f.latencyMs !== undefined && !(f.latencyMs >= 0)) refuse('latencyMs', `must be a number of milliseconds from 0, such as 200, or unset, not ${shown(f.latencyMs)}.`);
  if (f.holdMs !== undefined && (f.kind !== 'hold' || !(Number.isInteger(f.holdMs) && f.holdMs >= 1 && f.holdMs <= HOLD_BOUNDS.maxHoldMs))) {
    refuse('holdMs', f.kind !== 'hold' ? "applies to kind \"hold\" only: use kind 'hold', or leave holdMs unset." : `must be a whole number of milliseconds from 1 to ${HOLD_BOUNDS.maxHoldMs}, such as 5000, or unset for ${HOLD_BOUNDS.defaultHoldMs}, not ${shown(f.holdMs)}.`);
  }
  if (f.handled !== undefined && (typeof f.handled !== 'boolean' || (f.kind !== 'latency' && f.kind !== 'drop'))) refuse('handled', `applies to kinds "latency" and "drop" only, as true or false, not ${shown(f.handled)}.`);
  if (f.kind === 'slow-body' && f.latencyMs !== undefined && !(f.latencyMs <= HOLD_BOUNDS.maxHoldMs)) refuse('latencyMs', `must be at most ${HOLD_BOUNDS.maxHoldMs} ms between parts for kind "slow-body", not ${shown(f.latencyMs)}.`);
  if (f.durationMs !== undefined && !(f.durationMs > 0)) refuse('durationMs', `must be a number of milliseconds above 0 (on the org's clock), such as 30000, or unset, not ${shown(f.durationMs)}.`);
  if (f.kind === 'redirect' && f.status !== undefined && ![301, 302, 303, 307, 308].includes(f.status)) {
    refuse('status', `must be a redirect status (301, 302, 303, 307 or 308) for kind "redirect", or unset for 302, not ${shown(f.status)}.`);
  }
  if (f.kind === 'redirect' ? typeof f.location !== 'string' || f.location === '' : f.location !== undefined) {
    refuse('location', f.kind === 'redirect' ? `must be the URL to redirect to, such as 'https://other.example.com/api/v1/users', not ${shown(f.location)}.` : 'applies to kind "redirect" only: use kind \'redirect\', or leave location unset.');
  }
  if (f.body !== undefined && f.kind !== 'status') refuse('body', "applies to kind \"status\" only: use kind 'status', or leave body unset.");
  if (f.kind === 'headers' ? f.headers === undefined : f.headers !== undefined && f.kind !== 'status') {
    refuse('headers', f.kind === 'headers' ? "is required for kind \"headers\": the headers to lay over the answer, such as { Date: '' }." : "applies to kinds \"status\" and \"headers\" only, or leave headers unset.");
  }
  if (f.body !== undefined && !isRecord(f.body)) refuse('body', "must be a JSON object, such as { error: 'invalid_grant' }.");
  if (f.headers !== undefined && !(isRecord(f.headers) && Object.values(f.headers).every((v) => typeof v === 'string'))) {
    refuse('headers', "must be an object of strings, such as { 'WWW-Authenticate': 'Bearer error=\"invalid_token\"' }.");
  }
}

/**
 * The `id` of `removeFault`, `heldAnswers` and `releaseHeld`: a string (what `injectFault` returned; one
 * no fault has answers `false` or 0), else `INVALID_OPTION`, so `org.removeFault(fault.id)` is no silent `false`.
 */
export function checkFaultId(id: unknown, where: string): string {
  if (typeof id !== 'string') invalidOption(where, 'id', `must be a fault id, what injectFault returned (such as 'flt…'), not ${shown(id)}.`);
  return id;
}

/** `count` of `releaseHeld`: a whole number of requests from 1, or `undefined` for all; else `INVALID_OPTION`. */
export function checkReleaseCount(count: unknown, where: string): number {
  if (count === undefined) return Infinity;
  if (!(typeof count === 'number' && Number.isInteger(count) && count >= 1)) invalidOption(where, 'count', `must be a whole number of held requests from 1, or unset for all of them, not ${shown(count)}.`);
  return count;
}

export class Faults {
  readonly #clock: Clock;
  #faults: ActiveFault[] = [];
  /** The id of each live fault's spec (what `take` hands out), for the requests a `hold` fault holds. */
  readonly #ids = new WeakMap<FaultSpec, string>();
  /** Per `hold` fault id, the release of each request it holds, oldest first. */
  readonly #held = new Map<string, (() => void)[]>();
  #heldCount = 0;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  add(spec: FaultSpec): string {
    const id = `flt${randomToken(9)}`;
    const copy = { ...spec };
    this.#ids.set(copy, id);
    this.#faults.push({
      id,
      spec: copy,
      remaining: spec.count,
      until: spec.durationMs === undefined ? undefined : this.#clock.nowMs() + spec.durationMs,
    });
    return id;
  }

  /** Removes the fault `id` and lets every request it holds go; whether it was live (`false` for any other id). */
  remove(id: string): boolean {
    const now = this.#clock.nowMs();
    const fault = this.#faults.find((f) => f.id === id);
    this.#faults = this.#faults.filter((f) => f !== fault);
    this.release(id);
    return fault !== undefined && isLive(fault, now);
  }

  /** Removes every fault and lets every held request go. */
  clear(): void {
    this.#faults = [];
    this.releaseAll();
  }

  /**
   * Holds a request a `hold` fault matched until it is released, `holdMs` passes or `gone` fires
   * (the client left, the org closed); at once when {@link HOLD_BOUNDS}`.maxHeld` are held already.
   */
  hold(spec: FaultSpec, gone: AbortSignal): Promise<void> {
    const id = this.#ids.get(spec);
    if (id === undefined || this.#heldCount >= HOLD_BOUNDS.maxHeld || gone.aborted) return Promise.resolve();
    const queue = this.#held.get(id) ?? [];
    this.#held.set(id, queue);
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        gone.removeEventListener('abort', done);
        const at = queue.indexOf(done);
        if (at >= 0) {
          queue.splice(at, 1);
          this.#heldCount--;
        }
        if (queue.length === 0 && this.#held.get(id) === queue) this.#held.delete(id);
        resolve();
      };
      const timer = setTimeout(done, spec.holdMs ?? HOLD_BOUNDS.defaultHoldMs);
      gone.addEventListener('abort', done, { once: true });
      queue.push(done);
      this.#heldCount++;
    });
  }

  /** The id of a spec {@link Faults.take} handed out, for the request log (`undefined` for another). */
  idOf(spec: FaultSpec): string | undefined {
    return this.#ids.get(spec);
  }

  /** How many requests the fault `id` holds now (0 for an unknown id). */
  held(id: string): number {
    return this.#held.get(id)?.length ?? 0;
  }

  /** Lets the oldest `count` (default all) requests the fault `id` holds go; returns how many went. */
  release(id: string, count = Infinity): number {
    const queue = this.#held.get(id) ?? [];
    const going = queue.slice(0, count);
    for (const done of going) done();
    return going.length;
  }

  releaseAll(): void {
    for (const id of [...this.#held.keys()]) this.release(id);
  }

  /** The first live fault matching `path`, consuming one of its uses. */
  take(path: string): FaultSpec | undefined {
    const now = this.#clock.nowMs();
    this.#faults = this.#faults.filter((f) => isLive(f, now));
    const fault = this.#faults.find((f) => pathMatches(f.spec.path, path));
    if (fault === undefined) return undefined;
    if (fault.remaining !== undefined) fault.remaining--;
    return fault.spec;
  }
}

/** Whether a fault has uses left and its `durationMs` has not passed at `now` (org clock). */
function isLive(f: ActiveFault, now: number): boolean {
  return (f.remaining === undefined || f.remaining > 0) && (f.until === undefined || now < f.until);
}

function pathMatches(pattern: string, path: string): boolean {
  if (pattern.endsWith('*')) return path.startsWith(pattern.slice(0, -1));
  return pattern === path;
}
