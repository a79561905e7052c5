/**
 * Property-based tests for every core parser that sees outside data:
 * thousands of generated inputs each. The result is a value or our typed
 * error, never another exception. Super-linear regular expressions are
 * ruled out statically by ESLint (regexp/no-super-linear-*), and the long
 * inputs here would hang a test run that regressed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OktaApiError } from '../errors/api-error.js';
import { isOktaAuthError } from '../errors/errors.js';
import { nextLink, parseLinkHeader } from './link-header.js';
import { parseOrgUrl } from '../config/org-url.js';
import { parseRateLimit, rateLimitWait } from './rate-limit.js';
import { parseWwwAuthenticate } from './www-authenticate.js';

const runs = { numRuns: 2_000 };

/** Strings built from the characters that matter to these grammars, plus anything. */
const headerish = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: fc.constantFrom('<', '>', ';', ',', '"', '\\', '=', ' ', '\t', 'a', 'rel', 'next', 'Bearer', 'DPoP', 'error', 'https://x.okta.com/a?b=c'), maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

const urlish = fc.oneof(
  fc.webUrl({ withFragments: true, withQueryParameters: true }),
  // Well-formed origins, https or loopback http: without them a run could draw no accepted input at all
  // (2 seeds in 100 did, and the "both ways" check below failed a CI run).
  fc.webUrl().map((url) => new URL(url).origin),
  fc.tuple(fc.constantFrom('127.0.0.1', 'localhost', '[::1]'), fc.integer({ min: 1, max: 65_535 })).map(([host, port]) => `http://${host}:${port}`),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: fc.constantFrom('http', 'https', '://', 'okta.com', '-admin', '.', '/', '{', '}', '127.0.0.1', ':', '@', '?', '#', 'localhost', ' ', '%'), maxLength: 30 }),
);

