/**
 * The one reader of a page (`page.ts` `readPage`, behind `paginate` and `pollSystemLog`), over real
 * HTTP: what it refuses and how it names the refusal. Against @org/okta-emulator and its faults;
 * a relative `next` link (no Okta sends one) on the scripted server; a Link header over 64 KiB and a
 * page over 32 MiB from a fetcher of the caller's own (Node's fetch refuses headers over 16 KiB before
 * any page is read; other runtimes and fetchers need not).
 */
import { json, startScriptedServer } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { createOktaFetch } from '../request/okta-fetch.js';
import { paginate, paginatePages, type PageFetcher } from './paginate.js';
import { pollSystemLog } from './poll-system-log.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { rejection } from '../test-helpers/outcome.js';
import { printed } from '../test-helpers/printed.js';

const emulated = useApiTokenOrg();
// Its calls must succeed (or be refused for what they read): 30 s for the org's answers on a loaded machine.
const okta = () => createOktaFetch({ credential: emulated.ssws(emulated.org.url), timeoutMs: 30_000 });
async function walk(fetcher: PageFetcher, path: string, signal?: AbortSignal): Promise<unknown[]> {
  const items: unknown[] = [];
  for await (const item of paginate(fetcher, path, { signal })) items.push(item);
  return items;
}

