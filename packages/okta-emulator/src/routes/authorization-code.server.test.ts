/**
 * The authorization code at /token (PKCE): the whole flow to a verifiable ID token, a reused code,
 * wrong or missing verifiers, redirect URIs and an expired code, a web app's secret, okta.* scopes
 * for admins only, and a DPoP sign-in app's bound tokens.
 */
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OktaEmulator, SignInAppCredentials } from '../index.js';
import { authorizeUrl, Browser, pkce, signIn } from '../test-helpers/browser.js';
import { basic, dpopKey, dpopProof, postToken } from '../test-helpers/oauth.js';
import { exchangeCode, REDIRECT, useSignInApps } from '../test-helpers/user-tokens.js';

describe('the authorization code at /token', () => {
  const env = useSignInApps();
  let org: OktaEmulator;
  let spa: SignInAppCredentials;
  let web: SignInAppCredentials;
  beforeAll(() => {
    ({ org, spa, web } = env);
  });

  it('acr_values: a value a password meets is the ID token\'s acr, kept on refresh; an unknown one is ignored; two factors are unmet (step-up guide)', async () => {
    const idToken = async (acr: string | undefined): Promise<{ id: Record<string, unknown>; refresh: string }> => {
      const { verifier, challenge } = pkce();
      const extra = acr === undefined ? {} : { acr_values: acr };
      const location = await signIn(org, new Browser(), { clientId: spa.clientId, redirectUri: REDIRECT, challenge, extra }, 'ada@example.com', 'Correct-Horse1');
      const body = await (await exchangeCode(org, spa.clientId, location.searchParams.get('code')!, verifier)).json();
      return { id: decodeJwt(body.id_token), refresh: body.refresh_token };
    };
    for (const acr of ['urn:okta:loa:1fa:pwd', 'urn:okta:loa:1fa:any', 'urn:okta:loa:2fa:any:ifpossible']) {
      const { id, refresh } = await idToken(acr);
      expect(id.acr).toBe(acr);
      const renewed = await (await postToken(org, { grant_type: 'refresh_token', refresh_token: refresh, client_id: spa.clientId })).json();
      expect(decodeJwt(renewed.id_token).acr).toBe(acr);
    }
    // "Any unsupported acr_values sent in the authorize request are ignored."
    expect((await idToken('urn:example:gold')).id).not.toHaveProperty('acr');
    expect((await idToken(undefined)).id).not.toHaveProperty('acr');
    expect((await idToken('urn:example:gold urn:okta:loa:1fa:pwd')).id.acr).toBe('urn:okta:loa:1fa:pwd');
    expect((await idToken('urn:okta:loa:2fa:any urn:okta:loa:1fa:any')).id.acr).toBe('urn:okta:loa:1fa:any');
    // The emulator has no second factor: a value that needs one is Okta's unmet_authentication_requirements.
    for (const acr of ['urn:okta:loa:2fa:any', 'phr', 'phrh']) {
      const res = await fetch(authorizeUrl(org, { clientId: spa.clientId, redirectUri: REDIRECT, challenge: pkce().challenge, extra: { acr_values: acr } }), { redirect: 'manual' });
      const loc = new URL(res.headers.get('location') ?? 'http://none/');
      expect([res.status, loc.searchParams.get('error'), loc.searchParams.get('error_description'), loc.searchParams.get('state')]).toEqual([
        302,
        'unmet_authentication_requirements',
        "Unable to meet the authentication requirements imposed by 'acr_values' parameter.",
        'st-123',
      ]);
    }
  });

  it('runs the whole flow: code and state in the redirect (no iss, as Okta); tokens; a verifiable ID token', async () => {
    const { verifier, challenge } = pkce();
    const location = await signIn(org, new Browser(), { clientId: spa.clientId, redirectUri: REDIRECT, challenge, state: 'xyz', nonce: 'nonce-1' }, 'ada@example.com', 'Correct-Horse1');
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('xyz');
    expect(location.searchParams.has('iss')).toBe(false);
    const code = location.searchParams.get('code')!;
    const res = await exchangeCode(org, spa.clientId, code, verifier);
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
    const first = await (await exchangeCode(org, spa.clientId, code, verifier)).json();
    expect((await fetch(`${org.url}/api/v1/users`, { headers: { Authorization: `Bearer ${first.access_token}` } })).status).toBe(200);
    const again = await exchangeCode(org, spa.clientId, code, verifier);
    expect(again.status).toBe(400);
    expect((await again.json()).error).toBe('invalid_grant');
    expect((await fetch(`${org.url}/api/v1/users`, { headers: { Authorization: `Bearer ${first.access_token}` } })).status).toBe(401);
  });

  it('refuses a wrong or missing verifier, a wrong redirect_uri and an expired code', async () => {
    const cases: [string, (code: string, verifier: string) => Promise<Response>][] = [
      ['wrong verifier', (code) => exchangeCode(org, spa.clientId, code, pkce().verifier)],
      ['short verifier', (code) => exchangeCode(org, spa.clientId, code, 'abc')],
      ['wrong redirect', (code, v) => exchangeCode(org, spa.clientId, code, v, { redirect_uri: 'http://localhost:5173/other' })],
      ['missing verifier', (code) => exchangeCode(org, spa.clientId, code, undefined)],
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
        return await exchangeCode(org, spa.clientId, code, verifier);
      } finally {
        org.setClockOffset(0);
      }
    };
    expect((await codeAfter(290)).status).toBe(200);
    const late = await codeAfter(301);
    expect(await late.json()).toEqual({ error: 'invalid_grant', error_description: 'The authorization code is invalid or has expired.' });
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
      const { access_token } = await (await exchangeCode(org, spa.clientId, code, verifier)).json();
      const res = await fetch(`${org.url}/api/v1/users`, { headers: { Authorization: `Bearer ${access_token}` } });
      expect(res.status).toBe(status);
      if (status === 403) expect((await res.json()).errorCode).toBe('E0000006');
    }
  });

  describe('a DPoP sign-in app', () => {
    it('binds code-exchanged and refreshed tokens to the proof key', async () => {
      const app = org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT], requireDpop: true, scopes: ['okta.users.read'] });
      const key = await dpopKey();
      const htu = `${org.url}/oauth2/v1/token`;
      const { verifier, challenge } = pkce();
      const code = (await signIn(org, new Browser(), { clientId: app.clientId, redirectUri: REDIRECT, challenge, scope: 'openid offline_access okta.users.read' }, 'ada@example.com', 'Correct-Horse1')).searchParams.get('code')!;
      const noProof = await exchangeCode(org, app.clientId, code, verifier);
      expect((await noProof.json()).error).toBe('invalid_dpop_proof');
      const noNonce = await exchangeCode(org, app.clientId, code, verifier, {}, { DPoP: await dpopProof(key, { htu }) });
      const nonce = noNonce.headers.get('dpop-nonce')!;
      const ok = await exchangeCode(org, app.clientId, code, verifier, {}, { DPoP: await dpopProof(key, { htu, nonce }) });
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
