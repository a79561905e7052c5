// The edges of parseWwwAuthenticate that its sticky-pattern form (twentyfifth session) had to keep
// as the character-loop form read them: each expectation is what the earlier parser gave.
import { describe, expect, it } from 'vitest';
import { parseWwwAuthenticate } from './www-authenticate.js';

describe('parseWwwAuthenticate edges', () => {
  it.each([
    ['a token68 right after the scheme, without a space', 'Basic/abc', [{ scheme: 'Basic', params: {}, token68: '/abc' }]],
    ['a token68 with padding and spaces before the next challenge', 'Bearer abc==  ,  Basic', [{ scheme: 'Bearer', params: {}, token68: 'abc==' }, { scheme: 'Basic', params: {} }]],
    ['an "=" right after the scheme', 'Bearer=x', [{ scheme: 'Bearer', params: {} }]],
    ['a token that is no parameter starts a new challenge', 'Bearer a b=c', [{ scheme: 'Bearer', params: {} }, { scheme: 'a', params: { b: 'c' } }]],
    ['a nameless parameter after a comma ends the challenge', 'a=b, =c', [{ scheme: 'a', params: {} }]],
    ['an empty token value', 'x q=1, a=, b=c', [{ scheme: 'x', params: { q: '1', a: '', b: 'c' } }]],
    ['a first element "a=" is a token68, and "b=c" after it a scheme', 'x a=, b=c', [{ scheme: 'x', params: {}, token68: 'a=' }, { scheme: 'b', params: {} }]],
    ['an unterminated quoted value, its trailing backslash kept', 'x a="v\\', [{ scheme: 'x', params: { a: 'v\\' } }]],
    ['an unterminated quoted value ending in an escaped quote keeps the quote', 'x title="a\\"', [{ scheme: 'x', params: { title: 'a"' } }]],
    ['an escaped quote does not end a skipped element', 'x a="1" junk "q\\",z", b=2', [{ scheme: 'x', params: { a: '1' } }, { scheme: 'b', params: {} }]],
    ['the first of two names that differ in case', 'x A=1, a=2', [{ scheme: 'x', params: { a: '1' } }]],
  ])('%s', (_what, header, expected) => {
    expect(parseWwwAuthenticate(header)).toEqual(expected);
  });
});
