/**
 * What each refusal of the request policy says and where its edges are, over real HTTP through
 * each of the three drivers (pinned by the sixteenth session's mutation testing): the origin check
 * runs before the credential is asked, a redirect's target is named without its query or an
 * echoed secret, every 3xx but 304 is refused, a header value that cannot be sent is refused
 * without quoting it, and the credential's challenge is asked on a 400, 401 or 403 only.
 */
import { json } from '@org/okta-test-utils';
import { describe } from 'vitest';
import type { AuthorizationHeaders, OktaCredential } from '../credential.js';
import { paginate } from '../pagination/paginate.js';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { drivers } from '../test-helpers/drivers.js';
import { rejection } from '../test-helpers/outcome.js';
import { itWithTwoOrigins as it, type TwoOrigins } from '../test-helpers/two-origins.js';

const token = 'Test secret-token-value-1';

function redirect(origins: TwoOrigins, status: number, location?: string): void {
  origins.okta.handle((_req, res) => {
    res.writeHead(status, location === undefined ? {} : { location });
    res.end();
  });
}

/** A credential giving these headers, which counts how often it was asked. */
function giving(origins: TwoOrigins, headers: Record<string, unknown>): OktaCredential & { calls: number } {
  const credential = {
    kind: 'vault',
    origin: origins.okta.origin,
    calls: 0,
    authorize: () => {
      credential.calls += 1;
      return Promise.resolve(headers as AuthorizationHeaders);
    },
  };
  return credential;
}