describe('parsers never throw anything but our typed error', () => {
  it('parseOrgUrl: an OrgUrl with an origin-only href, or INVALID_ORG_URL', () => {
    // Both ways must come: a parser refusing every input would pass the checks in catch alone.
    const seen = { orgs: 0, refused: 0 };
    fc.assert(
      fc.property(urlish, fc.boolean(), (input, loopback) => {
        try {
          const org = parseOrgUrl(input, { allowInsecureLoopback: loopback });
          const url = new URL(org.href);
          expect(url.pathname).toBe('/');
          expect(url.search + url.hash + url.username + url.password).toBe('');
          expect(['https:', 'http:']).toContain(url.protocol);
          seen.orgs++;
        } catch (error) {
          expect(isOktaAuthError(error) && error.code).toBe('INVALID_ORG_URL');
          seen.refused++;
        }
      }),
      runs,
    );
    expect(Math.min(seen.orgs, seen.refused), JSON.stringify(seen)).toBeGreaterThan(0);
  });

  it('parseLinkHeader and nextLink: links, never an exception', () => {
    // Links put together from their parts, good or not: headerish alone never made a next link.
    const part = fc.constantFrom('<', '>', ';', ',', ' ', 'rel=', '"next"', 'next', '"self next"', 'https://acme.okta.com/api/v1/users?after=1', '/api/v1/users?after=2', 'http://[', '');
    const linkish = fc.oneof(headerish, fc.string({ unit: part, maxLength: 12 }), fc.tuple(part, part).map(([target, rel]) => `<${target}>; rel=${rel}`));
    let nexts = 0;
    fc.assert(
      fc.property(linkish, (header) => {
        const links = parseLinkHeader(header);
        for (const link of links) expect(Array.isArray(link.rel)).toBe(true);
        const next = nextLink(header, 'https://acme.okta.com/api/v1/users');
        if (next !== undefined) {
          expect(next).toBeInstanceOf(URL);
          nexts++;
        }
      }),
      runs,
    );
    expect(nexts, 'cases with a next link').toBeGreaterThan(0);
  });

  it('parseLinkHeader round-trips generated links', () => {
    const target = fc.webUrl().filter((u) => !u.includes('>'));
    fc.assert(
      fc.property(fc.array(fc.tuple(target, fc.constantFrom('next', 'self', 'prev')), { minLength: 1, maxLength: 5 }), (links) => {
        const header = links.map(([url, rel]) => `<${url}>; rel="${rel}"`).join(', ');
        expect(parseLinkHeader(header).map((l) => [l.target, l.rel[0]])).toEqual(links);
      }),
      runs,
    );
  });

  it('parseWwwAuthenticate: challenges, never an exception', () => {
    fc.assert(
      fc.property(headerish, (header) => {
        for (const challenge of parseWwwAuthenticate(header)) {
          expect(challenge.scheme).toMatch(/^[!#$%&'*+\-.^`|~\w]+$/);
        }
      }),
      runs,
    );
  });

  it('parseWwwAuthenticate round-trips generated challenges', () => {
    const token = fc.stringMatching(/^[a-z][\w-]{0,10}$/);
    const value = fc.string({ maxLength: 30 }).filter((v) => !/[\\"]/.test(v));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('Bearer', 'DPoP', 'Basic'), fc.dictionary(token, value, { maxKeys: 4 })), { minLength: 1, maxLength: 3 }), (challenges) => {
        const header = challenges
          .map(([scheme, params]) => [scheme, Object.entries(params).map(([k, v]) => `${k}="${v}"`).join(', ')].filter((p) => p !== '').join(' '))
          .join(', ');
        const parsed = parseWwwAuthenticate(header);
        expect(parsed.map((c) => c.scheme)).toEqual(challenges.map(([scheme]) => scheme));
        parsed.forEach((c, i) => {
          // Names compare without case, and the first of two that differ only in case wins (as sent).
          const expected: Record<string, string> = {};
          for (const [k, v] of Object.entries(challenges[i]![1])) expected[k.toLowerCase()] ??= v;
          expect(c.params).toEqual(expected);
        });
      }),
      runs,
    );
  });

  it('rate-limit headers: finite non-negative numbers or nothing', () => {
    let waits = 0;
    fc.assert(
      fc.property(headerish, headerish, headerish, (reset, date, retryAfter) => {
        const headers = new Headers();
        for (const [name, v] of [['x-rate-limit-reset', reset], ['date', date], ['retry-after', retryAfter], ['x-rate-limit-limit', reset]] as const) {
          try {
            headers.set(name, v);
          } catch {
            // Not a valid header value: fetch would never deliver it.
          }
        }
        const info = parseRateLimit(headers);
        for (const n of Object.values(info)) expect(Number.isFinite(n) && n >= 0).toBe(true);
        const wait = rateLimitWait(headers);
        if (wait !== undefined) {
          expect(Number.isFinite(wait) && wait >= 0).toBe(true);
          waits++;
        }
      }),
      runs,
    );
    expect(waits, 'cases with a wait').toBeGreaterThan(0);
  });

  it('Okta error bodies: always an OktaApiError with a one-line message', () => {
    const body = fc.oneof(
      fc.string({ maxLength: 500 }),
      fc.json({ maxDepth: 3 }),
      fc.record({ errorCode: fc.anything(), errorSummary: fc.anything(), errorCauses: fc.anything(), errorId: fc.anything() }).map((o) => JSON.stringify(o)),
      fc.record({ error: fc.string(), error_description: fc.string() }).map((o) => JSON.stringify(o)),
    );
    fc.assert(
      fc.property(body, fc.integer({ min: 400, max: 599 }), headerish, (bodyText, status, challenge) => {
        const headers = new Headers();
        try {
          headers.set('www-authenticate', challenge);
        } catch {
          // invalid header value
        }
        const error = OktaApiError.fromParts({ status, statusText: '', headers, bodyText }, { method: 'GET', url: new URL('https://acme.okta.com/api/v1/users') });
        expect(error).toBeInstanceOf(OktaApiError);
        expect(error.message).not.toMatch(/[\r\n]/);
        expect(error.message.startsWith(String(status))).toBe(true);
      }),
      runs,
    );
  });

  it('stays linear on long adversarial inputs', () => {
    // Just under the parsers' size limits (16 KiB and 64 KiB), where a quadratic parser would take minutes.
    const long = 200_000;
    expect(parseWwwAuthenticate(`Bearer ${'a=",'.repeat(4_000)}`)).toHaveLength(1);
    expect(parseWwwAuthenticate(`Bearer ${'a=b,'.repeat(4_000)}`)[0]?.params.a).toBe('b');
    expect(parseLinkHeader('<'.repeat(60_000))).toEqual([]);
    expect(parseLinkHeader(`<a>${';rel='.repeat(12_000)}`)).toHaveLength(1);
    expect(parseLinkHeader('<a>, '.repeat(12_000))).toHaveLength(12_000);
    expect(() => parseOrgUrl(`https://${'a.'.repeat(long)}okta.com`)).toThrow(expect.objectContaining({ code: 'INVALID_ORG_URL' }));
    expect(rateLimitWait(new Headers({ 'x-rate-limit-reset': '1,'.repeat(long) }))).toBeUndefined();
    expect(OktaApiError.fromParts({ status: 500, statusText: '', headers: new Headers(), bodyText: '{'.repeat(long) }, { method: 'GET', url: new URL('https://a.okta.com/') }).message).toContain('500');
  });
});
