/**
 * The one reader of an error answer's body (Okta's `/api/v1` shape, RFC 6749 §5.2's, or what the
 * body was instead), for core's `OktaApiError` and okta-oauth's token errors.
 */
import type { OktaErrorCause } from './api-error.js';

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** What an error answer's body said, read by {@link parseErrorBody}. @internal */
export interface ParsedBody {
  /** Okta's `errorCode`, or RFC 6749's `error`. */
  errorCode?: string | undefined;
  /** Okta's `errorSummary`, RFC 6749's `error_description`, or what the body was instead of JSON. */
  errorSummary?: string | undefined;
  errorLink?: string | undefined;
  errorId?: string | undefined;
  errorCauses: OktaErrorCause[];
}

/**
 * The one reader of an error answer's body, for core's `OktaApiError` and okta-oauth's token
 * errors: Okta's `/api/v1` shape or RFC 6749 §5.2's, and otherwise what the body was instead
 * (an HTML page, not JSON, truncated or malformed JSON), never what it said. Not scrubbed:
 * callers pass each field through `printable`. @internal
 */
export function parseErrorBody(text: string, contentType: string): ParsedBody {
  const trimmed = text.trim();
  // Each failure to read Okta's shape says what the body was instead.
  const summary = (errorSummary?: string): ParsedBody => ({ errorSummary, errorCauses: [] });
  if (trimmed === '') return summary();
  if (!trimmed.startsWith('{')) {
    return summary(contentType.includes('html') || trimmed.startsWith('<') ? "the response was an HTML page, not Okta's JSON error (a proxy, a captive portal or an outage?)" : 'the response body was not JSON');
  }
  let body: Record<string, unknown> | null;
  try {
    body = JSON.parse(trimmed) as Record<string, unknown> | null;
  } catch {
    return summary('the error body was not valid JSON (truncated or malformed)');
  }
  if (typeof body !== 'object' || body === null) return summary();
  const causes: unknown[] = Array.isArray(body.errorCauses) ? body.errorCauses : [];
  // Okta's /api/v1 shape, or RFC 6749's shape from /oauth2/v1.
  return {
    errorCode: str(body.errorCode) ?? str(body.error),
    errorSummary: str(body.errorSummary) ?? str(body.error_description),
    errorLink: str(body.errorLink),
    errorId: str(body.errorId),
    errorCauses: causes
      .flatMap((c) => {
        const errorSummary = str((c as Record<string, unknown> | null)?.errorSummary);
        return errorSummary === undefined ? [] : [{ errorSummary }];
      })
      .slice(0, 20),
  };
}

/**
 * What an error's message quotes of Okta's `errorCauses` after its summary: a validation error's
 * summary names only the field ("Api validation failed: login"), its causes say what to fix. The
 * causes that say more than the summary, 3 of them, the rest counted; `undefined` for none. The
 * causes are cleaned (`printable`) by the caller. @internal
 */
export function quotedCauses(causes: readonly OktaErrorCause[], summary: string | undefined): string | undefined {
  const said = causes.map((c) => c.errorSummary).filter((c) => c !== '' && c !== summary);
  if (said.length === 0) return undefined;
  return `${said.slice(0, 3).join('; ')}${said.length > 3 ? `; and ${said.length - 3} more (errorCauses)` : ''}`;
}
