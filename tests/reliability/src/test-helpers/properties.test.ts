/**
 * The property harness itself: `valueOrTyped` passes a value and a typed error with a code the case
 * names, and fails the case on any other code (it once took every typed error, so a parser answering
 * a bad token with INVALID_CONFIG passed its property).
 */
import { OktaAuthError } from '@org/okta-auth-core';
import { describe, expect, it } from 'vitest';
import { valueOrTyped } from './properties.js';

const typed = (code: 'INVALID_RESPONSE' | 'INVALID_CONFIG') => () => Promise.reject(new OktaAuthError(code, `a ${code} for the harness`));

describe('valueOrTyped', () => {
  it('a value, or a typed error with one of the named codes, is an outcome', async () => {
    expect(await valueOrTyped(() => 7, ['INVALID_RESPONSE'])).toEqual({ value: 7 });
    expect(await valueOrTyped(typed('INVALID_RESPONSE'), ['INVALID_CONFIG', 'INVALID_RESPONSE'])).toEqual({ error: expect.objectContaining({ code: 'INVALID_RESPONSE' }) });
  });

  it('a typed error with a code the case did not name fails the case, saying which code came', async () => {
    await expect(valueOrTyped(typed('INVALID_CONFIG'), ['INVALID_RESPONSE'])).rejects.toThrow('typed error INVALID_CONFIG (a INVALID_CONFIG for the harness), expected one of INVALID_RESPONSE');
  });

  it('a case that names no code is a mistake of the test', async () => {
    await expect(valueOrTyped(typed('INVALID_CONFIG'), [])).rejects.toThrow('valueOrTyped: name the error codes this case may end in');
  });
});
