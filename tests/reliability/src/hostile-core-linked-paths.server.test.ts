/**
 * Thirteenth session: what a URL the server chose can put in our messages and logs, against a
 * hostile org on 127.0.0.1. A `next` link is the server's choice, so a server can build a path from
 * what the request carried (the API token); since the twentyfourth session the walk refuses a link
 * to another path or carrying a secret of the request before following it (`next-link.server.test.ts`).
 *
 * The request path (`GET /path`) in every message, field and log event that names the attempt
 * (`OktaApiError`'s message and `path`, `REDIRECT_BLOCKED`, `TIMEOUT`/`NETWORK_ERROR`, each log
 * event's `url`) was quoted unscrubbed; it is now scrubbed of the attempt's secrets
 * (`attemptName`/`shownPath`), in both drivers.
 *
 * `paginatePages`' own refusals (a page that is not JSON, not an array, a loop, an oversized
 * `Link`) quoted the linked path too; they now name the caller's list path and the page's number.
 * A page that is not JSON kept V8's `SyntaxError` as its cause, which quotes the body's first
 * characters (an echoed secret's prefix); the refusal has no cause now. `maxPages` that is not a
 * positive whole number (or `Infinity`) is `INVALID_CONFIG` before any request (`NaN` or `0`
 * walked nothing and said nothing; `'2'` was compared as a string).
 */
import { createOktaFetch, paginatePages, type OktaLogEvent } from '@org/okta-auth-core';
import { createOktaKy } from '@org/okta-auth-core/ky';
import { createSswsCredential } from '@org/okta-ssws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outcome } from './test-helpers/calls.js';
import { json, startHostileOrg, type HostileOrg, type HostileRoute } from './test-helpers/hostile.js';
import { printedForms } from './test-helpers/leaks.js';

let org: HostileOrg;
beforeEach(async () => {
  org = await startHostileOrg();
});
afterEach(async () => {
  await org.close();
});

const token = 'sentinel-api-token-0123456789abcdef';
const echoPath = `/api/v1/echo/${token}`;
const credential = () => createSswsCredential({ orgUrl: org.url, token, allowInsecureLoopback: true });
const okta = () => createOktaFetch({ credential: credential(), retry: false });

type Call = (path: string, logger: (event: OktaLogEvent) => void, timeoutMs: number) => Promise<unknown>;
const drivers: [string, Call][] = [
  ['createOktaFetch', async (path, logger, timeoutMs) => (await createOktaFetch({ credential: credential(), logger, timeoutMs, retry: false })(path)).json()],
  ['createOktaKy', (path, logger, timeoutMs) => createOktaKy({ credential: credential(), logger, timeoutMs, retry: false }).get(path.slice(1)).json()],
];

/** An answer that comes at once gets a timeout far beyond it: a loaded machine's slow answer must not turn into TIMEOUT. */
const answers: [string, string, HostileRoute, number][] = [
  ['a 404', 'API_ERROR', (_request, res) => json(res, 404, { errorCode: 'E0000007', errorSummary: 'Not found' }), 20_000],
  ['a redirect', 'REDIRECT_BLOCKED', (_request, res) => {
    res.writeHead(302, { location: `${org.url}/elsewhere` });
    res.end();
  }, 20_000],
  ['no answer', 'TIMEOUT', () => undefined, 500],
  ['a reset connection', 'NETWORK_ERROR', (_request, res) => {
    res.destroy();
  }, 20_000],
];

/** No printed form (message, fields, causes, JSON, inspect) of any artefact holds the token or a prefix of it. */
function expectNoToken(artefacts: unknown[]): void {
  for (const artefact of artefacts) {
    for (const [form, text] of printedForms(artefact)) expect(text, form).not.toContain(token.slice(0, 10));
  }
}

/**
 * The list's first page links its second (same path, a cursor: the one next link the walk follows
 * since the twentyfourth session), which answers what `second` writes.
 */
function echoingOrg(second: Parameters<HostileOrg['route']>[1]): void {
  org.route('/api/v1/users', (request, res) => {
    if (request.url.searchParams.has('after')) return second(request, res);
    json(res, 200, [{ id: 1 }], { link: `<${org.url}${secondPage}>; rel="next"` });
  });
}
const secondPage = '/api/v1/users?after=cursor-2';

/** The pages a walk handed out (the assertions are about how it ends). */
const read: unknown[] = [];

async function walkError(options: { maxPages?: unknown } = {}): Promise<Error & { code?: string }> {
  const result = await outcome(
    (async () => {
      for await (const page of paginatePages(okta(), '/api/v1/users?limit=1', options as { maxPages?: number })) read.push(page);
    })(),
  );
  if (result.ok) throw new Error('the walk did not fail');
  return result.error as Error & { code?: string };
}

