import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator } from '../index.js';
import { authorizeUrl, Browser, hiddenInputs, pkce, signIn } from '../test-helpers/browser.js';
import { basic, dpopKey, dpopProof, postToken } from '../test-helpers/oauth.js';

const REDIRECT = 'http://localhost:5173/callback';

describe('authorization code with PKCE and the sign-in page', () => {
  let org: OktaEmulator;
  let spa: { clientId: string };
  let web: { clientId: string; clientSecret?: string };

  beforeAll(async () => {
    org = await startEmulator();
    org.createUser({ login: 'ada@example.com', password: 'Correct-Horse1', firstName: 'Ada', lastName: 'Lovelace', admin: true });
    org.createUser({ login: 'bob@example.com', password: 'Bob-Pass1', firstName: 'Bob', lastName: 'Builder' });
    spa = org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT], postLogoutRedirectUris: ['http://localhost:5173/'], scopes: ['okta.users.read'] });
    web = org.createSignInApp({ type: 'web', redirectUris: [REDIRECT] });
  });
  afterAll(() => org.close());

  const exchange = (clientId: string, code: string, verifier: string | undefined, extra: Record<string, string> = {}, headers: Record<string, string> = {}) =>
    postToken(org, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: clientId, ...(verifier === undefined ? {} : { code_verifier: verifier }), ...extra }, headers);

  it('serves an accessible HTML sign-in form', async () => {
    const res = await fetch(authorizeUrl(org, { clientId: spa.clientId, redirectUri: REDIRECT, challenge: pkce().challenge }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('<label for="username">Username</label>');
    expect(html).toContain('<input id="username" name="username"');
    expect(html).toContain('<label for="password">Password</label>');
    expect(html).toContain('<input id="password" name="password" type="password"');
    expect(html).toContain('<button type="submit">Sign in</button>');
  });

  it("names the app by its label and shows the app's hint for the person; without a label, its client id", async () => {
    const named = org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT], label: 'Acme <Portal>', signInHint: 'Sign in as ada@example.com' });
    const html = await (await fetch(authorizeUrl(org, { clientId: named.clientId, redirectUri: REDIRECT, challenge: pkce().challenge }))).text();
    expect(html).toContain('to continue to <strong id="app-name">Acme &lt;Portal&gt;</strong>');
    expect(html).not.toContain(named.clientId.replace(/^/, '<code>'));
    expect(html).toContain('<p class="hint" id="sign-in-hint">Sign in as ada@example.com</p>');
    const plain = await (await fetch(authorizeUrl(org, { clientId: spa.clientId, redirectUri: REDIRECT, challenge: pkce().challenge }))).text();
    expect(plain).toContain(`to continue to <code>${spa.clientId}</code>`);
    expect(plain).not.toContain('sign-in-hint');
  });

  it('stays on the page with "Sign-in failed" for a wrong password', async () => {
    const b = new Browser();
    const page = await b.get(authorizeUrl(org, { clientId: spa.clientId, redirectUri: REDIRECT, challenge: pkce().challenge }));
    const fields = hiddenInputs(await page.text());
    const res = await b.post(`${org.url}/login/sign-in`, { ...fields, username: 'ada@example.com', password: 'wrong' });
    expect(res.status).toBe(401);
    const html = await res.text();
    expect(html).toContain('Sign-in failed');
    expect(html).toContain('name="password"');
    const retry = await b.post(`${org.url}/login/sign-in`, { ...hiddenInputs(html), username: 'ada@example.com', password: 'Correct-Horse1' });
    expect(retry.status).toBe(302);
  });

  it('runs the whole flow: code, state and iss in the redirect; tokens; a verifiable ID token', async () => {
    const { verifier, challenge } = pkce();
    const location = await signIn(org, new Browser(), { clientId: spa.clientId, redirectUri: REDIRECT, challenge, state: 'xyz', nonce: 'nonce-1' }, 'ada@example.com', 'Correct-Horse1');
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('xyz');
    expect(location.searchParams.get('iss')).toBe(org.url);
    const code = location.searchParams.get('code')!;
    const res = await exchange(spa.clientId, code, verifier);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.json();
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'openid profile email offline_access' });
    expect(typeof body.refresh_token).toBe('string');
    const header = decodeProtectedHeader(body.id_token);
    expect(header.alg).toBe('RS256');
    const jwks = createRemoteJWKSet(new URL(`${org.url}/oauth2/v1/keys`));
    const { payload } = await jwtVerify(body.id_token, jwks, { issuer: org.url, audience: spa.clientId });
    expect(payload).toMatchObject({ nonce: 'nonce-1', preferred_username: 'ada@example.com', name: 'Ada Lovelace', email: 'ada@example.com' });
    expect(typeof payload.auth_time).toBe('number');
    expect(payload.sub).toMatch(/^00u/);
    expect(payload.exp! - payload.iat!).toBe(3600);
  });

  it('refuses a reused code and revokes what the first use issued', async () => {
    const { verifier, challenge } = pkce();
    const code = (await signIn(org, new Browser(), { clientId: spa.clientId, redirectUri: REDIRECT, challenge, scope: 'openid okta.users.read' }, 'ada@example.com', 'Correct-Horse1')).searchParams.get('code')!;
    const first = await (await exchange(spa.clientId, code, verifier)).json();
    expect((await fetch(`${org.url}/api/v1/users`, { headers: { Authorization: `Bearer ${first.access_token}` } })).status).toBe(200);
    const again = await exchange(spa.clientId, code, verifier);
    expect(again.status).toBe(400);
    expect((await again.json()).error).toBe('invalid_grant');
    expect((await fetch(`${org.url}/api/v1/users`, { headers: { Authorization: `Bearer ${first.access_token}` } })).status).toBe(401);
  });

  it('refuses a wrong or missing verifier, a wrong redirect_uri and an expired code', async () => {
    const cases: [string, (code: string, verifier: string) => Promise<Response>][] = [
      ['wrong verifier', (code) => exchange(spa.clientId, code, pkce().verifier)],
      ['short verifier', (code) => exchange(spa.clientId, code, 'abc')],
      ['wrong redirect', (code, v) => exchange(spa.clientId, code, v, { redirect_uri: 'http://localhost:5173/other' })],
      ['missing verifier', (code) => exchange(spa.clientId, code, undefined)],
    ];
    for (const [name, run] of cases) {
      const { verifier, challenge } = pkce();
      const code = (await signIn(org, new Browser(), { clientId: spa.clientId, redirectUri: REDIRECT, challenge }, 'ada@example.com', 'Correct-Horse1')).searchParams.get('code')!;
      const res = await run(code, verifier);
      expect(res.status).toBe(400);
      const body = await res.json();
      // Okta's catalogue: pkce_missing_verifier is invalid_request; a wrong one pkce_verification_failed (invalid_grant).
      if (name === 'missing verifier') expect(body).toEqual({ error: 'invalid_request', error_description: 'PKCE code verifier is required by the application.' });
      else expect(body.error).toBe('invalid_grant');
      if (name === 'wrong verifier') expect(body.error_description).toBe('PKCE verification failed.');
    }
    // Okta's OIDC reference: "The code has a lifetime of 300 seconds."
    const codeAfter = async (seconds: number) => {
      const { verifier, challenge } = pkce();
      const code = (await signIn(org, new Browser(), { clientId: spa.clientId, redirectUri: REDIRECT, challenge }, 'ada@example.com', 'Correct-Horse1')).searchParams.get('code')!;
      org.setClockOffset(seconds);
      try {
        return await exchange(spa.clientId, code, verifier);
      } finally {
        org.setClockOffset(0);
      }
    };
    expect((await codeAfter(290)).status).toBe(200);
    const late = await codeAfter(301);
    expect(await late.json()).toEqual({ error: 'invalid_grant', error_description: 'The authorization code is invalid or has expired.' });
  });

  it('shows an error page (no redirect) for an unknown client or an unregistered redirect_uri', async () => {
    const unknown = await fetch(authorizeUrl(org, { clientId: '0oanobody', redirectUri: REDIRECT }), { redirect: 'manual' });
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('location')).toBeNull();
    const badRedirect = await fetch(authorizeUrl(org, { clientId: spa.clientId, redirectUri: 'https://evil.example/cb', challenge: pkce().challenge }), { redirect: 'manual' });
    expect(badRedirect.status).toBe(400);
    expect(badRedirect.headers.get('location')).toBeNull();
  });

  it('reuses the session: a second authorize (prompt=none too) redirects at once', async () => {
    const b = new Browser();
    await signIn(org, b, { clientId: spa.clientId, redirectUri: REDIRECT, challenge: pkce().challenge }, 'ada@example.com', 'Correct-Horse1');
    const res = await b.get(authorizeUrl(org, { clientId: spa.clientId, redirectUri: REDIRECT, challenge: pkce().challenge, extra: { prompt: 'none' } }));
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get('location')!).searchParams.get('code')).toBeTruthy();
    const forced = await b.get(authorizeUrl(org, { clientId: spa.clientId, redirectUri: REDIRECT, challenge: pkce().challenge, extra: { prompt: 'login' } }));
    expect(forced.status).toBe(200);
  });

  it('supports response_mode=fragment and form_post', async () => {
    const b = new Browser();
    const frag = await signIn(org, b, { clientId: spa.clientId, redirectUri: REDIRECT, challenge: pkce().challenge, extra: { response_mode: 'fragment' } }, 'ada@example.com', 'Correct-Horse1');
    const params = new URLSearchParams(frag.hash.slice(1));
    expect(params.get('code')).toBeTruthy();
    expect(params.get('iss')).toBe(org.url);
    const post = await b.get(authorizeUrl(org, { clientId: spa.clientId, redirectUri: REDIRECT, challenge: pkce().challenge, extra: { response_mode: 'form_post' } }));
    expect(post.status).toBe(200);
    const html = await post.text();
    expect(html).toContain(`action="${REDIRECT}"`);
    expect(hiddenInputs(html).code).toBeTruthy();
  });

  it('a web app authenticates with its secret, PKCE optional', async () => {
    const code = (await signIn(org, new Browser(), { clientId: web.clientId, redirectUri: REDIRECT, scope: 'openid' }, 'bob@example.com', 'Bob-Pass1')).searchParams.get('code')!;
    const bad = await postToken(org, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, { Authorization: basic(web.clientId, 'wrong') });
    expect(bad.status).toBe(401);
    const ok = await postToken(org, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, { Authorization: basic(web.clientId, web.clientSecret!) });
    expect(ok.status).toBe(200);
    const body = await ok.json();
    expect(body.refresh_token).toBeUndefined();
    expect(body.id_token).toBeTruthy();
  });

  it('user tokens with okta.* scopes work only for admins', async () => {
    for (const [login, password, status] of [['ada@example.com', 'Correct-Horse1', 200], ['bob@example.com', 'Bob-Pass1', 403]] as const) {
      const { verifier, challenge } = pkce();
      const code = (await signIn(org, new Browser(), { clientId: spa.clientId, redirectUri: REDIRECT, challenge, scope: 'openid okta.users.read' }, login, password)).searchParams.get('code')!;
      const { access_token } = await (await exchange(spa.clientId, code, verifier)).json();
      const res = await fetch(`${org.url}/api/v1/users`, { headers: { Authorization: `Bearer ${access_token}` } });
      expect(res.status).toBe(status);
      if (status === 403) expect((await res.json()).errorCode).toBe('E0000006');
    }
  });

  describe('ID token test hooks', () => {
    const idToken = async () => {
      const { verifier, challenge } = pkce();
      const code = (await signIn(org, new Browser(), { clientId: spa.clientId, redirectUri: REDIRECT, challenge, nonce: 'n1' }, 'ada@example.com', 'Correct-Horse1')).searchParams.get('code')!;
      return (await (await exchange(spa.clientId, code, verifier)).json()).id_token as string;
    };
    const verify = async (jwt: string) => {
      const { payload } = await jwtVerify(jwt, createRemoteJWKSet(new URL(`${org.url}/oauth2/v1/keys`)), { issuer: org.url, audience: spa.clientId });
      if (payload.nonce !== 'n1') throw new Error('nonce mismatch');
      if (payload.azp !== undefined && payload.azp !== spa.clientId) throw new Error('azp names another client');
      if ((payload.iat ?? 0) > Date.now() / 1000 + 120) throw new Error('iat in the future');
      return payload;
    };

    it.each([
      ['signature', /signature verification failed/],
      ['unknown-kid', /no applicable key found/],
      ['issuer', /"iss" claim/],
      ['audience', /"aud" claim/],
      ['azp', /azp names another client/],
      ['nonce', /nonce mismatch/],
      ['expired', /"exp" claim/],
      ['future-iat', /iat in the future/],
    ] as const)('corruptNextIdToken(%s) spoils exactly the next ID token', async (kind, why) => {
      org.corruptNextIdToken(kind);
      await expect(verify(await idToken())).rejects.toThrow(why);
      await expect(verify(await idToken())).resolves.toMatchObject({ nonce: 'n1', aud: spa.clientId });
    });

    it('rotateSigningKey() signs with a new kid that /keys publishes', async () => {
      const before = decodeProtectedHeader(await idToken()).kid;
      const kid = org.rotateSigningKey();
      const jwt = await idToken();
      expect(decodeProtectedHeader(jwt).kid).toBe(kid);
      expect(kid).not.toBe(before);
      await expect(verify(jwt)).resolves.toMatchObject({ nonce: 'n1', aud: spa.clientId });
    });
  });

  describe('refresh tokens', () => {
    const tokens = async (clientId: string, scope = 'openid profile offline_access') => {
      const { verifier, challenge } = pkce();
      const code = (await signIn(org, new Browser(), { clientId, redirectUri: REDIRECT, challenge, scope }, 'ada@example.com', 'Correct-Horse1')).searchParams.get('code')!;
      return (await exchange(clientId, code, verifier)).json();
    };
    const refresh = (clientId: string, token: string, extra: Record<string, string> = {}) =>
      postToken(org, { grant_type: 'refresh_token', refresh_token: token, client_id: clientId, ...extra });

    it('needs offline_access', async () => {
      expect((await tokens(spa.clientId, 'openid')).refresh_token).toBeUndefined();
    });

    it('rotates: a new refresh token each time; the old one works for the grace period, then kills the family', async () => {
      const first = await tokens(spa.clientId);
      const r1 = await refresh(spa.clientId, first.refresh_token);
      expect(r1.status).toBe(200);
      const b1 = await r1.json();
      expect(b1.refresh_token).not.toBe(first.refresh_token);
      expect(b1.id_token).toBeTruthy();
      expect((await refresh(spa.clientId, first.refresh_token)).status).toBe(200);
      org.setClockOffset(31);
      try {
        const late = await refresh(spa.clientId, first.refresh_token);
        expect(late.status).toBe(400);
        expect((await late.json()).error).toBe('invalid_grant');
        expect((await refresh(spa.clientId, b1.refresh_token)).status).toBe(400);
      } finally {
        org.setClockOffset(0);
      }
    });

    it('static rotation returns the same refresh token', async () => {
      const app = org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT], refreshTokenRotation: 'static' });
      const first = await tokens(app.clientId);
      const b = await (await refresh(app.clientId, first.refresh_token)).json();
      expect(b.refresh_token).toBe(first.refresh_token);
      expect((await refresh(app.clientId, first.refresh_token)).status).toBe(200);
    });

    it('allows narrowing scopes, not widening them', async () => {
      const first = await tokens(spa.clientId);
      const narrow = await (await refresh(spa.clientId, first.refresh_token, { scope: 'openid offline_access' })).json();
      expect(narrow.scope).toBe('openid offline_access');
      const wide = await refresh(spa.clientId, narrow.refresh_token, { scope: 'openid email' });
      // Okta's catalogue: refresh_scopes_denied, 400 access_denied.
      expect(await wide.json()).toEqual({
        error: 'access_denied',
        error_description: 'Some of the scopes requested for the refresh request were not granted in the original authorize request. Denied scopes: email.',
      });
    });

    it('rejects another client and garbage', async () => {
      const first = await tokens(spa.clientId);
      const other = org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT] });
      expect((await refresh(other.clientId, first.refresh_token)).status).toBe(400);
      expect((await refresh(spa.clientId, 'garbage')).status).toBe(400);
    });
  });

  describe('a DPoP sign-in app', () => {
    it('binds code-exchanged and refreshed tokens to the proof key', async () => {
      const app = org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT], requireDpop: true, scopes: ['okta.users.read'] });
      const key = await dpopKey();
      const htu = `${org.url}/oauth2/v1/token`;
      const { verifier, challenge } = pkce();
      const code = (await signIn(org, new Browser(), { clientId: app.clientId, redirectUri: REDIRECT, challenge, scope: 'openid offline_access okta.users.read' }, 'ada@example.com', 'Correct-Horse1')).searchParams.get('code')!;
      const noProof = await exchange(app.clientId, code, verifier);
      expect((await noProof.json()).error).toBe('invalid_dpop_proof');
      const noNonce = await exchange(app.clientId, code, verifier, {}, { DPoP: await dpopProof(key, { htu }) });
      const nonce = noNonce.headers.get('dpop-nonce')!;
      const ok = await exchange(app.clientId, code, verifier, {}, { DPoP: await dpopProof(key, { htu, nonce }) });
      expect(ok.status).toBe(200);
      const body = await ok.json();
      expect(body.token_type).toBe('DPoP');
      const users = await fetch(`${org.url}/api/v1/users`, { headers: { Authorization: `DPoP ${body.access_token}`, DPoP: await dpopProof(key, { htm: 'GET', htu: `${org.url}/api/v1/users`, accessToken: body.access_token }) } });
      expect(users.status).toBe(200);
      const otherKey = await dpopKey();
      const stolen = await postToken(org, { grant_type: 'refresh_token', refresh_token: body.refresh_token, client_id: app.clientId }, { DPoP: await dpopProof(otherKey, { htu, nonce }) });
      expect(stolen.status).toBe(400);
      expect(await stolen.json()).toEqual({ error: 'invalid_dpop_proof', error_description: 'Invalid DPoP Public Key binding in refresh token' });
      const refreshed = await postToken(org, { grant_type: 'refresh_token', refresh_token: body.refresh_token, client_id: app.clientId }, { DPoP: await dpopProof(key, { htu, nonce }) });
      expect(refreshed.status).toBe(200);
      expect((await refreshed.json()).token_type).toBe('DPoP');
    });
  });
});
