import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import { isOktaSignInError } from './errors.js';
import { UserTokens } from './tokens.js';
import { storedTokens } from './token-entry.js';
import { checkTransaction } from './transaction.js';

const owner = { origin: 'https://acme.okta.com', clientId: '0oa1bcd2efGHIJ3kl4m5' };

const fields = {
  accessToken: 'eyJraWQiOiJhY2Nlc3MtdG9rZW4tdmFsdWUtMTIzNDU2Nzg5MA',
  tokenType: 'Bearer' as const,
  expiresAt: Date.now() + 3600_000, // as a token answer gives: up to 366 days ahead
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

  it("refuses stored tokens a token answer could not have given, by the answer's rule (isSendableToken, the 366-day lifetime)", () => {
    const stored = new UserTokens(fields).toStorable();
    const now = Date.now();
    const edits: Record<string, unknown>[] = [];
    for (const name of ['accessToken', 'refreshToken', 'idToken']) {
      for (const bad of ['token-part\r\nX-Injected: 1', 'token with spaces', 'tökén-part-0000000000', 'x'.repeat(65_537), 42]) edits.push({ [name]: bad });
    }
    edits.push({ expiresAt: now + 400 * 24 * 3600_000 }, { expiresAt: Number.MAX_VALUE }, { expiresAt: '1900000000000' });
    for (const edit of edits) {
      let error: unknown;
      try {
        UserTokens.fromStorable(JSON.stringify({ ...stored, ...edit }));
      } catch (e) {
        error = e;
      }
      expect([Object.keys(edit)[0], isOktaOAuthError(error) && error.code]).toEqual([Object.keys(edit)[0], 'INVALID_CONFIG']);
      expect((error as Error).message).toBe('The stored tokens are malformed: pass what UserTokens.toStorable() returned.');
    }
    // What an answer gives stays good: any expiry up to 366 days away, or past (renewed on first use), and 64 KiB tokens.
    for (const edit of [{ expiresAt: now + 365 * 24 * 3600_000 }, { expiresAt: 0 }, { refreshToken: 'r'.repeat(65_536) }]) {
      expect(UserTokens.fromStorable({ ...stored, ...edit }).toStorable()).toEqual({ ...stored, ...edit });
    }
  });

  it('keeps the DPoP key thumbprint (dpopJkt) of DPoP tokens, and refuses one that is not 43 base64url characters, or on Bearer tokens', () => {
    const jkt = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs';
    // No ID token: storage's reader (storedTokens) would refuse this one as unreadable, whatever the thumbprint.
    const stored = new UserTokens({ ...fields, idToken: undefined, tokenType: 'DPoP', dpopJkt: jkt }).toStorable();
    expect(stored.dpopJkt).toBe(jkt);
    expect(UserTokens.fromStorable(JSON.stringify(stored)).dpopJkt).toBe(jkt);
    expect(JSON.parse(JSON.stringify(UserTokens.fromStorable(stored)))).toMatchObject({ dpopJkt: jkt });
    // Stored before the key was recorded: none, as today.
    expect(UserTokens.fromStorable(JSON.stringify({ ...stored, dpopJkt: undefined })).dpopJkt).toBeUndefined();
    const bad = [{ dpopJkt: jkt.slice(1) }, { dpopJkt: `${jkt}A` }, { dpopJkt: `${jkt.slice(1)}=` }, { dpopJkt: `${jkt.slice(1)}+` }, { dpopJkt: 42 }, { dpopJkt: null }, { dpopJkt: [jkt] }, { tokenType: 'Bearer' }];
    for (const edit of bad) {
      const text = JSON.stringify({ ...stored, ...edit });
      expect([edit, storedTokens(text, owner)]).toEqual([edit, undefined]);
      let error: unknown;
      try {
        UserTokens.fromStorable(text);
      } catch (e) {
        error = e;
      }
      expect([edit, isOktaOAuthError(error) && error.message]).toEqual([edit, 'The stored tokens are malformed: pass what UserTokens.toStorable() returned.']);
    }
    expect(storedTokens(JSON.stringify(stored), owner)?.dpopJkt).toBe(jkt);
  });

  it('refuses, when made, a dpopJkt that is not a thumbprint or that is on Bearer tokens (toStorable would write what fromStorable refuses)', () => {
    const jkt = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs';
    expect(new UserTokens({ ...fields, tokenType: 'DPoP', dpopJkt: jkt }).dpopJkt).toBe(jkt);
    expect(new UserTokens({ ...fields, dpopJkt: undefined }).dpopJkt).toBeUndefined();
    for (const edit of [{ tokenType: 'Bearer' as const, dpopJkt: jkt }, { tokenType: 'DPoP' as const, dpopJkt: jkt.slice(1) }, { tokenType: 'DPoP' as const, dpopJkt: 42 as unknown as string }]) {
      let error: unknown;
      try {
        new UserTokens({ ...fields, ...edit });
      } catch (e) {
        error = e;
      }
      expect([edit, isOktaOAuthError(error) && error.code, isOktaOAuthError(error) && error.message]).toEqual([
        edit,
        'INVALID_CONFIG',
        'UserTokens: dpopJkt must be a DPoP key thumbprint (43 base64url characters), on DPoP tokens only.',
      ]);
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
    const owner = { origin: 'https://acme.okta.com', clientId: '0oa1bcd2efGHIJ3kl4m5' };
    expect(checkTransaction(good, owner)).toBe(good);
    for (const bad of [null, 'x', { ...good, codeVerifier: 'short' }, { ...good, state: '' }, { ...good, createdAt: '1' }, { ...good, maxAge: -1 }]) {
      let error: unknown;
      try {
        checkTransaction(bad, owner);
      } catch (e) {
        error = e;
      }
      expect(isOktaSignInError(error) && error.code).toBe('INVALID_TRANSACTION');
    }
  });
});
