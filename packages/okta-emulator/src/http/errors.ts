import { randomToken } from '../state/ids.js';
import { jsonReply, type Reply } from './http-types.js';

/**
 * One entry of `errorCauses` in an Okta error body: its summary and, for the causes Okta details
 * (a password its policy refuses), `reason`, `location`, `locationType` and `domain`.
 */
export interface OktaErrorCause {
  errorSummary: string;
  reason?: string;
  location?: string;
  locationType?: string;
  domain?: string;
}

/** Okta's `/api/v1/*` error body. */
export interface OktaErrorBody {
  errorCode: string;
  errorSummary: string;
  errorLink: string;
  errorId: string;
  errorCauses: OktaErrorCause[];
}

/**
 * Summaries of the error codes the emulator answers with (Okta's error-code catalogue; E0000124/5 as OAS
 * `createUser`'s examples word them; E0000021 as Okta sent it, two spaces included: `okta/okta-sdk-python#309`).
 */
export const OKTA_ERROR_SUMMARIES = {
  E0000001: 'Api validation failed',
  E0000003: 'The request body was not well-formed.',
  E0000005: 'Invalid session',
  E0000006: 'You do not have permission to perform the requested action',
  E0000007: 'Not found',
  E0000009: 'Internal Server Error',
  E0000011: 'Invalid token provided',
  E0000016: 'Activation failed because the user is already active',
  E0000021: 'Bad request.  Accept and/or Content-Type headers likely do not match supported values.',
  E0000022: 'The endpoint does not support the provided HTTP method',
  E0000031: 'Invalid search criteria.',
  E0000032: 'Unlock is not allowed for this user.',
  E0000033: "Bad request. Can't specify a search query and filter in the same request.",
  E0000038: "This operation is not allowed in the user's current status.",
  E0000047: 'API call exceeded rate limit due to too many requests.',
  E0000053: 'Invalid SCIM filter.',
  E0000124: 'Could not create user. To create a user and expire their password immediately, a password must be specified.',
  E0000125: 'Could not create user. To create a user and expire their password immediately, `activate` must be true.',
  E0000149: 'The HTTP request is not acceptable.',
  E0000195: 'Api validation failed due to conflict',
  E0000215: 'This endpoint has been deprecated.',
  E0000231: "ETag value doesn't match.",
} as const;

export type OktaErrorCode = keyof typeof OKTA_ERROR_SUMMARIES;

/** Build Okta's error body; `errorLink` equals `errorCode`, as Okta currently does. */
export function oktaErrorBody(code: OktaErrorCode, summary?: string, causes: readonly (string | OktaErrorCause)[] = []): OktaErrorBody {
  return {
    errorCode: code,
    errorSummary: summary ?? OKTA_ERROR_SUMMARIES[code],
    errorLink: code,
    errorId: `oae${randomToken(15).replace(/[-_]/g, 'x')}`,
    errorCauses: causes.map((cause) => (typeof cause === 'string' ? { errorSummary: cause } : cause)),
  };
}

export function oktaError(
  status: number,
  code: OktaErrorCode,
  summary?: string,
  causes: readonly (string | OktaErrorCause)[] = [],
  headers: Record<string, string | string[]> = {},
): Reply {
  return jsonReply(status, oktaErrorBody(code, summary, causes), headers);
}

/** Okta's 404 `E0000007` for a missing resource, e.g. `notFound('00u1', 'User')`. */
export function notFound(id: string, resource: string): Reply {
  return oktaError(404, 'E0000007', `Not found: Resource not found: ${id} (${resource})`);
}

/** An RFC 6749 error from an `/oauth2/v1/*` endpoint. */
export function oauthError(
  status: number,
  error: string,
  description: string,
  headers: Record<string, string | string[]> = {},
): Reply {
  return jsonReply(
    status,
    { error, error_description: description },
    { 'Cache-Control': 'no-store', Pragma: 'no-cache', ...headers },
  );
}

/** Thrown inside handlers to answer with a ready-made reply. */
export class ReplyError extends Error {
  constructor(readonly reply: Reply) {
    super(`reply ${reply.status}`);
    this.name = 'ReplyError';
  }
}

/** Thrown by OAuth endpoint code: an RFC 6749 error with its status and extra headers. */
export class OAuthFailure extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(`${error}: ${description}`);
    this.name = 'OAuthFailure';
  }

  toReply(): Reply {
    return oauthError(this.status, this.error, this.description, this.headers);
  }
}

/** Runs an OAuth endpoint's handler, answering an {@link OAuthFailure} it throws as its RFC 6749 error. */
export async function answeringOAuthFailures(handler: () => Promise<Reply>): Promise<Reply> {
  try {
    return await handler();
  } catch (e) {
    if (e instanceof OAuthFailure) return e.toReply();
    throw e;
  }
}

/**
 * 400 `E0000001` for a user or group past the emulator's cap (`STORE_CAPS`, `state/store.ts`). Okta
 * documents no such cap [I: its validation error, the cause saying what to do].
 */
