import type { OktaTransportOptions, Secret } from '@org/okta-auth-core';
import { answerRequestId, executeOktaRequest, readAnswerText, scrubAnswer, type AttemptContext } from '@org/okta-auth-core/internal';
import { readAnswer } from '../internal/read-answer.js';
import type { ClientContext } from './context.js';
import { OktaSignInError } from './errors.js';
import type { OktaOAuthError } from '../errors.js';
import { endpointFailure, failureFields } from '../token-endpoint/endpoint-failure.js';
import { rateLimitedError, readRateLimited } from '../token-endpoint/rate-limited.js';
import { oauthHint, readOAuthError, type OAuthErrorContext } from '../token-endpoint/token-error.js';

/** The most of a successful answer (discovery, JWKS, introspection, device authorization) that is read: 1 MiB. */
const maxAnswerBytes = 1024 * 1024;

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
function send(
  options: HttpOptions,
  build: (attempt: AttemptContext) => Promise<Request> | Request,
  signal?: AbortSignal,
  secrets?: () => Iterable<string>,
): Promise<Response> {
  return executeOktaRequest(async (attempt) => build(attempt), { ...options, throwHttpErrors: false, signal, secrets });
}

/**
 * GETs a JSON object from the org (discovery, JWKS): a 429 past core's retries is `RATE_LIMITED`
 * (the one builder, `rateLimitedError`), any other non-2xx answer `code` ("Okta answered HTTP
 * <status> for <what>."), a body that is not a JSON object `INVALID_RESPONSE`. @internal
 */
export async function getJsonObject<T = JsonObject>(http: HttpOptions, url: URL, what: string, code: 'DISCOVERY_FAILED' | 'INVALID_RESPONSE', check?: JsonCheck<T>): Promise<T> {
  const response = await send(http, ({ signal }) => new Request(url, { headers: { accept: 'application/json' }, redirect: 'manual', signal }));
  return readAnswer(response, async () => {
    if (!response.ok) {
      await response.body?.cancel();
      if (response.status === 429) throw rateLimitedError({ status: 429, requestId: answerRequestId(response), origin: url.origin, ...readRateLimited(response) }, `Okta, asked for ${what},`);
      throw new OktaSignInError(code, `Okta answered HTTP ${response.status} for ${what}.`, { status: response.status });
    }
    return jsonObject(response, what, check);
  });
}

/** A plain JSON object read from a response. @internal */
export type JsonObject = Readonly<Record<string, unknown>>;

/** The caller's reading of a JSON answer's fields: given the object and its text as it came (to look for echoed secrets in). @internal */
export type JsonCheck<T> = (body: JsonObject, text: string) => T;

/** Reads at most `maxBytes` of a body (core's bounded reader) and parses a JSON object from it. */
async function readJson(response: Response, maxBytes: number): Promise<{ readonly body: JsonObject | undefined; readonly text: string; readonly truncated: boolean }> {
  const { text, truncated } = await readAnswerText(response, maxBytes);
  let value: unknown;
  try {
    value = truncated || text === '' ? undefined : JSON.parse(text);
  } catch {
    // Not JSON: no object.
  }
  return { body: typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined, text, truncated };
}

/** A successful JSON answer (not a JSON object: `INVALID_RESPONSE`), as `check`, the caller's reading of its fields, makes it. */
async function jsonObject<T>(response: Response, what: string, check: JsonCheck<T> = (body) => body as T): Promise<T> {
  const { body, text, truncated } = await readJson(response, maxAnswerBytes);
  if (body === undefined) {
    const why = truncated ? `is larger than ${maxAnswerBytes / 1024 / 1024} MiB` : 'is not a JSON object';
    throw new OktaSignInError('INVALID_RESPONSE', `Okta's answer from ${what} ${why} (HTTP ${response.status}).`, {
      status: response.status,
      requestId: answerRequestId(response),
    });
  }
  return check(body, text);
}

/**
 * Reads a successful JSON answer (not a JSON object: `INVALID_RESPONSE`) and returns what `check`,
 * the caller's reading of its fields, makes of it. Whatever either throws (a read that fails, a
 * field refused) ends the attempt's log first, as a refused answer's does (`readAnswer`).
 * @internal
 */
export function expectJsonObject<T = JsonObject>(response: Response, what: string, check?: JsonCheck<T>): Promise<T> {
  return readAnswer(response, () => jsonObject(response, what, check));
}

/**
 * Builds the error of an OAuth endpoint's error answer: a 429 (past core's retries) the one
 * `RATE_LIMITED` (`rateLimitedError`, naming the endpoint), any other `OAUTH_ERROR`; read by the one OAuth error
 * reader (`readOAuthError`: at most 64 KiB of the body, an OAuth or Okta error shape or what the
 * body was instead), every field (`error`, `error_description`, `requestId`) and so the message
 * scrubbed with the secrets of the attempt that got the answer (its `Authorization`, the decoded
 * `id:secret`, the `token` and client assertion of its form) plus `secrets`; the hint is the token
 * endpoint's (`oauthHint`, by the client's own values in `context`).
 */
