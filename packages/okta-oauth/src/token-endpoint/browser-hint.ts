/** What a page must do instead, by the `error` of Okta's browser-request refusals (its catalogue's `…_browser_request`). */
const browserHints = new Map([
  ['unauthorized_client', ' A page may use the authorization code grant only: run this on a server.'],
  ['invalid_client', ' A page may send no secret or key: use a SPA app (PKCE), or a server.'],
  ['invalid_request', " Serve the page from a sign-in redirect URI's origin."],
]);

/**
 * The hint of a token request Okta refused as a browser's (the request had an `Origin`): told by
 * its description, as the `kid` hint is, never quoting it; `undefined` for any other answer. The
 * Trusted Origins refusal is not one: it never reaches a page (no CORS headers), and core's
 * network error already names the Trusted Origin to add. @internal
 *
 * @example
 * ```ts
 * browserHint('unauthorized_client', 'Browser requests to the token endpoint may only use the authorization_code grant_type.');
 * ```
 * @see https://developer.okta.com/docs/reference/error-codes/#unsupported_grant_type_browser_request
 */
export function browserHint(error: string | undefined, description: string | undefined): string | undefined {
  if (error === undefined || !/^Browser requests (?!.*Trusted)/.test(description ?? '')) return undefined;
  return browserHints.get(error);
}
