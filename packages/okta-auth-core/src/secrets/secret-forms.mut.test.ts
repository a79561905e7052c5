/**
 * What the twenty-seventh mutation round found no test reading in `secret-forms.ts`: a
 * percent-encoded character of 2 to 4 UTF-8 bytes, numeric character references at their edges,
 * text whose case mapping changes its length, a secret's base64url form with a `_`, and
 * `prefixRuns`'s exact calls (not only the units they cover).
 */
import { describe, expect, it } from 'vitest';
import { fold, prefixRuns } from './secret-forms.js';
import { scrub } from './secret.js';

const utf8Base64 = (value: string): string => btoa(Array.from(new TextEncoder().encode(value), (byte) => String.fromCharCode(byte)).join(''));

describe('fold: percent-encoded UTF-8', () => {
  it.each([
    ['%C3%A4', 'ä'], // 2 bytes
    ['%E2%82%AC', '€'], // 3 bytes
    ['%E0%A4%85', 'अ'], // 3 bytes, the lowest lead of three
    ['%F0%9F%98%80', '😀'], // 4 bytes: two UTF-16 units
    ['%f4%8f%bf%bf', '\u{10ffff}'], // the last code point, hex in lower case
    ['%A9', '©'], // a byte under 0xC0 alone: that one character
    ['%C0%80', '\ufffd\ufffd'], // 0xC0 begins no UTF-8 character: its two bytes are read as two bad ones, not as "À"
  ])('reads %s as %j', (encoded, character) => {
    expect(fold(encoded)[0]).toBe(character);
    expect(fold(`%25${encoded.slice(1)}`)[0]).toBe(fold(encoded)[0]); // encoded twice
  });

  it('gives each folded unit the span of the escape it came from', () => {
    const [folded, from, to] = fold('a%F0%9F%98%80b');
    expect(folded).toBe('a😀b');
    expect([...(from ?? [])].slice(0, folded.length)).toEqual([0, 1, 1, 13]);
    expect([...(to ?? [])].slice(0, folded.length)).toEqual([1, 13, 13, 14]);
  });

  it('leaves an escape whose bytes are not all there as it is', () => {
    expect(fold('%C3x')[0]).toBe('%c3x');
    expect(fold('%E2%82x')[0]).toBe('%e2\x82x'); // the first cut short, the second a byte alone
  });

  it('drops line breaks in a text made of escape characters alone', () => {
    expect(fold('\r\n%\r\n&\\')[0]).toBe('%&\\');
  });

  it("scrubs the percent-encoded echo of a secret's 2-, 3- and 4-byte characters", () => {
    const secret = 'pässwört-€-अ-😀-value';
    expect(scrub(`echo: ${encodeURIComponent(secret)} end`, [secret])).toBe('echo: [redacted] end');
  });
});

describe('fold: numeric character references at their edges', () => {
  it.each([
    ['&#0;', '\0'],
    ['&#x10FFFF;', '\u{10ffff}'],
    ['&#1114111;', '\u{10ffff}'],
    ['&#x110000;', '\ufffd'],
    ['&#1114112;', '\ufffd'],
  ])('reads %s as %j, never throwing', (reference, character) => {
    expect(fold(reference)[0]).toBe(character);
  });
});

describe('scrub in text whose case mapping changes length', () => {
  it('masks the echo itself, not the characters before it (ß is two letters in upper case, İ two units in lower case)', () => {
    const secret = 'the-api-token-value-abcd';
    expect(scrub(`ßß İİ ${secret} end`, [secret])).toBe('ßß İİ [redacted …abcd] end');
    expect(scrub(`İİ ${secret.toUpperCase()} end`, [secret])).toBe('İİ [redacted] end');
  });
});

describe("scrub of a secret's encoded forms", () => {
  it('finds the base64url echo of a secret whose base64 has a / (as _)', () => {
    const secret = 'what???-is-this-client-secret';
    const base64 = utf8Base64(secret);
    expect(base64).toContain('/');
    const base64url = base64.replace(/\+/g, '-').replace(/\//g, '_').replaceAll('=', '');
    // The characters that encode its bytes alone: the last may carry bits of what follows, and stays.
    expect(scrub(`echo ${base64url} end`, [secret])).toMatch(/^echo \[redacted\][\w-]? end$/);
  });

  it('finds the base64 echo of a secret no request can carry as it is (a lone surrogate): its UTF-8 bytes as the encoder makes them', () => {
    const secret = 'secret-value-\ud800-tail-1234';
    expect(scrub(`echo ${utf8Base64(secret)} end`, [secret])).toMatch(/^echo \[redacted\][\w+/]?=* end$/);
  });
});

describe('prefixRuns: its calls, one by one', () => {
  /** For each end in `text`, the longest prefix of `pattern` ending there, when it has `least` units or more: what the search must call, in order. */
  function plainRuns(text: string, pattern: string, least: number): [number, number][] {
    const runs: [number, number][] = [];
    for (let end = 1; end <= text.length; end++) {
      for (let length = Math.min(end, pattern.length); length >= least; length--) {
        if (text.slice(end - length, end) === pattern.slice(0, length)) {
          runs.push([end - length, end]);
          break;
        }
      }
    }
    return runs;
  }

  it('calls once for each place a run of least units or more ends, with the longest such run', () => {
    let seed = 11;
    const next = (n: number): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n;
    const word = (length: number): string => Array.from({ length }, () => 'aab'[next(3)]).join('');
    let runs = 0;
    for (let round = 0; round < 3000; round++) {
      const pattern = word(1 + next(10));
      const text = word(next(30));
      const least = 1 + next(pattern.length);
      const calls: [number, number][] = [];
      prefixRuns(text, pattern, least, (start, end) => calls.push([start, end]));
      expect(calls, `${text} / ${pattern} / ${least}`).toEqual(plainRuns(text, pattern, least));
      runs += calls.length;
    }
    expect(runs).toBeGreaterThan(3000);
  });

  it('falls back through a pattern that repeats itself', () => {
    const calls: [number, number][] = [];
    prefixRuns('aabaabaaab', 'aabaaa', 2, (start, end) => calls.push([start, end]));
    expect(calls).toEqual(plainRuns('aabaabaaab', 'aabaaa', 2));
    expect(calls).toContainEqual([3, 8]);
  });
});
