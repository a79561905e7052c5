import { describe, expect, it } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import { isSendableToken, isTokenExpiry, isTokenLifetimeMs, parseTokenResponse } from './token-response.js';

const json = (body: unknown, headers: Record<string, string> = {}) =>
  new Response(typeof body === 'string' ? body : JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json', 'x-okta-request-id': 'req-1', ...headers } });

const good = { token_type: 'Bearer', expires_in: 3600, access_token: 'eyJ.secret-token-value.sig', scope: 'okta.users.read' };

describe('parseTokenResponse', () => {
  it('reads a good answer and hides the token', async () => {
    const token = await parseTokenResponse(json(good));
    expect(token).toMatchObject({ tokenType: 'Bearer', expiresIn: 3600, scope: 'okta.users.read' });
    expect(token.accessToken.reveal()).toBe(good.access_token);
    expect(JSON.stringify(token)).not.toContain('secret-token-value');
  });

  it.each(['DPoP', 'dpop', 'DPOP'])('compares token_type %s without regard to case', async (type) => {
    expect((await parseTokenResponse(json({ ...good, token_type: type }))).tokenType).toBe('DPoP');
  });

  it('reads a refresh token and an ID token of up to 64 KiB, an absent one as none, and refuses a present one that is empty or not a string', async () => {
    const long = await parseTokenResponse(json({ ...good, refresh_token: 'r'.repeat(65_536), id_token: `eyJ.${'i'.repeat(65_528)}.sig` }));
    expect(long.refreshToken?.reveal()).toHaveLength(65_536);
    expect(long.idToken?.reveal()).toHaveLength(65_536);
    const none = await parseTokenResponse(json(good));
    expect([none.refreshToken, none.idToken]).toEqual([undefined, undefined]);
    const refused = (body: Record<string, unknown>) => parseTokenResponse(json({ ...good, ...body })).then(() => 'taken', (e: unknown) => (e as Error).message);
    for (const [name, value] of [['refresh_token', ''], ['id_token', 42], ['refresh_token', { t: 'rt-secret-value' }], ['id_token', null], ['refresh_token', ['rt-secret-value']]] as const) {
      expect(await refused({ [name]: value })).toBe(`Okta's token endpoint answered 200 but with "${name}" set to a value that cannot go in an HTTP header or form (a string of printable ASCII, 1 B to 64 KiB); nothing was cached.`);
    }
  });

  it('accepts expires_in as a digit string', async () => {
    expect((await parseTokenResponse(json({ ...good, expires_in: '300' }))).expiresIn).toBe(300);
  });

  it('takes expires_in from 1 s to 366 days (a day-long token too), and a blank or absent scope as none', async () => {
    for (const seconds of [1, 86_400, 366 * 24 * 3600]) expect((await parseTokenResponse(json({ ...good, expires_in: seconds }))).expiresIn).toBe(seconds);
    expect(await parseTokenResponse(json({ ...good, expires_in: 366 * 24 * 3600 + 1 })).catch((e: unknown) => (e as Error).message)).toMatch(/unusable "expires_in"/);
    expect((await parseTokenResponse(json({ ...good, scope: '   ' }))).scope).toBe('   ');
    expect((await parseTokenResponse(json({ ...good, scope: undefined }))).scope).toBeUndefined();
  });

  it('takes a granted scope of exactly 8192 characters (the bound; 8193 is refused below)', async () => {
    const scope = `okta.users.read ${'a'.repeat(8192 - 16)}`;
    expect(scope).toHaveLength(8192);
    expect((await parseTokenResponse(json({ ...good, scope }))).scope).toBe(scope);
  });

  it('refuses an answer over 1 MiB without parsing it, and a body cut short by a closed connection', async () => {
    const chunk = new TextEncoder().encode(' '.repeat(64 * 1024));
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(stream) {
        stream.enqueue(sent === 0 ? new TextEncoder().encode(JSON.stringify(good)) : chunk);
        sent += 1;
      },
    });
    const big: unknown = await parseTokenResponse(new Response(endless, { status: 200 })).catch((e: unknown) => e);
    expect(big).toMatchObject({ code: 'INVALID_TOKEN_RESPONSE', message: "Okta's token endpoint answered 200 but with a body larger than 1 MiB; nothing was cached." });
    expect(sent).toBeLessThan(40);
    const broken = new ReadableStream<Uint8Array>({
      start(stream) {
        stream.enqueue(new TextEncoder().encode('{"access_token":'));
        stream.error(new TypeError('terminated'));
      },
    });
    const cut: unknown = await parseTokenResponse(new Response(broken, { status: 200 })).catch((e: unknown) => e);
    expect(cut).toMatchObject({ code: 'INVALID_TOKEN_RESPONSE', message: "Okta's token endpoint answered 200 but the body could not be read (the connection closed early); nothing was cached." });
    // A body that stalled past the attempt's timeout is TIMEOUT, not an unusable answer.
    const stalled = new ReadableStream<Uint8Array>({ start: (stream) => stream.error(new DOMException('stopped', 'TimeoutError')) });
    expect(await parseTokenResponse(new Response(stalled, { status: 200 })).catch((e: unknown) => e)).toMatchObject({ code: 'TIMEOUT' });
    // A body that is not JSON, sent without a content type, is said to have none.
    const untyped = await parseTokenResponse(new Response(new TextEncoder().encode('<html>'), { status: 200 })).catch((e: unknown) => (e as Error).message);
    expect(untyped).toBe("Okta's token endpoint answered 200 but with a body that is not JSON (no content type, 6 bytes); nothing was cached.");
  });

  it("reads a stored lifetime and expiry by the answer's rule: 1 s to 366 days, a finite expiry at most 366 days ahead", () => {
    const day = 24 * 3600_000;
    expect([999, 1000, 366 * day, 366 * day + 1, Number.NaN, '5000'].map((ms) => isTokenLifetimeMs(ms))).toEqual([false, true, true, false, false, false]);
    const now = 1_800_000_000_000;
    expect([0, now + 366 * day, now + 366 * day + 1, Number.POSITIVE_INFINITY, String(now)].map((at) => isTokenExpiry(at, now))).toEqual([true, true, false, false, false]);
  });

  it("scrubs the attempt's secrets from the Content-Type and token_type it quotes", async () => {
    // Longer than the 60 and 20 characters quoted: scrubbed before the cut, or a cut piece of it would stay.
    const secret = `sentinel-client-assertion-${'x'.repeat(60)}-0123`;
    const messages = await Promise.all([
      parseTokenResponse(json('not json', { 'content-type': `text/${secret}` }), [secret]).catch((e: unknown) => (e as Error).message),
      parseTokenResponse(json({ ...good, token_type: secret }), [secret]).catch((e: unknown) => (e as Error).message),
    ]);
    for (const message of messages) expect(message).toMatch(/\[redacted …0123\]/);
    expect(messages.join(' ')).not.toContain('sentinel-client');
  });

  it("scrubs the answer's own tokens from the token_type it quotes, its request id and its scope", async () => {
    // The first 20 characters of a token are what a cut quote of it would show.
    const tokens = { access_token: `eyJhbGciOiJSUzI1NiJ9.${'a'.repeat(40)}.sig`, refresh_token: `rt-sentinel-${'r'.repeat(40)}`, id_token: `eyJpZC10b2tlbi1zZW50aW5lbA.${'i'.repeat(40)}.sig` };
    for (const value of Object.values(tokens)) {
      for (const token_type of [value, `mac ${value}`]) {
        const error: unknown = await parseTokenResponse(json({ ...good, ...tokens, token_type }, { 'x-okta-request-id': value })).catch((e: unknown) => e);
        expect(error).toMatchObject({ code: 'INVALID_TOKEN_RESPONSE', message: expect.stringMatching(/unexpected token_type "(mac )?\[redacted/) });
        const shown = `${(error as Error).message} ${String((error as { requestId?: unknown }).requestId)}`;
        expect(shown).not.toContain(value.slice(0, 20));
      }
    }
    // Its first 20 characters alone, of a token of 36 (scrub masks a cut echo of half a secret or more, 12 characters at least).
    const short = `at-sentinel-${'s'.repeat(24)}`;
    const cut = await parseTokenResponse(json({ ...good, access_token: short, token_type: short.slice(0, 20) })).catch((e: unknown) => (e as Error).message);
    expect(cut).toMatch(/unexpected token_type "\[redacted\]"/);
    const { scope } = await parseTokenResponse(json({ ...good, ...tokens, scope: `okta.users.read ${tokens.access_token}` }));
    expect(scope).not.toContain(tokens.access_token.slice(0, 20));
    expect(scope).toMatch(/^okta\.users\.read \[redacted/);
  });

  it('sends no value that is not a string as a token', () => {
    expect(isSendableToken(['a'.repeat(30)])).toBe(false);
    expect(isSendableToken('a'.repeat(30))).toBe(true);
  });

  it.each([
    ['not JSON', '<html>502 Bad Gateway</html>', /not JSON \(application\/json, 28 bytes\)/],
    ['truncated JSON', '{"token_type":"Bearer","access_tok', /not JSON/],
    ['a JSON array', [good], /not an object/],
    ['JSON null', 'null', /not an object/],
    ['a JSON string', '"eyJ.secret-token-value.sig"', /not an object/],
    ['a blank access_token', { ...good, access_token: '   ' }, /without an "access_token"/],
    ['no access_token', { ...good, access_token: undefined }, /without an "access_token"/],
    ['an empty access_token', { ...good, access_token: '' }, /without an "access_token"/],
    ['a numeric access_token', { ...good, access_token: 42 }, /without an "access_token"/],
    ['an access_token with a line break', { ...good, access_token: 'a\r\nb' }, /cannot go in an HTTP header/],
    ['an access_token over 64 KiB', { ...good, access_token: 'a'.repeat(65_537) }, /"access_token" set to a value that cannot go in an HTTP header/],
    ['a refresh_token with a line break', { ...good, refresh_token: 'rt\r\nINFO forged' }, /"refresh_token" set to a value that cannot go in an HTTP header or form/],
    ['a refresh_token over 64 KiB', { ...good, refresh_token: 'r'.repeat(65_537) }, /"refresh_token" set to a value that cannot/],
    ['an id_token with a space', { ...good, id_token: 'eyJ a.b.c' }, /"id_token" set to a value that cannot/],
    ['an id_token over 64 KiB', { ...good, id_token: `eyJ.${'i'.repeat(65_536)}.sig` }, /"id_token" set to a value that cannot/],
    ['no token_type', { ...good, token_type: undefined }, /without a "token_type"/],
    ['an unexpected token_type', { ...good, token_type: 'mac' }, /unexpected token_type "mac"/],
    ['no expires_in', { ...good, expires_in: undefined }, /without "expires_in"/],
    ['a text expires_in', { ...good, expires_in: 'soon' }, /not a number \(string\)/],
    ['a zero expires_in', { ...good, expires_in: 0 }, /unusable "expires_in" \(0 s;/],
    ['a negative expires_in', { ...good, expires_in: -5 }, /unusable/],
    ['an absurd expires_in', { ...good, expires_in: 1e12 }, /unusable/],
    ['a boolean expires_in', { ...good, expires_in: true }, /not a number \(boolean\)/],
    ['a scope with a line break', { ...good, scope: 'okta.users.read\r\nINFO forged' }, /"scope" that is not a space-separated list/],
    ['a scope with a quote', { ...good, scope: 'okta.users.read "x"' }, /"scope" that is not/],
    ['a scope of 8193 characters (one over the bound)', { ...good, scope: `okta.users.read ${'a'.repeat(8193 - 16)}` }, /at most 8192 characters/],
    ['a number scope', { ...good, scope: 5 }, /"scope" that is not a space-separated list/],
    ['a null scope', { ...good, scope: null }, /"scope" that is not a space-separated list/],
    ['an object scope', { ...good, scope: { s: 'secret-token-value' } }, /"scope" that is not a space-separated list/],
    ['an array scope', { ...good, scope: ['okta.users.read'] }, /"scope" that is not a space-separated list/],
  ])('refuses %s', async (_name, body, message) => {
    const error: unknown = await parseTokenResponse(json(body as never)).catch((e: unknown) => e);
    expect(isOktaOAuthError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'INVALID_TOKEN_RESPONSE', status: 200, requestId: 'req-1' });
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toMatch(/nothing was cached/);
    expect((error as Error).message).not.toContain('secret-token-value');
  });
});
