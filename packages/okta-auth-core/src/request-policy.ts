/**
 * The one request policy that the fetch wrapper, the ky hooks and the ky
 * instance all apply: origin pinning, per-attempt authorization, Okta's 429
 * waits, the credential's challenge retry, redirect refusal and error typing.
 * The drivers (`execute.ts`, `ky/hooks.ts`) only decide how to wait and resend.
 */
import { OktaApiError } from './api-error.js';
import type { OktaCredential, RequestAttempt } from './credential.js';
import { OktaAuthError } from './errors.js';
import { transportFailure } from './failure.js';
import { rateLimitWait } from './rate-limit.js';
import type { NormalizedRetry } from './transport.js';
import { isBrowser } from './runtime.js';
import { scrub } from './secret.js';
import { oktaUserAgent } from './user-agent.js';

/** Per-request retry bookkeeping, carried from one attempt to the next. */
export interface RetryState {
  rateLimitRetries: number;
  waitedMs: number;
  challenged: boolean;
  /** `X-Okta-Request-Id` of the first 429, sent as `X-Okta-Retry-For`. */
  retryFor: string | undefined;
}

export function newRetryState(): RetryState {
  return { rateLimitRetries: 0, waitedMs: 0, challenged: false, retryFor: undefined };
}

/** Throws `ORIGIN_MISMATCH` unless `url` is on `origin`: credentials never leave the org. */
export function assertOrigin(url: URL, origin: string): void {
  if (url.origin !== origin) {
    throw new OktaAuthError(
      'ORIGIN_MISMATCH',
      `Refusing to send Okta credentials to ${url.origin}: this client only talks to ${origin}. Use a relative path, or a client for that org.`,
    );
  }
}

/** The headers every attempt carries besides authorization. */
export function baseHeaders(userAgent: string | undefined, state: RetryState): Record<string, string> {
  const headers: Record<string, string> = {};
  const ua = oktaUserAgent(userAgent);
  const browser = isBrowser();
  if (browser) headers['x-okta-user-agent-extended'] = ua;
  else headers['user-agent'] = ua;
  // In browsers, headers outside Okta's CORS allow-list would fail the preflight of the retry itself.
  if (state.rateLimitRetries > 0 && !browser) {
    if (state.retryFor !== undefined) headers['x-okta-retry-for'] = state.retryFor;
    headers['x-okta-retry-count'] = String(state.rateLimitRetries);
  }
  return headers;
}

/**
 * Asks the credential for this attempt's headers and returns them with the
 * base headers; also returns the secret values, to scrub from errors.
 */
export async function authorizeAttempt(
  credential: OktaCredential | undefined,
  attempt: RequestAttempt,
  userAgent: string | undefined,
  state: RetryState,
): Promise<{ headers: Record<string, string>; secrets: string[] }> {
  const headers = baseHeaders(userAgent, state);
  if (credential === undefined) return { headers, secrets: [] };
  assertOrigin(attempt.url, credential.origin);
  const auth = await credential.authorize(attempt);
  const secrets: string[] = [];
  for (const [name, value] of Object.entries(auth)) {
    assertHeaderValue(credential, name, value);
    headers[name.toLowerCase()] = value;
    secrets.push(value);
    const space = value.indexOf(' ');
    if (space > 0) secrets.push(value.slice(space + 1));
  }
  return { headers, secrets };
}

/**
 * Refuses, before anything is sent, a header value that cannot go on the wire (a line break,
 * a control or non-ASCII character: a damaged or tampered stored token). The value is never
 * quoted: it is a credential. Without this, fetch fails as `NETWORK_ERROR` with the token in
 * its `cause`, and ky with a raw `TypeError` that quotes it.
 */
function assertHeaderValue(credential: OktaCredential, name: string, value: unknown): void {
  if (typeof value === 'string' && /^[\t\x20-\x7E]*$/.test(value)) return;
  const header = /^[A-Za-z0-9-]{1,40}$/.test(name) ? `"${name}"` : 'a';
  throw new OktaAuthError(
    'INVALID_CONFIG',
    `The ${credential.kind} credential gave ${header} header value that cannot be sent (a line break, a control or a non-ASCII character, or not a string): the token it holds is damaged, for example a restored token that was altered in storage. Nothing was sent; sign in again or restore an intact token.`,
  );
}

/** True for a redirect answer (including a browser's opaque redirect). */
export function isRedirect(response: Response): boolean {
  return response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400 && response.status !== 304);
}

/**
 * The error for a redirect: the client never follows a redirect with credentials. The target is
 * scrubbed of the attempt's secrets (a `Location` can echo them).
 */
export function redirectError(response: Response, from: URL, secrets: Iterable<string> = []): OktaAuthError {
  const location = response.headers.get('location');
  let target = 'another location';
  if (location !== null) {
    try {
      const url = new URL(location, from);
      target = url.origin === from.origin ? url.pathname : url.origin;
    } catch {
      target = 'an invalid location';
    }
  }
  // Scrubbed before it is cut, so no cut splits an echoed secret.
  const scrubbed = scrub(target, secrets);
  const shown = scrubbed.length > 200 ? `${scrubbed.slice(0, 200)}…` : scrubbed;
  return new OktaAuthError(
    'REDIRECT_BLOCKED',
    `Okta answered ${from.pathname} with a ${response.status || 'redirect'} to ${shown}; credentials are never sent on a redirect. Call the final URL directly.`,
  );
}

/**
 * Decides whether a 429 is retried and after how long. Returns the wait in
 * ms, or `undefined` when the retries or the wait budget are used up.
 */
export function rateLimitDecision(response: Response, state: RetryState, retry: NormalizedRetry): number | undefined {
  if (response.status !== 429 || state.rateLimitRetries >= retry.limit) return undefined;
  const wait = rateLimitWait(response.headers) ?? 1000 * 2 ** state.rateLimitRetries;
  if (state.waitedMs + wait > retry.maxWaitMs) return undefined;
  return wait;
}

/** Records a 429 retry in the state. */
export function recordRateLimitRetry(response: Response, state: RetryState, wait: number): void {
  state.rateLimitRetries += 1;
  state.waitedMs += wait;
  state.retryFor ??= response.headers.get('x-okta-request-id') ?? undefined;
}

/** Asks the credential once per request whether a fresh attempt may fix this failure. */
export async function challengeDecision(
  response: Response,
  attempt: RequestAttempt,
  state: RetryState,
  challenge: ((response: Response, attempt: RequestAttempt) => Promise<boolean>) | undefined,
): Promise<boolean> {
  if (state.challenged || challenge === undefined) return false;
  if (response.status !== 400 && response.status !== 401 && response.status !== 403) return false;
  const retry = await challenge(response, attempt);
  if (retry) state.challenged = true;
  return retry;
}

/** Turns what fetch threw into a typed error: `ABORTED`, `TIMEOUT`, `NETWORK_ERROR` (or `INVALID_RESPONSE` for oversized headers). */
export function fetchFailure(error: unknown, attempt: RequestAttempt, userSignal: AbortSignal | undefined, timeoutMs: number): OktaAuthError<string> {
  return transportFailure(error, `${attempt.method} ${attempt.url.pathname}`, userSignal, timeoutMs, false);
}

/** Converts a final non-2xx response into {@link OktaApiError}. */
export function apiError(
  response: Response,
  attempt: RequestAttempt,
  secrets: Iterable<string>,
  credential: OktaCredential | undefined,
): Promise<OktaApiError> {
  return OktaApiError.fromResponse(response, {
    method: attempt.method,
    url: attempt.url,
    secrets,
    explain: credential?.explain?.bind(credential),
  });
}
