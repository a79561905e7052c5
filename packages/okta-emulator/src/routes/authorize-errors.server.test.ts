import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator } from '../index.js';
import { authorizeUrl, pkce } from '../test-helpers/browser.js';

const REDIRECT = 'http://localhost:5173/callback';

/** Errors /authorize sends back to the client's redirect URI, with Okta's codes and wording (docs/FIDELITY.md P1-P12). */
describe('authorization request errors', () => {
  let org: OktaEmulator;
  let spa: { clientId: string };

  beforeAll(async () => {
    org = await startEmulator();
    spa = org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT] });
  });
  afterAll(() => org.close());

  it.each([
    ['response_type=token', { response_type: 'token' }, 'unsupported_response_type'],
    ['plain PKCE', { code_challenge_method: 'plain' }, 'invalid_request'],
    ['an unknown scope', { scope: 'openid okta.user.read' }, 'invalid_scope'],
    ['only okta.* scopes the app was not granted', { scope: 'okta.apps.manage' }, 'consent_required'],
    ['no state', { state: '' }, 'invalid_request'],
    ['prompt=none without a session', { prompt: 'none' }, 'login_required'],
    ['an unknown response_mode', { response_mode: 'web_message' }, 'unsupported_response_mode'],
  ] as [string, Record<string, string>, string][])('redirects errors to the client: %s', async (_name, extra, error) => {
    const res = await fetch(authorizeUrl(org, { clientId: spa.clientId, redirectUri: REDIRECT, challenge: pkce().challenge, extra }), { redirect: 'manual' });
    expect(res.status).toBe(302);
    const loc = new URL(res.headers.get('location')!);
    expect(loc.searchParams.get('error')).toBe(error);
    expect(loc.searchParams.get('error_description')).toBeTruthy();
    // No iss, as Okta (RFC 9207 only with authorizationResponseIss: authorization-response-iss.server.test.ts).
    expect(loc.searchParams.has('iss')).toBe(false);
    if (extra.state !== '') expect(loc.searchParams.get('state')).toBe('st-123');
  });

  it('requires PKCE for a SPA', async () => {
    const res = await fetch(authorizeUrl(org, { clientId: spa.clientId, redirectUri: REDIRECT }), { redirect: 'manual' });
    const loc = new URL(res.headers.get('location')!);
    expect(loc.searchParams.get('error')).toBe('invalid_request');
    expect(loc.searchParams.get('error_description')).toBe('PKCE code challenge is required by the application.');
  });

  it('words PKCE errors at /authorize as Okta does: method other than S256, illegal characters', async () => {
    const errorOf = async (extra: Record<string, string>) => {
      const res = await fetch(authorizeUrl(org, { clientId: spa.clientId, redirectUri: REDIRECT, extra }), { redirect: 'manual' });
      const loc = new URL(res.headers.get('location')!);
      return [loc.searchParams.get('error'), loc.searchParams.get('error_description')];
    };
    const { challenge } = pkce();
    expect(await errorOf({ code_challenge: challenge, code_challenge_method: 'plain' })).toEqual(['invalid_request', 'PKCE code challenge method is not supported. Valid values: [S256]']);
    expect(await errorOf({ code_challenge: `${challenge.slice(0, 42)}=`, code_challenge_method: 'S256' })).toEqual(['invalid_request', 'PKCE code challenge contains illegal characters.']);
    expect(await errorOf({ code_challenge: challenge, code_challenge_method: 'S256', state: '' })).toEqual(['invalid_request', "The authentication request has an invalid 'state' parameter."]);
    expect(await errorOf({ code_challenge: challenge, code_challenge_method: 'S256', state: 'a b{}' })).toEqual(['invalid_request', "The authentication request has an invalid 'state' parameter."]);
    const ok = await fetch(authorizeUrl(org, { clientId: spa.clientId, redirectUri: REDIRECT, challenge, state: 'a,b.c_d-E9' }), { redirect: 'manual' });
    expect(ok.status).toBe(200);
  });

  it("refuses a prompt value Okta does not take (catalogue invalid_prompt); takes none, login, consent and both in either order", async () => {
    const { challenge } = pkce();
    const withPrompt = (prompt: string) => fetch(authorizeUrl(org, { clientId: spa.clientId, redirectUri: REDIRECT, challenge, extra: { prompt } }), { redirect: 'manual' });
    for (const prompt of ['select_account', 'login none', 'LOGIN']) {
      const res = await withPrompt(prompt);
      expect(res.status).toBe(302);
      const loc = new URL(res.headers.get('location')!);
      expect([loc.searchParams.get('error'), loc.searchParams.get('error_description'), loc.searchParams.get('state')]).toEqual([
        'invalid_request',
        "Invalid value for 'prompt' parameter. Supported values: [none, enroll_authenticator, consent, login]",
        'st-123',
      ]);
    }
    // No consent screen is emulated: consent asks for nothing more; each of these shows the sign-in page.
    for (const prompt of ['login', 'consent', 'login consent', 'consent login']) expect((await withPrompt(prompt)).status).toBe(200);
  });

  // OIDC /authorize: prompt is "a space-delimited list"; the emulator's one splitter drops the empty values of repeated,
  // leading or trailing spaces (as for scope). Before, the value list compared the raw text and refused these.
  it('reads prompt as the space-delimited list it is: repeated, leading or trailing spaces are the same values', async () => {
    const { challenge } = pkce();
    const answer = async (extra: Record<string, string>) => {
      const res = await fetch(authorizeUrl(org, { clientId: spa.clientId, redirectUri: REDIRECT, challenge, extra }), { redirect: 'manual' });
      const loc = res.status === 302 ? new URL(res.headers.get('location')!) : undefined;
      return [res.status, loc?.searchParams.get('error') ?? null, loc?.searchParams.get('error_description') ?? null];
    };
    const answers = [];
    for (const prompt of ['consent  login', ' login', 'login ', '  none', 'none ']) answers.push(await answer({ prompt }));
    answers.push(await answer({ prompt: ' enroll_authenticator' }), await answer({ prompt: 'none ', max_age: '0' }));
    expect(answers).toEqual([
      [200, null, null],
      [200, null, null],
      [200, null, null],
      [302, 'login_required', 'The client specified not to prompt, but the user is not logged in.'],
      [302, 'login_required', 'The client specified not to prompt, but the user is not logged in.'],
      [302, 'invalid_request', "Authenticator enrollment requires 'none' response_type."],
      [302, 'invalid_request', "'prompt' parameter must not have the value 'none' for request with 'zero' as max_age."],
    ]);
  });

  it("prompt=enroll_authenticator takes response_type=none only, and response_type=none that prompt only (catalogue); the enrollment itself is not emulated", async () => {
    const { challenge } = pkce();
    const errorOf = async (extra: Record<string, string>) => {
      const res = await fetch(authorizeUrl(org, { clientId: spa.clientId, redirectUri: REDIRECT, challenge, extra }), { redirect: 'manual' });
      expect(res.status).toBe(302);
      const loc = new URL(res.headers.get('location')!);
      return [loc.searchParams.get('error'), loc.searchParams.get('error_description'), loc.searchParams.get('state')];
    };
    // Before: the sign-in page, then an authorization code, for a request Okta refuses.
    expect(await errorOf({ prompt: 'enroll_authenticator' })).toEqual(['invalid_request', "Authenticator enrollment requires 'none' response_type.", 'st-123']);
    for (const prompt of [undefined, 'login', 'none']) {
      expect(await errorOf({ response_type: 'none', ...(prompt === undefined ? {} : { prompt }) })).toEqual([
        'invalid_request',
        "'prompt' parameter must have the value 'enroll_authenticator' for request with 'none' as response_type.",
        'st-123',
      ]);
    }
    // An enrollment request: its documented companions are checked, in the catalogue's words; a whole one is not emulated.
    const enroll = { response_type: 'none', prompt: 'enroll_authenticator', enroll_amr_values: 'okta_verify', acr_values: 'urn:okta:loa:2fa:any:ifpossible', max_age: '0' };
    expect(await errorOf({ ...enroll, enroll_amr_values: '' })).toEqual([
      'invalid_request',
      "'enroll_amr_values' parameter must have valid space delimited authenticators list for request with 'none' as response_type.",
      'st-123',
    ]);
    expect(await errorOf({ ...enroll, acr_values: 'urn:okta:loa:1fa:any' })).toEqual([
      'invalid_request',
      "'acr_values' parameter must have the value 'urn:okta:loa:2fa:any:ifpossible' for request with 'enroll_authenticator' as prompt.",
      'st-123',
    ]);
    expect(await errorOf({ ...enroll, max_age: '60' })).toEqual(['invalid_request', "'max_age' parameter must have the value '0' for request with 'enroll_authenticator' as prompt.", 'st-123']);
    expect((await errorOf(enroll))[0]).toBe('unsupported_response_type');
  });
});
