import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Secret, formSecrets, redact, redactHeaders, requestSecrets, scrub } from './secret.js';

const token = '00QCjAl4MlV-WPXMsentinelApiToken0HmjFxZ9';

describe('Secret', () => {
  it('shows a mask everywhere but reveal()', () => {
    const secret = new Secret(token);
    expect(secret.reveal()).toBe(token);
    for (const shown of [String(secret), `${secret}`, JSON.stringify({ secret }), inspect(secret), inspect({ secret }, { showHidden: true, depth: 5 })]) {
      expect(shown).not.toContain(token);
      expect(shown).not.toContain(token.slice(0, 12));
    }
    expect(String(secret)).toBe('[redacted …FxZ9]');
  });

  it('shows no characters of short secrets', () => {
    expect(redact('short-secret')).toBe('[redacted]');
  });

  it('masks credential headers and keeps the scheme', () => {
    const masked = redactHeaders(new Headers({ authorization: `SSWS ${token}`, dpop: 'eyJhbGciOiJFUzI1NiJ9.e30.sig-sig-sig-sig-sig', accept: 'application/json' }));
    expect(masked.authorization).toBe('SSWS [redacted …FxZ9]');
    expect(masked.dpop).toBe('[redacted …-sig]');
    expect(masked.accept).toBe('application/json');
    expect(JSON.stringify(masked)).not.toContain(token);
  });

  it('keeps a header named like an Object property as its own (a name from the answer)', () => {
    const masked = redactHeaders(new Headers([['__proto__', 'x'], ['constructor', 'y'], ['authorization', `SSWS ${token}`]]));
    expect(Object.entries(masked)).toEqual([
      ['__proto__', 'x'],
      ['authorization', 'SSWS [redacted …FxZ9]'],
      ['constructor', 'y'],
    ]);
    expect(Object.getPrototypeOf(masked)).toBe(Object.prototype);
  });

  it('scrubs secrets out of outside text', () => {
    expect(scrub(`echo: SSWS ${token} and ${token}`, [token])).toBe('echo: SSWS [redacted …FxZ9] and [redacted …FxZ9]');
  });
});

describe('requestSecrets', () => {
  it('lists the credentials of headers (Basic decoded to id:secret and secret) and secret form fields, raw and encoded', () => {
    const basic = `Basic ${btoa('0oa-client:s3cret+with/chars')}`;
    const headers = new Headers({ authorization: basic, dpop: 'eyJ.proof-value.sig', accept: 'application/json' });
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'rt-value 0000/1111', scope: 'okta.users.read' }).toString();
    const secrets = requestSecrets(headers, form);
    expect(secrets).toEqual(expect.arrayContaining([basic, '0oa-client:s3cret+with/chars', 's3cret with/chars', 'eyJ.proof-value.sig', 'rt-value 0000/1111', 'rt-value+0000%2F1111']));
    expect(secrets).not.toContain('okta.users.read');
    expect(secrets).not.toContain('refresh_token');
  });

  it('lists a value that is its own encoding (a JWT, base64url) once, and every other value with both encodings', () => {
    const jwtLike = 'eyJhbGciOiJFUzI1NiJ9.eyJqdGkiOiJhYmMifQ.c2lnbmF0dXJl-_x';
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~+/= %:!*\'()';
    const samples = [jwtLike, 'token68+/==', 'tilde~value', 'star*value', 'space value', 'a%b', 'ümlaut-value'];
    for (let i = 0; i < 200; i++) samples.push(Array.from({ length: 12 }, (_, j) => alphabet[(i * 7 + j * 13 + ((i * j) % 5)) % alphabet.length]).join(''));
    for (const value of samples) {
      const encodings = [value, encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2)];
      // The shortcut's claim: a value of word characters, dots and dashes is what both encoders give back.
      if (/^[\w.-]*$/.test(value)) expect(encodings).toEqual([value, value, value]);
      // Whatever the shortcut, a secret form field is listed with exactly its distinct encodings.
      expect(new Set(formSecrets(new URLSearchParams({ token: value }).toString()))).toEqual(new Set(encodings));
    }
    expect(requestSecrets(new Headers({ dpop: jwtLike }))).toEqual([jwtLike]);
  });

  it('scrubs the longest secret first, so no shorter one splits it', () => {
    expect(scrub('x Basic abcdefgh12345678 y', ['abcdefgh12345678', 'Basic abcdefgh12345678'])).toBe('x [redacted] y');
  });
});
