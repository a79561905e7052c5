import { oktaError, ReplyError } from './errors.js';
import type { EmuRequest } from './http-types.js';
import { readLimit } from './pagination.js';
import { matchesScimFilter, parseScimFilter, type ScimDialect, type ScimFilter } from './scim-filter.js';
import type { LogEvent, StoredLogEvent } from '../state/system-log.js';

/*
 * `GET /api/v1/logs` parameters and pages, as the System Log reference describes them: polling
 * requests (no `until`, ASCENDING) follow persistence order and always link `next`, even from an
 * empty page; every other request is bounded (by `published`, in order) and its last page has no
 * `next`. Choices the reference leaves open are marked [I] and listed in docs/FIDELITY.md.
 */

/** The top-level LogEvent properties a filter may name (`published` may not: "it may conflict with … since, after, and until"). */
const FILTER_FIELDS = new Set([
  'uuid', 'eventType', 'version', 'severity', 'legacyEventType', 'displayMessage', 'actor', 'client', 'outcome',
  'target', 'transaction', 'debugContext', 'authenticationContext', 'securityContext', 'request',
]);
const URL_FIELDS = new Set(['debugContext.debugData.url', 'debugContext.debugData.requestUri']);
const invalidFilter = (summary: string, code: 'E0000053' | 'E0000031' = 'E0000053'): ReplyError => new ReplyError(oktaError(400, code, summary));

/**
 * The System Log's `filter`: "All operators except `[ ]`", and `( )` (Okta's ISV System Log reference
 * filters with `(eventType eq "user.session.start" AND outcome.result eq "FAILURE")`); errors in the
 * reference's wording (400 `E0000053`, and `E0000031` for `co` on a request URL).
 */
const LOG_FILTER: ScimDialect = {
  parentheses: true,
  ignoreCase: false,
  syntax: (filter, what, at) => invalidFilter(`Invalid filter '${filter}': ${what} at position ${at}.`),
  unknownOperator: (filter, word, at) =>
    invalidFilter(`Invalid filter '${filter}': Unrecognized attribute operator '${word}' at position ${at}. Expected: eq,co,sw,pr,gt,ge,lt,le`),
  check(attr, op) {
    if (!FILTER_FIELDS.has(attr.split('.')[0] ?? '')) throw invalidFilter(`field is not valid: ${attr}`);
    if (op === 'co' && URL_FIELDS.has(attr)) {
      throw invalidFilter(`The supplied combination of operator and field is not currently supported. Operator: co, Field: ${attr}`, 'E0000031');
    }
  },
};

const DAY_MS = 24 * 3600 * 1000;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/i;
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

/** A parsed request. `since`/`until` are ms on the org clock; `after` is the cursor's (time, seq). */
export interface LogQuery {
  polling: boolean;
  since: number;
  until: number;
  after: { time: number; seq: number } | undefined;
  filter: ScimFilter | undefined;
  keywords: string[];
  descending: boolean;
  limit: number;
}

const validation = (summary: string, causes: string[] = []): ReplyError =>
  new ReplyError(oktaError(400, 'E0000001', `Api validation failed: ${summary}`, causes));

function readDate(req: EmuRequest, name: 'since' | 'until', problems: string[]): number | undefined {
  const raw = req.url.searchParams.get(name);
  if (raw === null || raw === '') return undefined;
  const ms = RFC3339.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(ms)) {
    problems.push(name);
    return undefined;
  }
  return ms;
}

/** `q`: keywords separated by spaces, at most 10, each at most 40 characters (the reference's limits). */
function readKeywords(req: EmuRequest): string[] {
  const words = (req.url.searchParams.get('q') ?? '').split(/\s+/).filter((w) => w !== '');
  if (words.some((w) => w.length > 40)) {
    throw validation("'q': Freeform search cannot contain items longer than 40 characters. Please shorten the items in your search or use an advanced filter to query by specific fields.");
  }
  // [I] The reference gives the limit of 10, not the answer past it.
  if (words.length > 10) throw validation("'q': Freeform search cannot contain more than 10 items.");
  return words.map((w) => w.toLowerCase());
}

