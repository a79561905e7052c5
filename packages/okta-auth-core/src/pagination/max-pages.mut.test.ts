/**
 * `maxPages` at its edges (mutation testing, twenty-ninth round, docs/security-history.md): 1 is
 * taken and reads one page, `n` reads `n` pages of an endless chain and ends without an error, 0 and
 * 1.5 are `INVALID_CONFIG` before any request. A fetcher of our own answers at once: no network.
 */
import { describe, expect, it } from 'vitest';
import { isOktaAuthError } from '../errors/errors.js';
import { paginate, paginatePages, type PageFetcher } from './paginate.js';

const origin = 'https://acme.okta.com';

/** An endless chain: every page links the next one; `asked` counts the requests. */
function endless(): { fetcher: PageFetcher; asked: string[] } {
  const asked: string[] = [];
  const fetcher: PageFetcher = (url) => {
    asked.push(url);
    // A walk past its maxPages fails here, rather than running for ever.
    if (asked.length > 10) return Promise.reject(new Error('read past maxPages'));
    const at = new URL(url, origin);
    const after = Number(at.searchParams.get('after') ?? '0');
    const response = new Response(JSON.stringify([{ id: after }]), {
      headers: { 'content-type': 'application/json', link: `<${origin}/api/v1/users?after=${after + 1}>; rel="next"` },
    });
    Object.defineProperty(response, 'url', { value: at.href });
    return Promise.resolve(response);
  };
  return { fetcher, asked };
}

async function ids(maxPages: number): Promise<{ ids: unknown[]; asked: number }> {
  const { fetcher, asked } = endless();
  const read: unknown[] = [];
  for await (const user of paginate<{ id: number }>(fetcher, '/api/v1/users', { maxPages })) read.push(user.id);
  return { ids: read, asked: asked.length };
}

describe('maxPages', () => {
  it('reads exactly maxPages pages of an endless chain, 1 included, and ends without an error', async () => {
    expect(await ids(1)).toEqual({ ids: [0], asked: 1 });
    expect(await ids(3)).toEqual({ ids: [0, 1, 2], asked: 3 });
  });

  it.each([0, 1.5, -1, Number.NaN])('refuses %s before any request', async (maxPages) => {
    const { fetcher, asked } = endless();
    const error = await paginatePages(fetcher, '/api/v1/users', { maxPages }).next().then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(isOktaAuthError(error) ? [error.code, error.message] : error).toEqual(['INVALID_CONFIG', 'The maxPages option must be a whole number from 1 to Infinity.']);
    expect(asked).toEqual([]);
  });

  // count166: core's one check of a count reads null as none, as it reads an options argument given null.
  it('null is no bound, as undefined: the walk reads on', async () => {
    const { fetcher, asked } = endless();
    const first = await paginatePages(fetcher, '/api/v1/users', { maxPages: null as never }).next();
    expect([first.done, asked.length]).toEqual([false, 1]);
  });
});
