import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isOktaAuthError } from '@org/okta-auth-core';
import { failure } from '@org/okta-test-utils';
import { isOktaSswsError } from './errors.js';
import { createSswsCredential } from './ssws-credential.js';
import { sswsCredentialFromEnv } from './ssws-from-env.js';

const token = '00QCjAl4MlV-WPXMsentinelSswsToken0HmjFxZ9';
const orgUrl = 'https://acme.okta.com';

const refusal = (make: () => unknown) => failure.sync(make, isOktaAuthError);

describe('createSswsCredential', () => {
  it('sends Authorization: SSWS <token> to the org only', async () => {
    const credential = createSswsCredential({ orgUrl: `${orgUrl}/`, token });
    expect(credential.kind).toBe('ssws');
    expect(credential.origin).toBe(orgUrl);
    await expect(credential.authorize({ method: 'GET', url: new URL(`${orgUrl}/api/v1/users`) })).resolves.toEqual({ authorization: `SSWS ${token}` });
  });

  it('gives headers nobody can change: built once, the same frozen object for every attempt', async () => {
    const credential = createSswsCredential({ orgUrl, token });
    const first = await credential.authorize({ method: 'GET', url: new URL(`${orgUrl}/api/v1/users`) });
    // A wrapping credential that writes into what it received cannot alter the next attempt's headers.
    expect(() => Object.assign(first, { authorization: 'SSWS tampered' })).toThrow(TypeError);
    const second = await credential.authorize({ method: 'POST', url: new URL(`${orgUrl}/api/v1/groups`) });
    expect(second).toEqual({ authorization: `SSWS ${token}` });
  });

  it('trims surrounding white space (a pasted newline)', async () => {
    const credential = createSswsCredential({ orgUrl, token: `  ${token}\n` });
    expect((await credential.authorize({ method: 'GET', url: new URL(orgUrl) })).authorization).toBe(`SSWS ${token}`);
  });

  it('never shows the token', () => {
    const credential = createSswsCredential({ orgUrl, token });
    for (const shown of [JSON.stringify(credential), inspect(credential, { showHidden: true, depth: 10 }), String(credential), JSON.stringify({ credential })]) {
      expect(shown).not.toContain(token);
      expect(shown).not.toContain(token.slice(4, 20));
    }
    expect(JSON.parse(JSON.stringify(credential))).toEqual({ kind: 'ssws', origin: orgUrl });
  });

  const badTokens: [string, unknown, RegExp][] = [
    ['empty', '', /empty/],
    ['only white space', '   ', /empty/],
    ['not a string', 42, /must be a string/],
    ['white space inside', '00QCjAl4MlV WPXM0HmjFx-vbGuaXXXXXXXX', /white space inside/],
    ['a pasted SSWS prefix', `SSWS ${token}`, /starts with "SSWS "/],
    ['a whole header line', `Authorization: SSWS ${token}`, /starts with "SSWS ", another scheme or a header name/],
    ['a token in double quotes (docker --env-file keeps them)', `"${token}"`, /wrapped in quotes/],
    ['a token in single quotes', `'${token}'`, /wrapped in quotes/],
    ['an API token after a Bearer scheme', `Bearer ${token}`, /starts with "SSWS ", another scheme/],
    ['a Bearer JWT', 'Bearer eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiIwMHUxIn0.c2lnbmF0dXJlLXNlbnRpbmVs', /OAuth access or ID token/],
    ['a JWT', 'eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiIwMHUxIn0.c2lnbmF0dXJlLXNlbnRpbmVs', /looks like an OAuth access or ID token.*@org\/okta-oauth/],
    ['a placeholder', '{apiToken}', /placeholder/],
    ['another placeholder', 'your-api-token', /placeholder/],
    ['control characters', '00QCjAl4MlV\u0000WPXM0HmjFxvbGuaXXXXXXXX', /characters an API token never has/],
    ['far too short', 'abc123', /about 42/],
  ];
  it.each(badTokens)('refuses %s with INVALID_TOKEN and a message that does not echo it', (_name, bad, message) => {
    const error = refusal(() => createSswsCredential({ orgUrl, token: bad as string }));
    expect(error.code).toBe('INVALID_TOKEN');
    expect(error.message).toMatch(message);
    if (typeof bad === 'string' && bad.trim().length > 6) expect(error.message).not.toContain(bad.trim().slice(0, 12));
  });

  it('refuses a bad org URL with the core error', () => {
    expect(refusal(() => createSswsCredential({ orgUrl: 'https://acme-admin.okta.com', token })).code).toBe('INVALID_ORG_URL');
    expect(refusal(() => createSswsCredential({ orgUrl: 'http://127.0.0.1:9', token })).code).toBe('INVALID_ORG_URL');
    expect(createSswsCredential({ orgUrl: 'http://127.0.0.1:9', token, allowInsecureLoopback: true }).origin).toBe('http://127.0.0.1:9');
    expect(refusal(() => createSswsCredential(undefined as never)).code).toBe('INVALID_CONFIG');
  });

  it('explains E0000011 and E0000005 differently', () => {
    const credential = createSswsCredential({ orgUrl, token });
    const attempt = { method: 'GET', url: new URL('/api/v1/users', orgUrl) };
    const answer = (status: number, errorCode: string | undefined) => ({ attempt, request: new Request(attempt.url), response: new Response(null, { status }), errorCode });
    const invalid = credential.explain?.(answer(401, 'E0000011'));
    const malformed = credential.explain?.(answer(403, 'E0000005'));
    expect(invalid).toMatch(/revoked.*30 days unused/);
    expect(malformed).toMatch(/Authorization header.*missing or malformed/);
    expect(credential.explain?.(answer(500, undefined))).toBeUndefined();
    // Each hint is for its status and code together: the code alone, under another status, says nothing.
    expect(credential.explain?.(answer(403, 'E0000006'))).toMatch(/permissions of the admin who created it/);
    for (const [status, code] of [[403, 'E0000011'], [401, 'E0000005'], [401, 'E0000006'], [401, 'E0000004'], [403, 'E0000004']] as const) {
      expect(credential.explain?.(answer(status, code))).toBeUndefined();
    }
  });

  it('says what it takes when given no options, and shows its kind and origin only', () => {
    expect(refusal(() => createSswsCredential(null as never))).toMatchObject({ name: 'OktaSswsError', code: 'INVALID_CONFIG', message: 'createSswsCredential takes an options object: { orgUrl, token }.' });
    expect(inspect(createSswsCredential({ orgUrl, token }))).toBe("OktaCredential { kind: 'ssws', origin: 'https://acme.okta.com' }");
    expect(refusal(() => createSswsCredential({ orgUrl, token: 'abc' })).message).toMatch(/^The Okta API token \(token\) has 3 characters/);
  });
});

