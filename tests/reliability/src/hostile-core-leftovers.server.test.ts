/**
 * Eighth session, core leftovers of the seventh red team, against a hostile org on 127.0.0.1:
 * - what an error answer echoes (errorSummary, errorCauses, the status text) reaches messages,
 *   logs and the CLI's terminal: C1 controls (U+009B is an 8-bit CSI; Node's HTTP parser passes
 *   header bytes 0x80-0x9F as Latin-1), bidirectional overrides and isolates ("Trojan Source") and
 *   U+2028/U+2029 are flattened like C0 controls by core's one cleaner (`printable`);
 * - the scope an `insufficient_scope` challenge names is quoted in the message and kept in
 *   `missingScope` only when it is a scope list of RFC 6749 §3.3 of at most 8192 characters;
 * - `paginatePages` remembers the URLs of the last 100 pages only (it kept every one, so a server
 *   handing out new `next` links for ever grew memory by a Link header per page): a loop of up to
 *   100 pages is still caught, a longer one runs on to `maxPages`.
 * (A stalled error body through both drivers: core's `stalled-error-body.server.test.ts`.)
 */
import type { ServerResponse } from 'node:http';
import { createOktaFetch, isOktaApiError, paginatePages, type OktaApiError, type OktaLogEvent } from '@org/okta-auth-core';
import { createOktaKy } from '@org/okta-auth-core/ky';
import { createSswsCredential } from '@org/okta-ssws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outcome } from './test-helpers/calls.js';
import { json, startHostileOrg, type HostileOrg } from './test-helpers/hostile.js';

let org: HostileOrg;
beforeEach(async () => {
  org = await startHostileOrg();
});
afterEach(async () => {
  await org.close();
});

const ssws = () => createSswsCredential({ orgUrl: org.url, token: 'sentinel-api-token-0123456789abcdef', allowInsecureLoopback: true });
/** Every character the one cleaner must drop: C1, U+2028/U+2029, bidi embeddings, overrides and isolates. */
const unwanted = /[\u0080-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const hostileText = 'Invalid\u009b2K\u009b1Gforged\u0085user\u202eresu\u2066x\u2069\u2028line\u2029end';

async function apiError(call: () => Promise<unknown>): Promise<OktaApiError> {
  const result = await outcome(call());
  expect(result.ok).toBe(false);
  const error = result.ok ? undefined : result.error;
  if (!isOktaApiError(error)) throw new Error(`not an OktaApiError: ${String(error)}`);
  return error;
}

const viaFetch = () => createOktaFetch({ credential: ssws(), retry: false })('/api/v1/users');
const viaKy = () => createOktaKy({ credential: ssws(), retry: false }).get('api/v1/users').json();
const drivers: [string, () => Promise<unknown>][] = [
  ['the fetch driver', viaFetch],
  ['createOktaKy', viaKy],
];

describe('an error answer echoing C1 controls, bidi overrides and line separators', () => {
  it.each(drivers)('%s: message and fields are without them', async (_name, call) => {
    org.route('/api/v1/users', (_request, res) => {
      res.writeHead(400, 'Bad\u009b2KRequest', { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errorCode: 'E0000001', errorSummary: hostileText, errorCauses: [{ errorSummary: hostileText }] }));
    });
    const error = await apiError(call);
    expect(error.message).toContain('Invalid 2K 1Gforged user resu x line end');
    for (const text of [error.message, error.errorSummary, error.errorCauses[0]?.errorSummary, JSON.stringify(error)]) expect(text).not.toMatch(unwanted);
  });

  it.each(drivers)('%s: a status text with an 8-bit CSI and a bidi override, and no body, gives a message without them', async (_name, call) => {
    org.route('/api/v1/users', (_request, res) => {
      // Node.js writes these strings as Latin-1: the status line carries the UTF-8 bytes of U+009B and U+202E,
      // the request id the byte 0x9B (which the client reads back as Latin-1, U+009B).
      res.writeHead(400, 'Bad\u00c2\u009b2K\u00e2\u0080\u00aeRequest', { 'x-okta-request-id': 'req\u009b2K' }).end();
    });
    const error = await apiError(call);
    expect(error.message).toMatch(/^400 Bad 2K Request \(GET [\w.:-]+\/api\/v1\/users, request id req 2K\)/);
    expect(error.message).not.toMatch(unwanted);
  });

  // Twelfth session: the `response` log event's request id was scrubbed but not cleaned.
  it.each(['the fetch driver', 'createOktaKy'])('%s: the response log event gives the request id without them', async (name) => {
    org.route('/api/v1/users', (_request, res) => {
      res.writeHead(400, { 'x-okta-request-id': 'req\u009b2K\u0085forged' }).end();
    });
    const events: OktaLogEvent[] = [];
    const options = { credential: ssws(), retry: false as const, logger: (event: OktaLogEvent) => void events.push(event) };
    await apiError(name === 'createOktaKy' ? () => createOktaKy(options).get('api/v1/users').json() : () => createOktaFetch(options)('/api/v1/users'));
    expect(events.filter((event) => event.type === 'response').map((event) => event.requestId)).toEqual(['req 2K forged']);
  });
});