describe('readPage', () => {
  it('refuses a page that is a JSON object, pointing to objectPages, quoting none of it', async () => {
    emulated.org.injectFault({ path: '/api/v1/users', kind: 'status', status: 200, body: { id: '00u1' }, count: 1 });
    const error = await rejection(walk(okta(), '/api/v1/users?limit=2'));
    expect([error.code, error.message]).toEqual(['INVALID_RESPONSE', 'Page 1 of /api/v1/users was not a JSON array: is this a list endpoint? See objectPages.']);
  });

  it('refuses a page that is not JSON, quoting none of it', async () => {
    emulated.org.injectFault({ path: '/api/v1/users', kind: 'non-json', count: 1 });
    const error = await rejection(walk(okta(), '/api/v1/users'));
    expect([error.code, error.message, error.cause]).toEqual(['INVALID_RESPONSE', 'Page 1 of /api/v1/users was not valid JSON.', undefined]);
  });

  it('ends at a page cut short by a closed connection with NETWORK_ERROR, as a reset (page152: not INVALID_RESPONSE)', async () => {
    emulated.org.injectFault({ path: '/api/v1/users', kind: 'truncate', count: 1 });
    const error = await rejection(walk(okta(), '/api/v1/users'));
    expect([error.code, error.message]).toEqual(['NETWORK_ERROR', `GET ${new URL(emulated.org.url).host}/api/v1/users: the connection closed before the whole answer was read.`]);
  });

  it("hands the caller's signal to the fetcher: an abort stops a page that never comes", async () => {
    emulated.org.injectFault({ path: '/api/v1/users', kind: 'latency', latencyMs: 60_000, count: 1 });
    const controller = new AbortController();
    const base = okta();
    // Aborted once the page is asked for: a fetcher that never saw the signal would wait the minute out.
    const fetcher: PageFetcher = (url, init) => {
      const answer = base(url, init);
      controller.abort();
      return answer;
    };
    const walking = walk(fetcher, '/api/v1/users', controller.signal);
    expect((await rejection(walking)).code).toBe('ABORTED');
  });

  it('asks for no page once the signal fired while the caller held the last one, even through a fetcher that ignores it', async () => {
    emulated.org.seedUsers(3);
    emulated.org.resetCounters();
    const controller = new AbortController();
    const base = okta();
    const ignoring: PageFetcher = (url) => base(url);
    const items: unknown[] = [];
    const walking = (async () => {
      for await (const page of paginatePages(ignoring, '/api/v1/users?limit=1', { signal: controller.signal })) {
        items.push(...page.items);
        controller.abort();
      }
    })();
    expect((await rejection(walking)).code).toBe('ABORTED');
    expect(items).toHaveLength(1);
    expect(emulated.org.counters().requests['GET /api/v1/users']).toBe(1);
  });

  it('keeps a body that stalls a TIMEOUT, not an unreadable page', async () => {
    const server = await startScriptedServer((_request, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[1,');
    });
    try {
      const stalled = createOktaFetch({ credential: emulated.ssws(server.origin), timeoutMs: 1_000 });
      expect((await rejection(walk(stalled, '/api/v1/users'))).code).toBe('TIMEOUT');
    } finally {
      await server.close();
    }
  });

  it("resolves a relative next link against the answer's URL", async () => {
    const server = await startScriptedServer((request, res) => {
      json(res, 200, [request.path], request.path.includes('after') ? {} : { link: '</api/v1/users?after=2>; rel="next"' });
    });
    try {
      const fetcher: PageFetcher = (url, init) => fetch(new URL(url, server.origin), init);
      expect(await walk(fetcher, '/api/v1/users')).toEqual(['/api/v1/users', '/api/v1/users?after=2']);
    } finally {
      await server.close();
    }
  });

  it('resolves a relative next link against the path asked for when the answer has no URL (a fetch that rebuilds its Response)', async () => {
    const server = await startScriptedServer((request, res) => {
      json(res, 200, [request.path], request.path.includes('after') ? {} : { link: '<?limit=1&after=2>; rel="next"' });
    });
    try {
      // A `fetch` option that builds a new Response (to change a header, from a cache): its `url` is ''.
      const rebuilt = async (input: RequestInfo | URL, init?: RequestInit) => {
        const answer = await fetch(input, init);
        return new Response(answer.body, answer);
      };
      const fetcher = createOktaFetch({ credential: emulated.ssws(server.origin), timeoutMs: 30_000, fetch: rebuilt });
      expect(await walk(fetcher, '/api/v1/users?limit=1')).toEqual(['/api/v1/users?limit=1', '/api/v1/users?limit=1&after=2']);
      const pages: (string | undefined)[] = [];
      for await (const page of paginatePages(fetcher, '/api/v1/users?limit=1')) pages.push(page.next);
      expect(pages).toEqual(['/api/v1/users?limit=1&after=2', undefined]);
    } finally {
      await server.close();
    }
  });

  // RFC 8288 §3.2 and RFC 3986 §5: a relative target resolves against the link's context, the URL
  // the page was asked for (its path prefix and query kept), not the list's path or the org's origin.
  it('resolves a relative next link against the full URL asked for (a path prefix and query), with or without a URL on the answer', async () => {
    const server = await startScriptedServer((request, res) => {
      json(res, 200, [request.path], request.path.includes('after') ? {} : { link: '<?limit=1&after=2>; rel="next"' });
    });
    try {
      const list = `${server.origin}/okta/api/v1/users?limit=1`;
      const rebuilt = async (input: RequestInfo | URL, init?: RequestInit) => {
        const answer = await fetch(input, init);
        return new Response(answer.body, answer);
      };
      // The answer's URL (fetch's own Response), and none (a `fetch` that rebuilds it): the URL asked for.
      for (const fetcher of [createOktaFetch({ credential: emulated.ssws(server.origin), timeoutMs: 30_000 }), createOktaFetch({ credential: emulated.ssws(server.origin), timeoutMs: 30_000, fetch: rebuilt })]) {
        const pages: [unknown[], string | undefined][] = [];
        for await (const page of paginatePages(fetcher, list)) pages.push([page.items, page.next]);
        expect(pages).toEqual([[['/okta/api/v1/users?limit=1'], `${server.origin}/okta/api/v1/users?limit=1&after=2`], [['/okta/api/v1/users?limit=1&after=2'], undefined]]);
      }
    } finally {
      await server.close();
    }
  });

  it("refuses a Link header over 64 KiB and a page over 32 MiB from a fetcher of the caller's own", async () => {
    const link = (length: number, rel = 'next') => `<https://acme.okta.com/api/v1/users?after=${'x'.repeat(length - 55)}>; rel="${rel}"`;
    const answer = (body: BodyInit, headers: Record<string, string> = {}) => new Response(body, { headers: { 'content-type': 'application/json', ...headers } });
    const fetcher = (headers: Record<string, string>): PageFetcher => () => Promise.resolve(answer('[1]', headers));
    expect(await walk(fetcher({ link: link(65_536, 'last') }), '/api/v1/users')).toEqual([1]);
    const long = await rejection(walk(fetcher({ link: link(65_537) }), '/api/v1/users'));
    expect(long.message).toBe('Page 1 of /api/v1/users came with a Link header of 65537 characters (over 65536); the walk stops.');
    const chunk = new TextEncoder().encode('1,'.repeat(32 * 1024));
    let sent = 0;
    const huge = new ReadableStream<Uint8Array>({
      pull(stream) {
        stream.enqueue(sent === 0 ? new TextEncoder().encode('[') : chunk);
        sent += 1;
      },
    });
    const big = await rejection(walk(() => Promise.resolve(answer(huge)), '/api/v1/users'));
    expect(big.message).toBe('Page 1 of /api/v1/users is larger than 32 MiB; ask for smaller pages (limit).');
    expect(sent).toBeLessThan(600);
  });
});

describe("a walk's arguments, checked once per call", () => {
  it('null options are no options (a JavaScript caller): paginate, paginatePages and pollSystemLog walk the list', async () => {
    emulated.org.seedUsers(2); // and the org's seeded super admin: 3 users
    const items: unknown[] = [];
    for await (const item of paginate(okta(), '/api/v1/users?limit=2', null as never)) items.push(item);
    expect(items).toHaveLength(3);
    // A URL, not only a path, is a list.
    const fromUrl: unknown[] = [];
    for await (const item of paginate(okta(), new URL('/api/v1/users?limit=2', emulated.org.url))) fromUrl.push(item);
    expect(fromUrl).toHaveLength(3);
    const pages: number[] = [];
    for await (const page of paginatePages(okta(), '/api/v1/users?limit=2', null as never)) pages.push(page.items.length);
    expect(pages).toEqual([2, 1]);
    for await (const page of pollSystemLog(okta(), '/api/v1/logs', null as never)) {
      expect(Array.isArray(page.items)).toBe(true);
      break;
    }
  });

  it('each walk names itself in its refusal, before any request', async () => {
    emulated.org.resetCounters();
    const walks = { paginate, paginatePages, pollSystemLog } as const;
    for (const [by, walkOf] of Object.entries(walks)) {
      const error = await rejection(walkOf(undefined as unknown as PageFetcher, '/api/v1/users').next());
      expect([error.code, error.message]).toEqual(['INVALID_CONFIG', `${by}(fetcher, list) takes your fetcher, such as createOktaFetch({ credential }), and the list's path or URL, such as '/api/v1/users'.`]);
    }
    // A list that is neither text nor a URL: the walk's words, not the URL check's.
    for (const [by, walkOf] of Object.entries(walks)) {
      const error = await rejection(walkOf(okta(), 42 as never).next());
      expect(error.message).toBe(`${by}(fetcher, list) takes your fetcher, such as createOktaFetch({ credential }), and the list's path or URL, such as '/api/v1/users'.`);
    }
    for (const walkOf of [paginate, paginatePages]) {
      const error = await rejection(walkOf(okta(), '/api/v1/users', { maxPages: 0 }).next());
      expect([error.code, error.message]).toEqual(['INVALID_CONFIG', 'The maxPages option must be a whole number from 1 to Infinity.']);
    }
    expect(emulated.org.counters().requests).toEqual({});
  });

  it('a list URL that does not parse is INVALID_CONFIG naming the walk, in every walk, quoting nothing of it', async () => {
    // A saved next link, tampered with or cut (a System Log stream resumes from one): the runtime's
    // TypeError quotes it whole (`input`), and it may hold a secret pasted into the query.
    const secret = 'a-secret-pasted-in-a-saved-link-0123456789';
    emulated.org.resetCounters();
    const walks = { pollSystemLog, paginate, paginatePages } as const;
    for (const list of ['https://[', `${emulated.org.url}:99999/api/v1/logs?after=${secret}`]) {
      for (const [by, walkOf] of Object.entries(walks)) {
        const error = await rejection(walkOf(okta(), list).next());
        expect([error.code, error.message]).toEqual(['INVALID_CONFIG', `The URL passed to ${by} is not a valid URL: pass a path such as "/api/v1/users" or a URL on the org.`]);
        expect(printed(error).join('\n')).not.toContain(secret);
      }
    }
    expect(emulated.org.counters().requests).toEqual({});
  });
});
