// The one splitter of /authorize's and /token's space-delimited parameters (RFC 6749 §3.3: values
// separated by %x20): order kept, empty values dropped, nothing for an absent parameter.
import { describe, expect, it } from 'vitest';
import { spaceDelimited } from './space-delimited.js';

describe('spaceDelimited', () => {
  it('splits at each space, drops empty values and keeps the order', () => {
    expect(spaceDelimited('openid profile')).toEqual(['openid', 'profile']);
    expect(spaceDelimited('  login   consent ')).toEqual(['login', 'consent']);
    expect(spaceDelimited('b a b')).toEqual(['b', 'a', 'b']);
  });

  it('splits at the space character alone (a tab or newline stays inside a value)', () => {
    expect(spaceDelimited('openid\tprofile email\n')).toEqual(['openid\tprofile', 'email\n']);
  });

  it('has no values for an absent or empty parameter', () => {
    expect(spaceDelimited(null)).toEqual([]);
    expect(spaceDelimited(undefined)).toEqual([]);
    expect(spaceDelimited('')).toEqual([]);
    expect(spaceDelimited('   ')).toEqual([]);
  });
});
