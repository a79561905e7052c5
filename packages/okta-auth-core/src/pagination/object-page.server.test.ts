/**
 * Lists whose page is a JSON object (`paginate(…, { pages: objectPages('…') })`): Okta's Resource Sets, custom roles and
 * Identity Governance lists answer `{ "<items>": [...], "_links": { "next": { "href": … } } }`. A walk
 * of the emulator's Resource Sets over real HTTP; on a scripted org on 127.0.0.1, the `_links.next.href`
 * refused by the one check of a `next` link (`nextLinkProblem`), and pages of the wrong shape.
 */
import { json } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { isOktaAuthError } from '../errors/errors.js';
import { maxLinkHeaderLength } from '../headers/link-header.js';
import { createOktaFetch } from '../request/okta-fetch.js';
import { objectPages } from './object-pages.js';
import { paginate, paginatePages, type PageFetcher } from './paginate.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { rejection, thrown } from '../test-helpers/outcome.js';
import { printed } from '../test-helpers/printed.js';
import { useScriptedServer } from '../test-helpers/scripted-server.js';

const emulated = useApiTokenOrg();
const hostile = useScriptedServer();

const okta = (origin = emulated.org.url): PageFetcher => createOktaFetch({ credential: emulated.ssws(origin), timeoutMs: 30_000, retry: false });
async function walk(fetcher: PageFetcher, path: string, items?: string): Promise<unknown[]> {
  const read: unknown[] = [];
  for await (const item of paginate(fetcher, path, items === undefined ? {} : { pages: objectPages(items) })) read.push(item);
  return read;
}

interface ResourceSet {
  id: string;
  label: string;
}

describe('the Resource Sets of the emulated org', () => {
  it("walks two pages through _links.next.href, yielding the items of 'resource-sets'", async () => {
    const fetcher = okta();
    for (const label of ['SF-IT-1', 'SF-IT-2', 'SF-IT-3']) {
      const created = await fetcher('/api/v1/iam/resource-sets', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ label, description: label, resources: [`${emulated.org.url}/api/v1/users`] }) } as never);
      expect(created.status).toBe(200);
    }
    const pages = [];
    for await (const page of paginatePages<ResourceSet>(fetcher, '/api/v1/iam/resource-sets?limit=2', { pages: objectPages('resource-sets') })) pages.push(page);
    expect(pages.map((page) => page.items.map((set) => set.label))).toEqual([['SF-IT-1', 'SF-IT-2'], ['SF-IT-3']]);
    expect(pages[0]?.next).toMatch(new RegExp(`^${emulated.org.url}/api/v1/iam/resource-sets\\?.*after=`));
    expect(pages[1]?.next).toBeUndefined();
    const labels: string[] = [];
    for await (const set of paginate<ResourceSet>(fetcher, '/api/v1/iam/resource-sets?limit=2', { pages: objectPages('resource-sets') })) labels.push(set.label);
    expect(labels).toEqual(['SF-IT-1', 'SF-IT-2', 'SF-IT-3']);
  });

  it('refuses the object page without the option, suggesting it', async () => {
    const error = await rejection(walk(okta(), '/api/v1/iam/resource-sets'));
    expect([error.code, error.message]).toEqual([
      'INVALID_RESPONSE',
      'Page 1 of /api/v1/iam/resource-sets was not a JSON array: is this a list endpoint? See objectPages.',
    ]);
  });
});