// Each test has its own two servers (the origins fixture), credential and client: the tests of the three drivers run at once.
describe.concurrent.each(Object.keys(drivers))('the request policy refuses, through %s', (name) => {
  const driver = drivers[name]!;

  it('another origin (the same host on another port) before the credential is asked, saying both origins', async ({ origins, expect }) => {
    const credential = countingCredential(origins.okta.origin);
    const client = driver({ credential });
    const error = await rejection(client.getJson(`${origins.elsewhere.origin}/api/v1/users`));
    expect(error.code).toBe('ORIGIN_MISMATCH');
    expect(error.message).toBe(
      `Refusing to send Okta credentials to another origin: this client only talks to ${origins.okta.origin}. Use a relative path, or a client for that org.`,
    );
    expect(credential.attempts).toHaveLength(0);

    origins.okta.handle((_req, res) => json(res, 200, [{ id: 1 }], { link: `<${origins.elsewhere.origin}/api/v1/users?after=1>; rel="next"` }));
    const seen: unknown[] = [];
    const pageError = await rejection((async () => {
      for await (const item of paginate(client.pages, '/api/v1/users')) seen.push(item);
    })());
    expect(seen).toEqual([{ id: 1 }]);
    expect(pageError.message).toContain(`to another origin: this client only talks to ${origins.okta.origin}.`);
    expect(credential.attempts).toHaveLength(1);
    expect(origins.elsewhere.requests).toHaveLength(0);
  });

  // `new URL('blob:https://acme.okta.com/x').origin` is the org's: the check took such a URL, the
  // credential authorized it and the fetch (yours, if you gave one) got it with the credential's
  // header; the runtime's fetch then failed it as a network error, retried, blaming the connection.
  it("a blob: URL carrying the org's origin, called or linked as the next page, before the credential is asked", async ({ origins, expect }) => {
    const credential = countingCredential(origins.okta.origin);
    const client = driver({ credential });
    const error = await rejection(client.getJson(`blob:${origins.okta.origin}/api/v1/users`));
    expect([error.code, error.message]).toEqual(['ORIGIN_MISMATCH', `Refusing to send Okta credentials to another origin: this client only talks to ${origins.okta.origin}. Use a relative path, or a client for that org.`]);
    expect(credential.attempts).toHaveLength(0);

    origins.okta.handle((_req, res) => json(res, 200, [{ id: 1 }], { link: `<blob:${origins.okta.origin}/api/v1/users?after=1>; rel="next"` }));
    origins.okta.requests.length = 0;
    const seen: unknown[] = [];
    const pageError = await rejection((async () => {
      for await (const item of paginate(client.pages, '/api/v1/users')) seen.push(item);
    })());
    expect([pageError.code, seen]).toEqual(['ORIGIN_MISMATCH', [{ id: 1 }]]);
    expect(credential.attempts.map(({ url }) => url.protocol)).toEqual(['http:']);
    expect(origins.okta.requests).toHaveLength(1);
  });

  it("a next link to another origin is refused without quoting it: the server chose it, and a host name can echo the token", async ({ origins, expect }) => {
    // A host name is lower case: the token's credentials after the scheme (lower case here) are found
    // there by the one next-link check (twentyfourth session), before the page is handed out; an
    // upper-case token would be the fetcher's ORIGIN_MISMATCH, quoting neither.
    const echoed = `http://${token.toLowerCase().replaceAll(' ', '-')}.example`;
    const client = driver({ credential: giving(origins, { authorization: token }) });
    origins.okta.handle((_req, res) => json(res, 200, [{ id: 1 }], { link: `<${echoed}/api/v1/users?after=1>; rel="next"` }));
    const error = await rejection((async () => {
      for await (const item of paginate(client.pages, '/api/v1/users')) expect(item).toEqual({ id: 1 });
    })());
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.message).not.toContain('secret-token-value-1');
    expect(JSON.stringify(error)).not.toContain('secret-token-value-1');
    expect(origins.okta.requests).toHaveLength(1);
  });

  it('a next link with a user name or password stops the walk before the fetcher is called, quoting nothing (the server chose it: it can echo the token)', async ({ origins, expect }) => {
    const client = driver({ credential: giving(origins, { authorization: token }) });
    const echo = encodeURIComponent('secret-token-value-1');
    for (const userinfo of [`${echo}:x@`, `${echo}@`, `:${echo}@`]) {
      origins.okta.handle((_req, res) => json(res, 200, [{ id: 1 }], { link: `<${origins.okta.origin.replace('//', `//${userinfo}`)}/api/v1/users?after=1>; rel="next"` }));
      origins.okta.requests.length = 0;
      const seen: unknown[] = [];
      const error = await rejection((async () => {
        for await (const item of paginate(client.pages, '/api/v1/users')) seen.push(item);
      })());
      expect(error.code).toBe('INVALID_RESPONSE');
      expect(error.message).toBe('Page 1 of /api/v1/users links its next page to a URL with a user name or password; Okta sends no such link, and the walk stops.');
      expect(`${String(error.stack)} ${JSON.stringify(error)} ${String((error as { cause?: unknown }).cause)}`).not.toContain('secret-token-value-1');
      expect(seen).toEqual([]);
      expect(origins.okta.requests).toHaveLength(1);
    }
  });

  it('a redirect to another origin is refused without quoting it: the server chose it, and a host name can echo the token', async ({ origins, expect }) => {
    // The URL parser lower-cases a host name, so the scrubber, which looks for the token as sent, would not find it there.
    const mixedCase = '00SecretTokenValue0123456789abcdefGHIJ';
    const host = `${mixedCase}.example`;
    for (const location of [`http://${host}/steal`, `https://a.${host}:8443/steal`, `//${host}/steal`]) {
      redirect(origins, 302, location);
      const error = await rejection(driver({ credential: giving(origins, { authorization: `SSWS ${mixedCase}` }), retry: false }).getJson('/api/v1/users'));
      expect(error.code).toBe('REDIRECT_BLOCKED');
      expect(error.message).toBe('Okta answered /api/v1/users with a 302 to another origin; credentials are never sent on a redirect. Call the final URL directly.');
      expect(JSON.stringify(error).toLowerCase()).not.toContain(mixedCase.toLowerCase());
    }
  });

  it.for(['follow', 'error'] as const)("a caller's redirect: '%s' changes nothing: the 307 is refused and the other origin gets nothing", async (mode, { origins, expect }) => {
    redirect(origins, 307, `${origins.elsewhere.origin}/steal`);
    const client = driver({ credential: countingCredential(origins.okta.origin), retry: false });
    const error = await rejection(client.pages('/api/v1/users', { redirect: mode } as RequestInit as { signal?: AbortSignal }));
    expect(error.code).toBe('REDIRECT_BLOCKED');
    expect(origins.okta.requests).toHaveLength(1);
    expect(origins.elsewhere.requests).toHaveLength(0);
  });

  it('a redirect on the same origin, naming its path only (no query, no echoed token)', async ({ origins, expect }) => {
    // The token URL-encoded: a changed form of it, so `[redacted]` with none of its characters.
    redirect(origins, 302, `/api/v1/elsewhere/${encodeURIComponent(token)}?sessionToken=query-secret-1234`);
    const error = await rejection(driver({ credential: countingCredential(origins.okta.origin), retry: false }).getJson('/api/v1/users'));
    expect(error.code).toBe('REDIRECT_BLOCKED');
    expect(error.message).toMatch(/^Okta answered \/api\/v1\/users with a 302 to \/api\/v1\/elsewhere\/\[redacted\]; credentials are never sent on a redirect\. Call the final URL directly\.$/);
    expect(error.message).not.toContain('query-secret');
    expect(error.message).not.toContain('secret-token-value-1');
    expect(origins.okta.requests).toHaveLength(1);
  });

  it('a redirect without a Location, or with one that is not a URL, saying so', async ({ origins, expect }) => {
    redirect(origins, 307);
    const client = driver({ credential: countingCredential(origins.okta.origin), retry: false });
    expect((await rejection(client.getJson('/api/v1/users'))).message).toContain('with a 307 to another location;');
    redirect(origins, 301, 'http://[not-a-host/x');
    expect((await rejection(client.getJson('/api/v1/users'))).message).toContain('with a 301 to an invalid location;');
  });

  it("a redirect's long target cut at 200 characters", async ({ origins, expect }) => {
    redirect(origins, 308, `/${'p'.repeat(300)}`);
    const error = await rejection(driver({ credential: countingCredential(origins.okta.origin), retry: false }).getJson('/api/v1/users'));
    expect(error.message).toContain(` to /${'p'.repeat(199)}…; credentials`);
  });

  it.for([300, 303, 399])('a %i as a redirect', async (status, { origins, expect }) => {
    redirect(origins, status, `${origins.elsewhere.origin}/steal`);
    const error = await rejection(driver({ credential: countingCredential(origins.okta.origin), retry: false }).getJson('/api/v1/users'));
    expect(error.code).toBe('REDIRECT_BLOCKED');
    expect(origins.elsewhere.requests).toHaveLength(0);
  });

  it('a 304 as an answer, not a redirect', async ({ origins, expect }) => {
    redirect(origins, 304, `${origins.elsewhere.origin}/steal`);
    const error = await rejection(driver({ credential: countingCredential(origins.okta.origin), retry: false }).getJson('/api/v1/users'));
    expect(error.code).toBe('API_ERROR');
  });

  it.for([
    ['a line break', 'Bearer good-part\r\nx-injected: 1'],
    ['a control character', 'Bearer token\u0000value-123'],
    ['a non-ASCII character', 'Bearer tökenvalue-1234'],
    ['not a string', 12345678901234],
  ] as const)('a header value with %s, naming the header, quoting no value, sending nothing', async ([, value], { origins, expect }) => {
    origins.okta.handle((_req, res) => json(res, 200, { ok: true }));
    const error = await rejection(driver({ credential: giving(origins, { authorization: value }), retry: false }).getJson('/api/v1/users'));
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toMatch(/^The vault credential gave "authorization" header value that cannot be sent \(/);
    expect(error.message).not.toContain(String(value).slice(7, 14));
    expect(origins.okta.requests).toHaveLength(0);
  });

  it('a bad value under an odd header name without quoting the name', async ({ origins, expect }) => {
    for (const header of ['x_secret_name', `x-${'h'.repeat(39)}`]) {
      const error = await rejection(driver({ credential: giving(origins, { [header]: 'value\nbroken-12345' }), retry: false }).getJson('/api/v1/users'));
      expect(error.message).toMatch(/^The vault credential gave a header value that cannot be sent/);
    }
    const forty = `x-${'h'.repeat(38)}`;
    expect((await rejection(driver({ credential: giving(origins, { [forty]: 'v\n' }), retry: false }).getJson('/api/v1/users'))).message).toContain(`gave "${forty}" header`);
  });

  it('nothing that can be sent: a tab, printable ASCII and an empty value go as they are', async ({ origins, expect }) => {
    origins.okta.handle((_req, res) => json(res, 200, { ok: true }));
    const value = 'Bearer a\tb ~!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}';
    await driver({ credential: giving(origins, { authorization: value, 'x-empty': '' }), retry: false }).getJson('/api/v1/users');
    expect(origins.okta.requests[0]?.headers.authorization).toBe(value);
    expect(origins.okta.requests[0]?.headers['x-empty']).toBe('');
  });

  it.for([
    [400, 2],
    [401, 2],
    [403, 2],
    [404, 1],
    [409, 1],
  ] as const)('a %i: the credential is asked to answer it (requests: %i)', async ([status, requests], { origins, expect }) => {
    origins.okta.handle((_req, res) => json(res, status, { errorCode: 'E0000011', errorSummary: 'x', errorId: 'x', errorCauses: [] }));
    const asked: number[] = [];
    const credential = countingCredential(origins.okta.origin, { challenge: (response) => (asked.push(response.status), true) });
    await rejection(driver({ credential, retry: false }).getJson('/api/v1/users'));
    expect(origins.okta.requests).toHaveLength(requests);
    expect(asked).toEqual(requests === 2 ? [status] : []);
  });

  it('a header name the runtime cannot send, with its own message', async ({ origins, expect }) => {
    const error = await rejection(driver({ credential: giving(origins, { 'bad header': 'value-0123456789' }), retry: false }).getJson('/api/v1/users'));
    expect(error.message).toBe('The request could not be built: a header value has a line break or another character that cannot be sent, or an option is malformed. Nothing was sent.');
  });

  it("a 429 wait that would take the request past its budget: the waits add up, and one ending at the budget is waited", async ({ origins, expect }) => {
    origins.okta.handle((_req, res) => json(res, 429, { errorCode: 'E0000047', errorSummary: 'x', errorId: 'x', errorCauses: [] }, { 'retry-after': '1' }));
    const error = await rejection(driver({ credential: countingCredential(origins.okta.origin), retry: { limit: 5, maxWaitMs: 2_000 } }).getJson('/api/v1/users'));
    expect(error.code).toBe('RATE_LIMITED');
    expect(origins.okta.requests).toHaveLength(3);
    // No X-Okta-Request-Id on the 429: no X-Okta-Retry-For, only the count.
    expect(origins.okta.requests.map((r) => [r.headers['x-okta-retry-for'], r.headers['x-okta-retry-count']])).toEqual([[undefined, undefined], [undefined, '1'], [undefined, '2']]);
  });

  it('a dropped connection as a failure before Okta answered, naming the attempt', async ({ origins, expect }) => {
    origins.okta.handle((_req, res) => {
      res.socket?.destroy();
    });
    const error = await rejection(driver({ credential: countingCredential(origins.okta.origin), retry: false, timeoutMs: 30_000 }).postJson('/api/v1/users', { a: 1 }));
    expect(error.message).toBe(`POST ${new URL(origins.okta.origin).host}/api/v1/users failed before Okta answered (connection refused, reset or DNS failure).`);
  });

  it("a credential's challenge that never settles: TIMEOUT naming the attempt", async ({ origins, expect }) => {
    origins.okta.handle((_req, res) => json(res, 401, { errorCode: 'E0000011', errorSummary: 'x', errorId: 'x', errorCauses: [] }));
    const credential: OktaCredential = { ...countingCredential(origins.okta.origin), challenge: () => new Promise<boolean>(() => undefined) };
    // 2 s, not 300 ms: the 401 must arrive within the attempt's bound before the challenge is asked (a loaded machine's took longer).
    const error = await rejection(driver({ credential, retry: false, timeoutMs: 2000 }).getJson('/api/v1/users'));
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toMatch(/^GET 127\.0\.0\.1:\d+\/api\/v1\/users: the credential's challenge did not settle within 2000 ms \(timeoutMs\); nothing was resent\.$/);
  });
});
