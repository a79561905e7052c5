import { inspect } from 'node:util';
import { devtoolsView } from '@org/okta-test-utils/devtools-view';
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
    // The mask itself, not an omitted key or `Secret {}`: a log shows that a secret was there.
    expect(JSON.stringify({ secret })).toBe('{"secret":"[redacted …FxZ9]"}');
    expect(inspect(secret)).toBe('[redacted …FxZ9]');
  });

  it('shows the last four characters from 24 characters on, and none below', () => {
    expect(redact('a'.repeat(20) + 'wxyz')).toBe('[redacted …wxyz]');
    expect(redact('a'.repeat(19) + 'wxyz')).toBe('[redacted]');
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

  it('masks every credential header whole, keeping only a short Authorization scheme', () => {
    const cookie = 'sid=102sentinelSessionId; theme=dark';
    const masked = redactHeaders({
      Cookie: cookie,
      'Set-Cookie': cookie,
      'Proxy-Authorization': `Basic ${token}`,
      'X-Api-Key': token,
    });
    // No scheme to keep: a cookie's first pair (and anything before a space) is masked too.
    expect(masked).toEqual({ cookie: '[redacted …dark]', 'set-cookie': '[redacted …dark]', 'proxy-authorization': '[redacted …FxZ9]', 'x-api-key': '[redacted …FxZ9]' });
    // The mask is of the credentials after the scheme: a 23-character token shows no characters.
    expect(redactHeaders({ authorization: 'Bearer sentinel-access-tok23' }).authorization).toBe('Bearer [redacted]');
    // A first word of 16 characters or more is no scheme (a token with a space in it): all masked.
    expect(redactHeaders({ authorization: 'abcdefghijklmnop sentinel' }).authorization).toBe('[redacted …inel]');
    expect(redactHeaders({ authorization: 'abcdefghijklmno sentinel' }).authorization).toBe('abcdefghijklmno [redacted]');
    // No space at all: a bare token, masked whole (no "scheme" cut out of it).
    expect(redactHeaders({ authorization: token }).authorization).toBe('[redacted …FxZ9]');
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

  it('scrubs a secret of 8 characters, and leaves shorter values (they would blank ordinary words)', () => {
    expect(scrub('echo s3cret12 here', ['s3cret12'])).toBe('echo [redacted] here');
    expect(scrub('echo code123 here', ['code123'])).toBe('echo code123 here');
  });

  it('shows no value to a V8 inspector (DevTools, workerd\'s): the value is no private field, and a look-alike has none', async () => {
    const secret = new Secret(token);
    const shown = await devtoolsView({ secret, inArray: [secret] });
    expect(shown).toContain('Secret');
    expect(shown).not.toContain(token);
    const lookAlike = Object.create(Secret.prototype) as Secret;
    expect(() => lookAlike.reveal()).toThrow(/not a Secret: make one with new Secret\(value\)/);
    expect(() => String(lookAlike)).toThrow(TypeError);
  });
});

describe('requestSecrets', () => {
  it('lists the credentials of headers (Basic decoded to id:secret and secret) and secret form fields, as sent, no encoded form', () => {
    const basic = `Basic ${btoa('0oa-client:s3cret+with/chars')}`;
    const headers = new Headers({ authorization: basic, dpop: 'eyJ.proof-value.sig', accept: 'application/json' });
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'rt-value 0000/1111', scope: 'okta.users.read' }).toString();
    const secrets = requestSecrets(headers, form);
    expect(secrets).toEqual([basic, basic.slice(6), '0oa-client:s3cret+with/chars', 's3cret+with/chars', 'eyJ.proof-value.sig', 'rt-value 0000/1111']);
    // Encoded forms are the scrubber's to find (scrub-list.test.ts).
    expect(scrub('x rt-value+0000%2F1111 y', secrets)).toBe('x [redacted] y');
  });

  it('finds the base64 of both encodings of a value, and of a value that is its own encoding (a JWT, base64url) once', () => {
    const jwtLike = 'eyJhbGciOiJFUzI1NiJ9.eyJqdGkiOiJhYmMifQ.c2lnbmF0dXJl-_x';
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~+/= %:!*\'()';
    const samples = [jwtLike, 'token68+/==', 'tilde~value', 'star*value', 'space value', 'a%b', 'ümlaut-value'];
    for (let i = 0; i < 200; i++) samples.push(Array.from({ length: 12 }, (_, j) => alphabet[(i * 7 + j * 13 + ((i * j) % 5)) % alphabet.length]).join(''));
    for (const value of samples) {
      const encodings = [value, encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2)];
      // The shortcut's claim: a value of word characters, dots and dashes is what both encoders give back.
      if (/^[\w.-]*$/.test(value)) expect(encodings).toEqual([value, value, value]);
      expect(formSecrets(new URLSearchParams({ token: value }).toString())).toEqual([value]);
      // Whatever the shortcut, the base64 of a form body holding either encoding is found (a value of 8 characters or more).
      for (const encoded of value.length < 8 ? [] : encodings) expect(scrub(btoa(String.fromCharCode(...new TextEncoder().encode(`token=${encoded}&x=1`))), [value])).toContain('[redacted]');
    }
    expect(requestSecrets(new Headers({ dpop: jwtLike }))).toEqual([jwtLike]);
  });

  it('lists every secret form field of RFC 6749, 7009, 7523, 8628 and 8693, whatever the case of its name', () => {
    const fields = ['token', 'refresh_token', 'access_token', 'id_token', 'client_secret', 'client_assertion', 'code', 'code_verifier', 'device_code', 'password', 'assertion', 'subject_token', 'actor_token'];
    const form = new URLSearchParams(fields.map((name, i) => [i % 2 === 0 ? name : name.toUpperCase(), `value-of-${name}`]));
    form.set('client_id', '0oa-public-client-id');
    expect(requestSecrets(new Headers(), form.toString())).toEqual(fields.map((name) => `value-of-${name}`));
  });

  it('lists the credentials after the scheme without the spaces around them', () => {
    expect(requestSecrets(new Headers({ authorization: `Bearer  ${token}` }))).toContain(token);
  });

  it('lists a Basic secret whose form encoding is malformed as it is (and an empty client id)', () => {
    const secrets = requestSecrets(new Headers({ authorization: `Basic ${btoa(':100%-sentinel')}` }));
    expect(secrets).toEqual(expect.arrayContaining([':100%-sentinel', '100%-sentinel']));
    expect(scrub('x 100%-sentinel and 100%25-sentinel y', secrets)).toBe('x [redacted] and [redacted] y');
  });

  it('scrubs the longest secret first, so no shorter one splits it', () => {
    expect(scrub('x Basic abcdefgh12345678 y', ['abcdefgh12345678', 'Basic abcdefgh12345678'])).toBe('x [redacted] y');
  });
});

