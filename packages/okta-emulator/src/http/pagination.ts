import type { EmuRequest } from './http-types.js';

export interface Page<T> {
  items: T[];
  links: string[];
  /** The next page's absolute URL (the `rel="next"` link's target), or `undefined` on the last page. */
  next: string | undefined;
}

/**
 * Cursor pagination as Okta does it: `limit` (default and maximum per endpoint), an opaque `after`
 * cursor, and `Link` headers with `rel="self"` and (when more remain) `rel="next"`, as absolute URLs.
 * A `q` query on an endpoint with a `queryLimit` is not paged, as at Okta: that default `limit`, no
 * `rel="next"` (Users API: default 10; Groups API: 300).
 */
export function paginate<T extends { seq: number }>(
  orgUrl: string,
  req: EmuRequest,
  all: T[],
  defaultLimit: number,
  maxLimit: number,
  queryLimit?: number,
): Page<T> {
  const query = queryLimit !== undefined && (req.url.searchParams.get('q') ?? '') !== '';
  const fallback = query ? queryLimit : defaultLimit;
  let limit = readLimit(req.url.searchParams.get('limit'), fallback, maxLimit);
  if (limit < 1) limit = fallback;
  const after = decodeCursor(req.url.searchParams.get('after'));
  const sorted = [...all].sort((a, b) => a.seq - b.seq);
  const remaining = after === undefined ? sorted : sorted.filter((x) => x.seq > after);
  const items = remaining.slice(0, limit);
  const links = [`<${orgUrl}${req.rawPath}${req.url.search}>; rel="self"`];
  const last = items[items.length - 1];
  let next: string | undefined;
  if (!query && remaining.length > limit && last !== undefined) {
    const params = new URLSearchParams(req.url.searchParams);
    params.delete('after');
    params.set('limit', String(limit));
    params.set('after', encodeCursor(last.seq));
    next = `${orgUrl}${req.rawPath}?${params.toString()}`;
    links.push(`<${next}>; rel="next"`);
  }
  return { items, links, next };
}

/**
 * The one reader of `limit`, for every list (the System Log's too): digits only, else `fallback`;
 * above `max`, `max`. [I] Okta documents each list's range (Users "maximum 200", System Log "between
 * 0 and 1000") but no answer outside it; a user asking the Users API for 1000 got 200 and was told
 * to paginate (`gabrielsroka/OktaAPI.psm1#30`). FIDELITY, "`limit` out of range".
 */
export function readLimit(raw: string | null, fallback: number, max: number): number {
  if (raw === null || !/^\d+$/.test(raw.trim())) return fallback;
  return Math.min(Number.parseInt(raw.trim(), 10), max);
}

function encodeCursor(seq: number): string {
  return Buffer.from(`c${seq}`, 'utf8').toString('base64url');
}

function decodeCursor(value: string | null): number | undefined {
  if (value === null || value === '') return undefined;
  const text = Buffer.from(value, 'base64url').toString('utf8');
  const m = /^c(\d+)$/.exec(text);
  return m?.[1] === undefined ? -1 : Number(m[1]);
}
