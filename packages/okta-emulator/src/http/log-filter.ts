import { oktaError, ReplyError } from './errors.js';
import type { LogEvent } from '../state/system-log.js';

/*
 * The System Log's `filter` parameter: a SCIM filter expression (RFC 7644 §3.4.2.2) over a LogEvent's
 * attributes: `attr op "value"` and `attr pr`, joined by `and` (binding first) and `or`; no
 * parentheses or `[ ]` ("All operators except `[ ]` are supported"). Errors use the System Log
 * reference's wording (400 `E0000053`, and `E0000031` for `co` on a request URL).
 */

const OPERATORS = ['eq', 'ne', 'co', 'sw', 'ew', 'pr', 'gt', 'ge', 'lt', 'le'] as const;
type Operator = (typeof OPERATORS)[number];

/** The top-level LogEvent properties a filter may name (`published` may not: "it may conflict with … since, after, and until"). */
const FIELDS = new Set([
  'uuid', 'eventType', 'version', 'severity', 'legacyEventType', 'displayMessage', 'actor', 'client', 'outcome',
  'target', 'transaction', 'debugContext', 'authenticationContext', 'securityContext', 'request',
]);
const URL_FIELDS = new Set(['debugContext.debugData.url', 'debugContext.debugData.requestUri']);

interface Condition {
  attr: string[];
  op: Operator;
  value: string | undefined;
}

/** A parsed filter: conditions ANDed within a group, groups ORed. */
export type LogFilter = Condition[][];

const invalid = (summary: string, code: 'E0000053' | 'E0000031' = 'E0000053'): ReplyError =>
  new ReplyError(oktaError(400, code, summary));

interface Token {
  text: string;
  at: number;
  quoted: boolean;
}

function tokenize(filter: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < filter.length) {
    if (/\s/.test(filter.charAt(i))) {
      i++;
      continue;
    }
    const at = i;
    if (filter.charAt(i) === '"') {
      let text = '';
      i++;
      while (i < filter.length && filter.charAt(i) !== '"') {
        if (filter.charAt(i) === '\\' && i + 1 < filter.length) i++;
        text += filter.charAt(i);
        i++;
      }
      if (i >= filter.length) throw invalid(`Invalid filter '${filter}': Unterminated string at position ${at}.`);
      i++;
      out.push({ text, at, quoted: true });
      continue;
    }
    while (i < filter.length && !/[\s"]/.test(filter.charAt(i))) i++;
    out.push({ text: filter.slice(at, i), at, quoted: false });
  }
  return out;
}

/** Parse a `filter` value, or throw Okta's 400. */
export function parseLogFilter(filter: string): LogFilter {
  const tokens = tokenize(filter);
  const groups: LogFilter = [[]];
  let i = 0;
  const bad = (what: string, at: number): never => {
    throw invalid(`Invalid filter '${filter}': ${what} at position ${at}.`);
  };
  for (;;) {
    const attr = tokens[i];
    if (attr === undefined || attr.quoted) return bad('Expected an attribute', attr?.at ?? filter.length);
    const opToken = tokens[i + 1];
    if (opToken === undefined) return bad('Expected an operator', filter.length);
    const op = opToken.text.toLowerCase();
    if (opToken.quoted || !(OPERATORS as readonly string[]).includes(op)) {
      throw invalid(`Invalid filter '${filter}': Unrecognized attribute operator '${opToken.text}' at position ${opToken.at}. Expected: eq,co,sw,pr,gt,ge,lt,le`);
    }
    const path = attr.text.split('.');
    if (!FIELDS.has(path[0] ?? '')) throw invalid(`field is not valid: ${attr.text}`);
    if (op === 'co' && URL_FIELDS.has(attr.text)) {
      throw invalid(`The supplied combination of operator and field is not currently supported. Operator: co, Field: ${attr.text}`, 'E0000031');
    }
    let value: string | undefined;
    i += 2;
    if (op !== 'pr') {
      const v = tokens[i];
      if (!v?.quoted) return bad('Expected a quoted value', v?.at ?? filter.length);
      value = v.text;
      i++;
    }
    groups[groups.length - 1]?.push({ attr: path, op: op as Operator, value });
    const joiner = tokens[i];
    if (joiner === undefined) return groups;
    const word = joiner.quoted ? '' : joiner.text.toLowerCase();
    if (word === 'or') groups.push([]);
    else if (word !== 'and') return bad(`Expected 'and' or 'or'`, joiner.at);
    i++;
  }
}

/** Every primitive value at `path` in `node` (an array, such as `target`, matches on any element). */
function valuesAt(node: unknown, path: string[]): string[] {
  if (Array.isArray(node)) return node.flatMap((n) => valuesAt(n, path));
  if (path.length === 0) return typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean' ? [String(node)] : [];
  if (typeof node !== 'object' || node === null) return [];
  const [head = '', ...rest] = path;
  return Object.hasOwn(node, head) ? valuesAt((node as Record<string, unknown>)[head], rest) : [];
}

function test(values: string[], op: Operator, want: string): boolean {
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

/** Does `event` satisfy the filter? */
export function matchesLogFilter(event: LogEvent, filter: LogFilter): boolean {
  return filter.some((group) => group.every((c) => test(valuesAt(event, c.attr), c.op, c.value ?? '')));
}
