import { describe, expect, it } from 'vitest';
import { rateLimitedWaitMs } from './rate-limited.js';
import { everyOAuthHint, readOAuthError, tokenRequestError } from './token-error.js';

const endpoint = new URL('https://acme.okta.com/oauth2/v1/token');
const context = { clientAuth: { method: 'private_key_jwt', keyId: 'k1' }, scope: 'okta.users.read', dpop: undefined, hints: everyOAuthHint };
const answer = (body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status: 400, headers: { 'content-type': 'application/json', ...headers } });

describe('token error fields: core\'s one cleaner of echoed text', () => {
  it('collapses runs of control characters to one space, trims, and cuts with an ellipsis after scrubbing', async () => {
    const secret = 'sentinel-assertion-eyJhbGciOiJFUzI1NiJ9';
    const body = await readOAuthError(
      answer({ error: '\r\ninvalid_grant\u0000\u0000', error_description: ` bad\r\n\r\n\u001b[31mgrant ${secret} ${'x'.repeat(600)}` }, { 'x-okta-request-id': `req-${secret}` }),
      [secret],
      endpoint,
    );
    expect(body.error).toBe('invalid_grant');
    expect(body.description?.startsWith('bad [31mgrant ')).toBe(true);
    expect(body.description).not.toContain(secret);
    expect(body.description).toHaveLength(501);
    expect(body.description?.endsWith('x…')).toBe(true);
    expect(body.requestId).not.toContain(secret);
    const error = tokenRequestError(body, context);
    expect(error.message).not.toContain(secret);
    expect(Array.from(error.message).some((c) => c < ' ')).toBe(false);
    expect(error.message).toMatch(/^Okta's token endpoint refused the token request \(400 invalid_grant\): bad \[31mgrant /);
  });

  it('cuts the error code at 100 characters, and a field with only control characters or spaces is absent', async () => {
    const long = await readOAuthError(answer({ error: 'e'.repeat(150) }), [], endpoint);
    expect(long.error).toBe(`${'e'.repeat(100)}…`);
    const blank = await readOAuthError(answer({ error: ' \r\n\t', error_description: '\u0007' }), [], endpoint);
    expect(blank.error).toBeUndefined();
    expect(blank.description).toBeUndefined();
    expect(tokenRequestError(blank, context).message).toBe("Okta's token endpoint refused the token request (400). (acme.okta.com)");
  });

  it('says what an unusable body was in the words of core\'s OktaApiError (one reader), never what it said', async () => {
    const raw = (text: string, type: string): Response => new Response(text, { status: 502, headers: { 'content-type': type } });
    const cases: [Response, string | undefined][] = [
      [raw('<html><body>Bad Gateway sentinel-body</body></html>', 'text/html'), "the response was an HTML page, not Okta's JSON error (a proxy, a captive portal or an outage?)"],
      [raw('upstream sentinel-body', 'text/plain'), 'the response body was not JSON'],
      [raw('{"error":"invalid_gr', 'application/json'), 'the error body was not valid JSON (truncated or malformed)'],
      [raw('', 'application/json'), 'an empty body'],
      [raw(' \r\n\t ', 'application/json'), 'an empty body'],
    ];
    for (const [response, description] of cases) {
      const body = await readOAuthError(response, [], endpoint);
      expect(body).toMatchObject({ status: 502, error: undefined, description });
      expect(tokenRequestError(body, context).message).not.toContain('sentinel-body');
    }
  });
});

describe('token error hints: invalid_client per client authentication method', () => {
  const refused = { status: 401, requestId: undefined, origin: 'https://acme.okta.com', error: 'invalid_client', description: 'Client authentication failed.' };
  const hintFor = (method: string) => tokenRequestError(refused, { ...context, clientAuth: { method, keyId: undefined } }).message;

  it('a public client (no secret sent) is told a Web app needs its secret or key', () => {
    expect(hintFor('none')).toMatch(/No secret was sent: a Web app needs its clientSecret \(or privateKey\)/);
    expect(hintFor('none')).not.toMatch(/OIN/);
  });

  it('a public client is told to check its client id first: a SPA or Native app refused (a mistyped id, a deactivated app) needs no secret', () => {
    expect(hintFor('none')).toMatch(/^[^]*invalid_client[^]* Check the client id \(and that the app is active\)\. No secret was sent: a Web app needs its clientSecret \(or privateKey\), on a server; a page takes a SPA app, a command-line tool a Native app, with no secret\. \(acme\.okta\.com\)$/);
  });

  it('a secret method names itself and the method Okta may be set to instead', () => {
    expect(hintFor('client_secret_basic')).toMatch(/Check the client id and secret\b.*client authentication is client_secret_basic \(client_secret_post: clientAuth: clientSecretPost\(secret\)\); SPA and Native apps take none/);
    expect(hintFor('client_secret_jwt')).toMatch(/Check the client id and secret\b.*client authentication is client_secret_jwt;/);
    // The OIN note only where an OIN integration can be: the client credentials grant.
    expect(tokenRequestError(refused, { ...context, clientAuth: { method: 'client_secret_basic', keyId: undefined }, grantType: 'client_credentials' }).message).toMatch(/an OIN secret is per customer org/);
    expect(tokenRequestError(refused, { ...context, clientAuth: { method: 'client_secret_basic', keyId: undefined }, grantType: 'authorization_code' }).message).not.toMatch(/OIN/);
  });
});


describe('token error hints: unauthorized_client per grant', () => {
  const refused = { status: 400, requestId: undefined, origin: 'https://acme.okta.com', error: 'unauthorized_client', description: 'The client is not authorized to use the provided grant type.' };

  it('the device_code grant is told what the device authorization endpoint tells (a Native app); another grant to check its grant types', () => {
    expect(tokenRequestError(refused, { ...context, grantType: 'urn:ietf:params:oauth:grant-type:device_code' }).message).toMatch(/\. Device sign-in needs a Native app with the Device Authorization grant type \(Okta allows no other app type\)\. \(acme\.okta\.com\)$/);
    expect(tokenRequestError(refused, { ...context, grantType: 'authorization_code' }).message).toMatch(/\. The app may not use this grant type: check its allowed grant types in Okta\. \(acme\.okta\.com\)$/);
  });

  // Core's verdict, when its driver made none (an answer it did not decide on): the retries in general.
  it("says a 429 outlived the retries, naming the request, and keeps its wait off the error's fields", async () => {
    const limited = new Response('', { status: 429, headers: { 'retry-after': '30', 'x-okta-request-id': 'req-1' } });
    const error = tokenRequestError(await readOAuthError(limited, [], endpoint), context);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429, message: "Okta's token endpoint is still rate limiting this client (acme.okta.com, request req-1): retried as often as allowed." });
    expect(rateLimitedWaitMs(error)).toBe(30_000);
    expect(JSON.stringify(error)).not.toContain('30000');
  });
});

