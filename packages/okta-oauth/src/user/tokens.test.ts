import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import { isOktaSignInError } from './errors.js';
import { UserTokens } from './tokens.js';
import { checkTransaction } from './transaction.js';

const fields = {
  accessToken: 'eyJraWQiOiJhY2Nlc3MtdG9rZW4tdmFsdWUtMTIzNDU2Nzg5MA',
  tokenType: 'Bearer' as const,
  expiresAt: 1_900_000_000_000,
  refreshToken: 'refresh-token-value-1234567890-abcdef',
  idToken: 'id.token.value-1234567890-abcdefghijkl',
  scope: 'openid offline_access okta.users.read',
};

describe('UserTokens', () => {
  it('masks every token in JSON, inspect and strings', () => {
    const tokens = new UserTokens(fields);
    for (const shown of [JSON.stringify(tokens), inspect(tokens), String(tokens.accessToken), tokens.refreshToken?.toString() ?? '']) {
      expect(shown).not.toContain(fields.accessToken);
      expect(shown).not.toContain(fields.refreshToken);
      expect(shown).not.toContain(fields.idToken);
    }
    expect(tokens.scopes).toEqual(['openid', 'offline_access', 'okta.users.read']);
  });

  it('round-trips through toStorable and fromStorable (object or JSON text)', () => {
    const tokens = new UserTokens(fields);
    const stored = tokens.toStorable();
    expect(stored).toEqual({ version: 1, ...fields });
    expect(UserTokens.fromStorable(stored).toStorable()).toEqual(stored);
    expect(UserTokens.fromStorable(JSON.stringify(stored)).refreshToken?.reveal()).toBe(fields.refreshToken);
  });

  it('refuses malformed stored tokens without echoing them', () => {
    for (const bad of ['not json', JSON.stringify({ version: 2, accessToken: 'x', tokenType: 'Bearer' }), JSON.stringify({ version: 1, accessToken: 'x', tokenType: 'MAC' })]) {
      let error: unknown;
      try {
        UserTokens.fromStorable(bad);
      } catch (e) {
        error = e;
      }
      expect(isOktaOAuthError(error) && error.code).toBe('INVALID_CONFIG');
      expect((error as Error).message).not.toContain('MAC');
    }
  });

  it('knows when it expires', () => {
    const tokens = new UserTokens(fields);
    expect(tokens.isExpired(0, fields.expiresAt - 1)).toBe(false);
    expect(tokens.isExpired(60, fields.expiresAt - 30_000)).toBe(true);
    expect(new UserTokens({ accessToken: 'a', tokenType: 'Bearer' }).isExpired(0, Number.MAX_SAFE_INTEGER)).toBe(false);
  });
});

describe('checkTransaction', () => {
  it('accepts what startSignIn makes and refuses anything else', () => {
    const good = { state: 's'.repeat(43), nonce: 'n'.repeat(43), codeVerifier: 'v'.repeat(64), redirectUri: 'https://app/cb', createdAt: 1, scope: 'openid' };
    expect(checkTransaction(good)).toBe(good);
    for (const bad of [null, 'x', { ...good, codeVerifier: 'short' }, { ...good, state: '' }, { ...good, createdAt: '1' }, { ...good, maxAge: -1 }]) {
      let error: unknown;
      try {
        checkTransaction(bad);
      } catch (e) {
        error = e;
      }
      expect(isOktaSignInError(error) && error.code).toBe('INVALID_TRANSACTION');
    }
  });
});
