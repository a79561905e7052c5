/**
 * The sign-in transaction's shape and age checks (`transaction.ts`) and the PKCE verifier's
 * alphabet and length (`pkce.ts`): a transaction comes back from storage or a cookie, so each
 * field is checked at its bounds. Each case was a change no test noticed (docs/security-history.md,
 * "Sixteenth session: mutation testing").
 */
import { describe, expect, it } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import { isValidCodeVerifier } from './pkce.js';
import { checkTransaction, checkTransactionAge } from './transaction.js';
import { owner, validTransaction } from './test-helpers/transaction-fixture.js';

const valid = validTransaction;

function refused(value: unknown, by = owner): string | undefined {
  try {
    checkTransaction(value, by);
    return undefined;
  } catch (error) {
    return isOktaOAuthError(error) ? error.code : 'not ours';
  }
}

describe('checkTransaction', () => {
  it('accepts a transaction at every bound: state and nonce of 16 and 512 characters, max_age 0', () => {
    for (const text of ['x'.repeat(16), 'x'.repeat(512)]) {
      expect(refused({ ...valid, state: text })).toBeUndefined();
      expect(refused({ ...valid, nonce: text })).toBeUndefined();
    }
    expect(refused({ ...valid, maxAge: 0 })).toBeUndefined();
    expect(refused({ ...valid, maxAge: 300 })).toBeUndefined();
    expect(checkTransaction(valid, owner)).toBe(valid);
  });

  it("takes one without origin and client id (an earlier version's), and refuses another client's without naming either", () => {
    const legacy = Object.fromEntries(Object.entries(valid).filter(([name]) => name !== 'origin' && name !== 'clientId'));
    expect(refused(legacy)).toBeUndefined();
    for (const other of [
      { ...owner, origin: 'https://evil.okta.com' },
      { ...owner, clientId: '0oaOTHERclientId00000' },
    ]) {
      expect(refused(valid, other)).toBe('INVALID_TRANSACTION');
    }
    // Each field is compared on its own: one alone still binds the transaction.
    expect(refused({ ...legacy, origin: valid.origin }, { ...owner, origin: 'https://evil.okta.com' })).toBe('INVALID_TRANSACTION');
    expect(refused({ ...legacy, clientId: valid.clientId }, { ...owner, clientId: '0oaOTHERclientId00000' })).toBe('INVALID_TRANSACTION');
    let message = '';
    try {
      checkTransaction({ ...valid, origin: 'https://hostile.example' }, owner);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('finish the sign-in with the client that started it');
    expect(message).not.toMatch(/hostile|acme|0oa/);
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['a string', JSON.stringify(valid)],
    ['a state of 15 characters', { ...valid, state: 'x'.repeat(15) }],
    ['a state of 513 characters', { ...valid, state: 'x'.repeat(513) }],
    ['a state that is not a string', { ...valid, state: 1 }],
    ['a nonce of 15 characters', { ...valid, nonce: 'x'.repeat(15) }],
    ['a nonce of 513 characters', { ...valid, nonce: 'x'.repeat(513) }],
    ['no nonce', { ...valid, nonce: undefined }],
    ['a short code verifier', { ...valid, codeVerifier: 'v'.repeat(42) }],
    ['no redirect URI', { ...valid, redirectUri: undefined }],
    ['a createdAt that is a string', { ...valid, createdAt: String(valid.createdAt) }],
    ['a createdAt that is NaN', { ...valid, createdAt: Number.NaN }],
    ['a createdAt that is infinite', { ...valid, createdAt: Number.POSITIVE_INFINITY }],
    ['no scope', { ...valid, scope: undefined }],
    ['a negative max_age', { ...valid, maxAge: -1 }],
    ['a fractional max_age', { ...valid, maxAge: 1.5 }],
    ['a max_age that is a string', { ...valid, maxAge: '300' }],
    ['an origin that is not a string', { ...valid, origin: { href: 'https://acme.okta.com' } }],
    ['a client id that is not a string', { ...valid, clientId: 1 }],
    ['a client id that is null', { ...valid, clientId: null }],
  ])('refuses %s as INVALID_TRANSACTION', (_, value) => {
    expect(refused(value)).toBe('INVALID_TRANSACTION');
  });
});

describe('checkTransactionAge', () => {
  const age = (offsetMs: number) => {
    try {
      checkTransactionAge(valid, valid.createdAt + offsetMs, 600, 60);
      return 'accepted';
    } catch (error) {
      return isOktaOAuthError(error) ? error.code : 'not ours';
    }
  };
  it('accepts a transaction up to max age, and dated up to the skew in the future; refuses one millisecond beyond', () => {
    expect(age(600_000)).toBe('accepted');
    expect(age(600_001)).toBe('INVALID_TRANSACTION');
    expect(age(-60_000)).toBe('accepted');
    expect(age(-60_001)).toBe('INVALID_TRANSACTION');
  });

  it("says which: too old, or dated in the future (by how much: the hosts' clocks disagree beyond clockSkewSeconds)", () => {
    const message = (offsetMs: number) => {
      try {
        checkTransactionAge(valid, valid.createdAt + offsetMs, 600, 60);
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(message(600_001)).toBe('The sign-in transaction is older than 600 s: start a new sign-in.');
    expect(message(-90_400)).toBe(
      "The sign-in transaction is dated 90 s in the future: the clock of the host that started it is ahead of this one's by more than clockSkewSeconds (60 s). Sync the clocks, then start a new sign-in.",
    );
  });
});

describe('isValidCodeVerifier (RFC 7636 §4.1)', () => {
  it('accepts 43 to 128 unreserved characters, and nothing else', () => {
    const unreserved = 'ABCXYZabcxyz0189-._~';
    expect(isValidCodeVerifier(unreserved.repeat(3).slice(0, 43))).toBe(true);
    expect(isValidCodeVerifier('a'.repeat(128))).toBe(true);
    expect(isValidCodeVerifier('a'.repeat(42))).toBe(false);
    expect(isValidCodeVerifier('a'.repeat(129))).toBe(false);
    for (const bad of ['+', '/', '=', ' ', '%', 'é']) {
      expect(isValidCodeVerifier(`${bad}${'a'.repeat(43)}`)).toBe(false);
      expect(isValidCodeVerifier(`${'a'.repeat(43)}${bad}`)).toBe(false);
    }
    expect(isValidCodeVerifier(43)).toBe(false);
    // Not a string, even one that reads as a verifier (from a tampered stored transaction).
    expect(isValidCodeVerifier(['a'.repeat(43)])).toBe(false);
  });
});
