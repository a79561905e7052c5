import { Secret } from '@org/okta-auth-core';
import { answerRequestId, answerSecrets, isScopeList, maxScopeLength, printable, readAnswerText, recordAnswerSecrets, scrubAnswer } from '@org/okta-auth-core/internal';
import { OktaOAuthError } from '../errors.js';

/** A token endpoint answer that passed every check. @internal */
export interface TokenResponse {
  readonly accessToken: Secret;
  /** Normalised from the case-insensitive `token_type`. */
  readonly tokenType: 'Bearer' | 'DPoP';
  /** Lifetime in seconds, as `expires_in` said. */
  readonly expiresIn: number;
  /** Granted scopes, as Okta listed them (may be fewer than requested). */
  readonly scope: string | undefined;
  readonly refreshToken: Secret | undefined;
  readonly idToken: Secret | undefined;
}

/** The most of a token answer that is read (three tokens with large claims fit many times over). */
const maxTokenAnswerBytes = 1024 * 1024;

/** Tokens longer-lived than this are not believable for Okta (its tokens last 5 min to 1 day). */
const maximumLifetimeSeconds = 366 * 24 * 3600;
/** Shorter-lived tokens would be renewed on (nearly) every call: a token request per request. */
const minimumLifetimeSeconds = 1;
/** The longest access token accepted: far above Okta's (a few KiB), below what servers take in a header. */
const maxAccessTokenLength = 65_536;

/**
 * Whether a token can be sent: printable ASCII without spaces (an access token goes in
 * `Authorization`, a refresh token in a form), at most 64 KiB. The one rule for every token of a
 * token answer and for a stored entry. @internal
 */
export function isSendableToken(value: unknown): value is string {
  return typeof value === 'string' && value.length <= maxAccessTokenLength && /^[\x21-\x7E]+$/.test(value);
}

/**
 * Whether a granted `scope` is RFC 6749 §3.3's syntax and at most 8192 characters (blank counts as
 * none): core's one rule (`isScopeList`). It is shown in hints and `UserTokens`. @internal
 */
export function isGrantedScope(value: string): boolean {
  return value.trim() === '' || isScopeList(value);
}

/** Whether a lifetime in ms is one a token answer can give (1 s to 366 days). @internal */
export function isTokenLifetimeMs(value: unknown): value is number {
  return typeof value === 'number' && value >= minimumLifetimeSeconds * 1000 && value <= maximumLifetimeSeconds * 1000;
}

/**
 * Whether an expiry (epoch ms) is one a token answer can give: finite and at most 366 days after
 * `nowMs` (a past one is an expired token, renewed on first use). Stored tokens' rule. @internal
 */
export function isTokenExpiry(value: unknown, nowMs: number): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value <= nowMs + maximumLifetimeSeconds * 1000;
}

/**
 * The fields a store entry and stored user tokens share, by the token answer's rules: a sendable
 * access token, `Bearer` or `DPoP`, a granted scope's syntax, and for DPoP tokens only, a key
 * thumbprint (`dpopJkt`, RFC 7638 SHA-256: 43 base64url characters) or none (stored before it was
 * recorded); the expiry is each caller's: required in an entry, optional in stored tokens. The one
 * check for what was written by others. @internal
 */
export function isTokenRecord(
  value: unknown,
): value is { accessToken: string; tokenType: 'Bearer' | 'DPoP'; scope?: string; dpopJkt?: string; [field: string]: unknown } {
  // Any other value (null, a string) has no sendable access token.
  const v = value as Record<string, unknown> | null | undefined;
  return (
    isSendableToken(v?.accessToken) &&
    (v.tokenType === 'Bearer' || v.tokenType === 'DPoP') &&
    (v.scope === undefined || (typeof v.scope === 'string' && isGrantedScope(v.scope))) &&
    isDpopJkt(v.tokenType, v.dpopJkt)
  );
}

/** A token record's key thumbprint: none, or on DPoP tokens only, 43 base64url characters (RFC 7638 SHA-256). @internal */
export function isDpopJkt(tokenType: unknown, jkt: unknown): boolean {
  return jkt === undefined || (tokenType === 'DPoP' && typeof jkt === 'string' && /^[\w-]{43}$/.test(jkt));
}

/**
 * The error for an unusable answer: message and request id scrubbed with core's one list of the
 * answer's secrets (`answerSecrets`: those of the attempt that got it, for an echoing
 * `Content-Type` or `X-Okta-Request-Id`, and the answer's own tokens once {@link parseTokenResponse}
 * read them, for a refusal after the body was read: its `token_type`, the DPoP part's) and
 * `attemptSecrets`, the client's own. @internal
 */
export function invalidTokenAnswer(
  message: string,
  response: Response,
  attemptSecrets: readonly string[] = [],
  code: 'INVALID_TOKEN_RESPONSE' | 'DPOP_NOT_BOUND' = 'INVALID_TOKEN_RESPONSE',
): OktaOAuthError {
  const text = code === 'DPOP_NOT_BOUND' ? message : `Okta's token endpoint answered ${response.status} but ${message}; nothing was cached.`;
  return new OktaOAuthError(code, scrubAnswer(response, text, attemptSecrets), {
    status: response.status,
    requestId: answerRequestId(response, attemptSecrets),
  });
}

