import { describe, expect, it } from 'vitest';
import { deepFreeze } from './deep-freeze.js';

describe('deepFreeze', () => {
  it('freezes every object and array of a JSON tree, past its nulls, and returns it', () => {
    const tree = { a: null, b: [null, { c: [1, null, { d: 'x' }] }], e: { f: null } };
    expect(deepFreeze(tree)).toBe(tree);
    const b1 = tree.b[1] as { c: [number, null, { d: string }] };
    expect([tree, tree.b, b1, b1.c, b1.c[2], tree.e].map((part) => Object.isFrozen(part))).toEqual([true, true, true, true, true, true]);
  });

  it('returns a JSON value that is no object (null, a number, a string, a boolean) as it is', () => {
    expect([deepFreeze(null), deepFreeze(42), deepFreeze('text'), deepFreeze(true)]).toEqual([null, 42, 'text', true]);
  });
});
