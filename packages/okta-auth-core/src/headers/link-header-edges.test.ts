// The edges of parseLinkHeader that its sticky-pattern form (twentyfifth session) had to keep as
// the character-loop form read them: each expectation is what the earlier parser gave.
import { describe, expect, it } from 'vitest';
import { parseLinkHeader } from './link-header.js';

describe('parseLinkHeader edges', () => {
  it.each([
    ['an unterminated quoted value ending in an escaped quote', '<a>; title="x\\"', [{ target: 'a', rel: [], params: { title: 'x\\' } }]],
    ['a "<" never closed ends the parse', '<a>; rel=next, <b', [{ target: 'a', rel: ['next'], params: { rel: 'next' } }]],
    [
      'a name without a value, then garbage with a quoted comma skipped',
      '<a>; rel ; x=1 junk "q," , <c>; rel="NEXT Self"',
      [
        { target: 'a', rel: [], params: { rel: '', x: '1' } },
        { target: 'c', rel: ['next', 'self'], params: { rel: 'NEXT Self' } },
      ],
    ],
    ['a target trimmed, the first of two parameters kept', '< https://x/ >;rel=next;rel=prev', [{ target: 'https://x/', rel: ['next'], params: { rel: 'next' } }]],
    ['an escaped line break kept with its backslash', '<a>; t="a\\\nb"', [{ target: 'a', rel: [], params: { t: 'a\\\nb' } }]],
    ['a leading element without "<", an empty name and an empty parameter skipped', 'x, <a>; =y; ;z', [{ target: 'a', rel: [], params: { z: '' } }]],
    ['a quote inside a token value', '<a>;rel=a"b', [{ target: 'a', rel: ['a"b'], params: { rel: 'a"b' } }]],
  ])('%s', (_what, header, expected) => {
    expect(parseLinkHeader(header)).toEqual(expected);
  });
});
