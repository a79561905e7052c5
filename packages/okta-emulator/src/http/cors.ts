import type { IncomingHttpHeaders } from 'node:http';

export const CORS_ALLOW_HEADERS = 'authorization, dpop, content-type, accept, x-okta-user-agent-extended';
export const CORS_EXPOSE_HEADERS =
  'link, x-okta-request-id, x-rate-limit-limit, x-rate-limit-remaining, x-rate-limit-reset, dpop-nonce, www-authenticate, date';

/** CORS headers for a response to `headers.origin` (none when the request has no `Origin`). */
export function corsHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const origin = headers.origin;
  if (origin === undefined || origin === '') return {};
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Expose-Headers': CORS_EXPOSE_HEADERS,
    Vary: 'Origin',
  };
}

/** Extra headers answering a preflight. */
export function preflightHeaders(): Record<string, string> {
  return {
    'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE, OPTIONS',
    'Access-Control-Allow-Headers': CORS_ALLOW_HEADERS,
    'Access-Control-Max-Age': '600',
  };
}
