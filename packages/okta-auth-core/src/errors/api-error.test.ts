import { inspect } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { OktaApiError, isOktaApiError } from './api-error.js';
import { answerRequestId, printable } from './printable.js';
import { isOktaAuthError } from './errors.js';
import { trustedOriginAdvice } from './failure.js';

const url = new URL('https://acme.okta.com/api/v1/users?limit=2');

function response(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { 'x-okta-request-id': 'req-123', ...headers } });
}

describe('OktaApiError', () => {
  it("reads Okta's error body and formats the message", async () => {
    const error = await OktaApiError.fromResponse(
      response(403, JSON.stringify({ errorCode: 'E0000006', errorSummary: 'You do not have permission to perform the requested action', errorLink: 'E0000006', errorId: 'oae123', errorCauses: [{ errorSummary: 'why' }, 'bad'] }), {
        'content-type': 'application/json',
        'x-rate-limit-limit': '600',
        'x-rate-limit-remaining': '599',
        'x-rate-limit-reset': '1800000000',
      }),
      { method: 'GET', url },
    );
    expect(error.message).toBe('403 E0000006 You do not have permission to perform the requested action. why (GET acme.okta.com/api/v1/users, request id req-123)');
    expect(error).toMatchObject({ code: 'API_ERROR', status: 403, errorCode: 'E0000006', errorId: 'oae123', errorLink: 'E0000006', requestId: 'req-123', path: '/api/v1/users' });
    expect(error.errorCauses).toEqual([{ errorSummary: 'why' }]);
    expect(error.rateLimit).toEqual({ limit: 600, remaining: 599, reset: 1_800_000_000 });
    expect(isOktaApiError(error) && isOktaAuthError(error)).toBe(true);
  });

  it('reads a challenge when the body is empty, and names the missing scope', async () => {
    const error = await OktaApiError.fromResponse(
      response(403, '', { 'www-authenticate': 'Bearer realm="x", scope="okta.groups.read", error="insufficient_scope", error_description="The access token provided does not contain the required scopes."' }),
      { method: 'GET', url: new URL('https://acme.okta.com/api/v1/groups') },
    );
    expect(error.errorCode).toBe('insufficient_scope');
    expect(error.missingScope).toBe('okta.groups.read');
    expect(error.message).toBe('403 insufficient_scope The access token provided does not contain the required scopes. (missing scope okta.groups.read) (GET acme.okta.com/api/v1/groups, request id req-123)');
  });

  it('names the missing scope when the body has an E000 code and the scope is only in the challenge', async () => {
    const error = await OktaApiError.fromResponse(
      response(403, '{"errorCode":"E0000006","errorSummary":"You do not have permission to perform the requested action"}', {
        'www-authenticate': 'DPoP algs="ES256", error="insufficient_scope", scope="okta.groups.read"',
      }),
      { method: 'GET', url: new URL('https://acme.okta.com/api/v1/groups') },
    );
    expect(error.errorCode).toBe('E0000006');
    expect(error.missingScope).toBe('okta.groups.read');
    expect(error.message).toContain('(missing scope okta.groups.read)');
  });

  // RFC 6750 §3 and RFC 9449 §7.1: a resource server's 400 or 401 names its error in the challenge. An Okta E… code in a body
  // beside it (E0000011, "Invalid token provided", for a refused DPoP proof or token) does not name it over the challenge.
  it.each([
    [400, 'DPoP algs="ES256", scope="okta.users.read", error="invalid_dpop_proof", error_description="The DPoP proof JWT is issued in the future."', 'invalid_dpop_proof'],
    [400, 'DPoP error="invalid_request", error_description="The resource request requires a DPoP proof."', 'invalid_request'],
    [401, 'Bearer realm="x", error="invalid_token", error_description="The access token is invalid."', 'invalid_token'],
    [401, 'DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof."', 'use_dpop_nonce'],
  ])("a %i whose %s challenge sits beside an E0000011 body: the challenge's error is the code, the body's fields the rest", async (status, header, errorCode) => {
    const body = JSON.stringify({ errorCode: 'E0000011', errorSummary: 'Invalid token provided', errorLink: 'E0000011', errorId: 'oae9', errorCauses: [{ errorSummary: 'cause' }] });
    const explain = vi.fn((code: string | undefined) => `hint for ${String(code)}`);
    const error = await OktaApiError.fromResponse(response(status, body, { 'content-type': 'application/json', 'www-authenticate': header }), { method: 'GET', url, explain });
    expect(error).toMatchObject({ errorCode, errorSummary: 'Invalid token provided', errorLink: 'E0000011', errorId: 'oae9', requestId: 'req-123', errorCauses: [{ errorSummary: 'cause' }] });
    expect(explain).toHaveBeenCalledWith(errorCode);
    expect(error.message).toBe(`${String(status)} ${errorCode} Invalid token provided. cause (GET acme.okta.com/api/v1/users, request id req-123): hint for ${errorCode}`);
  });

  it.each([
    [403, 'Bearer error="insufficient_scope", scope="okta.groups.read"', '{"errorCode":"E0000006"}', 'E0000006'],
    [401, 'SSWS realm="okta", error="invalid_token"', '{"errorCode":"E0000011"}', 'E0000011'],
    [401, 'Bearer realm="x"', '{"errorCode":"E0000011"}', 'E0000011'],
  ])('a %i with %s beside %s: the body names the code (another status, scheme, or a challenge without an error)', async (status, header, body, errorCode) => {
    const error = await OktaApiError.fromResponse(response(status, body, { 'www-authenticate': header }), { method: 'GET', url });
    expect(error.errorCode).toBe(errorCode);
  });

  it('reads OAuth error bodies', async () => {
    const error = await OktaApiError.fromResponse(response(400, '{"error":"invalid_scope","error_description":"No scopes were requested."}'), { method: 'POST', url: new URL('https://acme.okta.com/oauth2/v1/token') });
    expect(error.message).toBe('400 invalid_scope No scopes were requested. (POST acme.okta.com/oauth2/v1/token, request id req-123)');
  });

  it('gives a clear error for an HTML page, truncated JSON or text, and a 429 is RATE_LIMITED', async () => {
    const html = await OktaApiError.fromResponse(response(502, '<html><body>Bad Gateway</body></html>', { 'content-type': 'text/html' }), { method: 'GET', url });
    expect(html.message).toContain('502');
    expect(html.message).toContain('HTML page');
    const truncated = await OktaApiError.fromResponse(response(500, '{"errorCode":"E00'), { method: 'GET', url });
    expect(truncated.message).toContain('not valid JSON');
    const text = await OktaApiError.fromResponse(new Response('oops', { status: 503, statusText: 'Service Unavailable' }), { method: 'GET', url });
    expect(text.message).toBe('503 Service Unavailable the response body was not JSON (GET acme.okta.com/api/v1/users)');
    const limited = await OktaApiError.fromResponse(response(429, '{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests."}'), { method: 'GET', url });
    expect(limited.code).toBe('RATE_LIMITED');
  });

  it('scrubs secrets that an answer echoes, and strips control characters', async () => {
    const token = 'sentinel-token-00QCjAl4MlV-WPXM0HmjFx';
    const error = await OktaApiError.fromResponse(response(401, JSON.stringify({ errorCode: 'E0000011', errorSummary: `Invalid token provided: SSWS ${token}\n\u001b[31m` })), { method: 'GET', url, secrets: [token] });
    for (const shown of [error.message, error.errorSummary ?? '', JSON.stringify(error), inspect(error, { depth: 5 }), String(error.stack)]) {
      expect(shown).not.toContain(token);
    }
    expect(error.message).not.toContain('\u001b');
  });

  it('reads the request id as the log events do (answerRequestId): scrubbed, cleaned, cut, an empty one kept', async () => {
    const token = 'sentinel-token-00QCjAl4MlV-WPXM0HmjFx';
    for (const id of [`req\u001b[2J\u009b${token}\u0007${'x'.repeat(500)}`, '', 'req-123']) {
      const answer = response(500, '', { 'x-okta-request-id': id });
      const error = await OktaApiError.fromResponse(answer, { method: 'GET', url, secrets: [token] });
      expect(error.requestId).toBe(answerRequestId(answer, [token]));
      expect(error.requestId?.length ?? 0).toBeLessThanOrEqual(401);
      expect(error.requestId ?? '').not.toMatch(new RegExp(`[\\u0000-\\u001f\\u007f-\\u009f]|${token}`));
      expect(OktaApiError.fromParts({ status: 500, statusText: '', headers: answer.headers, bodyText: '' }, { method: 'GET', url, secrets: [token] }).requestId).toBe(error.requestId);
    }
    expect(answerRequestId(response(500, ''), [])).toBe('req-123');
  });

  it('appends the credential\'s explanation', async () => {
    const error = await OktaApiError.fromResponse(response(401, '{"errorCode":"E0000011","errorSummary":"Invalid token provided"}'), {
      method: 'GET',
      url,
      explain: (errorCode) => (errorCode === 'E0000011' ? 'the token was revoked' : undefined),
    });
    expect(error.hint).toBe('the token was revoked');
    expect(error.message).toMatch(/: the token was revoked$/);
  });

  // A browser's opaque answer (mode: 'no-cors') has status 0 and nothing else to read: the message says why.
  it("says status 0 is an answer the browser hid, and to call with CORS from a Trusted Origin, whatever the credential explains", () => {
    const error = OktaApiError.fromParts({ status: 0, statusText: '', headers: new Headers(), bodyText: '' }, { method: 'GET', url, explain: () => 'never this' });
    const hint = `an opaque answer (mode: 'no-cors') hides Okta's: use CORS and ${trustedOriginAdvice()}`;
    expect([error.code, error.hint, error.message]).toEqual(['API_ERROR', hint, `0 (GET acme.okta.com/api/v1/users): ${hint}`]);
  });

  it("names the page's origin in the status 0 advice", () => {
    vi.stubGlobal('location', { origin: 'http://127.0.0.1:5173' });
    try {
      const error = OktaApiError.fromParts({ status: 0, statusText: '', headers: new Headers(), bodyText: '' }, { method: 'GET', url });
      expect(error.hint).toBe("an opaque answer (mode: 'no-cors') hides Okta's: use CORS and add this page's origin (http://127.0.0.1:5173) in Okta under Security > API > Trusted Origins, with CORS; an API token (SSWS) is refused from any page");
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('strips C1 controls, bidirectional overrides, isolates and marks, and line separators (printable)', async () => {
    const hostile = 'bad\u009b2K\u0085request\u202eevil\u2066x\u2069\u2028y\u2029z\u202a\u202b\u202c\u202d\u2067\u2068\u200ertl\u200f\u061cmarks';
    expect(printable(hostile, [])).toBe('bad 2K request evil x y z rtl marks');
    const error = await OktaApiError.fromResponse(new Response(JSON.stringify({ errorCode: 'E0000001', errorSummary: hostile, errorCauses: [{ errorSummary: hostile }] }), { status: 400, statusText: 'Bad\u009b2KRequest' }), { method: 'GET', url });
    const withoutBody = OktaApiError.fromParts({ status: 502, statusText: 'Bad\u009b2KGateway\u202e\u2066', headers: new Headers(), bodyText: '' }, { method: 'GET', url });
    for (const text of [error.message, error.errorSummary ?? '', error.errorCauses[0]?.errorSummary ?? '', withoutBody.message]) {
      expect(text).not.toMatch(/[\u0080-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
    }
    expect(withoutBody.message).toBe('502 Bad 2KGateway (GET acme.okta.com/api/v1/users)');
  });

  it('quotes the missing scope only when it is a scope list of RFC 6749 §3.3 of at most 8192 characters', () => {
    const scoped = (scope: string) =>
      OktaApiError.fromParts({ status: 403, statusText: 'Forbidden', headers: new Headers({ 'www-authenticate': `Bearer error="insufficient_scope", scope="${scope}"` }), bodyText: '' }, { method: 'GET', url, secrets: ['sentinel-secret-0123456789'] });
    const long = `okta.users.read ${'okta.x '.repeat(1300)}`.trim();
    for (const scope of ['okta.groups.read \u009b2K\u009b1Gforged', 'okta.groups.read é', 'okta.groups.read\\"x', long, '   ']) {
      const error = scoped(scope);
      expect(error.missingScope).toBeUndefined();
      expect(error.message).not.toContain('missing scope');
      expect(error.message.length).toBeLessThan(200);
    }
    const fine = scoped(` okta.users.read  okta.groups.read ${'okta.x '.repeat(1000)}`);
    expect(fine.missingScope).toBe(`okta.users.read  okta.groups.read ${'okta.x '.repeat(1000)}`.trim());
    expect(fine.message).toContain(`(missing scope ${fine.missingScope})`);
    const echoed = scoped('okta.users.read sentinel-secret-0123456789');
    expect(echoed.missingScope).not.toContain('sentinel-secret-0123456789');
    expect(echoed.message).not.toContain('sentinel-secret-0123456789');
  });

  it('keeps the challenges\' parameters without Object\'s prototype, as parseWwwAuthenticate gives them', () => {
    const headers = new Headers({ 'www-authenticate': 'Bearer __proto__="p", constructor="c", error="invalid_token"' });
    const error = OktaApiError.fromParts({ status: 401, statusText: 'Unauthorized', headers, bodyText: '' }, { method: 'GET', url });
    const params = error.challenges[0]?.params ?? {};
    expect(Object.entries(params)).toEqual([
      ['__proto__', 'p'],
      ['constructor', 'c'],
      ['error', 'invalid_token'],
    ]);
    expect(Object.getPrototypeOf(params)).toBeNull();
    expect(['toString', 'hasOwnProperty', 'valueOf'].filter((name) => name in params)).toEqual([]);
    expect(error.errorCode).toBe('invalid_token');
  });

  it('scrubs a token68 challenge that echoes the access token', () => {
    const token = 'eyJhbGciOiJSUzI1NiJ9.sentinel-access-token.c2ln';
    const headers = new Headers({ 'www-authenticate': `Bearer ${token}` });
    const error = OktaApiError.fromParts({ status: 401, statusText: 'Unauthorized', headers, bodyText: '' }, { method: 'GET', url, secrets: [token] });
    expect(error.challenges).toEqual([{ scheme: 'Bearer', params: {}, token68: '[redacted …c2ln]' }]);
    expect(inspect(error, { depth: 10, showHidden: true })).not.toContain('sentinel-access-token');
  });

  it("says what to fix: Okta's errorCauses follow the summary in the message (at most 3, the rest counted), scrubbed like it", () => {
    const secret = 'sentinel-secret-0123456789';
    const answer = (causes: unknown[]) =>
      OktaApiError.fromParts(
        { status: 400, statusText: 'Bad Request', headers: new Headers(), bodyText: JSON.stringify({ errorCode: 'E0000001', errorSummary: 'Api validation failed: JsonWebKey', errorCauses: causes }) },
        { method: 'POST', url: new URL('https://acme.okta.com/api/v1/apps/0oa1/credentials/jwks'), secrets: [secret] },
      );
    const fix = 'The JSON Web Key must be a public key: remove its private members (d, p, q, dp, dq, qi), or give a public key.';
    expect(answer([{ errorSummary: fix }]).message).toBe(`400 E0000001 Api validation failed: JsonWebKey. ${fix} (POST acme.okta.com/api/v1/apps/0oa1/credentials/jwks)`);
    const many = answer(['a', 'b', 'c', 'd', 'e'].map((field) => ({ errorSummary: `${field}: The field cannot be left blank` })));
    expect(many.message).toBe('400 E0000001 Api validation failed: JsonWebKey. a: The field cannot be left blank; b: The field cannot be left blank; c: The field cannot be left blank; and 2 more (errorCauses) (POST acme.okta.com/api/v1/apps/0oa1/credentials/jwks)');
    const echoed = answer([{ errorSummary: `kid: ${secret} is taken` }, { errorSummary: 'Api validation failed: JsonWebKey' }]);
    expect(echoed.message).toMatch(/^400 E0000001 Api validation failed: JsonWebKey\. kid: \[redacted[^\]]*\] is taken \(POST /);
    expect(echoed.message).not.toContain(secret.slice(0, 12));
  });

  it("takes the error code from the challenge that has one, and the missing scope only from insufficient_scope's", () => {
    const challenged = (header: string) => OktaApiError.fromParts({ status: 401, statusText: 'Unauthorized', headers: new Headers({ 'www-authenticate': header }), bodyText: '' }, { method: 'GET', url });
    const dpop = challenged('Bearer realm="okta", DPoP algs="ES256", error="invalid_dpop_proof"');
    expect([dpop.errorCode, dpop.name]).toEqual(['invalid_dpop_proof', 'OktaApiError']);
    expect(challenged('Bearer error="invalid_token", scope="okta.users.read"').missingScope).toBeUndefined();
  });

  it("reads only strings of Okta's shape: other values are absent, never a TypeError (an empty errorCode gives way to OAuth's error)", async () => {
    const body = { errorCode: '', error: 'invalid_grant', errorSummary: { html: '<b>' }, errorLink: 7, errorId: ['x'], errorCauses: [null, 5, { errorSummary: 3 }, { errorSummary: 'field' }] };
    const error = await OktaApiError.fromResponse(response(400, `\n  ${JSON.stringify(body)}\n`, { 'content-type': 'application/json' }), { method: 'POST', url });
    expect(error).toMatchObject({ errorCode: 'invalid_grant', errorSummary: undefined, errorLink: undefined, errorId: undefined, errorCauses: [{ errorSummary: 'field' }] });
    expect(error.message).toBe('400 invalid_grant field (POST acme.okta.com/api/v1/users, request id req-123)');
  });

  it('tells an HTML page by its content type or its first character, and reads at most 64 KiB of a body given whole', async () => {
    const summary = async (body: string, contentType: string) => (await OktaApiError.fromResponse(response(502, body, { 'content-type': contentType }), { method: 'GET', url })).errorSummary;
    const html = "the response was an HTML page, not Okta's JSON error (a proxy, a captive portal or an outage?)";
    expect(await summary('  <html>down</html>', 'text/plain')).toBe(html);
    expect(await summary('Service unavailable', 'text/html; charset=utf-8')).toBe(html);
    expect(await summary('Service unavailable', 'text/plain')).toBe('the response body was not JSON');
    const bodyText = JSON.stringify({ errorCode: 'E0000001', errorSummary: 'x'.repeat(70 * 1024) });
    const whole = OktaApiError.fromParts({ status: 400, statusText: 'Bad Request', headers: new Headers(), bodyText }, { method: 'GET', url });
    expect(whole.errorSummary).toBe('the error body was not valid JSON (truncated or malformed)');
  });

  it('reads an error body of exactly 64 KiB whole, and cuts one a byte longer', async () => {
    const body = (bytes: number) => `{"errorCode":"E0000001","errorSummary":"${'x'.repeat(bytes - 42)}"}`;
    expect(body(65_536)).toHaveLength(65_536);
    const read = async (bytes: number) => OktaApiError.fromResponse(response(400, body(bytes), { 'content-type': 'application/json' }), { method: 'GET', url });
    expect(await read(65_536)).toMatchObject({ errorCode: 'E0000001', errorSummary: expect.stringMatching(/^x+/) });
    expect(await read(65_537)).toMatchObject({ errorCode: undefined, errorSummary: 'the error body was not valid JSON (truncated or malformed)' });
  });

  it('cuts cleaned text at its limit with an ellipsis, and leaves text of exactly the limit whole', () => {
    expect(printable(`${'a'.repeat(399)}bc`, [], 400)).toBe(`${'a'.repeat(399)}b…`);
    expect(printable('a'.repeat(400), [], 400)).toBe('a'.repeat(400));
  });
});