describe("the scope an insufficient_scope challenge names, in core's message", () => {
  const challenged = (scope: string) => (_request: unknown, res: ServerResponse) => {
    res.writeHead(403, { 'www-authenticate': `Bearer error="insufficient_scope", scope="${scope}"`, 'content-type': 'application/json' });
    res.end(JSON.stringify({ errorCode: 'E0000006', errorSummary: 'You do not have permission to perform the requested action' }));
  };

  it.each([
    ['an 8-bit CSI (C1 control)', 'okta.groups.read \u009b2K\u009b1Gforged'],
    ['non-ASCII', 'okta.groups.read caf\u00e9'],
    ['most of a 16 KiB header', `okta.groups.read ${'okta.x '.repeat(2200)}`.trim()],
  ])('with %s is neither quoted nor kept', async (_name, scope) => {
    org.route('/api/v1/users', challenged(scope));
    const error = await apiError(viaFetch);
    expect(error.errorCode).toBe('E0000006');
    expect(error.missingScope).toBeUndefined();
    expect(error.message).toMatch(/^403 E0000006 You do not have permission to perform the requested action \(GET [\w.:-]+\/api\/v1\/users\): [ -~]+$/);
    expect(error.message).not.toContain("missing scope");
  });

  it('a scope list is quoted, as before', async () => {
    org.route('/api/v1/users', challenged('okta.groups.read okta.users.read'));
    const error = await apiError(viaKy);
    expect(error.missingScope).toBe('okta.groups.read okta.users.read');
    expect(error.message).toContain('(missing scope okta.groups.read okta.users.read)');
  });
});

describe('paginatePages remembers the last 100 pages, not every page', () => {
  /** A page's path, padded: each URL remembered is 2 KB. */
  const pagePath = (page: number): string => `/api/v1/users?after=${page}&pad=${'p'.repeat(2000)}`;
  /** Pages 0, 1, 2, … whose next link goes back to page 0 after `cycle` pages; each URL is new until then. */
  function cyclingOrg(cycle: number): void {
    org.route('/api/v1/users', (request, res) => {
      const page = Number(request.url.searchParams.get('after') ?? '0');
      json(res, 200, [{ page }], { link: `<${org.url}${pagePath((page + 1) % cycle)}>; rel="next"` });
    });
  }
  const walk = async (maxPages: number) => {
    let pages = 0;
    const result = await outcome((async () => {
      for await (const page of paginatePages(createOktaFetch({ credential: ssws() }), pagePath(0), { maxPages })) pages += page.items.length;
    })());
    return { result, pages, requests: org.requests.length };
  };

  it('a loop of 100 pages is still caught after its 100 pages', async () => {
    cyclingOrg(100);
    const { result, pages, requests } = await walk(1000);
    expect(result.ok).toBe(false);
    expect(!result.ok && isOktaApiError(result.error)).toBe(false);
    expect(!result.ok && (result.error as { code?: string }).code).toBe('INVALID_RESPONSE');
    expect(!result.ok && (result.error as Error).message).toMatch(/pagination loop/);
    expect([pages, requests]).toEqual([100, 100]);
  });

  it('a chain of new next links longer than 100 pages is not remembered whole: a 101-page loop runs on to maxPages', async () => {
    cyclingOrg(101);
    const { result, pages } = await walk(250);
    expect(result).toEqual({ ok: true, value: undefined });
    expect(pages).toBe(250);
  });
});
