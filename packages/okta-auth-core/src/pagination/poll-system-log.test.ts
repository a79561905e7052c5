/**
 * pollSystemLog over a fetcher of the test's own that answers Responses it builds (a cache or a
 * test double: no `url`, no network), so the wait after an empty page can be stepped with faked
 * timers and pages can hold what no org sends. Each case was a change of `poll-system-log.ts` that
 * no test noticed (docs/security-history.md, "Twentyfourth session: mutation testing, twelfth round").
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OktaAuthError } from '../errors/errors.js';
import { run } from '../test-helpers/outcome.js';
import type { PageFetcher } from './page.js';
import { pollSystemLog } from './poll-system-log.js';

const org = 'https://acme.okta.com';
const start = `${org}/api/v1/logs?since=2026-11-30T00:00:00Z`;

/** Page n (from 0) of `pages`, its next link `?after=n+1` (or `next(n)`); `asked` counts the requests. */
function scripted(pages: unknown[][], next: (n: number) => string | undefined = (n) => `${org}/api/v1/logs?after=${n + 1}`) {
  const asked: string[] = [];
  const fetcher: PageFetcher = (url) => {
    asked.push(url);
    const n = Number(new URL(url, org).searchParams.get('after') ?? '0');
    const link = next(n);
    return Promise.resolve(new Response(JSON.stringify(pages[n] ?? []), { headers: link === undefined ? {} : { link: `<${link}>; rel="next"` } }));
  };
  return { fetcher, asked };
}

/** The items of the stream until it ends, and how it ended (undefined: it returned). */
async function drained(fetcher: PageFetcher, url = start): Promise<{ items: unknown[]; error: OktaAuthError<string> | undefined }> {
  const items: unknown[] = [];
  const error = await run(async () => {
    for await (const page of pollSystemLog(fetcher, url, { intervalMs: 1000 })) {
      items.push(...page.items);
      if (page.items.length === 0) return;
    }
  });
  return { items, error };
}

const repeats = (n: number) => `Page ${n} of /api/v1/logs repeats only events already read (its cursor did not move past them); the stream stops.`;

afterEach(() => {
  vi.useRealTimers();
});

describe('pollSystemLog, the wait after an empty page', () => {
  it.each([
    ['intervalMs', { intervalMs: 5000 }, 5000],
    ['60 s (the documented default) without intervalMs', undefined, 60_000],
  ] as const)('follows the next link of an empty page only after %s', async (_, options, waitMs) => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { fetcher, asked } = scripted([[], [{ uuid: 'a' }]]);
    const stream = pollSystemLog(fetcher, start, options);
    expect((await stream.next()).value?.items).toEqual([]);
    const second = stream.next();
    await vi.advanceTimersByTimeAsync(waitMs - 1);
    expect(asked).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect((await second).value?.items).toEqual([{ uuid: 'a' }]);
    expect(asked).toHaveLength(2);
    await stream.return();
  });

  it('a signal fired during the wait ends it at once: ABORTED, no request, no timer left armed', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const stop = new AbortController();
    const { fetcher, asked } = scripted([[], [{ uuid: 'a' }]]);
    const stream = pollSystemLog(fetcher, start, { intervalMs: 86_400_000, signal: stop.signal });
    expect((await stream.next()).value?.items).toEqual([]);
    const second = stream.next().then(
      () => undefined,
      (error: unknown) => error as OktaAuthError<string>,
    );
    await vi.advanceTimersByTimeAsync(1000);
    expect(vi.getTimerCount()).toBe(1);
    stop.abort();
    expect((await second)?.code).toBe('ABORTED');
    expect(vi.getTimerCount()).toBe(0);
    expect(asked).toHaveLength(1);
  });
});

describe('pollSystemLog, the uuids it remembers', () => {
  it.each([
    ['null', null],
    ['a number', 7],
    ['a string', 'x'],
    ['an object without a uuid', { id: 1 }],
    ['an object whose uuid is an array', { uuid: ['a'] }],
    ['an object with an empty uuid', { uuid: '' }],
    ['an object with a uuid of 101 characters', { uuid: 'y'.repeat(101) }],
  ])('a page with an event that is %s is refused before it is yielded, naming the event', async (_, event) => {
    const { items, error } = await drained(scripted([[{ uuid: 'a' }], [{ uuid: 'b' }, { uuid: 'c' }, event]]).fetcher);
    expect(items).toEqual([{ uuid: 'a' }]);
    expect(error?.code).toBe('INVALID_RESPONSE');
    expect(error?.message).toMatch(/^Page 2 of \/api\/v1\/logs has an event \(item 3\) without a uuid of 1 to 100 characters, which every System Log event carries/);
  });

  it('keeps the last 10,000: the one before is forgotten (read again, yielded), the oldest kept is a repeat', async () => {
    const first = Array.from({ length: 10_001 }, (_, i) => ({ uuid: String(i) }));
    // After page 1: 1…10000 kept, 0 forgotten. After page 2 (0 again): 2…10000 and 0, so 2 is a repeat.
    const { items, error } = await drained(scripted([first, [{ uuid: '0' }], [{ uuid: '2' }]]).fetcher);
    expect(items.slice(10_001)).toEqual([{ uuid: '0' }]);
    expect(error?.message).toBe(repeats(3));
  });

  it('a uuid of 1 or of 100 characters is read and remembered', async () => {
    for (const uuid of ['x', 'x'.repeat(100)]) {
      const { items, error } = await drained(scripted([[{ uuid }], [{ uuid }]]).fetcher);
      expect(items).toEqual([{ uuid }]);
      expect(error?.message).toBe(repeats(2));
    }
  });
});

describe('pollSystemLog, the list it reads', () => {
  it("is the System Log's polling request when none is given", async () => {
    const { fetcher, asked } = scripted([[]]);
    const stream = pollSystemLog(fetcher);
    expect((await stream.next()).value?.items).toEqual([]);
    await stream.return();
    expect(asked).toEqual(['/api/v1/logs']);
  });

  it('of another list, a page without a next link ends the stream: only the System Log links one from every page', async () => {
    const { items, error } = await drained(scripted([[{ uuid: 'a' }]], () => undefined).fetcher, `${org}/api/v1/users`);
    expect(items).toEqual([{ uuid: 'a' }]);
    expect(error).toBeUndefined();
  });
});

describe('pollSystemLog over answers without a URL (a fetcher that builds its Responses)', () => {
  it('a polling page without a next link is INVALID_RESPONSE, judged by the URL asked', async () => {
    const { items, error } = await drained(scripted([[{ uuid: 'a' }]], () => undefined).fetcher);
    expect(items).toEqual([{ uuid: 'a' }]);
    expect(error?.message).toBe(`Page 1 of /api/v1/logs came without a next link, which Okta sends on every page of a polling request (no until); the stream stops. Resume from the last next link you saved.`);
  });

  it('a next link to another path is INVALID_RESPONSE, judged against the URL asked', async () => {
    const { fetcher, asked } = scripted([[{ uuid: 'a' }]], () => `${org}/api/v1/users?after=1`);
    const { items, error } = await drained(fetcher);
    expect(items).toEqual([]);
    expect(error?.message).toBe(`Page 1 of /api/v1/logs links its next page to another path than its own (Okta's next links keep the list's path); Okta sends no such link, and the walk stops.`);
    expect(asked).toEqual([start]);
  });
});
