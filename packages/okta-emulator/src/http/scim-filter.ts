import { oktaError, ReplyError } from './errors.js';
import type { EmuRequest } from './http-types.js';

/*
 * The one reader of SCIM filter expressions (RFC 7644 §3.4.2.2; Okta's "Filter" and "Operators" in
 * the core Okta API reference): `attr op "value"` and `attr pr`, joined by `and` (binding first) and
 * `or`, grouped by `( )` where the resource allows it. Attribute names are case-sensitive, operators
 * and `and`/`or` are not. What each resource supports, and how it words an error, is its `ScimDialect`
 * (the System Log in log-query.ts, users in routes/users.ts, groups in routes/groups.ts).
 */

const SCIM_OPERATORS = ['eq', 'ne', 'co', 'sw', 'ew', 'pr', 'gt', 'ge', 'lt', 'le'] as const;
export type ScimOperator = (typeof SCIM_OPERATORS)[number];

/** What a resource accepts, and its errors. */
export interface ScimDialect {
  /** `( )` groups expressions; without it a parenthesis is part of a word. */
  parentheses: boolean;
  /** String values compare case-insensitively (the Users API's `search`). */
  ignoreCase: boolean;
  /** The 400 for a malformed expression (`what` as in "Expected a quoted value", at a 0-based position). */
  syntax(filter: string, what: string, at: number): ReplyError;
  /** The 400 for a word in an operator's place that is no SCIM operator. */
  unknownOperator(filter: string, word: string, at: number): ReplyError;
  /** Throws the resource's 400 when it does not support `op` on `attr`. */
  check(attr: string, op: ScimOperator): void;
}

interface Condition {
  attr: string[];
  op: ScimOperator;
  value: string;
}

/** A parsed expression: a condition, or `and`/`or` over expressions. */
export type ScimFilter = Condition | { join: 'and' | 'or'; of: ScimFilter[] };

interface Token {
  text: string;
  at: number;
  quoted: boolean;
}

/** Nesting deeper than this is refused as a syntax error (the parser recurses once per level). */
const MAX_DEPTH = 32;

function tokenize(filter: string, d: ScimDialect): Token[] {
  const out: Token[] = [];
  const stop = d.parentheses ? /[\s"()]/ : /[\s"]/;
  let i = 0;
  while (i < filter.length) {
    const c = filter.charAt(i);
    const at = i;
    if (/\s/.test(c)) i++;
    else if (d.parentheses && (c === '(' || c === ')')) {
      out.push({ text: c, at, quoted: false });
      i++;
    } else if (c === '"') {
      let text = '';
      for (i++; i < filter.length && filter.charAt(i) !== '"'; i++) {
        if (filter.charAt(i) === '\\' && i + 1 < filter.length) i++;
        text += filter.charAt(i);
      }
      if (i >= filter.length) throw d.syntax(filter, 'Unterminated string', at);
      i++;
      out.push({ text, at, quoted: true });
    } else {
      while (i < filter.length && !stop.test(filter.charAt(i))) i++;
      out.push({ text: filter.slice(at, i), at, quoted: false });
    }
  }
  return out;
}

/** Parse `filter` for a resource, or throw its 400. */
export function parseScimFilter(filter: string, d: ScimDialect): ScimFilter {
  const tokens = tokenize(filter, d);
  let i = 0;
  const word = (t: Token | undefined): string => (t === undefined || t.quoted ? '' : t.text.toLowerCase());
  const paren = (t: Token | undefined, p: '(' | ')'): boolean => d.parentheses && t?.text === p && !t.quoted;
  const condition = (): Condition => {
    const attr = tokens[i];
    if (attr === undefined || attr.quoted || paren(attr, ')')) throw d.syntax(filter, 'Expected an attribute', attr?.at ?? filter.length);
    const opToken = tokens[i + 1];
    if (opToken === undefined) throw d.syntax(filter, 'Expected an operator', filter.length);
    const op = word(opToken);
    if (!(SCIM_OPERATORS as readonly string[]).includes(op)) throw d.unknownOperator(filter, opToken.text, opToken.at);
    d.check(attr.text, op as ScimOperator);
    i += 2;
    let value = '';
    if (op !== 'pr') {
      const v = tokens[i];
      if (!v?.quoted) throw d.syntax(filter, 'Expected a quoted value', v?.at ?? filter.length);
      value = v.text;
      i++;
    }
    return { attr: attr.text.split('.'), op: op as ScimOperator, value };
  };
  const primary = (depth: number): ScimFilter => {
    const t = tokens[i];
    if (t === undefined || !paren(t, '(')) return condition();
    if (depth >= MAX_DEPTH) throw d.syntax(filter, 'Too deeply nested', t.at);
    i++;
    const inner = expression(depth + 1);
    if (!paren(tokens[i], ')')) throw d.syntax(filter, "Expected ')'", tokens[i]?.at ?? filter.length);
    i++;
    return inner;
  };
  const joined = (join: 'and' | 'or', next: () => ScimFilter): ScimFilter => {
    const first = next();
    const of = [first];
    while (word(tokens[i]) === join) {
      i++;
      of.push(next());
    }
    return of.length === 1 ? first : { join, of };
  };
  const expression = (depth: number): ScimFilter => joined('or', () => joined('and', () => primary(depth)));
  const parsed = expression(0);
  const rest = tokens[i];
  if (rest !== undefined) throw d.syntax(filter, `Expected 'and' or 'or'`, rest.at);
  return parsed;
}

