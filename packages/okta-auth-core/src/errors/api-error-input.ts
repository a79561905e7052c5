import type { ApiErrorContext, ApiErrorParts } from './api-error.js';
import { OktaAuthError } from './errors.js';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

function refuse(call: string, what: string): never {
  throw new OktaAuthError('INVALID_CONFIG', `OktaApiError.${call} takes ${what}.`);
}

/**
 * The one check of what a caller gives `OktaApiError.fromResponse`/`fromParts` (public helpers for
 * code that builds errors itself): a `context` of a string `method`, a `url` (a URL), `secrets` none
 * or an iterable of strings, `explain` none or a function; else `INVALID_CONFIG` naming the argument,
 * not the runtime's `TypeError`. Returns the secrets as a list (an iterator is read once). @internal
 */
export function checkErrorContext(context: ApiErrorContext, call: string): string[] {
  const c: unknown = context;
  const secrets = (isObject(c) ? (c.secrets ?? []) : undefined) as Partial<Iterable<unknown>> | undefined;
  const list = isObject(secrets) && typeof secrets[Symbol.iterator] === 'function' ? [...(secrets as Iterable<unknown>)] : [0];
  if (!isObject(c) || typeof c.method !== 'string' || !isObject(c.url) || typeof c.url.pathname !== 'string' || (c.explain != null && typeof c.explain !== 'function') || !list.every((s) => typeof s === 'string')) {
    refuse(call, 'a context { method, url: URL, secrets?, explain? }');
  }
  return list;
}

/**
 * Whether a value is a Response by its shape (a numeric `status` and `headers` with `get`): another
 * fetch implementation's (npm undici's) is one. The one test, of `fromResponse`'s argument and of what
 * a `fetch` option resolved with (`recordAttempt`, `answer.ts`). @internal
 */
export function isResponseLike(value: unknown): value is Response {
  return isObject(value) && typeof value.status === 'number' && isObject(value.headers) && typeof value.headers.get === 'function';
}

/** `fromResponse`'s first argument: an object with a numeric `status` and `headers` (a Response). @internal */
export function checkErrorResponse(response: Response): void {
  if (!isResponseLike(response)) refuse('fromResponse(response, context)', 'a Response first');
}

/** `fromParts`' first argument: a numeric `status`, a string `statusText` and `bodyText`, and `headers` (a Headers): {@link isResponseLike}'s shape and two strings. @internal */
export function checkErrorParts(parts: ApiErrorParts): void {
  if (!isResponseLike(parts) || typeof parts.statusText !== 'string' || typeof parts.bodyText !== 'string') {
    refuse('fromParts(parts, context)', 'parts { status: number, statusText, headers: Headers, bodyText }');
  }
}
