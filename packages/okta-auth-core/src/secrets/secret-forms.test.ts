/** `prefixRuns`, the one search `scrub` makes for a secret's forms and its cut echoes, against the plain search it replaced. */
import { describe, expect, it } from 'vitest';
import { prefixRuns } from './secret-forms.js';

/** The units of `text` in a run of `pattern`'s first `least` units or more, found from each place on (the old search). */
function plainCover(text: string, pattern: string, least: number): boolean[] {
  const cover = Array.from({ length: text.length }, () => false);
  for (let at = 0; at < text.length; at++) {
    let length = 0;
    while (at + length < text.length && length < pattern.length && text[at + length] === pattern[length]) length++;
    if (length >= least) cover.fill(true, at, at + length);
  }
  return cover;
}

describe('prefixRuns', () => {
  it('covers the units the plain search covers, and each run it gives is a prefix of the pattern', () => {
    let seed = 7;
    const next = (n: number): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n;
    const word = (length: number): string => Array.from({ length }, () => 'ab'[next(2)]).join('');
    for (let round = 0; round < 2000; round++) {
      const pattern = word(1 + next(12));
      const text = word(next(40));
      const least = 1 + next(pattern.length);
      const cover = Array.from({ length: text.length }, () => false);
      prefixRuns(text, pattern, least, (start, end) => {
        expect(end - start).toBeGreaterThanOrEqual(least);
        expect(text.slice(start, end)).toBe(pattern.slice(0, end - start));
        cover.fill(true, start, end);
      });
      expect(cover, `${text} / ${pattern} / ${least}`).toEqual(plainCover(text, pattern, least));
    }
  });

  it('gives nothing for a text without the first `least` units', () => {
    const runs: [number, number][] = [];
    prefixRuns('the quick brown fox', 'quick-silver', 6, (start, end) => runs.push([start, end]));
    expect(runs).toEqual([]);
    prefixRuns('the quick-silver fox', 'quick-silver', 6, (start, end) => runs.push([start, end]));
    expect(runs.at(-1)).toEqual([4, 16]);
  });
});
