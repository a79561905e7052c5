/**
 * Two copies of core in one app (two installs, a bundler's two chunks, a test runner's second load):
 * what one copy knows of an answer or an attempt, and its errors and `Secret`s, must hold when the
 * other copy reads them, over real HTTP on 127.0.0.1. Copy B is core's modules loaded again after
 * `vi.resetModules()`, as `rate-limit/branded-copies.isolated.test.ts` loads them: nothing shared but
 * the realm's global symbol registry. Before rev166a's fixes, a walk of one copy over the other's
 * client handed an echoed API token on as `page.next`, `OktaApiError.fromResponse` quoted it, a fetch
 * rejecting with the other copy's error was resent as `NETWORK_ERROR`, and the other copy's `Secret`
 * was none.
 */
import { json } from '@org/okta-test-utils';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { OktaApiError } from './api-error.js';
import { isOktaAuthError, OktaAuthError } from './errors.js';
import type { OktaLogEvent } from '../config/logger.js';
import { createOktaKy } from '../ky/create-okta-ky.js';
import { paginatePages, type Page, type PageFetcher } from '../pagination/paginate.js';
import { createOktaFetch } from '../request/okta-fetch.js';
import { isSecret, Secret } from '../secrets/secret-value.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { printed } from '../test-helpers/printed.js';
import { useScriptedServer } from '../test-helpers/scripted-server.js';
import type * as CoreModule from '../index.js';
import type * as KyModule from '../ky/index.js';

const emulated = useApiTokenOrg();
const hostile = useScriptedServer();

type Core = typeof CoreModule;
type Ky = typeof KyModule;
const copyA = { createOktaFetch, createOktaKy, paginatePages, OktaApiError, OktaAuthError, isOktaAuthError, Secret };
let copyB: Core & Ky;

beforeAll(async () => {
  vi.resetModules();
  const [core, ky] = await Promise.all([import('../index.js'), import('../ky/index.js')]);
  copyB = { ...core, ...ky };
  expect(copyB.createOktaFetch).not.toBe(createOktaFetch);
});

type Copy = Pick<Core & Ky, keyof typeof copyA>;
const copies = (): Record<'A' | 'B', Copy> => ({ A: copyA, B: copyB });

