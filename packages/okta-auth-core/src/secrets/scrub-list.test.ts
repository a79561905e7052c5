/**
 * The list `scrub` is given (twentysixth session): each secret listed once, raw (its encoded forms
 * are the scrubber's to find), and what finding them costs across the many texts of one error.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { redact, requestSecrets, scrub } from './secret.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('requestSecrets: each secret once, raw', () => {
  const clientSecret = 's3cret+with/chars ~and more';
  const basic = `Basic ${btoa(`0oa-client:${clientSecret}`)}`;
  const password = 'pässwörd & 100%/more';
  const headers = new Headers({ authorization: basic, dpop: 'eyJ.proof-value.sig' });
  const form = new URLSearchParams({ grant_type: 'password', username: 'ada@example.com', password, refresh_token: 'rt-value 0000/1111' }).toString();
  const secrets = requestSecrets(headers, form);
  const encoded = (value: string): string[] => [encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2)];

  it('lists no encoded form: the header, its credentials, the decoded id:secret, the secret and each secret field, as sent', () => {
    expect(secrets).toEqual([basic, basic.slice(6), `0oa-client:${clientSecret}`, clientSecret, 'eyJ.proof-value.sig', password, 'rt-value 0000/1111']);
  });

  it('masks an exact echo of each encoded form all the same, as [redacted] (a changed form of a listed value)', () => {
    for (const value of [clientSecret, password, 'rt-value 0000/1111', `0oa-client:${clientSecret}`, basic]) {
      for (const echo of encoded(value)) {
        expect(echo).not.toBe(value);
        expect(scrub(`upstream said: ${echo} (end)`, secrets)).toBe('upstream said: [redacted] (end)');
      }
    }
    // The client secret form-decoded (`+` a space), which the list held too.
    expect(scrub(`x ${clientSecret.replace('+', ' ')} y`, secrets)).toBe('x [redacted] y');
    // An exact echo of a listed value still shows its last four characters, as before.
    expect(scrub(`x ${password} y`, secrets)).toBe(`x ${redact(password)} y`);
  });

  it('masks the base64 of a secret field as the form body carried it (percent- or form-encoded), at each offset', () => {
    for (const body of encoded(password).map((value) => `grant_type=password&password=${value}&scope=openid`)) {
      for (const cut of [0, 1, 2]) {
        const echo = btoa(body.slice(cut));
        const out = scrub(`echo: ${echo}`, secrets);
        expect(out).toContain('[redacted]');
        expect(out).not.toContain(echo.slice(-24, -12));
      }
    }
  });
});

describe('scrub: the cost of one list across many texts', () => {
  it("prepares a list's secrets once for every text scrubbed with the same array (an error's fields, 1,400 challenge parameters)", () => {
    const secrets = ['the-api-token-value-0123456789', 'a-client-secret-with+plus/slash', 'eyJhbGciOiJFUzI1NiJ9.e30.signature-value'];
    const encode = vi.spyOn(TextEncoder.prototype, 'encode');
    const lower = vi.spyOn(String.prototype, 'toLowerCase');
    for (let i = 0; i < 1_400; i++) expect(scrub(`param ${i} = 12345678 and a longer value than any secret here, ${i}`, secrets)).not.toContain('[redacted');
    expect(scrub(`x ${secrets[1]?.toUpperCase()} y`, secrets)).toBe('x [redacted] y');
    // Each secret's forms are made once: not once per text.
    expect(encode.mock.calls.length).toBeLessThanOrEqual(3 * secrets.length);
    expect(lower.mock.calls.length).toBeLessThan(2 * 1_401 + 10 * secrets.length);
  });

  it('sees a secret added to the same array since (a caller may change its list)', () => {
    const secrets = ['the-api-token-value-0123456789'];
    expect(scrub('echo: another-secret-value', secrets)).toBe('echo: another-secret-value');
    secrets.push('another-secret-value');
    expect(scrub('echo: another-secret-value', secrets)).toBe('echo: [redacted]');
    secrets[1] = 'echo: an';
    expect(scrub('echo: another-secret-value', secrets)).toBe('[redacted]other-secret-value');
  });

  it('never throws, not for a secret no encoder takes (a lone surrogate)', () => {
    expect(scrub('echo: \ud800-secret-value', ['\ud800-secret-value'])).toBe('echo: [redacted]');
  });
});

describe('scrub: an echo the server cut (twentysixth session)', () => {
  const token = '00Tk/en+W_1wBFDdFM4r1UpHCd1_f5jHiQxZz';
  const clientSecret = 'a-client-secret-of-forty-characters-0123';
  const basic = `Basic ${btoa(`0oa1b2c3d4e5f6g7h8i9:${clientSecret}`)}`;

  it.each([
    ['cut with an ellipsis', `invalid token ${token.slice(0, 24)}…`],
    ['cut mid-text', `invalid token '${token.slice(0, 20)}' (truncated)`],
    ['cut at the end of the text', `invalid token ${token.slice(0, 30)}`],
    ['cut, upper-cased and percent-encoded', `invalid token ${encodeURIComponent(token.slice(0, 26).toUpperCase())}`],
  ])('masks the first half of a secret or more, %s', (_form, text) => {
    const out = scrub(text, [token, `SSWS ${token}`]);
    expect(out).toContain('[redacted]');
    expect(out).not.toMatch(/00Tk|W_1w/i);
  });

  it('leaves less than half of a secret, and what it starts with that is no secret (the client id of a Basic credential)', () => {
    const secrets = requestSecrets(new Headers({ authorization: basic }));
    expect(scrub('client 0oa1b2c3d4e5f6g7h8i9 is not allowed', secrets)).toBe('client 0oa1b2c3d4e5f6g7h8i9 is not allowed');
    expect(scrub('client 0oa1b2c3d4e5f6g7h8i9:a-cli…', secrets)).toBe('client 0oa1b2c3d4e5f6g7h8i9:a-cli…');
    expect(scrub(`invalid token ${token.slice(0, 18)}…`, [token])).toBe(`invalid token ${token.slice(0, 18)}…`);
    // A short client secret (Okta's least: 14 characters) makes the client id more than half of id:secret: still shown.
    const short = requestSecrets(new Headers({ authorization: `Basic ${btoa('0oa1b2c3d4e5f6g7h8i9:fourteen-chars')}` }));
    expect(scrub('client 0oa1b2c3d4e5f6g7h8i9 is not allowed', short)).toBe('client 0oa1b2c3d4e5f6g7h8i9 is not allowed');
    expect(scrub('client 0oa1b2c3d4e5f6g7h8i9:fourteen-cha…', short)).toBe('client 0oa1b2c3d4e5f6g7h8i9:[redacted]…');
    // Of id:secret, the secret's own half is looked for, not the client id before it.
    expect(scrub(`client 0oa1b2c3d4e5f6g7h8i9:${clientSecret.slice(0, 20)}…`, secrets)).toBe('client 0oa1b2c3d4e5f6g7h8i9:[redacted]…');
    // A secret too short to be looked for (under 8 characters: never Okta's) or none: the client id is still no cut echo of
    // id:secret (rev163: an ID token's `aud` read as one refused every sign-in of such a client).
    for (const secret of ['abc', '']) {
      const tiny = requestSecrets(new Headers({ authorization: `Basic ${btoa(`0oa1b2c3d4e5f6g7h8i9:${secret}`)}` }));
      expect(scrub('{"aud":"0oa1b2c3d4e5f6g7h8i9","azp":"0oa1b2c3d4e5f6g7h8i9"}', tiny)).toBe('{"aud":"0oa1b2c3d4e5f6g7h8i9","azp":"0oa1b2c3d4e5f6g7h8i9"}');
      expect(scrub(`client …c3d4e5f6g7h8i9:${secret}`, tiny)).toBe(`client …c3d4e5f6g7h8i9:${secret}`);
    }
  });

  it.each([
    ['cut with an ellipsis', `invalid token …${token.slice(-24)}`],
    ['cut mid-text', `invalid token '${token.slice(-20)}' (truncated)`],
    ['cut at the start of the text', token.slice(-30)],
    ['cut, upper-cased and percent-encoded', `invalid token ${encodeURIComponent(token.slice(-26).toUpperCase())}`],
  ])('masks the last half of a secret or more (its start cut off), %s (twentyseventh session)', (_form, text) => {
    const out = scrub(text, [token, `SSWS ${token}`]);
    expect(out).toContain('[redacted]');
    expect(out).not.toMatch(/f5jHi|QxZz/i);
  });

  it('leaves less than the last half of a secret, and the client id before a Basic secret (twentyseventh session)', () => {
    const secrets = requestSecrets(new Headers({ authorization: basic }));
    expect(scrub(`invalid token …${token.slice(-18)}`, [token])).toBe(`invalid token …${token.slice(-18)}`);
    // What redact shows of a secret (its last four) is left.
    expect(scrub('token [redacted …xZz9] refused', ['00Tk/en+W_1wBFDdFM4r1UpHCd1_f5jHiQxZz9'])).toBe('token [redacted …xZz9] refused');
    // Of id:secret, the secret's own end is looked for, not the client id before it.
    expect(scrub(`client …c3d4e5f6g7h8i9:${clientSecret.slice(-20)}`, secrets)).toBe('client …c3d4e5f6g7h8i9:[redacted]');
    const short = requestSecrets(new Headers({ authorization: `Basic ${btoa('0oa1b2c3d4e5f6g7h8i9:fourteen-chars')}` }));
    expect(scrub('client …c3d4e5f6g7h8i9:teen-chars', short)).toBe('client …c3d4e5f6g7h8i9:teen-chars');
    expect(scrub('client …c3d4e5f6g7h8i9:urteen-chars', short)).toBe('client …c3d4e5f6g7h8i9:[redacted]');
  });
});
