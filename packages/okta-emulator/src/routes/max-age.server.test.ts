/**
 * `max_age` at /authorize (docs/FIDELITY.md P17): "Allowable elapsed time, in seconds, since the last time the end
 * user was actively authenticated by Okta" (OAS `authorize`). A session older than that signs the person in again
 * and the ID token's `auth_time` is the new sign-in (OIDC Core §3.1.2.1); `max_age=0` is `prompt=login` (release
 * notes, OKTA-588559); with `prompt=none` an older session is an error (release notes 2018); a value outside
 * 0 to 2^31-1 and `prompt=none` with `max_age=0` are the catalogue's `invalid_max_age` and
 * `invalid_prompt_for_zero_max_age`.
 */
import { decodeJwt } from 'jose';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OktaEmulator, SignInAppCredentials } from '../index.js';
import { authorizeUrl, Browser, hiddenInputs, pkce, signIn } from '../test-helpers/browser.js';
import { exchangeCode, REDIRECT, useSignInApps } from '../test-helpers/user-tokens.js';

const INVALID_MAX_AGE = "Invalid value for 'max_age' parameter. It should be within range 0 - 2^31-1.";
const NONE_WITH_ZERO = "'prompt' parameter must not have the value 'none' for request with 'zero' as max_age.";

describe('max_age at /authorize', () => {
  const env = useSignInApps();
  let org: OktaEmulator;
  let spa: SignInAppCredentials;
  beforeAll(() => {
    ({ org, spa } = env);
  });
  afterEach(() => org.setClockOffset(0));

  /** The org's clock, in seconds, as the emulator reads it (real time plus the offset). */
  const orgNow = (offset: number): number => Math.floor(Date.now() / 1000) + offset;

  /** A browser with a session of Ada's, and the `auth_time` of its sign-in. */
  const signedIn = async (): Promise<{ browser: Browser; authTime: number }> => {
    const browser = new Browser();
    const { verifier, challenge } = pkce();
    const location = await signIn(org, browser, { clientId: spa.clientId, redirectUri: REDIRECT, challenge }, 'ada@example.com', 'Correct-Horse1');
    return { browser, authTime: await authTimeOf(location, verifier) };
  };
  const authTimeOf = async (location: URL, verifier: string): Promise<number> => {
    const body = await (await exchangeCode(org, spa.clientId, location.searchParams.get('code') ?? '', verifier)).json();
    return Number(decodeJwt(String(body.id_token)).auth_time);
  };
  /** /authorize with `extra` in the browser: the redirect's parameters, or the page's status (200: sign in). */
  const authorize = async (browser: Browser, extra: Record<string, string>, challenge = pkce().challenge): Promise<number | Record<string, string>> => {
    const res = await browser.get(authorizeUrl(org, { clientId: spa.clientId, redirectUri: REDIRECT, challenge, extra }));
    return res.status === 302 ? Object.fromEntries(new URL(res.headers.get('location') ?? '').searchParams) : res.status;
  };

  it('a session younger than max_age gets a code at once, its auth_time unchanged', async () => {
    const { browser, authTime } = await signedIn();
    const { verifier, challenge } = pkce();
    const answer = await authorize(browser, { max_age: '3600' }, challenge);
    expect(answer).toMatchObject({ code: expect.any(String), state: 'st-123' });
    const location = new URL(`${REDIRECT}?${new URLSearchParams(answer as Record<string, string>).toString()}`);
    expect(await authTimeOf(location, verifier)).toBe(authTime);
  });

  it('a session older than max_age signs the person in again; the ID token carries the new auth_time', async () => {
    const { browser, authTime } = await signedIn();
    org.setClockOffset(400);
    const before = orgNow(400);
    expect(await authorize(browser, { max_age: '300' })).toBe(200);
    const { verifier, challenge } = pkce();
    const page = await browser.get(authorizeUrl(org, { clientId: spa.clientId, redirectUri: REDIRECT, challenge, extra: { max_age: '300' } }));
    const res = await browser.post(`${org.url}/login/sign-in`, { ...hiddenInputs(await page.text()), username: 'ada@example.com', password: 'Correct-Horse1' });
    expect(res.status).toBe(302);
    const renewed = await authTimeOf(new URL(res.headers.get('location') ?? ''), verifier);
    expect(renewed).toBeGreaterThanOrEqual(before);
    expect(renewed).toBeGreaterThan(authTime);
    // The new session is young again: the same max_age now gets a code at once.
    expect(await authorize(browser, { max_age: '300' })).toMatchObject({ code: expect.any(String) });
  });

  it('max_age=0 signs the person in again as prompt=login does, however young the session', async () => {
    const { browser } = await signedIn();
    expect(await authorize(browser, { max_age: '0' })).toBe(200);
    expect(await authorize(browser, {})).toMatchObject({ code: expect.any(String) });
  });

  it('prompt=none with a session older than max_age is login_required; with max_age=0, invalid_request', async () => {
    const { browser } = await signedIn();
    expect(await authorize(browser, { prompt: 'none', max_age: '3600' })).toMatchObject({ code: expect.any(String) });
    org.setClockOffset(400);
    expect(await authorize(browser, { prompt: 'none', max_age: '300' })).toEqual({
      error: 'login_required',
      error_description: 'The client specified not to prompt, but the user is not logged in.',
      state: 'st-123',
    });
    expect(await authorize(browser, { prompt: 'none', max_age: '0' })).toEqual({ error: 'invalid_request', error_description: NONE_WITH_ZERO, state: 'st-123' });
    expect(await authorize(new Browser(), { prompt: 'none', max_age: '0' })).toEqual({ error: 'invalid_request', error_description: NONE_WITH_ZERO, state: 'st-123' });
  });

  it('a max_age that is not a whole number from 0 to 2^31-1 is invalid_request (catalogue invalid_max_age); 2^31-1 is taken', async () => {
    for (const maxAge of ['-1', 'abc', '', '1.5', '2147483648', ' 30', '1e3']) {
      expect(await authorize(new Browser(), { max_age: maxAge })).toEqual({ error: 'invalid_request', error_description: INVALID_MAX_AGE, state: 'st-123' });
    }
    expect(await authorize(new Browser(), { max_age: '2147483647' })).toBe(200);
    const { browser } = await signedIn();
    expect(await authorize(browser, { max_age: '2147483647' })).toMatchObject({ code: expect.any(String) });
  });
});