/** Read and check a request's parameters (the org clock's `now`), or throw Okta's 400. */
export function parseLogQuery(req: EmuRequest, now: number): LogQuery {
  const params = req.url.searchParams;
  const problems: string[] = [];
  const since = readDate(req, 'since', problems);
  const until = readDate(req, 'until', problems);
  if (problems.length > 0) {
    const parts = problems.flatMap((p) => [`'${p}': The date format in your query is not recognized. Please enter dates using ISO8601 string format.`, `'${p}': must be a valid date-time or empty`]);
    const causes = problems.flatMap((p) => [`${p}: The date format in your query is not recognized. Please enter dates using ISO8601 string format.`, `${p}: must be a valid date-time or empty.`]);
    throw validation(`${parts.join('. ')}.`, causes);
  }
  if (since !== undefined && since < now - 180 * DAY_MS) {
    throw new ReplyError(oktaError(400, 'E0000053', 'Invalid parameter: The since parameter is over 180 days prior to the current day.'));
  }
  const order = params.get('sortOrder') ?? 'ASCENDING';
  // [I] The reference lists the two values, not the answer to another.
  if (order !== 'ASCENDING' && order !== 'DESCENDING') throw validation("'sortOrder': must be ASCENDING or DESCENDING.", ['sortOrder: must be ASCENDING or DESCENDING.']);
  const polling = until === undefined && order === 'ASCENDING';
  const after = readCursor(params.get('after'));
  // "since and after are mutually exclusive": a polling `next` link carries `after` alone. A bounded
  // request's `next` keeps its bounds, as the reference's example link does.
  if (polling && after !== undefined && since !== undefined) throw validation("'since' and 'after' are mutually exclusive.");
  const end = until ?? now;
  const filterText = params.get('filter');
  return {
    polling,
    since: since ?? end - 7 * DAY_MS,
    until: end,
    after,
    filter: filterText === null || filterText.trim() === '' ? undefined : parseScimFilter(filterText, LOG_FILTER),
    keywords: readKeywords(req),
    descending: order === 'DESCENDING',
    limit: readLimit(params.get('limit'), DEFAULT_LIMIT, MAX_LIMIT),
  };
}

/** `after`: `<ms>_<seq>`, as Okta's own cursors look; [I] an unreadable one is ignored. */
function readCursor(raw: string | null): LogQuery['after'] {
  const m = /^(\d{1,16})_(\d{1,16})$/.exec(raw ?? '');
  return m === null ? undefined : { time: Number(m[1]), seq: Number(m[2]) };
}

/** Every word of every string in the event, and hyphenated words' parts ("split and added"). */
function keywordsOf(event: LogEvent): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      const lower = v.toLowerCase();
      out.add(lower);
      for (const word of lower.split(/\s+/)) {
        out.add(word);
        for (const part of word.split('-')) out.add(part);
      }
    } else if (typeof v === 'number' || typeof v === 'boolean') out.add(String(v));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) Object.values(v).forEach(walk);
  };
  walk(event);
  return out;
}

function matches(q: LogQuery, e: StoredLogEvent): boolean {
  if (q.filter !== undefined && !matchesScimFilter(e.event, q.filter, LOG_FILTER)) return false;
  if (q.keywords.length === 0) return true;
  const words = keywordsOf(e.event);
  return q.keywords.every((k) => words.has(k));
}

/** One page of `events` (in persistence order) for `q`, and its `Link` header values. */
export function logPage(orgUrl: string, req: EmuRequest, q: LogQuery, events: StoredLogEvent[], lastSeq: number): { items: LogEvent[]; links: string[] } {
  const links = [`<${orgUrl}${req.rawPath}${req.url.search}>; rel="self"`];
  const next = new URLSearchParams(req.url.searchParams);
  next.delete('after');
  next.set('limit', String(q.limit));
  let page: StoredLogEvent[];
  let cursor: string | undefined;
  if (q.polling) {
    // Persistence order; `since` filters persistence time, and the cursor carries it (its time) with
    // the last event returned (its seq): the next link drops `since` ("mutually exclusive" with
    // `after`), and a `since` still ahead (a client clock ahead of the org's) stays a lower bound.
    // On an empty page the cursor stays where it was (the first page's: past every event looked at),
    // so following it later returns what came since.
    const from = q.after?.seq ?? 0;
    const floor = q.after?.time ?? q.since;
    const due = events.filter((e) => e.seq > from && e.persisted >= floor && matches(q, e));
    page = due.slice(0, q.limit);
    // An empty page of due events (`limit=0`) skips none of them.
    cursor = `${floor}_${page[page.length - 1]?.seq ?? (due.length > 0 ? from : (q.after?.seq ?? lastSeq))}`;
    next.delete('since');
  } else {
    // Bounded: `published` in [since, until), in order of `published` (then persistence).
    const sign = q.descending ? -1 : 1;
    const cmp = (a: { time: number; seq: number }, b: { time: number; seq: number }): number => sign * (a.time - b.time || a.seq - b.seq);
    const key = (e: StoredLogEvent) => ({ time: e.published, seq: e.seq });
    const due = events
      .filter((e) => e.published >= q.since && e.published < q.until && matches(q, e))
      .sort((a, b) => cmp(key(a), key(b)))
      .filter((e) => q.after === undefined || cmp(key(e), q.after) > 0);
    page = due.slice(0, q.limit);
    const last = page[page.length - 1];
    if (due.length > q.limit && last !== undefined) cursor = `${last.published}_${last.seq}`;
    next.set('since', new Date(q.since).toISOString());
    next.set('until', new Date(q.until).toISOString());
  }
  if (cursor !== undefined) {
    next.set('after', cursor);
    links.push(`<${orgUrl}${req.rawPath}?${next.toString()}>; rel="next"`);
  }
  return { items: page.map((e) => e.event), links };
}
