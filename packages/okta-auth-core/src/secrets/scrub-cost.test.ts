/**
 * What `scrub` costs on a hostile answer (twentysixth session, review): a server knows the
 * secrets it was sent and chose some of them (a refresh token, a device code), so it can echo a
 * text made to match one at every place. Finding the echoes is one search per form of a secret,
 * never one per match (which cost the text's length times the secret's: seconds for a 64 KiB
 * body and a 16 KiB token).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { scrub } from './secret.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('scrub on a text that matches a secret at every place', () => {
  // A token the server issued (a refresh token) of one character repeated, and an answer of the same.
  const token = `${'a'.repeat(16_383)}z`;
  const answer = `${'a'.repeat(65_535)}b`;

  it('masks every cut echo with one search per form of the secret, not one per place it matches', () => {
    const searches = vi.spyOn(String.prototype, 'indexOf');
    const fills = vi.spyOn(Uint8Array.prototype, 'fill');
    expect(scrub(answer, [token])).toBe('[redacted]b');
    // 49,153 places start a cut echo: each used to be one search and one fill.
    expect(searches.mock.calls.length + fills.mock.calls.length).toBeLessThan(100);
  });

  it('masks every echo of its cut end (the start cut off) the same way (twentyseventh session)', () => {
    const searches = vi.spyOn(String.prototype, 'indexOf');
    const fromEnd = vi.spyOn(String.prototype, 'lastIndexOf');
    const ends = vi.spyOn(String.prototype, 'endsWith');
    const fills = vi.spyOn(Uint8Array.prototype, 'fill');
    // A token that starts unlike the answer and ends like it at every place: 49,153 places end a cut echo.
    expect(scrub(`b${'a'.repeat(65_535)}`, [`z${'a'.repeat(16_383)}`])).toBe('b[redacted]');
    expect(searches.mock.calls.length + fromEnd.mock.calls.length + ends.mock.calls.length + fills.mock.calls.length).toBeLessThan(100);
  });

  it('masks an exact echo of a repeated secret wherever it overlaps, the same way', () => {
    const searches = vi.spyOn(String.prototype, 'indexOf');
    expect(scrub(`ok ${'a'.repeat(65_536)} ok`, ['a'.repeat(16_384)])).toBe('ok [redacted] ok');
    expect(searches.mock.calls.length).toBeLessThan(100);
  });
});
