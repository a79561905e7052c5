/**
 * The one check of a `next` link (`page.ts` `nextLinkProblem`, behind `paginatePages`, `paginate`
 * and `pollSystemLog`), over real HTTP against a scripted org on 127.0.0.1 (no Okta links another
 * path or echoes a token): a link to another path of the org, or carrying a secret the request
 * sent, is `INVALID_RESPONSE` before the page is handed out, naming the caller's list, never the
 * link; nothing is sent to it. Both drivers (`createOktaFetch`, a `createOktaKy` instance).
 */
import { json, failure } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { isOktaAuthError } from '../errors/errors.js';
import { createOktaKy } from '../ky/create-okta-ky.js';
import { createOktaFetch } from '../request/okta-fetch.js';
import { paginatePages, type Page, type PageFetcher } from './paginate.js';
import { pollSystemLog } from './poll-system-log.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { printed } from '../test-helpers/printed.js';
import { useScriptedServer } from '../test-helpers/scripted-server.js';

const emulated = useApiTokenOrg();
const hostile = useScriptedServer();

/** Each driver's fetcher for `origin`: the scripted org's, or the emulated org's. */
const drivers: [string, (origin?: string) => PageFetcher][] = [
  ['createOktaFetch', (origin = hostile.url) => createOktaFetch({ credential: emulated.ssws(origin), timeoutMs: 5_000, retry: false })],
  ['createOktaKy', (origin = hostile.url) => {
    const api = createOktaKy({ credential: emulated.ssws(origin), timeoutMs: 5_000, retry: false });
    return (url, init) => api(url.replace(/^\//, ''), init);
  }],
];

/** The pages a walk handed out and how it ended (it must end in an OktaAuthError). */
async function walked(pages: AsyncIterable<Page<unknown>>): Promise<{ read: Page<unknown>[]; error: Error & { code?: string } }> {
  const read: Page<unknown>[] = [];
  const error = await failure(
    (async () => {
      for await (const page of pages) read.push(page);
    })(),
    isOktaAuthError,
  );
  return { read, error };
}

describe.each(drivers)('%s: a next link', (_driver, fetcher) => {
  it('to another path of the org (users from a list of groups): INVALID_RESPONSE before the page is yielded, nothing sent there', async () => {
    hostile.handle((_request, res) => json(res, 200, [{ id: '00g1' }], { link: `<${hostile.url}/api/v1/users?after=1>; rel="next"` }));
    const { read, error } = await walked(paginatePages(fetcher(), '/api/v1/groups?limit=1'));
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.message).toBe("Page 1 of /api/v1/groups links its next page to another path than its own (Okta's next links keep the list's path); Okta sends no such link, and the walk stops.");
    expect(read).toEqual([]);
    expect(hostile.requests.map((request) => request.path)).toEqual(['/api/v1/groups?limit=1']);
  });

  it('on the same path, with a new cursor, is followed', async () => {
    hostile.handle((request, res) => json(res, 200, [request.path], request.path.includes('after') ? {} : { link: `<${hostile.url}/api/v1/groups?limit=1&after=00g1>; rel="next"` }));
    const read: unknown[] = [];
    for await (const page of paginatePages(fetcher(), '/api/v1/groups?limit=1')) read.push(...page.items);
    expect(read).toEqual(['/api/v1/groups?limit=1', '/api/v1/groups?limit=1&after=00g1']);
  });

  it.each([
    ['the API token in its query', (token: string) => `/api/v1/users?after=1&echo=${token}`],
    ['the whole Authorization value, URL-encoded, in its query', (token: string) => `/api/v1/users?after=${encodeURIComponent(`SSWS ${token}`)}`],
    ['the API token in its fragment', (token: string) => `/api/v1/users?after=1#${token}`],
    // Changed forms (twentyfifth session): the one scrubber finds them, so the check does.
    ['the API token upper-cased', (token: string) => `/api/v1/users?after=${token.toUpperCase()}`],
    ['the API token percent-encoded whole, in lower-case hex', (token: string) => `/api/v1/users?after=${token.replace(/[^]/g, (c) => `%${c.charCodeAt(0).toString(16)}`)}`],
    ['the base64url of the Authorization header', (token: string) => `/api/v1/users?after=${btoa(`authorization: SSWS ${token}`).replace(/\+/g, '-').replace(/\//g, '_').replace(/=/g, '')}`],
  ])('carrying %s: INVALID_RESPONSE without it, before page.next reaches the caller, nothing sent', async (_name, link) => {
    hostile.handle((_request, res) => json(res, 200, [{ id: '00u1' }], { link: `<${hostile.url}${link(emulated.token)}>; rel="next"` }));
    const { read, error } = await walked(paginatePages(fetcher(), '/api/v1/users'));
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.message).toBe('Page 1 of /api/v1/users links its next page to a URL that carries a secret the request sent (an echoed credential); Okta sends no such link, and the walk stops.');
    expect(printed(error).join('\n')).not.toContain(emulated.token.slice(0, 10));
    expect(read).toEqual([]);
    expect(hostile.requests).toHaveLength(1);
  });

  it('linking the page itself under a new fragment each time (the same request, a fragment is never sent): the loop it is, no endless walk', async () => {
    let fragment = 0;
    hostile.handle((_request, res) => {
      fragment += 1;
      json(res, 200, [{ id: '00u1' }], { link: `<${hostile.url}/api/v1/users?after=1#${fragment}>; rel="next"` });
    });
    const { read, error } = await walked(paginatePages(fetcher(), '/api/v1/users', { maxPages: 10 }));
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.message).toBe('Page 2 of /api/v1/users links back to a page already read (a pagination loop); the walk stops.');
    // The next link handed out is the request it makes: no fragment to save.
    expect(read.map((page) => page.next)).toEqual([`${hostile.url}/api/v1/users?after=1`, `${hostile.url}/api/v1/users?after=1`]);
    expect(hostile.requests.map((request) => request.path)).toEqual(['/api/v1/users', '/api/v1/users?after=1']);
  });

  it('to http://path.invalid, the base a walk by path resolves against: handed on as that URL (ORIGIN_MISMATCH), never made a path of the org', async () => {
    hostile.handle((_request, res) => json(res, 200, [{ id: '00u1' }], { link: '<http://path.invalid/api/v1/users?after=1>; rel="next"' }));
    const { read, error } = await walked(paginatePages(fetcher(), '/api/v1/users'));
    expect(read.map((page) => page.next)).toEqual(['http://path.invalid/api/v1/users?after=1']);
    expect(error.code).toBe('ORIGIN_MISMATCH');
    expect(hostile.requests.map((request) => request.path)).toEqual(['/api/v1/users']);
  });

  it("with an anchor (the next page of another resource, RFC 8288 §3.2): not this page's next link, so the walk ends there, nothing sent to it", async () => {
    const { org } = emulated;
    const link = `<${org.url}/api/v1/users?after=00u9&limit=1>; rel="next"; anchor="${org.url}/api/v1/groups"`;
    org.injectFault({ path: '/api/v1/users', kind: 'headers', headers: { Link: link }, count: 1 });
    org.resetCounters();
    const read: Page<unknown>[] = [];
    for await (const page of paginatePages(fetcher(org.url), '/api/v1/users?limit=1')) read.push(page);
    expect(read.map((page) => page.next)).toEqual([undefined]);
    expect(org.counters().requests['GET /api/v1/users']).toBe(1);
  });

  it('of the System Log to another path or carrying the token: pollSystemLog refuses it by the same check, before the page', async () => {
    for (const target of ['/api/v1/users?after=1', `/api/v1/logs?after=${emulated.token}`]) {
      hostile.handle((_request, res) => json(res, 200, [{ uuid: 'u1' }], { link: `<${hostile.url}${target}>; rel="next"` }));
      const { read, error } = await walked(pollSystemLog(fetcher(), '/api/v1/logs?since=2026-11-30T00:00:00Z', { intervalMs: 1000 }));
      expect(error.code).toBe('INVALID_RESPONSE');
      expect(error.message).toMatch(/^Page 1 of \/api\/v1\/logs links its next page to (another path than its own|a URL that carries a secret the request sent)/);
      expect(printed(error).join('\n')).not.toContain(emulated.token.slice(0, 10));
      expect(read).toEqual([]);
    }
    expect(hostile.requests).toHaveLength(2);
  });
});