async function oauthErrorFromResponse(response: Response, { what, after5xx, endpoint }: OAuthForm, secrets: readonly string[], context: OAuthErrorContext): Promise<OktaOAuthError> {
  // The one reader of OAuth error answers, the token endpoint's (token-error.ts).
  const body = await readOAuthError(response, secrets, endpoint);
  const { status, error, description } = body;
  // Every error's fields are `failureFields`, the token endpoint's; a 429's keeps its rateLimit and wait beside them.
  if (status === 429) return rateLimitedError(failureFields(body), `Okta's ${what}`);
  // The one message of every OAuth endpoint, the token endpoint's: a 5xx is Okta not answering (sent once), not a refusal.
  return new OktaSignInError('OAUTH_ERROR', endpointFailure(what, 'the request', body, oauthHint(error, context, description), after5xx), failureFields(body));
}

/** What {@link postOAuthForm} needs of a client: a sign-in client's context, or an OIN credential's parts (`withRevoke`). @internal */
export type OAuthFormContext = Pick<ClientContext, 'http' | 'clientAuth' | 'clock' | 'clientId' | 'hints' | 'dpop'>;

/** What {@link postOAuthForm} sends. @internal */
export interface OAuthForm {
  /** The endpoint, from discovery (on the org origin). */
  readonly endpoint: URL;
  /** Named in errors: "Okta's <what> refused the request (<status> <error>): …" (a 5xx: "could not answer"; `endpointFailure`). */
  readonly what: string;
  /** What a 5xx's message ends with, if not `endpointFailure`'s "It was sent once, not again: try again later." */
  readonly after5xx?: string | undefined;
  /** The token revoked or introspected, sent as `token` (RFC 7009 §2.1, RFC 7662 §2.1) and scrubbed from every error. */
  readonly token?: Secret | undefined;
  /** The form's other parameters (`token_type_hint`, `scope`…): not secrets. */
  readonly params: Readonly<Record<string, string>>;
  /** Set after client authentication: Okta's device authorization wants `client_id` in the body whatever the method. */
  readonly clientIdInBody?: boolean;
  /** Aborts the request, retries included. */
  readonly signal?: AbortSignal | undefined;
  /** The grant the endpoint starts (device authorization: the device_code grant), for the error's hint. */
  readonly grantType?: string | undefined;
}

/**
 * The one form POST with client authentication to an OAuth endpoint of the sign-in client
 * (revocation, RFC 7009; introspection, RFC 7662; device authorization, RFC 8628): each attempt
 * builds its form afresh and is authenticated by the client's method (a new client assertion
 * per attempt), 429s wait, redirects and other origins are refused; a 429 past the retries is
 * `RATE_LIMITED` (as the token endpoint's), any other non-2xx answer `OAUTH_ERROR`, scrubbed with the attempt's secrets (core lists its headers and secret form
 * fields), the token and the client's own secrets. The token endpoint has its own pipeline
 * (`token-endpoint.ts`: DPoP proofs, the nonce and clock retries, the token answer's checks).
 * @internal
 */
export async function postOAuthForm(ctx: OAuthFormContext, form: OAuthForm): Promise<Response> {
  const { endpoint } = form;
  // Earlier attempts' client assertions are core's (each answer's list holds the call's earlier attempts').
  const secrets = (): string[] => [...(form.token === undefined ? [] : [form.token.reveal()]), ...ctx.clientAuth.secrets()];
  const response = await send(
    ctx.http,
    async ({ signal }) => {
      const body = new URLSearchParams(form.token === undefined ? form.params : { token: form.token.reveal(), ...form.params });
      const headers = new Headers();
      await ctx.clientAuth.apply({ endpoint, body, headers, nowSeconds: ctx.clock.nowSeconds(), signal });
      if (form.clientIdInBody === true) body.set('client_id', ctx.clientId);
      headers.set('content-type', 'application/x-www-form-urlencoded');
      headers.set('accept', 'application/json');
      return new Request(endpoint, { method: 'POST', body, headers, redirect: 'manual', signal });
    },
    form.signal,
    // What core cannot find in the attempt (a client_secret_jwt secret is never sent): for its log events too.
    secrets,
  );
  return readAnswer(response, async () => {
    if (!response.ok) throw await oauthErrorFromResponse(response, form, secrets(), { ...ctx, grantType: form.grantType, scope: form.params.scope });
    return response;
  });
}

/**
 * Whether `text` of an answer of {@link postOAuthForm}, the token endpoint or UserInfo carries a
 * secret of the request that got it: core's one scrubber (`scrubAnswer`) would change it with the
 * attempt's secrets (its `Authorization` and DPoP proof, the form's `client_secret`,
 * `client_assertion`, code, verifier or refresh token, the answer's tokens) and the client's own
 * (`clientAuth.secrets()`: a `client_secret_jwt` secret is never sent). For what an answer hands to
 * the user or the app (PAR's `request_uri`, the device answer's `user_code` and verification URIs,
 * ID token and UserInfo claims): refused, never quoted. @internal
 */
export function carriesRequestSecret(ctx: Pick<ClientContext, 'clientAuth'>, response: Response, text: string): boolean {
  return scrubAnswer(response, text, ctx.clientAuth.secrets()) !== text;
}