describe('token error wording: a 5xx is Okta failing, not a refusal', () => {
  const failed = { status: 503, requestId: 'req-5', origin: 'https://acme.okta.com', error: 'server_error', description: 'The authorization server encountered an unexpected condition.' };

  it('says Okta could not answer, that the request was sent once, and names the request', () => {
    expect(tokenRequestError(failed, context).message).toBe("Okta's token endpoint could not answer the token request (503 server_error): The authorization server encountered an unexpected condition. It was sent once, not again: try again later. (acme.okta.com, request req-5)");
    expect(tokenRequestError({ ...failed, status: 502, error: undefined, description: 'an HTML page' }, context).message).toBe("Okta's token endpoint could not answer the token request (502): an HTML page. It was sent once, not again: try again later. (acme.okta.com, request req-5)");
  });

  it('a device sign-in polls on after it; a 4xx is still a refusal', () => {
    expect(tokenRequestError(failed, { ...context, grantType: 'urn:ietf:params:oauth:grant-type:device_code' }).message).toMatch(/\(503 server_error\): [^]*\. The device sign-in polls on\. \(acme.okta.com, request req-5\)$/);
    expect(tokenRequestError({ ...failed, status: 400, error: 'temporarily_unavailable' }, context).message).toMatch(/^Okta's token endpoint refused the token request \(400 temporarily_unavailable\)[^]*condition\. \(acme.okta.com, request req-5\)$/);
  });
});

// failureFields' rule for a 429 too: what the reader says the body was ("an empty body") is never
// `error_description`, Okta's own words; the 429 keeps its status, request id, rateLimit and wait.
describe('a 429 naming no OAuth error', () => {
  it('is RATE_LIMITED with no error_description, and keeps its rateLimit and wait', async () => {
    const body = await readOAuthError(new Response('', { status: 429, headers: { 'x-okta-request-id': 'req-429', 'x-rate-limit-limit': '600', 'x-rate-limit-remaining': '0', 'retry-after': '7' } }), [], endpoint);
    const error = tokenRequestError(body, context);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429, requestId: 'req-429', rateLimit: { limit: 600, remaining: 0 } });
    expect(error.error).toBeUndefined();
    expect(error.error_description).toBeUndefined();
    expect(rateLimitedWaitMs(error)).toBe(7000);
  });
});
