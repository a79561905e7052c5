/**
 * Thirteenth session: a request path that carries the API token, against a hostile org on
 * 127.0.0.1. A `next` link is the server's choice (paginate follows it as it is), so a server can
 * build a path from what the request carried. Every message, field and log event that names the
 * attempt (`GET /path`) quoted that path unscrubbed: `OktaApiError`'s message and `path`,
 * `REDIRECT_BLOCKED`, `TIMEOUT`/`NETWORK_ERROR`, and each log event's `url`. The path is now
 * scrubbed of the attempt's secrets (`attemptName`/`shownPath`), in both drivers.
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

type Call = (path: string, logger: (event: OktaLogEvent) => void) => Promise<unknown>;
const drivers: [string, Call][] = [
  ['createOktaFetch', async (path, logger) => (await createOktaFetch({ credential: credential(), logger, timeoutMs: 500, retry: false })(path)).json()],
  ['createOktaKy', (path, logger) => createOktaKy({ credential: credential(), logger, timeoutMs: 500, retry: false }).get(path.slice(1)).json()],
];

const answers: [string, string, HostileRoute][] = [
  ['a 404', 'API_ERROR', (_request, res) => json(res, 404, { errorCode: 'E0000007', errorSummary: 'Not found' })],
  ['a redirect', 'REDIRECT_BLOCKED', (_request, res) => {
    res.writeHead(302, { location: `${org.url}/elsewhere` });
    res.end();
  }],
  ['no answer', 'TIMEOUT', () => undefined],
  ['a reset connection', 'NETWORK_ERROR', (_request, res) => {
    res.destroy();
  }],
];

/** No printed form (message, fields, causes, JSON, inspect) of any artefact holds the token. */
function expectNoToken(artefacts: unknown[]): void {
  for (const artefact of artefacts) {
    for (const [form, text] of printedForms(artefact)) expect(text, form).not.toContain(token);
  }
}

describe.each(drivers)('%s: a path carrying the token', (_name, call) => {
  it.each(answers)('%s: %s, the path scrubbed in the error and every log event', async (_answer, code, route) => {
    org.route(echoPath, route);
    const events: OktaLogEvent[] = [];
    const result = await outcome(call(echoPath, (event) => events.push(event)));
    const error = (result.ok ? undefined : result.error) as { code?: string; message: string; path?: string };
    expect(error.code).toBe(code);
    expect(error.message).toContain('/api/v1/echo/[redacted');
    if (code === 'API_ERROR') expect(error.path).toMatch(/^\/api\/v1\/echo\/\[redacted …[^\]]+\]$/);
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) expect((event as { url?: string }).url).toMatch(/\/api\/v1\/echo\/\[redacted …[^\]]+\]$/);
    expectNoToken([error, ...events]);
  });
});

it('a next link that echoes the token: the failing page is named without it', async () => {
  org.route('/api/v1/users', (_request, res) => json(res, 200, [{ id: 1 }], { link: `<${org.url}${echoPath}>; rel="next"` }));
  org.route(echoPath, (_request, res) => json(res, 404, { errorCode: 'E0000007', errorSummary: 'Not found' }));
  const events: OktaLogEvent[] = [];
  const okta = createOktaFetch({ credential: credential(), logger: (event) => events.push(event), retry: false });
  const read: unknown[] = [];
  const result = await outcome(
    (async () => {
      for await (const page of paginatePages(okta, '/api/v1/users')) read.push(page);
    })(),
  );
  expect(read).toHaveLength(1);
  expect(result.ok).toBe(false);
  expect((result.ok ? undefined : result.error) as { status?: number }).toMatchObject({ status: 404 });
  expectNoToken([result.ok ? undefined : result.error, ...events]);
});