describe('a next link of a page no driver of core got (your own fetcher)', () => {
  // What that fetcher sent is unknown here (no copy of core recorded the answer): a link it cannot check is not followed elsewhere.
  const ownFetcher: PageFetcher = (url, init) => fetch(new URL(url, hostile.url), { ...init, headers: { authorization: `SSWS ${emulated.token}` } });

  it('to another origin: INVALID_RESPONSE saying it is unchecked, before the page is yielded, nothing sent there', async () => {
    const { org } = emulated;
    hostile.handle((_request, res) => json(res, 200, [{ id: '00u1' }], { link: `<${org.url}/api/v1/users?after=00u1>; rel="next"` }));
    org.resetCounters();
    const { read, error } = await walked(paginatePages(ownFetcher, '/api/v1/users'));
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.message).toBe('Page 1 of /api/v1/users links its next page to another origin than its own (unchecked: a page your own fetcher got); Okta sends no such link, and the walk stops.');
    expect(read).toEqual([]);
    expect(org.counters().requests['GET /api/v1/users']).toBeUndefined();
  });

  it('on the same path, with a new cursor, is followed as before', async () => {
    hostile.handle((request, res) => json(res, 200, [request.path], request.path.includes('after') ? {} : { link: `<${hostile.url}/api/v1/users?after=00u1>; rel="next"` }));
    const read: unknown[] = [];
    for await (const page of paginatePages(ownFetcher, '/api/v1/users')) read.push(...page.items);
    expect(read).toEqual(['/api/v1/users', '/api/v1/users?after=00u1']);
  });
});

