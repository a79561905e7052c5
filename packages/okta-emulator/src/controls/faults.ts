import type { Clock } from '../state/clock.js';
import { randomToken } from '../state/ids.js';
import { invalidOption, shown } from '../emulator-error.js';
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
export type FaultKind = 'latency' | 'status' | 'drop' | 'truncate' | 'html' | 'non-json' | 'redirect' | 'headers';

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
  /** For `latency`: milliseconds added before the request is handled (default 1000). */
  latencyMs?: number | undefined;
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

export const FAULT_KINDS: readonly FaultKind[] = ['latency', 'status', 'drop', 'truncate', 'html', 'non-json', 'redirect', 'headers'];

function refuse(option: string, what: string): never {
  return invalidOption('injectFault', `fault.${option}`, what);
}

/** Throw an `OktaEmulatorError` (`INVALID_OPTION`, `option` such as `fault.kind`) saying what to fix when `f` is not a valid {@link FaultSpec}. */
export function checkFaultSpec(f: FaultSpec): void {
  if (!isRecord(f)) invalidOption('injectFault', 'fault', "must be a fault spec object, such as { path: '/api/v1/users', kind: 'status', status: 503 }.");
  if (!FAULT_KINDS.includes(f.kind)) refuse('kind', `must be one of ${FAULT_KINDS.join(', ')}, not ${shown(f.kind)}.`);
  if (typeof f.path !== 'string' || !f.path.startsWith('/')) refuse('path', `must be a request path starting with /, such as '/api/v1/users' or '/api/v1/*', not ${shown(f.path)}.`);
  if (f.status !== undefined && !(Number.isInteger(f.status) && f.status >= 100 && f.status <= 599)) {
    refuse('status', `must be an HTTP status code from 100 to 599, such as 503, or unset, not ${shown(f.status)}.`);
  }
  if (f.count !== undefined && !(Number.isInteger(f.count) && f.count >= 1)) refuse('count', `must be a whole number of requests from 1, or unset for every matching request, not ${shown(f.count)}.`);
  if (f.latencyMs !== undefined && !(f.latencyMs >= 0)) refuse('latencyMs', `must be a number of milliseconds from 0, such as 200, or unset, not ${shown(f.latencyMs)}.`);
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

export class Faults {
  readonly #clock: Clock;
  #faults: ActiveFault[] = [];

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  add(spec: FaultSpec): string {
    const id = `flt${randomToken(9)}`;
    this.#faults.push({
      id,
      spec: { ...spec },
      remaining: spec.count,
      until: spec.durationMs === undefined ? undefined : this.#clock.nowMs() + spec.durationMs,
    });
    return id;
  }

  remove(id: string): boolean {
    const before = this.#faults.length;
    this.#faults = this.#faults.filter((f) => f.id !== id);
    return this.#faults.length !== before;
  }

  clear(): void {
    this.#faults = [];
  }

  /** The first live fault matching `path`, consuming one of its uses. */
  take(path: string): FaultSpec | undefined {
    const now = this.#clock.nowMs();
    this.#faults = this.#faults.filter(
      (f) => (f.remaining === undefined || f.remaining > 0) && (f.until === undefined || now < f.until),
    );
    const fault = this.#faults.find((f) => pathMatches(f.spec.path, path));
    if (fault === undefined) return undefined;
    if (fault.remaining !== undefined) fault.remaining--;
    return fault.spec;
  }
}

function pathMatches(pattern: string, path: string): boolean {
  if (pattern.endsWith('*')) return path.startsWith(pattern.slice(0, -1));
  return pattern === path;
}
