import type { IncomingHttpHeaders } from 'node:http';

/** A parsed request as the route handlers see it. */
export interface EmuRequest {
  readonly method: string;
  /** The full request URL, on the org's origin. */
  readonly url: URL;
  /** The raw (still percent-encoded) path, without the query. */
  readonly rawPath: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly requestId: string;
  /** The client's IP address, as the socket saw it. */
  readonly remoteAddress?: string | undefined;
  /** Route parameters, percent-decoded. */
  params: Record<string, string>;
  /** The client `authenticateClient` authenticated (its id), which the request log shows: no secret. */
  clientId?: string;
}

/** What a route handler answers; the server writes it out (and faults may mangle it). */
export interface Reply {
  status: number;
  headers: Record<string, string | string[]>;
  body: string | Buffer;
}

export type Handler = (req: EmuRequest) => Reply | Promise<Reply>;

export function jsonReply(status: number, body: unknown, headers: Record<string, string | string[]> = {}): Reply {
  return {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

export function htmlReply(status: number, html: string, headers: Record<string, string | string[]> = {}): Reply {
  return { status, headers: { 'Content-Type': 'text/html; charset=utf-8', ...headers }, body: html };
}

export function emptyReply(status: number, headers: Record<string, string | string[]> = {}): Reply {
  return { status, headers, body: '' };
}

export function redirectReply(location: string, headers: Record<string, string | string[]> = {}): Reply {
  return { status: 302, headers: { Location: location, ...headers }, body: '' };
}

/** A single header value (the first one if repeated). */
export function header(req: Pick<EmuRequest, 'headers'>, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** What a request whose body is not a form ({@link formBody}) is told, at the OAuth endpoints and on the sign-in pages. */
export const NOT_A_FORM = "The request must be sent with Content-Type 'application/x-www-form-urlencoded'.";

/**
 * Parse an `application/x-www-form-urlencoded` body, or `undefined` if the media type is another: compared
 * whole, without case, parameters such as `; charset=UTF-8` allowed (a prefix let `…-urlencodedX` pass).
 * The one check: the OAuth endpoints (`requireForm`) and the sign-in pages (`pageForm`) refuse `undefined`
 * with {@link NOT_A_FORM}, never read it as an empty form.
 */
export function formBody(req: Pick<EmuRequest, 'headers' | 'body'>): URLSearchParams | undefined {
  const type = header(req, 'content-type') ?? '';
  if (type.split(';', 1)[0]?.trim().toLowerCase() !== 'application/x-www-form-urlencoded') return undefined;
  return new URLSearchParams(req.body.toString('utf8'));
}

/**
 * The names sent more than once in `params`: RFC 6749 §3.1 "Request and response parameters MUST NOT be
 * included more than once", which Okta refuses (catalogue `illegal_duplicated_parameters`).
 */
export function repeatedNames(params: URLSearchParams): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const name of params.keys()) (seen.has(name) ? repeated : seen).add(name);
  return [...repeated];
}

/**
 * The deepest nesting of arrays and objects a JSON body may have. Okta documents none [I: Jackson's default
 * `maxNestingDepth`]; without one, a value JSON.parse takes but JSON.stringify cannot (a 100,000-deep
 * profile attribute) was stored, and every answer that listed it was a 500.
 */
const MAX_JSON_DEPTH = 1000;

function nestedAtMost(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '[' || c === '{') {
      if (++depth > max) return false;
    } else if (c === ']' || c === '}') depth--;
  }
  return true;
}

/** Parse a JSON body; `undefined` when empty, `null`-prototype-free plain value otherwise. Throws on bad JSON, and on JSON nested deeper than {@link MAX_JSON_DEPTH}. */
export function jsonBody(req: EmuRequest): unknown {
  const text = req.body.toString('utf8').trim();
  if (text === '') return undefined;
  if (!nestedAtMost(text, MAX_JSON_DEPTH)) throw new SyntaxError(`JSON nested deeper than ${MAX_JSON_DEPTH}`);
  return JSON.parse(text) as unknown;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `obj[key]` when it is a JSON object, else `{}` (the lenient read of Okta's nested bodies such as `profile`). */
export function recordAt(obj: unknown, key: string): Record<string, unknown> {
  const v = isRecord(obj) ? obj[key] : undefined;
  return isRecord(v) ? v : {};
}
