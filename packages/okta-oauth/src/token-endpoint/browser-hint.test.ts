import { describe, expect, it } from 'vitest';
import { browserHint, clientCredentialsPageHints, everyPageHint, signInPageHints } from './browser-hint.js';

const grant = 'Browser requests to the token endpoint may only use the authorization_code grant_type.';
const secret = 'Browser requests to the token endpoint must use Proof Key for Code Exchange.';
const origin = 'Browser requests to the token endpoint must be part of at least one whitelisted redirect_uri.';

describe('browserHint', () => {
  it("answers Okta's browser-request refusals only, never the Trusted Origins one nor another error's", () => {
    expect(browserHint('unauthorized_client', grant, everyPageHint)).toMatch(/^ A page may use the authorization code grant only/);
    expect(browserHint('unauthorized_client', 'The client is not authorized to use the provided grant type.', everyPageHint)).toBeUndefined();
    expect(browserHint('invalid_request', 'Browser requests to the token endpoint must be made from one of the registered Trusted Origins.', everyPageHint)).toBeUndefined();
    for (const error of [undefined, 'constructor', 'invalid_grant']) expect(browserHint(error, grant, everyPageHint), String(error)).toBeUndefined();
    // Told by how Okta's description begins: not by one that quotes it, nor by none.
    expect(browserHint('unauthorized_client', `The proxy refused: ${grant}`, everyPageHint)).toBeUndefined();
    expect(browserHint('unauthorized_client', undefined, everyPageHint)).toBeUndefined();
  });

  it('answers from the client\'s own table: each refusal where a client can meet it, the same words in every table', () => {
    const said = (hints: ReadonlyMap<string | undefined, string> | undefined) => [browserHint('unauthorized_client', grant, hints), browserHint('invalid_client', secret, hints), browserHint('invalid_request', origin, hints)];
    const [pageGrant, pageSecret, pageOrigin] = said(everyPageHint);
    expect([pageGrant, pageSecret, pageOrigin]).toEqual([
      ' A page may use the authorization code grant only: run this on a server.',
      ' A page may send no secret or key: use a SPA app (PKCE), or a server.',
      " Serve the page from a sign-in redirect URI's origin.",
    ]);
    // A client credentials grant meets the grant rule first (FIDELITY BR5); a sign-in client's grants are a page's.
    expect(said(clientCredentialsPageHints)).toEqual([pageGrant, undefined, undefined]);
    expect(said(signInPageHints)).toEqual([undefined, pageSecret, pageOrigin]);
    expect(said(undefined)).toEqual([undefined, undefined, undefined]);
  });
});
