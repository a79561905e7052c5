/**
 * The caller's abort while an error answer's body trickles in ends the read of that body at once,
 * through `createOktaFetch`, `createOktaKy` and `oktaKyHooks` alike: the call is `ABORTED`, the
 * caller's reason its `cause`, and the connection is closed. Until small168 the ky drivers read the
 * error body within a timer of `timeoutMs` that did not follow the caller: through a `fetch` that
 * drops the signal (a tracing wrapper that rebuilds the request), `createOktaKy` held the call until
 * `timeoutMs`, and `oktaKyHooks` (whose call ky ends at the abort) kept reading the body, its
 * connection open, that long. Until abort168 `createOktaFetch` ended that read at the abort but took
 * the read's end for an error answer without a body: `API_ERROR` with the status and no details, as if
 * Okta had answered so (`readErrorText`, the one reading of an error body, now rejects with the
 * caller's `ABORTED`). The runtime's own fetch, which aborts the body with the signal, rows beside.
 * Also a final 429 (`RATE_LIMITED`: a 429 retried is discarded unread, its wait ends at the abort) and
 * a 401 whose credential's `challenge` (reading its `WWW-Authenticate` only, as okta-oauth's) says no.
 * A raw `node:http` server sends the status and part of a JSON body, then holds; `timeoutMs` is ten
 * minutes, so only the abort can end the test within its timeout. (`timeoutMs` firing during that
 * read is the error answer with "the body did not arrive within timeoutMs" in every driver:
 * `request/drivers-differential-scripted.server.test.ts`.)
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OktaLogEvent } from '../config/logger.js';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { drivers } from '../test-helpers/drivers.js';

/** What happened, in order: the server's head sent, the caller's abort, the connection closed, the call's rejection. */
let events: string[] = [];
let status = 500;
let headers: Record<string, string> = {};
let closed: Promise<void> = Promise.resolve();
let origin = '';
let server: Server;
const held = new Set<ServerResponse>();

beforeEach(async () => {
  // The test's own list: a call of an earlier test that outlived it writes to that test's.
  const seen: string[] = [];
  events = seen;
  server = createServer((_request, res) => {
    held.add(res);
    closed = new Promise((resolve) =>
      res.once('close', () => {
        seen.push('closed');
        resolve();
      }),
    );
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    // Part of the body, then nothing.
    res.write('{"errorCode":"E0000001","errorSummary":"par', () => seen.push('head'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  for (const res of held) res.destroy();
  held.clear();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** The runtime's fetch, through the `fetch` option. */
const heeds: typeof fetch = (input, init) => fetch(input, init);

/** A wrapper that rebuilds the request without its signal: nothing but the driver can end its body's read. */
const dropsSignal: typeof fetch = (input, init) => {
  const request = new Request(input, init);
  return fetch(request.url, { method: request.method, headers: request.headers, redirect: 'manual' });
};

/** A DPoP proof refused (not a nonce): okta-oauth's credential re-signs only when the clock is off. */
const refusedProof = { 'www-authenticate': 'DPoP error="invalid_dpop_proof", algs="ES256"' };
/** A credential's challenge that reads the header, as okta-oauth's does, and asks for no retry (counted in `challenged`). */
let challenged = 0;
const nonceOnly = (response: Response): boolean => (challenged++, response.headers.get('www-authenticate')?.includes('use_dpop_nonce') === true);

const answers = [
  [500, 'API_ERROR', {}],
  [400, 'API_ERROR', {}],
  [429, 'RATE_LIMITED (retry: false)', {}],
  [401, "API_ERROR, the credential's challenge saying no", refusedProof],
] as const;
const fetchers = [
  ["the runtime's fetch", heeds],
  ['a fetch that drops the signal', dropsSignal],
] as const;

describe.each(Object.keys(drivers))('an error body the caller stops waiting for, through %s', (name) => {
  const rows = answers.flatMap(([answered, outcome, answerHeaders]) => fetchers.map(([via, fetcher]) => [answered, outcome, via, answerHeaders, fetcher] as const));
  it.each(rows)('a %i (else %s) through %s: ABORTED with the reason at the abort, the connection closed', async (answered, _, __, answerHeaders, fetcher) => {
    status = answered;
    headers = answerHeaders;
    challenged = 0;
    const seen = events;
    const caller = new AbortController();
    const reason = new Error('the caller left');
    // Aborted once the answer's head was seen (its response event), while its body is read.
    const logger = (event: OktaLogEvent): void => {
      if (event.type === 'response')
        setImmediate(() => {
          seen.push('abort');
          caller.abort(reason);
        });
    };
    const credential = countingCredential(origin, { challenge: nonceOnly });
    const driver = drivers[name]!({ credential, retry: false, timeoutMs: 600_000, logger, fetch: fetcher });
    const error = await driver.pages('/api/v1/users', { signal: caller.signal }).then(
      () => 'resolved',
      (thrown: unknown) => (seen.push('rejected'), thrown),
    );
    expect(error).toMatchObject({ code: 'ABORTED', cause: reason });
    // The credential was asked (a 400 or 401 only), and said no: the abort came while the body was read for the error.
    expect(challenged).toBe(answered === 400 || answered === 401 ? 1 : 0);
    // The read ended with the abort: the connection is closed, not held until timeoutMs.
    await closed;
    expect(seen.slice(0, 2)).toEqual(['head', 'abort']);
    expect(seen.slice(2).sort()).toEqual(['closed', 'rejected']);
  });
});
