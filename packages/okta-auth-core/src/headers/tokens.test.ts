import { describe, expect, it } from 'vitest';
import { isHttpToken, isNqchars } from './tokens.js';

// Every code unit up to U+017F (Latin-1 and Latin Extended-A: `ſ` upper-cases to `S`), against the RFCs' lists.
const units = Array.from({ length: 0x180 }, (_, code) => String.fromCharCode(code));
const alphaDigit = (c: string) => /^[A-Za-z0-9]$/.test(c);

describe('isHttpToken (RFC 9110 §5.6.2 tchar)', () => {
  it('takes exactly ALPHA, DIGIT and !#$%&\'*+-.^_`|~', () => {
    const listed = new Set("!#$%&'*+-.^_`|~");
    expect(units.filter((c) => isHttpToken(c))).toEqual(units.filter((c) => alphaDigit(c) || listed.has(c)));
  });

  it('takes a run of them, not an empty one nor one with anything else', () => {
    expect(['GET', 'propfind', 'Oktaprise', "x!#$%&'*+-.^_`|~9"].map(isHttpToken)).toEqual([true, true, true, true]);
    expect(['', 'pa tch', 'po\u017Ft', 'a/b', 'a\r\nb', 'get\0'].map(isHttpToken)).toEqual([false, false, false, false, false, false]);
  });
});

describe('isNqchars (RFC 6749 §A.1 NQCHAR)', () => {
  it('takes exactly %x21 / %x23-5B / %x5D-7E', () => {
    const code = (c: string) => c.charCodeAt(0);
    expect(units.filter((c) => isNqchars(c))).toEqual(units.filter((c) => code(c) === 0x21 || (code(c) >= 0x23 && code(c) <= 0x5b) || (code(c) >= 0x5d && code(c) <= 0x7e)));
  });

  it('takes a run of them, not an empty one nor one with a space, tab, quote or backslash', () => {
    expect(['okta.users.read', 'a[b]c{d}', 'nonce-1~/+='].map(isNqchars)).toEqual([true, true, true]);
    expect(['', 'a b', 'a\tb', 'say"', 'a\\b', 'caf\u00E9'].map(isNqchars)).toEqual([false, false, false, false, false, false]);
  });
});
