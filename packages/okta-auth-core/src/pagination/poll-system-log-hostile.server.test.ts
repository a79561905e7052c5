/**
 * `pollSystemLog` against answers no Okta sends, on a scripted server over real HTTP: a page of
 * events linking to itself or repeating read events, a next link to another path or scheme, a
 * polling page without a next link, a fetcher that ignores the signal, errors that echo the token.
 */
import { json } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import type { OktaAuthError } from '../errors/errors.js';
import type { OktaLogEvent } from '../config/logger.js';
import { createOktaFetch } from '../request/okta-fetch.js';
import type { PageFetcher } from './page.js';
import { pollSystemLog } from './poll-system-log.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { rejection, run } from '../test-helpers/outcome.js';
import { printed } from '../test-helpers/printed.js';
import { useScriptedServer } from '../test-helpers/scripted-server.js';

const emulated = useApiTokenOrg();

describe('pollSystemLog against answers no Okta sends', () => {
  const hostile = useScriptedServer();

  it('a page of events linking to itself would read them again for ever: INVALID_RESPONSE after that one page', async () => {
    hostile.handle((request, res) => json(res, 200, [{ uuid: '1' }], { link: `<${hostile.url}${request.path}>; rel="next"` }));
    const fetcher = createOktaFetch({ credential: emulated.ssws(hostile.url) });
    let events = 0;
    const error = await rejection(async () => {
      for await (const page of pollSystemLog(fetcher, '/api/v1/logs?since=2026-11-30T00:00:00Z')) events += page.items.length;
    });
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.message).toBe('Page 1 of /api/v1/logs links back to a page already read (a pagination loop); the walk stops.');
    expect(events).toBe(1);
    expect(hostile.requests).toHaveLength(1);
  });

  it.each([
    ['A and B link to each other', false],
    ['an empty page links back to a page of events', true],
  ])('%s: INVALID_RESPONSE, not the same events read again for ever', async (_, emptyB) => {
    // Page A (one event) links to B, and B (one event, or none) links back to A.
    hostile.handle((request, res) => {
      const isB = request.path.includes('after=b');
      json(res, 200, isB && emptyB ? [] : [{ uuid: isB ? 'b' : 'a' }], { link: `<${hostile.url}/api/v1/logs?after=${isB ? 'a' : 'b'}>; rel="next"` });
    });
    const fetcher = createOktaFetch({ credential: emulated.ssws(hostile.url) });
    const uuids: string[] = [];
    const error = await rejection(async () => {
      for await (const page of pollSystemLog<{ uuid: string }>(fetcher, '/api/v1/logs?after=a', { intervalMs: 1000 })) {
        uuids.push(...page.items.map((event) => event.uuid));
        if (uuids.length > 3) return;
      }
    });
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.message).toBe('Page 2 of /api/v1/logs links back to a page already read (a pagination loop); the walk stops.');
    expect(uuids).toEqual(emptyB ? ['a'] : ['a', 'b']);
    expect(hostile.requests).toHaveLength(2);
  });

  /** The stream from `/api/v1/logs?since=…`, its uuids until `max` or its end, and how it ended. */
  async function streamed(fetcher: PageFetcher, max: number, signal?: AbortSignal): Promise<{ uuids: string[]; error: OktaAuthError<string> }> {
    const uuids: string[] = [];
    const error = await rejection(async () => {
      for await (const page of pollSystemLog<{ uuid: string }>(fetcher, '/api/v1/logs?since=2026-11-30T00:00:00Z', { intervalMs: 1000, signal })) {
        uuids.push(...page.items.map((event) => event.uuid));
        if (uuids.length >= max) return;
      }
    });
    return { uuids, error };
  }

  it.each([
    ['the same cursor under a new URL each time', (n: number) => [{ uuid: 'u1' }, { uuid: 'u2' }].slice(0, 1 + (n % 2)), (n: number) => `after=1&r=${n}`],
    ['a cursor going back to the start each time', () => [{ uuid: 'a' }, { uuid: 'b' }], (n: number) => `after=0&n=${n}`],
  ])('%s: the events already read end the stream with INVALID_RESPONSE, not read again at once for ever', async (_, events, query) => {
    let n = 0;
    hostile.handle((_request, res) => {
      n += 1;
      json(res, 200, events(n), { link: `<${hostile.url}/api/v1/logs?${query(n)}>; rel="next"` });
    });
    const { uuids, error } = await streamed(createOktaFetch({ credential: emulated.ssws(hostile.url) }), 10);
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.message).toBe('Page 2 of /api/v1/logs repeats only events already read (its cursor did not move past them); the stream stops.');
    expect(uuids).toEqual(events(1).map((event) => event.uuid));
    expect(hostile.requests).toHaveLength(2);
  });

  it('a page that repeats some events and brings new ones is yielded as sent', async () => {
    const pages = [[{ uuid: 'a' }, { uuid: 'b' }], [{ uuid: 'b' }, { uuid: 'c' }], []];
    hostile.handle((request, res) => {
      const n = Number(new URL(request.path, hostile.url).searchParams.get('after') ?? '0');
      json(res, 200, pages[n] ?? [], { link: `<${hostile.url}/api/v1/logs?after=${Math.min(n + 1, pages.length - 1)}>; rel="next"` });
    });
    const stop = new AbortController();
    const seen: unknown[] = [];
    const error = await rejection(async () => {
      for await (const page of pollSystemLog(createOktaFetch({ credential: emulated.ssws(hostile.url) }), '/api/v1/logs', { intervalMs: 1000, signal: stop.signal })) {
        seen.push(...page.items);
        if (page.items.length === 0) stop.abort();
      }
    });
    expect(error.code).toBe('ABORTED');
    expect(seen).toEqual(pages.flat());
  });

  // Every System Log event carries a uuid (Okta's LogEvent object; 36 characters): the stream tells
  // the events it read by it. An event without one could never be a repeat, so a cursor that did not
  // move would serve the same page of them again, at once, for ever.
  it.each([
    ['no uuid', () => ({ id: 1 })],
    ['a uuid that is a number', () => ({ uuid: 7 })],
    ['an empty uuid', () => ({ uuid: '' })],
    ['a uuid over 100 characters (the token echoed)', () => ({ uuid: emulated.token.padEnd(101, 'x') })],
    ['null', () => null],
  ])('a page with an event of %s (a cursor that does not move): INVALID_RESPONSE naming the uuid, nothing yielded', async (_, event) => {
    let n = 0;
    hostile.handle((_request, res) => {
      n += 1;
      json(res, 200, [{ uuid: 'u1' }, event()], { link: `<${hostile.url}/api/v1/logs?after=1&r=${n}>; rel="next"` });
    });
    const { uuids, error } = await streamed(createOktaFetch({ credential: emulated.ssws(hostile.url) }), 10);
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.message).toBe(
      "Page 1 of /api/v1/logs has an event (item 2) without a uuid of 1 to 100 characters, which every System Log event carries (Okta's have 36) and by which the stream tells new events from those already read; the stream stops. Poll Okta's /api/v1/logs, not a proxy or a list that drops the field.",
    );
    expect(uuids).toEqual([]);
    expect(hostile.requests).toHaveLength(1);
    for (const text of printed(error)) expect(text).not.toContain(emulated.token.slice(0, 12));
  });

  it('remembers the last 10,000 uuids: memory stays bounded whatever the pages hold', async () => {
    const pages = [Array.from({ length: 10_001 }, (_, i) => ({ uuid: String(i) })), [{ uuid: '0' }], [{ uuid: '10000' }]];
    hostile.handle((request, res) => {
      const n = Number(new URL(request.path, hostile.url).searchParams.get('after') ?? '0');
      json(res, 200, pages[n] ?? [], { link: `<${hostile.url}/api/v1/logs?after=${n + 1}>; rel="next"` });
    });
    const { uuids, error } = await streamed(createOktaFetch({ credential: emulated.ssws(hostile.url) }), 20_000);
    // The first uuid read was forgotten (10,001 came after it); the 10,000th still was.
    expect(uuids.slice(-2)).toEqual(['10000', '0']);
    expect(error.message).toBe('Page 3 of /api/v1/logs repeats only events already read (its cursor did not move past them); the stream stops.');
  });

  it.each([
    ['another path of the org', '/api/v1/users?after=1'],
    ['a path that only starts like the log', '/api/v1/logs/../users'],
  ])('a next link to %s: INVALID_RESPONSE before the page (the one next-link check of paginatePages), nothing sent there', async (_, target) => {
    hostile.handle((request, res) => json(res, 200, request.path.startsWith('/api/v1/logs') ? [{ uuid: 'u1' }] : [{ id: '00u1', uuid: 'user' }], { link: `<${hostile.url}${target}>; rel="next"` }));
    const { uuids, error } = await streamed(createOktaFetch({ credential: emulated.ssws(hostile.url) }), 10);
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.message).toBe("Page 1 of /api/v1/logs links its next page to another path than its own (Okta's next links keep the list's path); Okta sends no such link, and the walk stops.");
    expect(uuids).toEqual([]);
    expect(hostile.requests.map((request) => request.path)).toEqual(['/api/v1/logs?since=2026-11-30T00:00:00Z']);
  });

  it('a next link to another scheme is refused by the fetcher (another origin), nothing sent', async () => {
    hostile.handle((_request, res) => json(res, 200, [{ uuid: 'u1' }], { link: `<${hostile.url.replace('http:', 'https:')}/api/v1/logs?after=1>; rel="next"` }));
    const { uuids, error } = await streamed(createOktaFetch({ credential: emulated.ssws(hostile.url) }), 10);
    expect(error.code).toBe('ORIGIN_MISMATCH');
    expect(uuids).toEqual(['u1']);
    expect(hostile.requests).toHaveLength(1);
  });

  it('a signal that fires while the caller holds a page of events: ABORTED, no further request, even through a fetcher that ignores the signal', async () => {
    let n = 0;
    hostile.handle((_request, res) => {
      n += 1;
      json(res, 200, [{ uuid: `u${n}` }], { link: `<${hostile.url}/api/v1/logs?after=${n}>; rel="next"` });
    });
    const okta = createOktaFetch({ credential: emulated.ssws(hostile.url) });
    const ignoring: PageFetcher = (url) => okta(url);
    const stop = new AbortController();
    const uuids: string[] = [];
    const error = await rejection(async () => {
      for await (const page of pollSystemLog<{ uuid: string }>(ignoring, '/api/v1/logs', { signal: stop.signal })) {
        uuids.push(...page.items.map((event) => event.uuid));
        stop.abort();
        if (uuids.length > 3) return;
      }
    });
    expect(error.code).toBe('ABORTED');
    expect(uuids).toEqual(['u1']);
    expect(hostile.requests).toHaveLength(1);
  });

  it.each([
    [401, 'API_ERROR', { errorCode: 'E0000011', errorSummary: 'Invalid token provided' }],
    [503, 'API_ERROR', { errorCode: 'E0000010', errorSummary: 'Service is in read only mode' }],
    [429, 'RATE_LIMITED', { errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit due to too many requests.' }],
  ])('a %s while polling ends the stream with %s after the pages read, naming no next link', async (status, code, body) => {
    // A next link echoing the token is refused before it is followed (next-link.server.test.ts).
    hostile.handle((request, res) => {
      if (request.path.includes('after=')) json(res, status, body, { 'x-rate-limit-reset': '1' });
      else json(res, 200, [{ uuid: 'u1' }], { link: `<${hostile.url}/api/v1/logs?after=cursor-1>; rel="next"` });
    });
    const events: OktaLogEvent[] = [];
    const fetcher = createOktaFetch({ credential: emulated.ssws(hostile.url), retry: false, logger: (event) => events.push(event) });
    const { uuids, error } = await streamed(fetcher, 10);
    expect(error.code).toBe(code);
    expect(error).toMatchObject({ status });
    expect(uuids).toEqual(['u1']);
    expect(hostile.requests).toHaveLength(2);
    for (const text of [...printed(error), ...events.flatMap((event) => printed(event))]) expect(text).not.toContain(emulated.token.slice(0, 12));
    expect(error.message).not.toContain('cursor-1');
  });

  it.each([
    ['a polling request', '/api/v1/logs?since=2026-11-30T00:00:00Z', 'INVALID_RESPONSE'],
    ['a polling request with an empty until', '/api/v1/logs?until=', 'INVALID_RESPONSE'],
    ['a bounded request', '/api/v1/logs?since=2026-11-30T00:00:00Z&until=2026-12-01T00:00:00Z', 'ended'],
    ['a DESCENDING request', '/api/v1/logs?sortOrder=DESCENDING', 'ended'],
  ])('a page of %s (%s) without a next link: %s after that page', async (_, list, outcome) => {
    hostile.handle((_request, res) => json(res, 200, [{ uuid: 'u1' }]));
    const uuids: string[] = [];
    const ended = await run(async () => {
      for await (const page of pollSystemLog<{ uuid: string }>(createOktaFetch({ credential: emulated.ssws(hostile.url) }), list)) uuids.push(...page.items.map((event) => event.uuid));
    });
    expect(ended === undefined ? 'ended' : ended.code).toBe(outcome);
    if (ended !== undefined) expect(ended.message).toBe('Page 1 of /api/v1/logs came without a next link, which Okta sends on every page of a polling request (no until); the stream stops. Resume from the last next link you saved.');
    expect(uuids).toEqual(['u1']);
    expect(hostile.requests).toHaveLength(1);
  });

  // A polling stream stays one. The stream is what the caller asked for: a next link that makes it bounded (an until) or
  // DESCENDING cannot make a page without a next link the end of a polling stream.
  it.each([
    ['adds an until', 'until=2099-01-01T00:00:00Z'],
    ['turns it DESCENDING', 'sortOrder=DESCENDING'],
  ])('a polling stream stays one: a next link that %s, then a page without a next link, is INVALID_RESPONSE after that page, not a silent end', async (_, turn) => {
    hostile.handle((request, res) => {
      if (request.path.includes('after=1')) json(res, 200, [{ uuid: 'u2' }]);
      else json(res, 200, [{ uuid: 'u1' }], { link: `<${hostile.url}/api/v1/logs?after=1&${turn}>; rel="next"` });
    });
    const uuids: string[] = [];
    const ended = await run(async () => {
      for await (const page of pollSystemLog<{ uuid: string }>(createOktaFetch({ credential: emulated.ssws(hostile.url) }), '/api/v1/logs?since=2026-11-30T00:00:00Z')) uuids.push(...page.items.map((event) => event.uuid));
    });
    expect(ended?.code).toBe('INVALID_RESPONSE');
    expect(ended?.message).toBe('Page 2 of /api/v1/logs came without a next link, which Okta sends on every page of a polling request (no until); the stream stops. Resume from the last next link you saved.');
    expect(uuids).toEqual(['u1', 'u2']);
    expect(hostile.requests).toHaveLength(2);
  });
});