export function orgFull(kind: 'user' | 'group' | 'resource set', cap: number): Reply {
  return oktaError(400, 'E0000001', `Api validation failed: ${kind}`, [
    `${kind}: The emulated org holds at most ${cap} ${kind}s (kept in memory): delete some before creating more, or start another org`,
  ]);
}

/**
 * 413 for a body over `MAX_BODY` (1 MiB, `http/read-body.ts`), in the error shape of the path's API, and the connection closed
 * so the rest of the body is never read. Okta documents neither its limit nor this answer [I].
 */
export function tooLarge(path: string): Reply {
  const close = { Connection: 'close' };
  const summary = 'The request body is larger than 1 MiB.';
  return path.startsWith('/oauth2/') ? oauthError(413, 'invalid_request', summary, close) : oktaError(413, 'E0000003', summary, [], close);
}

/** CAT3's `server_error` (500), the OAuth catalogue's one error for a failure of Okta's own. */
const SERVER_ERROR = 'The authorization server encountered an unexpected condition that prevented it from fulfilling the request.';

/**
 * CAT3's generic entry for a 4xx (`internalErrorCode` equal to `errorCode`): `invalid_request` 400,
 * `invalid_client` 401, `access_denied` 403.
 */
const INVALID_REQUEST = ['invalid_request', 'Invalid request'] as const;
const OAUTH_4XX: Readonly<Record<number, readonly [string, string]>> = {
  400: INVALID_REQUEST,
  401: ['invalid_client', 'Client authentication failed. Either the client or the client credentials are invalid.'],
  403: ['access_denied', 'The resource owner or authorization server denied the request.'],
};

/**
 * The RFC 6749 `error` and `error_description` of CAT3's generic entry for a 4xx ({@link OAUTH_4XX}); another 4xx
 * (no entry) is the 400's, `invalid_request` "Invalid request" [I]. The one source of that wording.
 */
export function oauthGenericError(status: number): readonly [error: string, description: string] {
  return OAUTH_4XX[status] ?? INVALID_REQUEST;
}

/**
 * EC's generic entry for a 4xx of the management API (FIDELITY FA5): 400 `E0000001` (its "fairly general" validation
 * error), 401 `E0000011` (an API token's refusal; a 401 fault is the route's own, `managementFault`), 403 `E0000006`
 * (as a token without the admin right is refused), 406 `E0000149`, 409 `E0000195` ("API conflict"), 410 `E0000215`
 * ("API endpoint no longer available"), 412 `E0000231` (EC's only 412). Another 4xx (EC has none, or only a feature's:
 * 414 a response header, 422 email templates, 423 a user or factor) is the 400's `E0000001` [I].
 */
const OKTA_4XX: Readonly<Record<number, OktaErrorCode>> = {
  400: 'E0000001',
  401: 'E0000011',
  403: 'E0000006',
  406: 'E0000149',
  409: 'E0000195',
  410: 'E0000215',
  412: 'E0000231',
};

/**
 * The answer of a `status` fault given no `body`: Okta's error for the status in the path's API
 * (FIDELITY.md FA1–FA3). On any path: 429 `E0000047` (as the org's rate limit answers), 404
 * `E0000007` and 405 `E0000022` (as the org answers an unknown path or a wrong method [I]).
 * `/oauth2/*`: RFC 6749 JSON, `server_error` for every 5xx (CAT3 gives it to 500; its only 5xx
 * error [I]), CAT3's generic error for a 4xx ({@link oauthGenericError}). Elsewhere Okta's error body by EC:
 * a 4xx EC's generic entry for it ({@link OKTA_4XX}, FA5); a 5xx `E0000009` (EC's 500; no generic 502, 503
 * or 504 entry [I]: its one 503 not tied to a feature, `E0000010`, is a read-only database's, which a
 * fault does not mean). The request decides two answers before this one: a 400, 401 or 403 at `/userinfo` is the route's own refusal (`userinfoFault`, FA4), a 401
 * on a management path the org's refusal of a bad token in the request's scheme (`managementFault`, FA5).
 */
export function faultError(status: number, path: string): Reply {
  if (status === 429) return oktaError(429, 'E0000047');
  if (status === 404) return notFound(path, 'Resource');
  if (status === 405) return oktaError(405, 'E0000022');
  if (path.startsWith('/oauth2/') && status >= 500) return oauthError(status, 'server_error', SERVER_ERROR);
  if (path.startsWith('/oauth2/') && status >= 400) return oauthError(status, ...oauthGenericError(status));
  if (status >= 400 && status < 500) return oktaError(status, OKTA_4XX[status] ?? 'E0000001');
  return oktaError(status, 'E0000009');
}

/** The HTML page of a `html` fault: what a proxy in front of the org answers. */
export function errorPage(status: number): string {
  return `<!DOCTYPE html>
<html><head><title>${status} Error</title></head>
<body><h1>${status} ${status === 502 ? 'Bad Gateway' : status === 504 ? 'Gateway Timeout' : 'Service Unavailable'}</h1>
<p>The server encountered a temporary error and could not complete your request.</p></body></html>
`;
}