/** Each driver of `copy` as a page fetcher on the scripted org, with the emulated org's API token. */
const fetchers = (copy: Copy, logger?: (event: OktaLogEvent) => void): [string, PageFetcher][] => [
  ['createOktaFetch', copy.createOktaFetch({ credential: emulated.ssws(hostile.url), timeoutMs: 5_000, retry: false, logger })],
  ['createOktaKy', (url, init) => copy.createOktaKy({ credential: emulated.ssws(hostile.url), timeoutMs: 5_000, retry: false, logger })(url.replace(/^\//, ''), init)],
];

/** Both ways: the walker (or reader) of one copy over the client of the other. */
const crossed = [['A', 'B'], ['B', 'A']] as const;

describe.each(crossed)('a walk of copy %s over a client of copy %s', (walker, client) => {
  it('refuses a next link that echoes the API token (INVALID_RESPONSE, page.next never handed out), as over its own client', async () => {
    hostile.handle((request, res) => json(res, 200, [{ id: '00u1' }], { link: `<${hostile.url}/api/v1/users?after=${String(request.headers.authorization).slice(5)}>; rel="next"` }));
    for (const [driver, fetcher] of fetchers(copies()[client])) {
      const read: Page<unknown>[] = [];
      const error = await (async () => {
        for await (const page of copies()[walker].paginatePages(fetcher, '/api/v1/users')) read.push(page);
      })().catch((caught: unknown) => caught);
      expect({ driver, code: (error as OktaAuthError).code, next: read.map((page) => page.next) }).toEqual({ driver, code: 'INVALID_RESPONSE', next: [] });
      expect((error as Error).message).toBe('Page 1 of /api/v1/users links its next page to a URL that carries a secret the request sent (an echoed credential); Okta sends no such link, and the walk stops.');
    }
    expect(hostile.requests.map((request) => request.path)).toEqual(['/api/v1/users', '/api/v1/users']);
  });

  it('names the request in a stalled page body\'s TIMEOUT, as the other copy recorded it', async () => {
    hostile.handle((_request, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[{"id":');
    });
    const fetcher = copies()[client].createOktaFetch({ credential: emulated.ssws(hostile.url), timeoutMs: 300, retry: false });
    const read: Page<unknown>[] = [];
    const error = await (async () => {
      for await (const page of copies()[walker].paginatePages(fetcher, '/api/v1/users')) read.push(page);
    })().catch((caught: unknown) => caught);
    expect((error as OktaAuthError).code).toBe('TIMEOUT');
    expect((error as Error).message).toBe(`GET ${new URL(hostile.url).host}/api/v1/users got no complete answer within 300 ms (timeoutMs): the body stalled.`);
  });
});

describe.each(crossed)('OktaApiError.fromResponse of copy %s on an answer of copy %s (throwHttpErrors: false)', (reader, client) => {
  it('scrubs the API token the answer echoes from its message, causes, request id and JSON', async () => {
    hostile.handle((request, res) => {
      const sent = String(request.headers.authorization);
      json(res, 403, { errorCode: 'E0000006', errorSummary: `You do not have permission (${sent})`, errorCauses: [{ errorSummary: sent }] }, { 'x-okta-request-id': `r-${sent.slice(5)}` });
    });
    const url = new URL('/api/v1/users', hostile.url);
    const response = await copies()[client].createOktaFetch({ credential: emulated.ssws(hostile.url), throwHttpErrors: false })(url.pathname);
    const error = await copies()[reader].OktaApiError.fromResponse(response, { method: 'GET', url });
    expect(error.errorSummary).toBe(`You do not have permission ([redacted …${emulated.token.slice(-4)}])`);
    expect([...printed(error), JSON.stringify(error.errorCauses), String(error.requestId)].join('\n')).not.toContain(emulated.token.slice(0, 12));
  });
});

describe.each(['A', 'B'] as const)("a transport fetch that rejects with copy %s's OktaAuthError, through copy B's drivers", (thrower) => {
  it('reaches the caller as itself, sent once, its error event logged', async () => {
    const events: OktaLogEvent[] = [];
    let calls = 0;
    const thrown = new (copies()[thrower].OktaAuthError)('RATE_LIMITED', 'budget spent (from my fetch)');
    const fetch = () => (calls++, Promise.reject(thrown));
    const logger = (event: OktaLogEvent) => void events.push(event);
    const credential = emulated.ssws(hostile.url);
    const sends = {
      createOktaFetch: () => copyB.createOktaFetch({ credential, fetch, logger })('/api/v1/users'),
      createOktaKy: () => copyB.createOktaKy({ credential, fetch, logger }).get('api/v1/users'),
    };
    for (const [driver, send] of Object.entries(sends)) {
      calls = 0;
      events.length = 0;
      const error = await send().catch((caught: unknown) => caught);
      expect({ driver, same: error === thrown, calls }).toEqual({ driver, same: true, calls: 1 });
      expect(events.filter((event) => event.type === 'error')).toEqual([expect.objectContaining({ type: 'error', code: 'RATE_LIMITED' })]);
    }
  });
});

describe("the other copy's Secret", () => {
  it('is a Secret to this copy (isSecret), its value read through its own reveal()', () => {
    const other = new copyB.Secret('s3cr3t-value');
    expect(other).not.toBeInstanceOf(Secret);
    expect(isSecret(other) && isSecret(new Secret('x'))).toBe(true);
    expect(other.reveal()).toBe('s3cr3t-value');
  });

  it('refuses look-alikes: a plain object with the brand as a string key, a spread, a prototype without an instance; and each copy reveals only its own', () => {
    const own = new Secret('mine');
    const forged = { '@org/okta-auth-core/secret': true, reveal: () => 'forged' };
    expect([forged, Object.assign({}, own), Object.create(Secret.prototype), JSON.parse(JSON.stringify({ own })), 'text', null].map(isSecret)).toEqual([false, false, false, false, false, false]);
    const branded = Object.assign(Object.create(null) as object, { [Symbol.for('@org/okta-auth-core/secret')]: true });
    expect(() => copyB.Secret.prototype.reveal.call(branded as unknown as Secret)).toThrow(TypeError);
    expect(() => copyB.Secret.prototype.reveal.call(own)).toThrow(TypeError);
    expect(() => Secret.prototype.reveal.call(new copyB.Secret('theirs'))).toThrow(TypeError);
  });
});
