/**
 * One reading of an optional options argument (docs/CONVENTIONS.md, "Code"): `null` is none,
 * as `undefined`; anything else that is not an object is INVALID_CONFIG naming the argument,
 * never a runtime TypeError nor a string read as options. Each row against a fetch that answers
 * one empty page, counting what was sent.
 */
import { describe, expect, it } from 'vitest';
import { createOktaFetch } from '../request/okta-fetch.js';
import { readOptions } from './options.js';
import { parseOrgUrl } from './org-url.js';
import { paginate, paginatePages } from '../pagination/paginate.js';
import { pollSystemLog } from '../pagination/poll-system-log.js';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { rejected, told } from '../test-helpers/outcome.js';

const origin = 'https://acme.okta.com';
function fetcher() {
  const sent: string[] = [];
  const fetch = (input: RequestInfo | URL) => {
    sent.push(String(input instanceof Request ? input.url : input));
    return Promise.resolve(new Response(JSON.stringify([{ uuid: 'e1' }]), { headers: { 'content-type': 'application/json' } }));
  };
  return { sent, okta: createOktaFetch({ credential: countingCredential(origin), fetch }) };
}

/** How a call ended: `ok`, our typed error's code and message, or what else it threw (an async generator run to its first step). */
async function outcome(run: () => unknown): Promise<string> {
  const error = await rejected(() => {
    const value = run();
    return value !== null && typeof value === 'object' && Symbol.asyncIterator in value ? (value as unknown as AsyncIterator<unknown>).next() : value;
  });
  return told(error, 'ok');
}

type Call = (options: unknown) => unknown;
const calls: [string, string, (okta: ReturnType<typeof fetcher>['okta']) => Call][] = [
  ['okta(input, init)', 'okta(input, init)', (okta) => (init) => okta('/api/v1/users', init as RequestInit)],
  ['paginate(fetcher, list, options)', 'paginate(fetcher, list, options)', (okta) => (options) => paginate(okta, '/api/v1/users', options as never)],
  ['paginatePages(fetcher, list, options)', 'paginatePages(fetcher, list, options)', (okta) => (options) => paginatePages(okta, '/api/v1/users', options as never)],
  ['pollSystemLog(fetcher, url, options)', 'pollSystemLog(fetcher, url, options)', (okta) => (options) => pollSystemLog(okta, '/api/v1/logs?since=2026-01-01T00:00:00Z', options as never)],
  ['parseOrgUrl(url, options)', 'parseOrgUrl(url, options)', () => (options) => parseOrgUrl('http://127.0.0.1:8080', options as never)],
];

describe('an optional options argument', () => {
  it.each(calls)('%s: null is as nothing', async (_, __, make) => {
    const [a, b] = [fetcher(), fetcher()];
    expect(await outcome(() => make(a.okta)(null))).toBe(await outcome(() => make(b.okta)(undefined)));
    expect(a.sent).toEqual(b.sent);
  });

  it.each(calls.flatMap(([name, what, make]) => ([['a string', 'text', 'a string'], ['a number', 42, 'a number'], ['an array', [], 'an array'], ['true', true, 'a boolean']] as const).map(([label, value, kind]) => [name, label, what, value, kind, make] as const)))(
    '%s given %s: INVALID_CONFIG naming the argument, nothing sent',
    async (_, __, what, value, kind, make) => {
      const { sent, okta } = fetcher();
      expect(await outcome(() => make(okta)(value))).toBe(`INVALID_CONFIG: ${what} takes an options object or nothing, not ${kind}.`);
      expect(sent).toEqual([]);
    },
  );

  it('reads its signal with the one check: another realm\'s AbortSignal goes, what is none refused in the package\'s words', () => {
    // An AbortSignal of another realm (a vm context, an iframe) fails `instanceof AbortSignal` but has its shape.
    const foreign = { aborted: false, reason: undefined, addEventListener: () => undefined, removeEventListener: () => undefined };
    const frozen = Object.freeze(Object.assign(Object.create(null) as object, { signal: foreign, maxEntries: 2 }));
    expect(readOptions(frozen, 'f(options)')).toBe(frozen);
    const refuse = (message: string) => new Error(`refused: ${message}`);
    expect(() => readOptions({ signal: {} }, 'f(options)', refuse)).toThrow("refused: The signal option must be an AbortSignal, such as an AbortController's signal or AbortSignal.timeout(ms).");
  });

  // isSignalOrNone's four terms, each alone: a signal's shape short of one part is none of it.
  const listen = () => undefined;
  it.each([
    ['aborted that is no boolean', { aborted: 'no', addEventListener: listen, removeEventListener: listen }],
    ['no addEventListener', { aborted: false, removeEventListener: listen }],
    ['no removeEventListener', { aborted: false, addEventListener: listen }],
    ['a function with the fields', Object.assign(() => undefined, { aborted: false, addEventListener: listen, removeEventListener: listen })],
  ])('refuses a signal with %s', (_, signal) => {
    expect(() => readOptions({ signal }, 'f(options)')).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', message: "The signal option must be an AbortSignal, such as an AbortController's signal or AbortSignal.timeout(ms)." }));
  });
});
