/**
 * `checkKyBound` at its edges (mutation testing, twenty-ninth round, docs/security-history.md):
 * `false`, none, 0 and 2^31 − 1 ms taken; -1, 2^31, NaN, a numeric string, `true` and an object
 * refused as `INVALID_CONFIG` (and `null`, which ky 2.2 refuses untyped) naming the option, the value not shown. Pure: no request, no timer.
 */
import { describe, expect, it } from 'vitest';
import { thrown, told } from '../test-helpers/outcome.js';
import { checkKyBound } from './bounds.js';

const said = (value: unknown, key: 'timeout' | 'totalTimeout' = 'timeout'): string => told(thrown(() => checkKyBound(value, key)), 'taken');

describe('checkKyBound', () => {
  it.each([false, undefined, 0, 1, 2_147_483_647])('takes %s', (value) => {
    expect(said(value)).toBe('taken');
    expect(said(value, 'totalTimeout')).toBe('taken');
  });

  it.each([-1, -0.5, 2_147_483_648, Number.NaN, Number.POSITIVE_INFINITY, '100', '0', true, null, { valueOf: () => 10 }])('refuses %s, naming the option', (value) => {
    expect(said(value)).toBe("INVALID_CONFIG: ky's timeout option must be false or a number of milliseconds from 0 to 2147483647.");
    expect(said(value, 'totalTimeout')).toBe("INVALID_CONFIG: ky's totalTimeout option must be false or a number of milliseconds from 0 to 2147483647.");
  });
});