/** Every primitive value at `path` in `node` (an array, such as a log event's `target`, matches on any element). */
function valuesAt(node: unknown, path: string[]): string[] {
  if (Array.isArray(node)) return node.flatMap((n) => valuesAt(n, path));
  if (path.length === 0) return typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean' ? [String(node)] : [];
  if (typeof node !== 'object' || node === null) return [];
  const [head = '', ...rest] = path;
  return Object.hasOwn(node, head) ? valuesAt((node as Record<string, unknown>)[head], rest) : [];
}

function test(values: string[], { op, value: want }: Condition): boolean {
  switch (op) {
    case 'eq': return values.includes(want);
    case 'ne': return !values.includes(want);
    case 'co': return values.some((v) => v.includes(want));
    case 'sw': return values.some((v) => v.startsWith(want));
    case 'ew': return values.some((v) => v.endsWith(want));
    case 'gt': return values.some((v) => v > want);
    case 'ge': return values.some((v) => v >= want);
    case 'lt': return values.some((v) => v < want);
    case 'le': return values.some((v) => v <= want);
    case 'pr': return values.length > 0;
  }
}

/** Does `record` (the JSON the resource's API returns) satisfy `filter`? */
export function matchesScimFilter(record: unknown, filter: ScimFilter, d: ScimDialect): boolean {
  if ('join' in filter) {
    return filter.join === 'and' ? filter.of.every((f) => matchesScimFilter(record, f, d)) : filter.of.some((f) => matchesScimFilter(record, f, d));
  }
  const fold = (s: string): string => (d.ignoreCase ? s.toLowerCase() : s);
  return test(valuesAt(record, filter.attr).map(fold), { ...filter, value: fold(filter.value) });
}

const searchCriteria = (causes: string[] = []): ReplyError => new ReplyError(oktaError(400, 'E0000031', undefined, causes));

/** What a management API's `filter` and `search` take (attribute names as written in an expression). */
export interface ManagementFilters {
  /** `filter`: the attributes that take `eq`, and those that also take `gt ge lt le` (case-sensitive values). */
  filter: { eq: string[]; order: string[] };
  /** `search`: any `profile.*` and these attributes, with `eq sw gt ge lt le pr`; `co` only on `contains`; case-insensitive values. */
  search: { fields: string[]; contains: string[] };
}

const ORDER: readonly ScimOperator[] = ['gt', 'ge', 'lt', 'le'];
const SEARCH_OPS: readonly ScimOperator[] = ['eq', 'sw', 'pr', ...ORDER];

/**
 * The dialects of a management API's `filter` and `search` (Users, Groups): `( )` groups, and every
 * refusal is 400 `E0000031` "Invalid search criteria." (error-code catalogue), a malformed expression
 * with the cause "Invalid search syntax." as Okta answers it.
 */
export function managementDialects({ filter, search }: ManagementFilters): { filter: ScimDialect; search: ScimDialect } {
  const dialect = (ignoreCase: boolean, supports: (attr: string, op: ScimOperator) => boolean): ScimDialect => {
    const syntax = (): ReplyError => searchCriteria(['Invalid search syntax.']);
    return {
      parentheses: true,
      ignoreCase,
      syntax,
      unknownOperator: syntax,
      check(attr, op) {
        if (!supports(attr, op)) throw searchCriteria();
      },
    };
  };
  return {
    filter: dialect(false, (attr, op) => filter.eq.includes(attr) && (op === 'eq' || (ORDER.includes(op) && filter.order.includes(attr)))),
    search: dialect(true, (attr, op) =>
      (attr.startsWith('profile.') || search.fields.includes(attr)) && (SEARCH_OPS.includes(op) || (op === 'co' && search.contains.includes(attr)))),
  };
}

/** A list request's `filter` or `search`, parsed with its dialect; both at once is Okta's 400 `E0000033`. */
export function managementQuery(req: EmuRequest, dialects: { filter: ScimDialect; search: ScimDialect }): ((record: unknown) => boolean) | undefined {
  const read = (name: 'filter' | 'search'): string | undefined => {
    const text = req.url.searchParams.get(name)?.trim();
    return text === undefined || text === '' ? undefined : text;
  };
  const filter = read('filter');
  const search = read('search');
  if (filter !== undefined && search !== undefined) throw new ReplyError(oktaError(400, 'E0000033'));
  const text = filter ?? search;
  if (text === undefined) return undefined;
  const dialect = filter === undefined ? dialects.search : dialects.filter;
  const parsed = parseScimFilter(text, dialect);
  return (record) => matchesScimFilter(record, parsed, dialect);
}