describe('a page of an object list (scripted org)', () => {
  const page = (next: string, extra: Record<string, unknown> = {}) => ({ roles: [{ id: 'cr1' }], _links: { next: { href: next } }, ...extra });

  it.each([
    ['to another path of the org', () => `${hostile.url}/api/v1/users?after=1`, "another path than its own (Okta's next links keep the list's path)"],
    ['with a user name and password', () => `${hostile.url.replace('http://', 'http://admin:pw@')}/api/v1/iam/roles?after=1`, 'a URL with a user name or password'],
    ['carrying the API token', () => `${hostile.url}/api/v1/iam/roles?after=${emulated.token}`, 'a URL that carries a secret the request sent (an echoed credential)'],
  ])('a _links.next.href %s: refused as a Link one is, before the page is yielded, nothing sent there', async (_name, next, problem) => {
    hostile.handle((_request, res) => json(res, 200, page(next())));
    const read: unknown[] = [];
    const error = await rejection((async () => {
      for await (const p of paginatePages(okta(hostile.url), '/api/v1/iam/roles', { pages: objectPages('roles') })) read.push(p);
    })());
    expect([error.code, error.message]).toEqual(['INVALID_RESPONSE', `Page 1 of /api/v1/iam/roles links its next page to ${problem}; Okta sends no such link, and the walk stops.`]);
    expect(printed(error).join('\n')).not.toContain(emulated.token.slice(0, 10));
    expect(read).toEqual([]);
    expect(hostile.requests).toHaveLength(1);
  });

  it('a _links.next.href to another origin: ORIGIN_MISMATCH from the fetcher, as for a Link one', async () => {
    hostile.handle((_request, res) => json(res, 200, page('https://evil.example/api/v1/iam/roles?after=1')));
    const error = await rejection(walk(okta(hostile.url), '/api/v1/iam/roles', 'roles'));
    expect(error.code).toBe('ORIGIN_MISMATCH');
    expect(hostile.requests).toHaveLength(1);
  });

  it('a _links.next.href back to the page: the loop guard stops it', async () => {
    hostile.handle((_request, res) => json(res, 200, page(`${hostile.url}/api/v1/iam/roles`)));
    const error = await rejection(walk(okta(hostile.url), '/api/v1/iam/roles', 'roles'));
    expect(error.message).toBe('Page 1 of /api/v1/iam/roles links back to a page already read (a pagination loop); the walk stops.');
  });

  it('the Link header wins over _links.next.href', async () => {
    hostile.handle((request, res) =>
      request.path.includes('after')
        ? json(res, 200, { roles: [request.path] })
        : json(res, 200, page(`${hostile.url}/api/v1/iam/roles?after=body`), { link: `<${hostile.url}/api/v1/iam/roles?after=header>; rel="next"` }),
    );
    expect(await walk(okta(hostile.url), '/api/v1/iam/roles', 'roles')).toEqual([{ id: 'cr1' }, '/api/v1/iam/roles?after=header']);
  });

  it(`a _links.next.href over ${maxLinkHeaderLength} characters: refused as a Link header over that is, quoting none of it`, async () => {
    const href = `${hostile.url}/api/v1/iam/roles?after=${'a'.repeat(maxLinkHeaderLength)}`;
    hostile.handle((_request, res) => json(res, 200, page(href)));
    const error = await rejection(walk(okta(hostile.url), '/api/v1/iam/roles', 'roles'));
    expect(error.message).toBe(`Page 1 of /api/v1/iam/roles came with a _links.next.href of ${href.length} characters (over ${maxLinkHeaderLength}); the walk stops.`);
    expect(hostile.requests).toHaveLength(1);
  });

  it.each([
    ['_links null', { roles: [{ id: 'cr1' }], _links: null }],
    ['_links.next null', { roles: [{ id: 'cr1' }], _links: { next: null } }],
  ])('a page with %s: the last page, its items yielded', async (_name, body) => {
    hostile.handle((_request, res) => json(res, 200, body));
    expect(await walk(okta(hostile.url), '/api/v1/iam/roles', 'roles')).toEqual([{ id: 'cr1' }]);
    expect(hostile.requests).toHaveLength(1);
  });

  it(`a _links.next.href of exactly ${maxLinkHeaderLength} characters: followed`, async () => {
    // A fetcher of its own: no HTTP server takes a request line this long. Its Responses have no URL, so the path is handed on.
    const start = '/api/v1/iam/roles?after=';
    const href = start + 'a'.repeat(maxLinkHeaderLength - start.length);
    const asked: string[] = [];
    const fetcher: PageFetcher = (url) => {
      asked.push(url);
      return Promise.resolve(Response.json(url === '/api/v1/iam/roles' ? page(href) : { roles: ['second'] }));
    };
    expect(href).toHaveLength(maxLinkHeaderLength);
    expect(await walk(fetcher, '/api/v1/iam/roles', 'roles')).toEqual([{ id: 'cr1' }, 'second']);
    expect(asked).toEqual(['/api/v1/iam/roles', href]);
  });

  it.each([
    ['its property a string', { roles: 'cr1' }, 'had no array "roles" (it was a string).'],
    ['without the property', { data: [] }, 'had no array "roles" (it was absent).'],
    ['an array, not an object', [{ id: 'cr1' }], 'was not a JSON object with an array "roles" (it was an array).'],
    ['null', null, 'was not a JSON object with an array "roles" (it was null).'],
    ['a _links.next without an href string', { roles: [], _links: { next: { href: 7 } } }, 'had a _links.next without an href string; the walk stops.'],
    ['a _links.next that is an array of links', { roles: [], _links: { next: [{ href: '/api/v1/iam/roles?after=1' }] } }, 'had a _links.next without an href string; the walk stops.'],
    // Not taken as the last page (a list cut short, silently): Okta's _links is an object.
    ['a _links that is an array', { roles: [], _links: [{ next: { href: '/api/v1/iam/roles?after=1' } }] }, 'had a _links that was not a JSON object (it was an array); the walk stops.'],
    ['a _links that is a string', { roles: [], _links: '/api/v1/iam/roles?after=1' }, 'had a _links that was not a JSON object (it was a string); the walk stops.'],
  ])('a page %s: INVALID_RESPONSE saying what was found, never the body', async (_name, body, problem) => {
    hostile.handle((_request, res) => json(res, 200, body));
    const error = await rejection(walk(okta(hostile.url), '/api/v1/iam/roles', 'roles'));
    expect([error.code, error.message]).toEqual(['INVALID_RESPONSE', `Page 1 of /api/v1/iam/roles ${problem}`]);
  });

  it('without the option, a page that is neither an array nor an object: not a JSON array, as before', async () => {
    hostile.handle((_request, res) => json(res, 200, null));
    const error = await rejection(walk(okta(hostile.url), '/api/v1/iam/roles'));
    expect([error.code, error.message]).toEqual(['INVALID_RESPONSE', 'Page 1 of /api/v1/iam/roles was not a JSON array: is this a list endpoint? See objectPages.']);
  });

  it('a property the object inherits (constructor) is not an array it has', async () => {
    hostile.handle((_request, res) => json(res, 200, {}));
    const error = await rejection(walk(okta(hostile.url), '/api/v1/iam/roles', 'constructor'));
    expect(error.message).toBe('Page 1 of /api/v1/iam/roles had no array "constructor" (it was absent).');
  });

  it('a _links.next.href that does not parse: refused, not taken as the last page, quoting none of it', async () => {
    hostile.handle((_request, res) => json(res, 200, page(`http://[${emulated.token}`)));
    const read: unknown[] = [];
    const error = await rejection((async () => {
      for await (const p of paginatePages(okta(hostile.url), '/api/v1/iam/roles', { pages: objectPages('roles') })) read.push(p);
    })());
    expect([error.code, error.message]).toEqual(['INVALID_RESPONSE', 'Page 1 of /api/v1/iam/roles links its next page to a URL that does not parse; Okta sends no such link, and the walk stops.']);
    expect(printed(error).join('\n')).not.toContain(emulated.token.slice(0, 10));
    expect(read).toEqual([]);
  });

  it.each([[''], [7], [null], ['a'.repeat(257)]])('objectPages(%j): INVALID_CONFIG when called, before any walk', (property) => {
    const error = thrown(() => objectPages(property as never)) as { code?: unknown; message?: unknown } | undefined;
    expect(isOktaAuthError(error)).toBe(true);
    expect([error?.code, error?.message]).toEqual(['INVALID_CONFIG', "objectPages(property) takes the name of the property holding a page's items, 1 to 256 characters, such as 'resource-sets'."]);
  });

  it.each([['roles'], [{ items: 'roles' }], [7]])('a pages option of %j (not objectPages): INVALID_CONFIG before any request', async (pages) => {
    hostile.handle((_request, res) => json(res, 200, []));
    const error = await rejection((async () => {
      for await (const item of paginate(okta(hostile.url), '/api/v1/iam/roles', { pages: pages as never })) expect(item).toBeUndefined();
    })());
    expect([error.code, error.message]).toEqual(['INVALID_CONFIG', 'The pages option must be objectPages(property).']);
    expect(hostile.requests).toHaveLength(0);
  });

  it('objectPages bounds the property at 256 characters: 256 taken', async () => {
    const name = 'r'.repeat(256);
    hostile.handle((_request, res) => json(res, 200, { [name]: [1, 2] }));
    expect(await walk(okta(hostile.url), '/api/v1/iam/roles', name)).toEqual([1, 2]);
  });
});
