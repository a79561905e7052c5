import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startEmulator, type OktaEmulator, type ServiceAppCredentials, type SignInAppCredentials } from '../index.js';
import { clientAssertion, JWT_BEARER, postToken, type AssertionOptions } from '../test-helpers/oauth.js';

/**
 * The client assertion's rules at their edges (mutation testing, thirty-third round): `exp` and
 * `nbf` to the second on a frozen clock, how long a `jti` is remembered, an `aud` given as an
 * array, claims of the wrong type, and a `client_secret_jwt` algorithm outside HS256/384/512.
 * Each rule is Okta's ("Build a JWT for client authentication": `exp` at most an hour ahead, `jti`
 * a case-sensitive string used once) or RFC 7523 §3's (`nbf`, `aud` may be an array).
 */
describe('the client assertion at its edges', () => {
  let org: OktaEmulator;
  let svc: ServiceAppCredentials;
  let web: SignInAppCredentials;
  beforeAll(async () => {
    org = await startEmulator();
    svc = org.createServiceApp({ scopes: ['okta.users.read'], requireDpop: false });
    web = org.createSignInApp({ type: 'web', redirectUris: ['http://localhost/cb'], tokenEndpointAuthMethod: 'client_secret_jwt' });
  });
  afterAll(() => org.close());
  afterEach(() => {
    vi.useRealTimers();
    org.setClockOffset(0);
  });

  const tokenUrl = (): string => `${org.url}/oauth2/v1/token`;
  const send = async (o: AssertionOptions): Promise<200 | string> => {
    const res = await postToken(org, { grant_type: 'client_credentials', scope: 'okta.users.read', client_assertion_type: JWT_BEARER, client_assertion: await clientAssertion(org, svc, o) });
    if (res.status === 200) return 200;
    const body = (await res.json()) as { error: string; error_description: string };
    expect([res.status, body.error]).toEqual([401, 'invalid_client']);
    return body.error_description;
  };
  /** Freezes `Date` (the org's clock reads it) on a whole second; returns that second. */
  const freeze = (): number => {
    const t = Math.floor(Date.now() / 1000);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(t * 1000);
    return t;
  };

  it('exp: the current second is expired, an hour ahead to the second is taken, one more is too far', async () => {
    const t = freeze();
    expect(await send({ exp: t, iat: t })).toBe('The client_assertion token is expired.');
    expect(await send({ exp: t + 1, iat: t })).toBe(200);
    expect(await send({ exp: t + 3600, iat: t })).toBe(200);
    expect(await send({ exp: t + 3601, iat: t })).toBe('The client_assertion token has an expiration too far into the future.');
  });

  it('iat and nbf: the current second is taken, the next one is not, and neither may be a string', async () => {
    const t = freeze();
    expect(await send({ iat: t, nbf: t })).toBe(200);
    expect(await send({ iat: t + 1 })).toBe('The client_assertion token must be issued before the current time.');
    expect(await send({ iat: t, nbf: t + 1 })).toBe('The client_assertion token is not valid yet (nbf).');
    expect(await send({ iat: null, claims: { iat: String(t - 60) } })).toBe('The client_assertion token must be issued before the current time.');
    expect(await send({ iat: t, claims: { nbf: String(t - 60) } })).toBe('The client_assertion token is not valid yet (nbf).');
  });

  it('jti: a case-sensitive string; a number or an empty one is refused as unparsable', async () => {
    const unparsable = 'The parsing of the client_assertion failed.';
    expect(await send({ claims: { jti: 123 } })).toBe(unparsable);
    expect(await send({ jti: '' })).toBe(unparsable);
    expect(await send({ jti: 'Case-Sensitive' })).toBe(200);
    expect(await send({ jti: 'case-sensitive' })).toBe(200);
  });

  it("jti: remembered until 60 s past its assertion's exp, to the millisecond, even for an assertion that expires sooner", async () => {
    const t = freeze();
    const jti = `edge-${t}`;
    const once = await clientAssertion(org, svc, { jti, iat: t, exp: t + 30 });
    const post = () => postToken(org, { grant_type: 'client_credentials', scope: 'okta.users.read', client_assertion_type: JWT_BEARER, client_assertion: once });
    expect((await post()).status).toBe(200);
    // Within its 30 s: refused as used, not taken again.
    expect((await (await post()).json()).error_description).toBe('The client_assertion token has already been used.');
    // Another assertion with the same jti, at the last millisecond it is remembered: still used.
    const rememberedUntil = (t + 30) * 1000 + 60_000;
    org.setClockOffset((rememberedUntil - t * 1000) / 1000);
    const later = t + 90;
    expect(await send({ jti, iat: later, exp: later + 300 })).toBe('The client_assertion token has already been used.');
    // One millisecond after: forgotten.
    org.setClockOffset((rememberedUntil + 1 - t * 1000) / 1000);
    expect(await send({ jti, iat: later, exp: later + 300 })).toBe(200);
  });

  it('aud: a one-element array of the token endpoint is taken; another element, a second one or none is not', async () => {
    const audience = 'The audience claim for client_assertion must be the endpoint invoked for the request.';
    expect(await send({ aud: [tokenUrl()] })).toBe(200);
    expect(await send({ aud: [`${org.url}/oauth2/v1/revoke`] })).toBe(audience);
    expect(await send({ aud: [tokenUrl(), `${org.url}/oauth2/v1/revoke`] })).toBe(audience);
    expect(await send({ aud: [] })).toBe(audience);
    expect(await send({ claims: { aud: 1 } })).toBe(audience);
  });

  it('client_secret_jwt: an HS-named algorithm outside HS256/384/512 is refused for its algorithm', async () => {
    // jose signs no "HS1": the JWT is made by hand, its HMAC keyed with the secret as HS256's would be.
    const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const revokeUrl = `${org.url}/oauth2/v1/revoke`;
    const input = `${part({ alg: 'HS1' })}.${part({ iss: web.clientId, sub: web.clientId, aud: revokeUrl, iat: now, exp: now + 300 })}`;
    const signature = createHmac('sha256', web.clientSecret ?? '').update(input).digest('base64url');
    const res = await fetch(revokeUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: 'some-token', client_assertion_type: JWT_BEARER, client_assertion: `${input}.${signature}` }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'invalid_client', error_description: 'The client_assertion JWT signature algorithm is invalid.' });
  });
});
