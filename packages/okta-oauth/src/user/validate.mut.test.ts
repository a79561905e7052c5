/**
 * A redirect URI's checks (`normalizeRedirectUri`, user/validate.ts), each refusal with its message:
 * mutation testing, twenty-ninth round (docs/security-history.md). A fragment is refused whether the
 * URI is given as text or as a `URL`, even a bare `#` (a `URL`'s `hash` is `''` for it), and the URI
 * checked is the one returned (a `URL` subclass's own `toString` is not read).
 */
import { describe, expect, it } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import { createSignInClient } from './sign-in-client.js';
import { normalizeRedirectUri } from './validate.js';

const said = (input: unknown, callback?: boolean): string => {
  try {
    return `accepted: ${normalizeRedirectUri(input, 'redirectUri', callback)}`;
  } catch (error) {
    return isOktaOAuthError(error) ? `${error.code}: ${error.message}` : `not ours: ${String(error)}`;
  }
};

describe('normalizeRedirectUri', () => {
  it('refuses what is neither text nor a URL as such, not as a URL that does not parse', () => {
    for (const input of [42, null, undefined, { href: 'https://app.example.com/cb' }]) {
      expect(said(input)).toBe('INVALID_CONFIG: redirectUri must be an absolute URL string.');
    }
    expect(said('/callback')).toBe('INVALID_CONFIG: redirectUri is not an absolute URL.');
  });

  it('refuses a fragment, as text or as a URL, a bare # included', () => {
    const refusal = 'INVALID_CONFIG: redirectUri must not have a fragment.';
    for (const text of ['https://app.example.com/cb#x', 'https://app.example.com/cb#']) {
      expect(said(text)).toBe(refusal);
      expect(said(new URL(text))).toBe(refusal);
    }
  });

  it.each(['javascript:alert(1)', 'data:text/html,x', 'file:///etc/passwd', 'blob:https://app.example.com/0f1e'])('refuses %s by its scheme', (text) => {
    expect(said(text)).toBe(`INVALID_CONFIG: redirectUri cannot use ${new URL(text).protocol}.`);
    expect(said(new URL(text))).toBe(`INVALID_CONFIG: redirectUri cannot use ${new URL(text).protocol}.`);
  });

  it('takes https, http and a private-use scheme, as text or as a URL (its href)', () => {
    for (const text of ['https://app.example.com/cb?org=acme', 'http://127.0.0.1:5173/callback', 'com.acme.app:/callback']) {
      expect(said(text, true)).toBe(`accepted: ${text}`);
      expect(said(new URL(text), true)).toBe(`accepted: ${new URL(text).href}`);
    }
  });

  it('checks the href it returns, not what a URL subclass says as text', () => {
    class Odd extends URL {
      override toString(): string {
        return 'javascript:alert(1)';
      }
    }
    expect(said(new Odd('https://app.example.com/cb'))).toBe('accepted: https://app.example.com/cb');
  });

  it('reaches the client: a URL with a bare # is refused where it is given', () => {
    const base = { orgUrl: 'https://acme.okta.com', clientId: '0oa1bcd2efGHIJ3kl4m5', scopes: 'openid' };
    expect(() => createSignInClient({ ...base, redirectUri: new URL('https://app.example.com/cb#') })).toThrow('redirectUri must not have a fragment.');
  });
});
