import { describe, expect, it } from 'vitest';
import { escapeUnprintable } from './escape-unprintable.js';

describe('escapeUnprintable', () => {
  it('writes each unprintable character as a four-digit JSON escape, keeping line feeds and tabs', () => {
    // An escape sequence, a carriage return that would overwrite the line, an 8-bit CSI, a right-to-left override.
    expect(escapeUnprintable('a\u001b[2Jb\r\nc\td\u009b2Ke\u202ef\u0000')).toBe('a\\u001b[2Jb\\u000d\nc\td\\u009b2Ke\\u202ef\\u0000');
    expect(escapeUnprintable('\n\t\n')).toBe('\n\t\n');
  });

  it('leaves JSON that is JSON, with the same meaning', () => {
    const text = JSON.stringify({ name: 'x\u202ey\u2028z' }, null, 2);
    expect(JSON.parse(escapeUnprintable(text))).toEqual({ name: 'x\u202ey\u2028z' });
    expect(escapeUnprintable(text)).not.toMatch(/[\u2028\u202e]/);
  });
});
