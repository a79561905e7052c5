import { OktaAuthError } from '../errors/errors.js';
import { maxLinkHeaderLength } from '../headers/link-header.js';

/**
 * How the page reader of {@link paginate} and {@link paginatePages} takes a list's page apart when
 * it is not a JSON array: made by {@link objectPages}, passed as their `pages` option. The reader
 * calls it with each page's parsed JSON and a `refuse` that builds its own `INVALID_RESPONSE`
 * ("Page 2 of /api/v1/iam/roles …"); it returns the page's items and, when the page links one,
 * its next page's URL as the page wrote it. That URL is the reader's to resolve and check (as a
 * `Link` target: the page's own path, no user name or password, no secret of the request, no loop),
 * and a `Link` header's `next` wins over it.
 * @example
 * ```ts
 * const pages: PageShape = objectPages('resource-sets');
 * for await (const set of paginate<{ label: string }>(okta, '/api/v1/iam/resource-sets', { pages })) console.log(set.label);
 * ```
 * @see https://developer.okta.com/docs/api/openapi/okta-management/management/tag/RoleCResourceSet/#tag/RoleCResourceSet/operation/listResourceSets
 */
export type PageShape = (
  body: unknown,
  refuse: (problem: string) => Error,
) => {
  /** The page's items. */
  readonly items: unknown[];
  /** Its next page's URL as written in the page (resolved and checked by the reader), or `undefined`. */
  readonly next?: string | undefined;
};

/** What a JSON value is, for a refusal that names no value of the page: "a string", "an array", "absent". */
function kind(value: unknown): string {
  if (value === undefined) return 'absent';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** `value[key]` when `value` is a JSON object (not an array) with that own property (never an inherited one, such as `constructor`), else `undefined`. */
function own(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * For a list whose page is a JSON object rather than an array, as Okta's newer lists answer: names
 * the property holding a page's items, such as `'resource-sets'` (`GET /api/v1/iam/resource-sets`
 * answers `{ "resource-sets": [...], "_links": { "next": { "href": "…?after=…" } } }`), `'roles'`
 * (`GET /api/v1/iam/roles`: `IamRoles`, `roles` and `_links`) or `'data'` (Identity Governance
 * lists, such as `GET /governance/api/v1/campaigns`: `CampaignsList`, `data` and `_links`). Pass
 * what it returns as the `pages` option of {@link paginate} or {@link paginatePages}: each page must
 * then be a JSON object whose own property of that name is an array, and whose `_links.next`, when
 * there is one, has an `href` string of at most 64 KiB (as a `Link` header), and whose `_links`, when
 * there is one, is an object (an array or a string is refused, never taken as the last page), else `INVALID_RESPONSE`
 * saying what was found (`it was a string`, `absent`), never a value of the page. The next page is
 * the `Link` header's `next`, or, when the header has none, that `href`, which meets the same checks
 * as a `Link` target (the page's own path, no user name or password, no secret of the request, no
 * loop; another origin is your fetcher's `ORIGIN_MISMATCH`). A `property` that is not a string of
 * 1 to 256 characters is `INVALID_CONFIG`, here. Only an app that imports it bundles it.
 * @param property - The name of the page's property holding its items.
 * @example
 * ```ts
 * for await (const set of paginate<{ id: string; label: string }>(okta, '/api/v1/iam/resource-sets', { pages: objectPages('resource-sets') })) console.log(set.label);
 * ```
 * @see https://developer.okta.com/docs/api/openapi/okta-management/management/tag/RoleCResourceSet/#tag/RoleCResourceSet/operation/listResourceSets
 * @see https://developer.okta.com/docs/api/iga/
 */
export function objectPages(property: string): PageShape {
  if (typeof property !== 'string' || property === '' || property.length > 256) {
    throw new OktaAuthError('INVALID_CONFIG', "objectPages(property) takes the name of the property holding a page's items, 1 to 256 characters, such as 'resource-sets'.");
  }
  return (body, refuse) => {
    if (kind(body) !== 'an object') throw refuse(`was not a JSON object with an array "${property}" (it was ${kind(body)}).`);
    const items = own(body, property);
    if (!Array.isArray(items)) throw refuse(`had no array "${property}" (it was ${kind(items)}).`);
    const links = own(body, '_links');
    // An array or a string is no last page (a list cut short, silently): Okta's `_links` is an object.
    if (links !== undefined && links !== null && kind(links) !== 'an object') throw refuse(`had a _links that was not a JSON object (it was ${kind(links)}); the walk stops.`);
    const next = own(links, 'next');
    if (next === undefined || next === null) return { items };
    const href = own(next, 'href');
    if (typeof href !== 'string') throw refuse('had a _links.next without an href string; the walk stops.');
    // Bounded as a `Link` header is: the reader resolves and checks it, never quoting it.
    if (href.length > maxLinkHeaderLength) throw refuse(`came with a _links.next.href of ${href.length} characters (over ${maxLinkHeaderLength}); the walk stops.`);
    return { items, next: href };
  };
}
