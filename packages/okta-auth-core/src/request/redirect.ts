/**
 * Redirect refusal, one rule for both drivers: an answer that is a redirect (a browser's opaque one
 * included) is never followed with credentials, and the error names the target only as far as it
 * is safe to (see {@link redirectError}).
 */
import { printable } from '../errors/printable.js';
import { OktaAuthError } from '../errors/errors.js';
import { schemeAndHost } from './origin-check.js';
import { shownPath } from '../secrets/secret.js';

/**
 * True for a redirect answer (including a browser's opaque redirect), and for an answer a `fetch`
 * reached by following one (`redirected`: a fetch of the user's that ignored `redirect: 'manual'`).
 */
export function isRedirect(response: Response): boolean {
  return response.type === 'opaqueredirect' || response.redirected || (response.status >= 300 && response.status < 400 && response.status !== 304);
}

/**
 * The error for a redirect: the client never follows a redirect with credentials. A target on the
 * org is named by its path, scrubbed of the attempt's secrets (a `Location` can echo them); one on
 * another origin is not quoted (as `assertOrigin`'s, in `request-policy.ts`): the URL parser lower-cases a host name,
 * so a token echoed into it is no longer the text the scrubber looks for.
 */
export function redirectError(response: Response, from: URL, secrets: readonly string[]): OktaAuthError {
  // A followed redirect's target is where the answer came from.
  const followed = response.redirected;
  const location = followed ? response.url : response.headers.get('location');
  let target = 'another location';
  if (location !== null) {
    try {
      const url = new URL(location, from);
      target = schemeAndHost(url) === schemeAndHost(from) ? url.pathname : 'another origin';
    } catch {
      target = 'an invalid location';
    }
  }
  // The one cleaner of echoed text: scrubbed before it is cut, so no cut splits an echoed secret
  // (a URL's path has no control character or white space to flatten: the URL parser encodes them).
  return new OktaAuthError(
    'REDIRECT_BLOCKED',
    `Okta answered ${shownPath(from, secrets)} with a ${(!followed && response.status) || 'redirect'} to ${printable(target, secrets, 200)}; credentials are never sent on a redirect. ${
      followed ? 'Your fetch followed it: keep its redirect: "manual".' : 'Call the final URL directly.'
    }`,
  );
}
