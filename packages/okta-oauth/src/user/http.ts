import { executeOktaRequest, type AttemptContext, type OktaTransportOptions } from '@org/okta-auth-core';
import { OktaSignInError } from './errors.js';

/** Transport options shared by every HTTP call the sign-in client makes, bound to the org origin. @internal */
export interface HttpOptions extends OktaTransportOptions {
  /** The org origin every request must go to. */
  readonly origin: string;
}

/**
 * Sends one request to the org through the core executor: the request is
 * rebuilt for every attempt (fresh client assertion and DPoP proof), 429s
 * wait for Okta's reset, redirects are refused, other origins are refused,
 * and HTTP errors come back as responses for OAuth error parsing.
 * @internal
 */
export function send(
  options: HttpOptions,
  build: (attempt: AttemptContext) => Promise<Request> | Request,
  signal?: AbortSignal,
): Promise<Response> {
  return executeOktaRequest(async (attempt) => build(attempt), { ...options, throwHttpErrors: false, ...(signal ? { signal } : {}) });
}

/** A plain JSON object read from a response. @internal */
export type JsonObject = Readonly<Record<string, unknown>>;

/** Reads a response body as a JSON object, or `undefined` when it is not one. @internal */
export async function readJsonObject(response: Response): Promise<JsonObject | undefined> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}

/** Reads a successful JSON answer, or throws `INVALID_RESPONSE`. @internal */
export async function expectJsonObject(response: Response, what: string): Promise<JsonObject> {
  const body = await readJsonObject(response);
  if (body === undefined) {
    throw new OktaSignInError('INVALID_RESPONSE', `Okta's answer from ${what} is not a JSON object (HTTP ${response.status}).`, {
      status: response.status,
    });
  }
  return body;
}

function stripControl(value: string): string {
  let out = '';
  for (const char of value) {
    const code = char.charCodeAt(0);
    out += code < 0x20 || code === 0x7f ? ' ' : char;
  }
  return out;
}

/** The RFC 6749 §5.2 error fields of an error body, with control characters stripped. @internal */
export function oauthErrorFields(body: JsonObject | undefined): { error: string | undefined; description: string | undefined } {
  const clean = (value: unknown) =>
    typeof value === 'string' && value !== '' ? stripControl(value).slice(0, 500) : undefined;
  return { error: clean(body?.error), description: clean(body?.error_description) };
}

/**
 * Builds an `OAUTH_ERROR` (or the given code) from an OAuth endpoint's error
 * answer. The body is consumed. @internal
 */
export async function oauthErrorFromResponse(
  response: Response,
  what: string,
  code: 'OAUTH_ERROR' = 'OAUTH_ERROR',
  secrets: readonly string[] = [],
): Promise<OktaSignInError> {
  const requestId = response.headers.get('x-okta-request-id') ?? undefined;
  const body = await readJsonObject(response);
  const { error, description } = oauthErrorFields(body);
  let detail = description ?? 'no description';
  for (const secret of secrets) if (secret.length >= 8) detail = detail.split(secret).join('[redacted]');
  if (error === undefined) {
    return new OktaSignInError(code, `Okta's ${what} answered HTTP ${response.status} without an OAuth error.`, {
      status: response.status,
      requestId,
    });
  }
  return new OktaSignInError(code, `Okta's ${what} refused the request: ${error} (${detail}).`, {
    status: response.status,
    requestId,
    error,
    error_description: description,
  });
}

/** A form POST to an OAuth endpoint. @internal */
export function formPost(url: URL, body: URLSearchParams, headers: Headers, signal: AbortSignal | undefined): Request {
  headers.set('content-type', 'application/x-www-form-urlencoded');
  headers.set('accept', 'application/json');
  return new Request(url, { method: 'POST', body, headers, redirect: 'manual', ...(signal ? { signal } : {}) });
}
