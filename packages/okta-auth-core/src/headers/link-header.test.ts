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

  it("reads RFC 8288's optional white space (spaces and tabs) around ';' and '=', and values up to ',' or ';'", () => {
    const [a, b] = parseLinkHeader('< https://acme.okta.com/a >\t;\trel\t=\t"next" ; crossorigin; =orphan; type=text/html,<https://acme.okta.com/b>;rel=last');
    expect(a).toEqual({ target: 'https://acme.okta.com/a', rel: ['next'], params: { rel: 'next', crossorigin: '', type: 'text/html' } });
    expect(b).toEqual({ target: 'https://acme.okta.com/b', rel: ['last'], params: { rel: 'last' } });
  });

  it('reads a rel list with extra spaces as its words, and a link without rel as having none', () => {
    expect(parseLinkHeader('</a>; rel="  prev \t next  "')[0]?.rel).toEqual(['prev', 'next']);
    expect(parseLinkHeader('</a>; title=x')[0]?.rel).toEqual([]);
  });

  it("unescapes quoted values, and reads an empty or unterminated quoted value to the header's end", () => {
    expect(parseLinkHeader(String.raw`</a>; title="say \"hi\", \\ bye"; rel=next`)[0]?.params).toEqual({ title: String.raw`say "hi", \ bye`, rel: 'next' });
    expect(parseLinkHeader('</a>; title=""; rel=next')[0]?.params.title).toBe('');
    expect(parseLinkHeader('</a>; rel="next')[0]?.rel).toEqual(['next']);
  });

  it('skips garbage up to the next comma outside quotes, before a link and after its parameters', () => {
    const header = String.raw`junk "x, \", y", </a>; rel=self garbage "p, q", </b>; rel=next`;
    expect(parseLinkHeader(header).map((l) => [l.target, l.rel])).toEqual([
      ['/a', ['self']],
      ['/b', ['next']],
    ]);
  });

  it('parses a header of 64 KiB, and gives no links for a longer one', () => {
    const link = '<https://acme.okta.com/a>; rel=next';
    // The bound as a number, not the constant: moving the constant fails this test.
    const padded = `${link}, ${' '.repeat(65_536 - link.length - 2)}`;
    expect(padded).toHaveLength(65_536);
    expect(parseLinkHeader(padded)).toHaveLength(1);
    expect(parseLinkHeader(`${padded} `)).toEqual([]);
  });

  it('reads hundreds of links, a rel="next" inside a quoted parameter as text, and takes the first next link of several', () => {
    const others = Array.from({ length: 500 }, (_, i) => `<https://acme.okta.com/api/v1/logs?p=${i}>; title="rel=\\"next\\", <https://evil.example/>"; rel="prev self"`);
    const header = [...others, '<https://acme.okta.com/api/v1/logs?after=1_2>; REL="Next"', '<https://acme.okta.com/api/v1/logs?after=9_9>; rel=next'].join(', ');
    const links = parseLinkHeader(header);
    expect(links).toHaveLength(502);
    expect(links.filter((l) => l.rel.includes('next')).map((l) => l.target)).toEqual(['https://acme.okta.com/api/v1/logs?after=1_2', 'https://acme.okta.com/api/v1/logs?after=9_9']);
    expect(links[0]?.params.title).toBe('rel="next", <https://evil.example/>');
    expect(nextLink(header, 'https://acme.okta.com/api/v1/logs')?.href).toBe('https://acme.okta.com/api/v1/logs?after=1_2');
  });

  it('gives no next link for an empty target (it would resolve to the page itself)', () => {
    expect(nextLink('<>; rel="next"', 'https://acme.okta.com/api/v1/users?after=1')).toBeUndefined();
  });

  it('reads an unterminated quoted value to the end, separators and a last lone backslash included', () => {
    expect(parseLinkHeader('</a>; rel=next; title="a; b, c')[0]?.params).toEqual({ rel: 'next', title: 'a; b, c' });
    expect(parseLinkHeader('</a>; rel=next; title="x\\')[0]?.params.title).toBe('x\\');
  });

  it('reads no link out of garbage: a <target> after junk, or in a quoted string with a comma, is skipped with it', () => {
    const after = parseLinkHeader('</a>; rel=self junk<https://evil.example/>; rel=next, </b>; rel=next');
    expect(after.map((l) => l.target)).toEqual(['/a', '/b']);
    const quoted = 'x "a, <https://evil.example/>; rel=next", </b>; rel=next';
    expect(parseLinkHeader(quoted).map((l) => l.target)).toEqual(['/b']);
    expect(nextLink(quoted, 'https://acme.okta.com/api/v1/users')?.href).toBe('https://acme.okta.com/b');
  });

  it("takes no next link with an anchor naming another resource (RFC 8288 §3.2: its context is that resource, not this page), and takes a next link without one after it", () => {
    const page = 'https://acme.okta.com/api/v1/users?limit=2';
    for (const anchor of ['https://acme.okta.com/api/v1/groups', '#x', 'https://acme.okta.com/api/v1/users?limit=3']) {
      expect(nextLink(`<https://acme.okta.com/api/v1/users?after=00u9>; rel="next"; anchor="${anchor}"`, page)).toBeUndefined();
    }
    // Not resolvable against a page whose URL is unknown (a custom fetch's empty url): passed over.
    expect(nextLink('<https://acme.okta.com/api/v1/users?after=00u9>; rel="next"; anchor="/api/v1/users"', '')).toBeUndefined();
    expect(nextLink('<https://acme.okta.com/api/v1/users?after=00u9>; ANCHOR=/api/v1/groups; rel=next', page)).toBeUndefined();
    const both = '<https://acme.okta.com/api/v1/users?after=00u9>; rel="next"; anchor="/api/v1/groups", <https://acme.okta.com/api/v1/users?after=00u2>; rel="next"';
    expect(nextLink(both, page)?.href).toBe('https://acme.okta.com/api/v1/users?after=00u2');
  });

  it("takes a next link whose anchor names this page (RFC 8288 §3.2: its context is the page, as without one), absolute, relative or empty: passing it over would end a listing early, silently", () => {
    const page = 'https://acme.okta.com/api/v1/users?limit=2';
    for (const anchor of [page, '/api/v1/users?limit=2', '']) {
      expect(nextLink(`<https://acme.okta.com/api/v1/users?after=00u9>; rel="next"; anchor="${anchor}"`, page)?.href).toBe('https://acme.okta.com/api/v1/users?after=00u9');
    }
  });
});
