import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultSpec } from './faults.js';
import { formBody } from '../http/http-types.js';

/** How many requests {@link RequestLog} keeps: the last ones, the oldest dropped first (docs/ARCHITECTURE.md's table). */
export const REQUEST_LOG_ENTRIES = 500;

/** What a parameter whose value may be a secret shows instead of it. */
const REDACTED = '[redacted]';

/** How much of a parameter's value an entry keeps (a `scope` may be long): the rest is cut, `…` in its place. */
const MAX_VALUE_CHARACTERS = 256;

/**
 * A parameter whose value may be a secret: a token, code, assertion, secret, password or PKCE verifier; but a
 * name of a kind (`…_type`, `…_type_hint`: `client_assertion_type`'s fixed URN, `token_type_hint`) is none.
 */
const SECRET_NAME = /^(?![^]*_type(?:_hint)?$)[^]*(?:token|code|assertion|secret|password|verifier)/i;

/** The form fields an entry shows, none of them a secret. */
const FORM_FIELDS = ['grant_type', 'scope', 'client_id', 'client_assertion_type', 'response_type', 'token_type_hint', 'redirect_uri'];

/**
 * One request the org was sent, as {@link OktaEmulator.requests} lists it: no secret in it (a parameter that
 * may hold one shows `[redacted]`, the `Authorization` header its scheme alone, `DPoP` and `Cookie` whether sent).
 *
 * @example
 * ```ts
 * import { startEmulator, type RequestLogEntry } from '@org/okta-emulator';
 *
 * const org = await startEmulator();
 * const [entry]: RequestLogEntry[] = org.requests({ path: '/oauth2/v1/token' });
 * console.log(entry?.form?.grant_type, entry?.dpop, entry?.status);
 * ```
 * @see https://developer.okta.com/docs/reference/rate-limits/
 */
export interface RequestLogEntry {
  /** Its place in the log, from 1: `requests({ since })` lists those after it. */
  seq: number;
  /** When the org received it, on the org's clock (ISO 8601). */
  at: string;
  /** The request's method. */
  method: string;
  /** The request's path, without its query. */
  path: string;
  /** The query's parameters (the last of a repeated one), a secret's value `[redacted]`, each cut at 256 characters. */
  query: Record<string, string>;
  /** The `Authorization` header's scheme (`SSWS`, `Bearer`, `DPoP`, `Basic`), `''` for a value with none, or absent. */
  authorization?: string;
  /** Whether a `DPoP` header was sent. */
  dpop: boolean;
  /** Whether a `Cookie` header was sent. */
  cookie: boolean;
  /** The form's `grant_type`, `scope`, `client_id`, `client_assertion_type`, `response_type`, `token_type_hint`, `redirect_uri`, for a form body. */
  form?: Record<string, string>;
  /**
   * The client the org authenticated, at the token, revocation, introspection, device and PAR endpoints: from the
   * `Basic` header, the form's `client_id`, or the verified client assertion's `iss`/`sub` (private_key_jwt sends no
   * `client_id`, RFC 7523 §3); absent when none was (refused, or another endpoint).
   */
  clientId?: string;
  /** The fault that answered it (`injectFault`'s id and kind). */
  fault?: {
    /** The id `injectFault` returned. */
    id: string;
    /** The fault's kind. */
    kind: FaultSpec['kind'];
  };
  /** The status answered; absent when no answer was sent (a `drop` fault, or the client left first). */
  status?: number;
}

function shownParams(params: URLSearchParams, only?: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of params) {
    if (only !== undefined && !only.includes(name)) continue;
    out[name] = SECRET_NAME.test(name) ? REDACTED : value.length > MAX_VALUE_CHARACTERS ? `${value.slice(0, MAX_VALUE_CHARACTERS)}…` : value;
  }
  return out;
}

/** The org's last {@link REQUEST_LOG_ENTRIES} requests (the admin API's are not), for `org.requests()` and `GET /__emulator/requests`. */
export class RequestLog {
  readonly #entries: RequestLogEntry[] = [];
  #seq = 0;

  /** Logs a request (`body` a form or not), its status once `res` is sent; returns the entry, whose `fault` the server fills in. */
  add(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer, at: Date): RequestLogEntry {
    const h = req.headers;
    const form = formBody({ headers: h, body });
    const entry: RequestLogEntry = {
      seq: ++this.#seq,
      at: at.toISOString(),
      method: (req.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      query: shownParams(url.searchParams),
      // A scheme is a short word: a value with none (a bare token) shows ''.
      ...(h.authorization === undefined ? {} : { authorization: /^([A-Za-z]{1,20})\s/.exec(h.authorization)?.[1] ?? '' }),
      dpop: h.dpop !== undefined,
      cookie: h.cookie !== undefined,
      ...(form === undefined ? {} : { form: shownParams(form, FORM_FIELDS) }),
    };
    res.once('close', () => {
      if (res.headersSent) entry.status = res.statusCode;
    });
    this.#entries.push(entry);
    if (this.#entries.length > REQUEST_LOG_ENTRIES) this.#entries.shift();
    return entry;
  }

  /** The entries on `path` (all if unset) after the one numbered `since`, oldest first: copies. */
  list(path?: string, since = 0): RequestLogEntry[] {
    return this.#entries.filter((e) => e.seq > since && (path === undefined || e.path === path)).map((e) => structuredClone(e));
  }
}