describe.each(drivers)('%s: a path carrying the token', (_name, call) => {
  it.each(answers)('%s: %s, the path scrubbed in the error and every log event', async (_answer, code, route, timeoutMs) => {
    org.route(echoPath, route);
    const events: OktaLogEvent[] = [];
    const result = await outcome(call(echoPath, (event) => events.push(event), timeoutMs));
    const error = (result.ok ? undefined : result.error) as { code?: string; message: string; path?: string };
    expect(error.code).toBe(code);
    expect(error.message).toContain('/api/v1/echo/[redacted');
    if (code === 'API_ERROR') expect(error.path).toMatch(/^\/api\/v1\/echo\/\[redacted …[^\]]+\]$/);
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) expect((event as { url?: string }).url).toMatch(/\/api\/v1\/echo\/\[redacted …[^\]]+\]$/);
    expectNoToken([error, ...events]);
  });
});

it('a next link that echoes the token: refused before its page is handed out or followed, named without it', async () => {
  org.route('/api/v1/users', (_request, res) => json(res, 200, [{ id: 1 }], { link: `<${org.url}${echoPath}>; rel="next"` }));
  org.route(echoPath, (_request, res) => json(res, 404, { errorCode: 'E0000007', errorSummary: 'Not found' }));
  const events: OktaLogEvent[] = [];
  const logged = createOktaFetch({ credential: credential(), logger: (event) => events.push(event), retry: false });
  const pages: unknown[] = [];
  const result = await outcome(
    (async () => {
      for await (const page of paginatePages(logged, '/api/v1/users')) pages.push(page);
    })(),
  );
  expect(pages).toHaveLength(0);
  expect(result.ok).toBe(false);
  expect((result.ok ? undefined : result.error) as { code?: string; message?: string }).toMatchObject({ code: 'INVALID_RESPONSE', message: expect.stringMatching(/^Page 1 of \/api\/v1\/users links its next page to /) });
  expect(org.requests).toHaveLength(1);
  expectNoToken([result.ok ? undefined : result.error, ...events]);
});

describe("paginatePages' refusals quote no URL the server chose", () => {
  it('a page that is not JSON: the caller\'s list path and the page number, no body in a cause', async () => {
    echoingOrg((_request, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`[1, ${token}]`);
    });
    const error = await walkError();
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.message).toBe('Page 2 of /api/v1/users was not valid JSON.');
    expect(error.cause).toBeUndefined();
    expectNoToken([error]);
  });

  it('a page that is not a JSON array', async () => {
    echoingOrg((_request, res) => json(res, 200, { echo: 'x' }));
    const error = await walkError();
    expect(error.message).toBe('Page 2 of /api/v1/users was not a JSON array: is this a list endpoint? See objectPages.');
    expectNoToken([error]);
  });

  it('a page linking back to itself (a loop)', async () => {
    echoingOrg((_request, res) => json(res, 200, [{ id: 2 }], { link: `<${org.url}${secondPage}>; rel="next"` }));
    const error = await walkError();
    expect(error.message).toBe('Page 2 of /api/v1/users links back to a page already read (a pagination loop); the walk stops.');
    expectNoToken([error]);
  });

  it('a page with an oversized Link header', async () => {
    echoingOrg((_request, res) => json(res, 200, [{ id: 2 }]));
    // Node's HTTP client refuses a header over 16 KiB itself (INVALID_RESPONSE from the driver), so
    // the oversized Link is added to the real answer of the echoing page by the fetcher.
    const fetcher = okta();
    const padded = async (url: string, init: { signal?: AbortSignal }): Promise<Response> => {
      const response = await fetcher(url, init);
      if (!url.includes('after=')) return response;
      return new Response(response.body, { status: 200, headers: { link: `<${org.url}/x>; rel="next"; pad="${'p'.repeat(70_000)}"` } });
    };
    const result = await outcome(
      (async () => {
        for await (const page of paginatePages(padded, '/api/v1/users?limit=1')) read.push(page);
      })(),
    );
    const error = (result.ok ? undefined : result.error) as Error;
    expect(error.message).toMatch(/^Page 2 of \/api\/v1\/users came with a Link header of \d+ characters \(over 65536\); the walk stops\.$/);
    expectNoToken([error]);
  });
});

describe('maxPages is checked before any request', () => {
  // count166's one count check: its words, and `null` is no limit, as unset (it was refused).
  it.each([[Number.NaN], [0], [-1], [1.5], ['2']])('%s is INVALID_CONFIG naming maxPages', async (maxPages) => {
    echoingOrg((_request, res) => json(res, 200, []));
    const error = await walkError({ maxPages });
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toBe('The maxPages option must be a whole number from 1 to Infinity.');
    expect(org.requests).toHaveLength(0);
  });

  it('Infinity, null (no limit, as unset) and 1 are taken', async () => {
    echoingOrg((_request, res) => json(res, 200, []));
    for (const maxPages of [Number.POSITIVE_INFINITY, null as never, 1]) {
      let pages = 0;
      for await (const page of paginatePages(okta(), '/api/v1/users', { maxPages })) pages += page.items.length > 0 ? 1 : 0;
      expect(pages).toBe(1);
    }
  });
});
