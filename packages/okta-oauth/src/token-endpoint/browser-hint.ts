/**
 * What a page must do instead, by the `error` of Okta's browser-request refusals (its catalogue's
 * `…_browser_request`), each in the table of the clients that can meet it (a client's
 * `OAuthHints.page`): client credentials from a page (service and OIN apps, the device grant).
 */
const pageGrant = ['unauthorized_client', ' A page may use the authorization code grant only: run this on a server.'] as const;
/** A client secret or assertion from a page (a sign-in client's code exchange or refresh). */
const pageSecret = ['invalid_client', ' A page may send no secret or key: use a SPA app (PKCE), or a server.'] as const;
/** A page on an origin none of the app's redirect URIs has (a sign-in client's). */
const pageOrigin = ['invalid_request', " Serve the page from a sign-in redirect URI's origin."] as const;

/**
 * The browser-request hints of a client credentials grant (service and OIN apps): a page meets the
 * grant rule before any other (FIDELITY BR5). @internal
 *
 * @example
 * ```ts
 * browserHint('unauthorized_client', 'Browser requests to the token endpoint may only use the authorization_code grant_type.', clientCredentialsPageHints);
 * ```
 * @see https://developer.okta.com/docs/reference/error-codes/#unsupported_grant_type_browser_request
 */
export const clientCredentialsPageHints: ReadonlyMap<string | undefined, string> = /* @__PURE__ */ new Map([pageGrant]);

/**
 * The browser-request hints of a sign-in client without device sign-in: its grants are a page's,
 * its secret and its origin may not be. @internal
 *
 * @example
 * ```ts
 * browserHint('invalid_client', 'Browser requests to the token endpoint must use Proof Key for Code Exchange.', signInPageHints);
 * ```
 * @see https://developer.okta.com/docs/reference/error-codes/#unsupported_auth_method_browser_request
 */
export const signInPageHints: ReadonlyMap<string | undefined, string> = /* @__PURE__ */ new Map([pageSecret, pageOrigin]);

/**
 * Every browser-request hint: the root sign-in client's (device sign-in is a grant a page may not
 * use) and the reference's. @internal
 *
 * @example
 * ```ts
 * browserHint('invalid_request', 'Browser requests to the token endpoint must be part of at least one whitelisted redirect_uri.', everyPageHint);
 * ```
 * @see https://developer.okta.com/docs/reference/error-codes/#illegal_origin_browser_request
 */
export const everyPageHint: ReadonlyMap<string | undefined, string> = /* @__PURE__ */ new Map([pageGrant, pageSecret, pageOrigin]);

/**
 * The hint of a token request Okta refused as a browser's (the request had an `Origin`), from the
 * client's table (`hints`): told by its description, as the `kid` hint is, never quoting it;
 * `undefined` for any other answer, or one the client cannot meet. The Trusted Origins refusal is
 * not one: it never reaches a page (no CORS headers), and core's network error already names the
 * Trusted Origin to add. @internal
 *
 * @example
 * ```ts
 * browserHint('unauthorized_client', 'Browser requests to the token endpoint may only use the authorization_code grant_type.', everyPageHint);
 * ```
 * @see https://developer.okta.com/docs/reference/error-codes/#unsupported_grant_type_browser_request
 */
export function browserHint(error: string | undefined, description: string | undefined, hints: ReadonlyMap<string | undefined, string> | undefined): string | undefined {
  return /^Browser requests (?!.*Trusted)/.test(description ?? '') ? hints?.get(error) : undefined;
}