describe('scrub: a secret echoed in a changed form (twentyfifth session)', () => {
  const secret = 'Tok/en+Value~With Chars-0123456789wxyz';
  /** The base64 characters that encode only the secret's bytes, when the echo starts `offset` bytes before it. */
  const innerRun = (offset: number, value = secret): string => {
    const bytes = '\0'.repeat(offset) + String.fromCharCode(...new TextEncoder().encode(value));
    return btoa(bytes).slice(Math.ceil((offset * 4) / 3), Math.floor((bytes.length * 4) / 3));
  };

  it.each([
    ['upper-cased', secret.toUpperCase()],
    ['lower-cased', secret.toLowerCase()],
    ['percent-encoded (encodeURIComponent)', encodeURIComponent(secret)],
    ['form-encoded (+ for a space)', new URLSearchParams({ v: secret }).toString().slice(2)],
    ['percent-encoded in lower-case hex', encodeURIComponent(secret).replace(/%[\dA-F]{2}/g, (e) => e.toLowerCase())],
    ['percent-encoded whole (every character)', secret.replace(/[^]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`)],
    ['JSON-escaped (\\/ and \\u00xx)', secret.replace(/\//g, '\\/').replace(/[+~ ]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)],
    ['JSON-escaped upper-case (\\u00XX), percent-encoded in part', secret.replace('+', '\\u002B').replace(' ', '%20').replace('/', '\\/')],
    ['as HTML decimal character references (twentysixth session)', secret.replace(/[^]/g, (c) => `&#${c.charCodeAt(0)};`)],
    ['as HTML hex references (&#x2F;, &#X3d;-style, an escaper against XSS)', secret.replace('/', '&#x2F;').replace('+', '&#X2b;').replace('~', '&#x7e;')],
    ['percent-encoded twice (%252F: a URL carried in another URL)', encodeURIComponent(encodeURIComponent(secret))],
    ['percent-encoded twice, in part and in lower-case hex', secret.replace('/', '%252f').replace(' ', '%2520')],
  ])('masks it %s, showing none of its characters', (_form, echoed) => {
    const out = scrub(`upstream said: "${echoed}" (end)`, [secret]);
    expect(out).toBe('upstream said: "[redacted]" (end)');
  });

  it.each([0, 1, 2])('masks its base64 and base64url at offset %i (a server echoing the base64 of the whole header block), each inner run of 8 characters or more', (offset) => {
    const block = `${'GET /api/v1/users HTTP/1.1\r\nAccept: application/json\r\nAuthorization: SSWS '.slice(offset)}${secret}\r\nHost: acme.okta.com\r\n`;
    const standard = btoa(block);
    const url = standard.replace(/\+/g, '-').replace(/\//g, '_').replace(/=/g, '');
    for (const [encoded, run] of [
      [standard, innerRun(block.indexOf(secret) % 3)],
      [url, innerRun(block.indexOf(secret) % 3).replace(/\+/g, '-').replace(/\//g, '_')],
    ] as const) {
      expect(encoded).toContain(run);
      const out = scrub(`echo: ${encoded}`, [secret]);
      expect(out).toContain('[redacted]');
      // Of the run, nothing is left: not even its first or last 8 characters.
      expect(out).not.toContain(run.slice(0, 8));
      expect(out).not.toContain(run.slice(-8));
      // The rest of the block is kept, as before.
      expect(out.startsWith(`echo: ${encoded.slice(0, 8)}`)).toBe(true);
    }
  });

  it('masks base64 wrapped in lines (MIME, 76 characters) and percent-encoded base64', () => {
    const encoded = btoa(`x-header: ${secret} and more`);
    const wrapped = `${encoded.slice(0, 20)}\r\n${encoded.slice(20)}`;
    // `x-header: ` is 10 bytes: the secret starts one byte into a group of three.
    const run = innerRun(1);
    expect(encoded).toContain(run);
    for (const echoed of [wrapped, encodeURIComponent(encoded)]) {
      const out = scrub(echoed, [secret]);
      expect(out).toContain('[redacted]');
      expect(out).not.toContain(run.slice(0, 6));
      expect(out).not.toContain(run.slice(-8));
    }
  });

  it('shows the last four characters of an exact echo as before, and none of a changed one (nor of its changed last four)', () => {
    expect(scrub(`a ${secret} b ${secret.toUpperCase()} c`, [secret])).toBe('a [redacted …wxyz] b [redacted] c');
    // The encoded forms requestSecrets lists are exact echoes of a listed value: shown as before.
    const encoded = encodeURIComponent(secret);
    expect(scrub(`x ${encoded} y`, [secret, encoded])).toBe(`x ${redact(encoded)} y`);
    expect(scrub(`x ${secret.toLowerCase()} y`, [secret])).not.toContain('wxyz]');
  });

  it('masks overlapping echoes of two secrets as one span, never leaving a part of either', () => {
    expect(scrub('x abcdefgh12345678 y', ['abcdefgh1234', 'EFGH12345678'])).toBe('x [redacted] y');
  });

  it('leaves text without an echo as it was, escapes and all, and matches no changed form shorter than 8 characters', () => {
    const text = 'a %zz %41 %C3 %e2%82 %25 %252 \\u00e9 \\/ \\q &#; &#xzz; &nbsp; &amp &#99999999; + ABC \u0130 \r\n done % &';
    expect(scrub(text, [secret])).toBe(text);
    // 9 characters that decode to 3: no needle of 3 characters blanks ordinary text.
    expect(scrub('abc and ABC', ['%61%62%63'])).toBe('abc and ABC');
    expect(scrub('a value of 7: abcdefg', ['ABCDEFG'])).toBe('a value of 7: abcdefg');
  });

  it('masks a percent-encoded non-ASCII secret, and a secret that holds an escape in its exact and its encoded form', () => {
    const unicode = 'pässwörd-€-value';
    expect(scrub(`x ${encodeURIComponent(unicode)} y`, [unicode])).toBe('x [redacted] y');
    expect(scrub(`x ${JSON.stringify(unicode).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)} y`, [unicode])).toBe('x "[redacted]" y');
    const html = 'p&ss<w>rd"\'value&';
    expect(scrub(`x ${html.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')} y`, [html])).toBe('x [redacted] y');
    expect(scrub(`x ${html.replace(/'/g, '&#39;').replace(/&(?!#)/g, '&AMP;')} y`, [html])).toBe('x [redacted] y');
    const escapes = 'abc%41def\\u0042ghij';
    expect(scrub(`x ${escapes} y`, [escapes])).toBe('x [redacted] y');
    expect(scrub(`x ${encodeURIComponent(escapes)} y`, [escapes])).toBe('x [redacted] y');
  });

  it('masks the hex of a secret\'s bytes, lower and upper case, and of a header holding it (fifty-fifth session, cause156)', () => {
    const hex = (text: string): string => Array.from(new TextEncoder().encode(text), (byte) => byte.toString(16).padStart(2, '0')).join('');
    for (const shown of [hex(secret), hex(secret).toUpperCase(), hex(`Authorization: SSWS ${secret}`)]) {
      const out = scrub(`dump ${shown} end`, [secret]);
      expect(out).toContain('[redacted]');
      expect(out.toLowerCase()).not.toContain(hex(secret).slice(0, 16));
      expect(out.toLowerCase()).not.toContain(hex(secret).slice(-16));
    }
    // An OIN app's Basic header in hex: the listed id:secret's base64 is found in it.
    const basic = `Basic ${btoa(`0oa1b2c3d4:${secret}`)}`;
    expect(scrub(`auth=${hex(basic)}`, [basic.slice(6)])).toBe(`auth=${hex('Basic ')}[redacted]`);
  });
});