function readExpiresIn(value: unknown, invalid: (message: string) => OktaOAuthError): number {
  let seconds: number;
  if (typeof value === 'number') seconds = value;
  else if (typeof value === 'string' && /^\d{1,9}$/.test(value.trim())) seconds = Number(value.trim());
  else if (value === undefined || value === null) throw invalid('without "expires_in", so the token\'s lifetime is unknown');
  else throw invalid(`with an "expires_in" that is not a number (${typeof value})`);
  if (!Number.isFinite(seconds) || seconds < minimumLifetimeSeconds || seconds > maximumLifetimeSeconds) {
    throw invalid(`with an unusable "expires_in" (${String(seconds)} s; accepted: ${minimumLifetimeSeconds} s to ${maximumLifetimeSeconds} s)`);
  }
  return seconds;
}

/**
 * Reads a 2xx token endpoint answer (RFC 6749 §5.1) and refuses anything that is not a usable
 * token: a body that is not a JSON object, a missing or empty `access_token`, a `token_type`
 * other than Bearer/DPoP (compared without regard to case), a missing, non-numeric, zero,
 * negative, sub-second or absurd (over 366 days) `expires_in`, a `scope` that is not RFC 6749
 * §3.3's syntax (control characters, quotes), is over 8192 characters or is present but not a string
 * (`null`, a number, an object: refused, not read as none), an `access_token`,
 * `refresh_token` or `id_token` that is not a string of printable ASCII of 1 B to 64 KiB
 * ({@link isSendableToken}; a present `refresh_token` or `id_token` too: `null`, a number or `""` is
 * refused, not read as none).
 * Never puts the body in a message.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 * @internal
 */
export async function parseTokenResponse(response: Response, secrets: readonly string[] = []): Promise<TokenResponse> {
  const refuse = (message: string): OktaOAuthError => invalidTokenAnswer(message, response, secrets);
  let text: string;
  let truncated: boolean;
  try {
    ({ text, truncated } = await readAnswerText(response, maxTokenAnswerBytes));
  } catch (error) {
    // A stalled body is TIMEOUT (or ABORTED); a connection closed early is an unusable answer.
    if ((error as { code?: unknown }).code !== 'NETWORK_ERROR') throw error;
    throw refuse('the body could not be read (the connection closed early)');
  }
  if (truncated) throw refuse(`with a body larger than ${maxTokenAnswerBytes / 1024 / 1024} MiB`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // Scrubbed of the answer's secrets before it is cut (no cut splits one) by core's one cleaner.
    const type = printable((response.headers.get('content-type') ?? 'no content type').split(';')[0] ?? '', [...answerSecrets(response), ...secrets], 60);
    throw refuse(`with a body that is not JSON (${type}, ${text.length} bytes)`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw refuse('with JSON that is not an object');
  const fields = body as Record<string, unknown>;
  // Every value the answer echoes (a field quoted, its request id, the scope kept) may carry its own tokens:
  // they join core's one list of the answer's secrets, which every reading of the answer scrubs with.
  recordAnswerSecrets(response, [fields.access_token, fields.refresh_token, fields.id_token].filter((value): value is string => typeof value === 'string'));
  const accessToken = fields.access_token;
  if (typeof accessToken !== 'string' || accessToken.trim() === '') throw refuse('without an "access_token"');
  // Every token of the answer goes in a header or a form, and into storage: one rule for the three.
  const unsendable = (name: 'access_token' | 'refresh_token' | 'id_token'): OktaOAuthError => refuse(`with "${name}" set to a value that cannot go in an HTTP header or form (a string of printable ASCII, 1 B to 64 KiB)`);
  if (!isSendableToken(accessToken)) throw unsendable('access_token');
  // Absent is absent; present is a sendable token: a `null`, a number or an empty one read as "none" kept a refresh token Okta had just rotated away.
  const optionalToken = (name: 'refresh_token' | 'id_token'): Secret | undefined => {
    const value = fields[name];
    if (value === undefined) return undefined;
    if (!isSendableToken(value)) throw unsendable(name);
    return new Secret(value);
  };
  const rawType = fields.token_type;
  if (typeof rawType !== 'string') throw refuse('without a "token_type"');
  const lowered = rawType.toLowerCase();
  if (lowered !== 'bearer' && lowered !== 'dpop') throw refuse(`with the unexpected token_type "${printable(rawType, [...answerSecrets(response), ...secrets], 20)}" (expected Bearer or DPoP)`);
  const expiresIn = readExpiresIn(fields.expires_in, refuse);
  const scope = fields.scope;
  // The granted scope reaches hints, messages and `UserTokens`: it must be what RFC 6749 §3.3 allows, and short.
  // Absent is absent; present is such a string, as the tokens: a `null`, a number, an object or an array read as
  // "none" made the client assume what it asked for.
  if (scope !== undefined && (typeof scope !== 'string' || !isGrantedScope(scope))) {
    throw refuse(`with a "scope" that is not a space-separated list of scope names (RFC 6749 §3.3) of at most ${maxScopeLength} characters`);
  }
  return {
    accessToken: new Secret(accessToken),
    tokenType: lowered === 'dpop' ? 'DPoP' : 'Bearer',
    expiresIn,
    // Shown in hints and UserTokens: an echo of the request's secrets or the answer's tokens must not ride along.
    scope: typeof scope === 'string' ? scrubAnswer(response, scope, secrets) : undefined,
    refreshToken: optionalToken('refresh_token'),
    idToken: optionalToken('id_token'),
  };
}