describe('sswsCredentialFromEnv', () => {
  it("reads Okta's SDK variable names", async () => {
    const credential = sswsCredentialFromEnv({ OKTA_CLIENT_ORGURL: orgUrl, OKTA_CLIENT_TOKEN: token });
    expect(credential.origin).toBe(orgUrl);
    expect((await credential.authorize({ method: 'GET', url: new URL(orgUrl) })).authorization).toBe(`SSWS ${token}`);
    expect(sswsCredentialFromEnv({ OKTA_CLIENT_ORGURL: orgUrl, OKTA_CLIENT_TOKEN: token, OKTA_CLIENT_AUTHORIZATIONMODE: 'SSWS' }).kind).toBe('ssws');
  });

  it('reads process.env by default', () => {
    process.env.OKTA_CLIENT_ORGURL = orgUrl;
    process.env.OKTA_CLIENT_TOKEN = token;
    try {
      expect(sswsCredentialFromEnv().origin).toBe(orgUrl);
    } finally {
      delete process.env.OKTA_CLIENT_ORGURL;
      delete process.env.OKTA_CLIENT_TOKEN;
    }
  });

  // Node.js's and Bun's process.env fall through to Object.prototype: a prototype pollution anywhere in the
  // application chose the org the token went to. Only the env's own variables are read (core's readEnvText).
  it('reads only own variables: one inherited (from a polluted Object.prototype, or an env built on another) is not set', () => {
    const notSet = { code: 'INVALID_CONFIG', message: expect.stringMatching(/^OKTA_CLIENT_ORGURL is not set/) };
    expect(refusal(() => sswsCredentialFromEnv(Object.create({ OKTA_CLIENT_ORGURL: orgUrl, OKTA_CLIENT_TOKEN: token }) as Record<string, string>))).toMatchObject(notSet);
    const prototype = Object.prototype as Record<string, unknown>;
    process.env.OKTA_CLIENT_TOKEN = token;
    prototype.OKTA_CLIENT_ORGURL = 'https://evil.okta.com';
    prototype.OKTA_CLIENT_AUTHORIZATIONMODE = 'PrivateKey';
    try {
      expect(refusal(() => sswsCredentialFromEnv())).toMatchObject(notSet);
      expect(refusal(() => sswsCredentialFromEnv({ OKTA_CLIENT_TOKEN: token }))).toMatchObject(notSet);
      // process.env's own variables, and a plain object's (a Worker's env), are read as before.
      process.env.OKTA_CLIENT_ORGURL = orgUrl;
      expect([sswsCredentialFromEnv().origin, sswsCredentialFromEnv({ OKTA_CLIENT_ORGURL: orgUrl, OKTA_CLIENT_TOKEN: token }).origin]).toEqual([orgUrl, orgUrl]);
    } finally {
      delete prototype.OKTA_CLIENT_ORGURL;
      delete prototype.OKTA_CLIENT_AUTHORIZATIONMODE;
      delete process.env.OKTA_CLIENT_ORGURL;
      delete process.env.OKTA_CLIENT_TOKEN;
    }
  });

  it('names the variable to fix', () => {
    expect(refusal(() => sswsCredentialFromEnv({ OKTA_CLIENT_TOKEN: token })).message).toContain('OKTA_CLIENT_ORGURL is not set');
    expect(refusal(() => sswsCredentialFromEnv({ OKTA_CLIENT_ORGURL: orgUrl })).message).toContain('OKTA_CLIENT_TOKEN is not set');
    const jwt = refusal(() => sswsCredentialFromEnv({ OKTA_CLIENT_ORGURL: orgUrl, OKTA_CLIENT_TOKEN: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.sig' }));
    expect(jwt.message).toContain('OKTA_CLIENT_TOKEN');
    expect(jwt.message).toContain('@org/okta-oauth');
    const mode = refusal(() => sswsCredentialFromEnv({ OKTA_CLIENT_ORGURL: orgUrl, OKTA_CLIENT_TOKEN: token, OKTA_CLIENT_AUTHORIZATIONMODE: 'PrivateKey' }));
    expect(mode.code).toBe('INVALID_CONFIG');
    expect(mode.message).toContain('serviceAppCredentialFromEnv');
    expect(mode.message).toContain('"PrivateKey"');
    expect(isOktaSswsError(new Error('x'))).toBe(false);
  });

  it('reads a blank or padded mode as unset or SSWS, and a blank org URL as not set', () => {
    for (const mode of ['', '  SSWS  ', 'ssws']) expect(sswsCredentialFromEnv({ OKTA_CLIENT_ORGURL: orgUrl, OKTA_CLIENT_TOKEN: token, OKTA_CLIENT_AUTHORIZATIONMODE: mode }).kind).toBe('ssws');
    const blank = refusal(() => sswsCredentialFromEnv({ OKTA_CLIENT_ORGURL: '  ', OKTA_CLIENT_TOKEN: token }));
    expect([blank.code, blank.message]).toEqual(['INVALID_CONFIG', 'OKTA_CLIENT_ORGURL is not set: set it to your org, such as https://acme.okta.com.']);
  });

  // A Worker's env holds bindings that are no text (a number or object from `vars`, a Secrets Store
  // secret): `.trim()` on one was a raw TypeError ("orgUrl.trim is not a function").
  it('names a variable that holds no text (a Worker binding), with INVALID_CONFIG', () => {
    const secretsStore = { get: () => Promise.resolve(token) };
    for (const [env, message] of [
      [{ OKTA_CLIENT_ORGURL: 443, OKTA_CLIENT_TOKEN: token }, 'OKTA_CLIENT_ORGURL holds number, not text: set it to a string.'],
      [{ OKTA_CLIENT_ORGURL: new URL(orgUrl), OKTA_CLIENT_TOKEN: token }, 'OKTA_CLIENT_ORGURL holds object, not text: set it to a string.'],
      [{ OKTA_CLIENT_ORGURL: orgUrl, OKTA_CLIENT_TOKEN: token, OKTA_CLIENT_AUTHORIZATIONMODE: ['SSWS'] }, 'OKTA_CLIENT_AUTHORIZATIONMODE holds an array, not text: set it to a string.'],
      [
        { OKTA_CLIENT_ORGURL: orgUrl, OKTA_CLIENT_TOKEN: secretsStore },
        'OKTA_CLIENT_TOKEN holds object, not text: set it to a string (a Secrets Store binding: pass { ...env, OKTA_CLIENT_TOKEN: await env.OKTA_CLIENT_TOKEN.get() }).',
      ],
    ] as const) {
      expect(refusal(() => sswsCredentialFromEnv(env as never))).toMatchObject({ name: 'OktaSswsError', code: 'INVALID_CONFIG', message });
    }
    // null is unset, as in an options object.
    expect(refusal(() => sswsCredentialFromEnv({ OKTA_CLIENT_ORGURL: null, OKTA_CLIENT_TOKEN: token } as never)).message).toContain('OKTA_CLIENT_ORGURL is not set');
    expect(sswsCredentialFromEnv({ OKTA_CLIENT_ORGURL: orgUrl, OKTA_CLIENT_TOKEN: token, OKTA_CLIENT_AUTHORIZATIONMODE: null } as never).kind).toBe('ssws');
  });

  // A half-copied pair (`"SSWS`) was "set, not SSWS": core's one check of quotes, as for the org URL and the token.
  it('says to remove the quotes of a quoted mode, or one left at an end (docker --env-file keeps them), rather than that it is not SSWS', () => {
    for (const mode of ['"SSWS"', "'SSWS'", '"PrivateKey"', '"SSWS', "SSWS'", '`SSWS`']) {
      const error = refusal(() => sswsCredentialFromEnv({ OKTA_CLIENT_ORGURL: orgUrl, OKTA_CLIENT_TOKEN: token, OKTA_CLIENT_AUTHORIZATIONMODE: mode }));
      expect([error.code, error.message], mode).toEqual(['INVALID_CONFIG', 'OKTA_CLIENT_AUTHORIZATIONMODE is wrapped in quotes (or has one at an end): remove them.']);
    }
  });

  it('quotes a mode only when the whole value is a word', () => {
    const mode = (value: string) => refusal(() => sswsCredentialFromEnv({ OKTA_CLIENT_ORGURL: orgUrl, OKTA_CLIENT_TOKEN: token, OKTA_CLIENT_AUTHORIZATIONMODE: value })).message;
    expect(mode('PrivateKey')).toMatch(/^OKTA_CLIENT_AUTHORIZATIONMODE is "PrivateKey", not SSWS/);
    expect(mode('SSWS00QCjAl4sentinel')).toMatch(/^OKTA_CLIENT_AUTHORIZATIONMODE is set, not SSWS/);
  });

  it('quotes no token given in the wrong variable (OKTA_CLIENT_ORGURL, OKTA_CLIENT_AUTHORIZATIONMODE)', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIwMG8xIiwiaXNzIjoiaHR0cHM6Ly9hY21lLm9rdGEuY29tIiwiZXhwIjoxNzAwMDAwMDAwfQ.c2ln';
    for (const env of [
      { OKTA_CLIENT_ORGURL: token, OKTA_CLIENT_TOKEN: token },
      { OKTA_CLIENT_ORGURL: jwt, OKTA_CLIENT_TOKEN: token },
      { OKTA_CLIENT_ORGURL: orgUrl, OKTA_CLIENT_TOKEN: token, OKTA_CLIENT_AUTHORIZATIONMODE: token },
      // A .env line not split: the URL parser drops the line break, gluing the token (lower-cased) to the host.
      { OKTA_CLIENT_ORGURL: `${orgUrl}\n${token}`, OKTA_CLIENT_TOKEN: token },
    ]) {
      const error = failure.sync(() => sswsCredentialFromEnv(env), isOktaAuthError);
      expect(['INVALID_ORG_URL', 'INVALID_CONFIG']).toContain(error.code);
      for (const secret of [token, jwt]) expect(error.message.toLowerCase()).not.toContain(secret.slice(0, 16).toLowerCase());
    }
  });
});
