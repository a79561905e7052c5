import type { IncomingHttpHeaders } from 'node:http';

export const CORS_ALLOW_HEADERS = 'authorization, dpop, content-type, accept, x-okta-user-agent-extended';
export const CORS_EXPOSE_HEADERS =
  'link, x-okta-request-id, x-rate-limit-limit, x-rate-limit-remaining, x-rate-limit-reset, dpop-nonce, www-authenticate, date';

/** What a browser may read at any origin, trusted or not: the org's keys and discovery documents [I: FIDELITY CO3]. */
const openToAnyOrigin = /^\/(?:\.well-known\/|oauth2\/v1\/keys$|__emulator\/)/;

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
