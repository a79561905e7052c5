import type { IncomingHttpHeaders } from 'node:http';
import { jsonReply, type Reply } from './http-types.js';

export const CORS_ALLOW_HEADERS = 'authorization, dpop, content-type, accept, x-okta-user-agent-extended';
export const CORS_EXPOSE_HEADERS =
  'link, x-okta-request-id, x-rate-limit-limit, x-rate-limit-remaining, x-rate-limit-reset, dpop-nonce, www-authenticate, date';

/** What a browser may read at any origin, trusted or not: the org's keys and discovery documents [I: FIDELITY CO3]. */
const openToAnyOrigin = /^\/(?:\.well-known\/|oauth2\/v1\/keys$)/;

/** A page on this machine (`http://127.0.0.1:5173`, `http://localhost:3000`, `http://[::1]:8080`): a host name only loopback answers. */
const loopbackOrigin = /^https?:\/\/(?:127(?:\.\d{1,3}){3}|localhost|\[::1\])(?::\d{1,5})?$/;

/**
 * Whether the org answers CORS for `origin` at `path`: no `Origin` (not a browser's cross-origin
 * call), no `trustedOrigins` option (any origin, the emulator's default), the org's own origin, a
 * Trusted Origin (CORS scope), or a path open to any origin. The one reading of the option
 * (FIDELITY CO1–CO4).
 */
export function originTrusted(trusted: ReadonlySet<string> | undefined, orgUrl: string, path: string, origin: string | undefined): boolean {
  if (origin === undefined || origin === '' || trusted === undefined || trusted.has(origin)) return true;
  return origin === new URL(orgUrl).origin || openToAnyOrigin.test(path);
}

/**
 * Whether a request may use the emulator's controls (`/__emulator/…`, unauthenticated: they mint API
 * tokens, apps and keys): one without `Origin` (a server, curl, a test), or a page on a loopback origin,
 * the org's own origin or a Trusted Origin. Not any origin, even without `trustedOrigins`: any site the
 * developer visits while the emulator runs could otherwise read what they mint (CORS), or inject faults
 * and move the clock blind (a form-like POST needs no preflight). `Origin: null` (a sandboxed frame, a
 * `file:` page) is none of these.
 */
export function adminOriginAllowed(trusted: ReadonlySet<string> | undefined, orgUrl: string, origin: string | undefined): boolean {
  if (origin === undefined || origin === '' || loopbackOrigin.test(origin) || trusted?.has(origin) === true) return true;
  return origin === new URL(orgUrl).origin;
}

/** A control called from a page it does not serve ({@link adminOriginAllowed}): nothing done. */
export function forbiddenOrigin(): Reply {
  return jsonReply(403, {
    error: "The emulator's controls (/__emulator/…) answer a server, a page on 127.0.0.1, localhost or [::1], the org's own origin or a Trusted Origin, not this page's origin: add it to trustedOrigins, or call them from the test's own process.",
    code: 'FORBIDDEN_ORIGIN',
  });
}

/** CORS headers for a response to `headers.origin` (none when the request has no `Origin`, or the origin is not `trusted`). */
export function corsHeaders(headers: IncomingHttpHeaders, trusted = true): Record<string, string> {
  const origin = headers.origin;
  if (origin === undefined || origin === '' || !trusted) return {};
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Expose-Headers': CORS_EXPOSE_HEADERS,
    Vary: 'Origin',
  };
}

/** Extra headers answering a preflight (none for an origin that is not `trusted`: the browser refuses the call). */
export function preflightHeaders(trusted = true): Record<string, string> {
  if (!trusted) return {};
  return {
    'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE, OPTIONS',
    'Access-Control-Allow-Headers': CORS_ALLOW_HEADERS,
    'Access-Control-Max-Age': '600',
  };
}