describe('a next link of a page your own fetcher got as a Response it built (no url), the list given by path', () => {
  // Such an answer has no origin of its own, and no copy of core recorded it: the link is handed on
  // as its path and query, which your fetcher resolves against its own base, as it did the list.
  // Before mend166 its origin was taken as the link's own, so one to another origin was handed out
  // and followed there, with your fetcher's token (rev166c).
  const rebuilt: PageFetcher = async (url, init) => {
    const answer = await fetch(new URL(url, hostile.url), { ...init, headers: { authorization: `SSWS ${emulated.token}` } });
    return new Response(await answer.text(), { status: answer.status, headers: answer.headers });
  };
  /** The scripted org's handler: each page its own path, a `next` link from the first page only. */
  const firstLinks = (link: () => string) => hostile.handle((request, res) => json(res, 200, [request.path], request.path.includes('after') ? {} : { link: `<${link()}>; rel="next"` }));

  it("to another origin: followed as a path on your fetcher's own base, nothing sent to that origin", async () => {
    const { org } = emulated;
    firstLinks(() => `${org.url}/api/v1/users?after=00u1`);
    org.resetCounters();
    const read: Page<unknown>[] = [];
    for await (const page of paginatePages(rebuilt, '/api/v1/users')) read.push(page);
    expect(read.map((page) => [page.items, page.next])).toEqual([[['/api/v1/users'], '/api/v1/users?after=00u1'], [['/api/v1/users?after=00u1'], undefined]]);
    expect(org.counters().requests['GET /api/v1/users']).toBeUndefined();
  });

  it("on your fetcher's own origin (Okta's links are absolute): followed, page.next its path", async () => {
    firstLinks(() => `${hostile.url}/api/v1/users?limit=1&after=00u1`);
    const read: Page<unknown>[] = [];
    for await (const page of paginatePages(rebuilt, '/api/v1/users?limit=1')) read.push(page);
    expect(read.map((page) => page.next)).toEqual(['/api/v1/users?limit=1&after=00u1', undefined]);
    expect(hostile.requests.map((request) => request.path)).toEqual(['/api/v1/users?limit=1', '/api/v1/users?limit=1&after=00u1']);
  });

  it('to another path, on another origin: INVALID_RESPONSE before the page, as on its own', async () => {
    firstLinks(() => `${emulated.org.url}/api/v1/groups?after=00g1`);
    const { read, error } = await walked(paginatePages(rebuilt, '/api/v1/users'));
    expect([error.code, error.message]).toEqual(['INVALID_RESPONSE', "Page 1 of /api/v1/users links its next page to another path than its own (Okta's next links keep the list's path); Okta sends no such link, and the walk stops."]);
    expect(read).toEqual([]);
  });

  it('the list given by its URL: a link to another origin is still refused, unchecked', async () => {
    firstLinks(() => `${emulated.org.url}/api/v1/users?after=00u1`);
    const { read, error } = await walked(paginatePages(rebuilt, `${hostile.url}/api/v1/users`));
    expect(error.message).toBe('Page 1 of /api/v1/users links its next page to another origin than its own (unchecked: a page your own fetcher got); Okta sends no such link, and the walk stops.');
    expect(read).toEqual([]);
  });
});
