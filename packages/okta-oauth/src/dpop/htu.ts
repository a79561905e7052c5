/**
 * The DPoP `htu` claim for a request URL (RFC 9449 §4.2): scheme, host and path, with no query
 * and no fragment, the path **percent-decoded** because Okta compares `htu` with the decoded
 * request path (`/api/v1/users/a%40b.com` must be signed as `/api/v1/users/a@b.com`;
 * okta-sdk-nodejs#521, okta-sdk-python#541). A path that is not valid percent-encoding is kept
 * as sent.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-4.2
 * @internal
 */
export function dpopHtu(url: URL): string {
  let path = url.pathname;
  try {
    path = decodeURIComponent(path);
  } catch {
    // malformed escapes: the server cannot decode them either
  }
  return `${url.origin}${path}`;
}
