import { describe, expect, it } from 'vitest';
import { nextLink, parseLinkHeader } from './link-header.js';

describe('parseLinkHeader', () => {
  it("reads Okta's self and next links, joined from two header lines", () => {
    const header = '<https://acme.okta.com/api/v1/users?limit=2>; rel="self", <https://acme.okta.com/api/v1/users?after=00u2&limit=2>; rel="next"';
    const links = parseLinkHeader(header);
    expect(links.map((l) => l.rel)).toEqual([['self'], ['next']]);
    expect(nextLink(header, 'https://acme.okta.com/api/v1/users')?.href).toBe('https://acme.okta.com/api/v1/users?after=00u2&limit=2');
  });

  it('handles several rel values, unquoted values, other params, commas in quotes and relative targets', () => {
    const header = '</a?x=1,2>; title="a, b"; rel="prev next", </c>; rel=last';
    const links = parseLinkHeader(header);
    expect(links[0]).toEqual({ target: '/a?x=1,2', rel: ['prev', 'next'], params: { title: 'a, b', rel: 'prev next' } });
    expect(links[1]?.rel).toEqual(['last']);
    expect(nextLink(header, 'https://acme.okta.com/api/v1/users')?.href).toBe('https://acme.okta.com/a?x=1,2');
  });

  it('resolves an absolute next link even when the base is only a path', () => {
    expect(nextLink('<https://acme.okta.com/api/v1/users?after=2>; rel="next"', '/api/v1/users')?.href).toBe('https://acme.okta.com/api/v1/users?after=2');
    expect(nextLink('</api/v1/users?after=2>; rel="next"', '/api/v1/users')).toBeUndefined();
  });

  it('keeps a parameter named like an Object property as its own, and reads no absent one from Object', () => {
    const [link] = parseLinkHeader('<https://acme.okta.com/a>; constructor="x"; __proto__=y; rel=next');
    expect(Object.entries(link?.params ?? {})).toEqual([
      ['constructor', 'x'],
      ['__proto__', 'y'],
      ['rel', 'next'],
    ]);
    expect(link?.rel).toEqual(['next']);
    const params = parseLinkHeader('<https://acme.okta.com/a>; rel=next')[0]?.params ?? {};
    expect(['constructor', 'hasOwnProperty', 'toString'].filter((name) => name in params)).toEqual([]);
  });

  it('gives no next link at the last page, and skips garbage without throwing', () => {
    expect(nextLink('<https://acme.okta.com/x>; rel="self"', 'https://acme.okta.com')).toBeUndefined();
    expect(nextLink(null, 'https://acme.okta.com')).toBeUndefined();
    for (const header of ['garbage', '<unterminated', '<a>; rel="x', ';;;', '<a>;', '<>; rel=next', 'x, <b>; rel=next']) {
      expect(() => parseLinkHeader(header)).not.toThrow();
    }
    expect(parseLinkHeader('x, <b>; rel=next').map((l) => l.target)).toEqual(['b']);
  });
});
