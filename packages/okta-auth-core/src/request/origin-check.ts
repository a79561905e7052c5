/**
 * Where a request may go: the one comparison of origins ({@link schemeAndHost}), the origin check
 * every attempt passes (`startAttempt` in `request-policy.ts`), and the one check of what a
 * credential's `authorize(attempt)` is given.
 */
import { OktaAuthError } from '../errors/errors.js';
import { isSignalOrNone } from '../config/transport.js';
import type { RequestAttempt } from '../credential.js';

/**
 * A URL's origin as its scheme and host (`https://acme.okta.com`, with the port if any): the one way
 * origins are compared. Not `url.origin`: a `blob:` URL has the origin of the URL it wraps
 * (`blob:https://acme.okta.com/x` is `blob://` here), and every URL of a scheme without one
 * (`data:`, `foo:`) has the same opaque origin, `"null"`. @internal
 */
export function schemeAndHost(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

/**
 * Throws `ORIGIN_MISMATCH` unless `url` is on `origin`: credentials never leave the org. Checked once per attempt, by `startAttempt` (`request-policy.ts`).
 * The other origin is not quoted: a `next` link's is the server's choice, and a host name (lower-cased, so no scrubber finds it) can echo a secret.
 * Compared by scheme and host ({@link schemeAndHost}), not `url.origin` alone: a `blob:` URL has the origin of the URL it wraps.
 */
export function assertOrigin(url: URL, origin: string): void {
  if (schemeAndHost(url) !== origin) {
    throw new OktaAuthError(
      'ORIGIN_MISMATCH',
      `Refusing to send Okta credentials to another origin: this client only talks to ${origin}. Use a relative path, or a client for that org.`,
    );
  }
}

/**
 * Whether a value is a URL, this realm's or another's (an iframe's): an object whose `protocol`,
 * `host`, `origin` and `pathname` (what a credential reads of an attempt's URL: the origin check,
 * a DPoP proof's `htu`) are strings (a string has none). The shape, not `instanceof`.
 */
function isUrlLike(value: unknown): boolean {
  const url = value as Partial<Record<'protocol' | 'host' | 'origin' | 'pathname', unknown>> | null | undefined;
  return typeof url?.protocol === 'string' && typeof url.host === 'string' && typeof url.origin === 'string' && typeof url.pathname === 'string';
}

/**
 * The one check of what a credential's `authorize(attempt)` is given, shared by the shipped
 * credentials (the drivers build the attempt; a custom driver or a test may pass anything): an
 * object with a string `method`, a `url` that is a URL (its shape: another realm's is one; an object
 * that is none was `ORIGIN_MISMATCH`, the wrong fix), a `signal` that is none or an AbortSignal
 * (core's one test of a signal, {@link isSignalOrNone}), a `call` that is none or a number (it
 * reaches okta-oauth's `token-store` log events: never a string a custom driver put there) and a `fetch`
 * that is none or a function (the client's transport, which the credential may call), else
 * `refuse` (the package's `INVALID_CONFIG`) naming `authorize(attempt)`, never the runtime's
 * `TypeError`; then {@link assertOrigin}. A few `typeof`s on the hot path. @internal
 */
export function assertAttempt(attempt: RequestAttempt, origin: string, refuse = (message: string): Error => new OktaAuthError('INVALID_CONFIG', message)): void {
  const a = attempt as { [K in keyof RequestAttempt]?: unknown } | null;
  if (typeof a !== 'object' || a === null || typeof a.method !== 'string' || !isUrlLike(a.url) || !isSignalOrNone(a.signal) || (a.call !== undefined && typeof a.call !== 'number') || (a.fetch !== undefined && typeof a.fetch !== 'function')) {
    throw refuse('authorize(attempt) takes a request attempt { method, url: URL, signal?, call?, fetch? }.');
  }
  assertOrigin(attempt.url, origin);
}
