/**
 * `checkTransaction`'s refusals, each with its message: mutation testing, twenty-ninth round
 * (docs/security-history.md). A value that is no object (`undefined` included, whose fields cannot
 * be read) is malformed, not a `TypeError`; a function carrying every field is no transaction.
 */
import { describe, expect, it } from 'vitest';
import { refusal } from '../test-helpers/refusal.js';
import { checkTransaction } from './transaction.js';
import { owner, validTransaction } from './test-helpers/transaction-fixture.js';

const valid = validTransaction;
const malformed = 'INVALID_TRANSACTION: The sign-in transaction is malformed: pass the transaction startSignIn returned, unchanged.';

const said = (value: unknown): string => refusal(() => checkTransaction(value, owner));

describe('checkTransaction', () => {
  it('refuses what is no object as malformed, undefined included', () => {
    for (const value of [undefined, null, 'a transaction', 42, true]) expect(said(value)).toBe(malformed);
  });

  it('refuses a function that carries every field', () => {
    const fn = Object.assign(() => undefined, valid);
    expect(said(fn)).toBe(malformed);
  });

  it('says malformed for a bad field, and another client for a good one of another client', () => {
    expect(said({ ...valid, createdAt: '1700000000000' })).toBe(malformed);
    expect(said({ ...valid, maxAge: '300' })).toBe(malformed);
    expect(said(valid)).toBe('accepted');
    expect(said({ ...valid, clientId: '0oaOTHERclient0000000' })).toBe(
      'INVALID_TRANSACTION: The sign-in transaction was started by another client (another org or client id): finish the sign-in with the client that started it.',
    );
  });
});
