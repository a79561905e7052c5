/**
 * The one well-formed sign-in transaction of `checkTransaction`'s unit tests, and the client that
 * started it (`owner`): each test spreads it and changes one field.
 */
import type { SignInTransaction } from '../transaction.js';

/** The client finishing the sign-in: the transaction's `origin` and `clientId`. */
export const owner = { origin: 'https://acme.okta.com', clientId: '0oa1bcd2efGHIJ3kl4m5' };

/** A transaction `owner` started, valid in every field. */
export const validTransaction: SignInTransaction = {
  state: 's'.repeat(43),
  nonce: 'n'.repeat(43),
  codeVerifier: 'v'.repeat(64),
  redirectUri: 'http://127.0.0.1:5173/callback',
  createdAt: 1_700_000_000_000,
  scope: 'openid profile',
  ...owner,
};
