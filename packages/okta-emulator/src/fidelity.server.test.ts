// Rules of docs/FIDELITY.md that have no better home: each with an accepted and a rejected case.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator, type ServiceAppCredentials } from './index.js';
import { Browser, pkce, signIn } from './test-helpers/browser.js';
import { basic, clientAssertion, dpopKey, dpopProof, JWT_BEARER, postToken, serviceToken, type AssertionOptions } from './test-helpers/oauth.js';
import { REDIRECT, userTokens } from './test-helpers/user-tokens.js';

let org: OktaEmulator;
let svc: ServiceAppCredentials;
beforeAll(async () => {
  org = await startEmulator();
  org.createUser({ login: 'ada@example.com', password: 'Correct-Horse1', admin: true });
  svc = org.createServiceApp({ scopes: ['okta.users.read'], requireDpop: false });
});
afterAll(() => org.close());

const now = (): number => Math.floor(Date.now() / 1000);
const ccRequest = async (o: AssertionOptions) =>
  postToken(org, { grant_type: 'client_credentials', scope: 'okta.users.read', client_assertion_type: JWT_BEARER, client_assertion: await clientAssertion(org, svc, o) });
const outcome = async (res: Response) => (res.status === 200 ? 200 : { status: res.status, ...(await res.json()) });

describe('client assertion claims (Okta guide "Build a JWT for client authentication" + error catalogue)', () => {
  it('iat is optional; when present it must not be in the future', async () => {
    expect(await outcome(await ccRequest({ iat: null }))).toBe(200);
    expect(await outcome(await ccRequest({ iat: now() - 120 }))).toBe(200);
    expect(await outcome(await ccRequest({ iat: now() + 120 }))).toEqual({
      status: 401,
      error: 'invalid_client',
      error_description: 'The client_assertion token must be issued before the current time.',
    });
  });

  it('jti is optional; an assertion without one may be sent again, one with a jti only once', async () => {
    const assertion = await clientAssertion(org, svc, { jti: null });
    const send = () => postToken(org, { grant_type: 'client_credentials', scope: 'okta.users.read', client_assertion_type: JWT_BEARER, client_assertion: assertion });
    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(200);
    const once = await clientAssertion(org, svc);
    const sendOnce = () => postToken(org, { grant_type: 'client_credentials', scope: 'okta.users.read', client_assertion_type: JWT_BEARER, client_assertion: once });
    expect((await sendOnce()).status).toBe(200);
    expect(await outcome(await sendOnce())).toMatchObject({ status: 401, error_description: 'The client_assertion token has already been used.' });
  });

  it('nbf in the past is accepted; in the future refused (RFC 7523 section 3)', async () => {
    expect(await outcome(await ccRequest({ nbf: now() - 5 }))).toBe(200);
    expect(await outcome(await ccRequest({ nbf: now() + 600 }))).toMatchObject({ status: 401, error: 'invalid_client' });
  });

  it('exp at most one hour ahead', async () => {
    expect(await outcome(await ccRequest({ exp: now() + 3500 }))).toBe(200);
    expect(await outcome(await ccRequest({ exp: now() + 3700 }))).toMatchObject({
      status: 401,
      error_description: 'The client_assertion token has an expiration too far into the future.',
    });
  });

  it('a malformed assertion: "The parsing of the client_assertion failed."', async () => {
    const res = await postToken(org, { grant_type: 'client_credentials', scope: 'okta.users.read', client_assertion_type: JWT_BEARER, client_assertion: 'not.a.jwt', client_id: svc.clientId });
    expect(await outcome(res)).toEqual({ status: 401, error: 'invalid_client', error_description: 'The parsing of the client_assertion failed.' });
  });
});

describe('app types and grants', () => {
  it('client_credentials is for service apps: a web app gets 401 invalid_client', async () => {
    const web = org.createSignInApp({ type: 'web', redirectUris: [REDIRECT] });
    const res = await postToken(org, { grant_type: 'client_credentials', scope: 'okta.users.read' }, { Authorization: basic(web.clientId, web.clientSecret!) });
    expect(await outcome(res)).toEqual({
      status: 401,
      error: 'invalid_client',
      error_description: "Only clients with 'application_type' of 'service' may use the client_credentials 'grant_type' with the Org Authorization Server.",
    });
    expect((await serviceToken(org, svc, 'okta.users.read')).token_type).toBe('Bearer');
  });

  it('a native app signs in with PKCE and no secret; without a challenge it is refused', async () => {
    const native = org.createSignInApp({ type: 'native', redirectUris: [REDIRECT] });
    expect('clientSecret' in native).toBe(false);
    const tokens = await userTokens(org, native.clientId, 'ada@example.com', 'Correct-Horse1');
    expect(tokens.id_token).toBeTruthy();
    await expect(signIn(org, new Browser(), { clientId: native.clientId, redirectUri: REDIRECT }, 'ada@example.com', 'Correct-Horse1')).rejects.toThrow(/302/);
  });

  it('a code_verifier without a challenge at /authorize: invalid_request, as the catalogue says', async () => {
    const web = org.createSignInApp({ type: 'web', redirectUris: [REDIRECT] });
    const exchange = async (verifier?: string) => {
      const loc = await signIn(org, new Browser(), { clientId: web.clientId, redirectUri: REDIRECT }, 'ada@example.com', 'Correct-Horse1');
      const params: Record<string, string> = { grant_type: 'authorization_code', code: loc.searchParams.get('code')!, redirect_uri: REDIRECT };
      if (verifier !== undefined) params.code_verifier = verifier;
      return postToken(org, params, { Authorization: basic(web.clientId, web.clientSecret!) });
    };
    expect((await exchange()).status).toBe(200);
    expect(await outcome(await exchange(pkce().verifier))).toEqual({
      status: 400,
      error: 'invalid_request',
      error_description: 'PKCE code challenge should be specified in the authorize request for code verification.',
    });
  });
});

describe('public clients and the Basic header', () => {
  it('Basic base64(client_id) with no colon (what okta-auth-js sends) authenticates a public client at /revoke, not a web app', async () => {
    const spa = org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT] });
    const web = org.createSignInApp({ type: 'web', redirectUris: [REDIRECT] });
    const revoke = (clientId: string) =>
      fetch(`${org.url}/oauth2/v1/revoke`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${btoa(clientId)}` },
        body: 'token=whatever&token_type_hint=access_token',
      });
    expect((await revoke(spa.clientId)).status).toBe(200);
    expect(await outcome(await revoke(web.clientId))).toMatchObject({ status: 401, error: 'invalid_client' });
  });
});

describe('token endpoint wording', () => {
  it('no grant_type, an unknown one', async () => {
    const none = await outcome(await postToken(org, { client_id: 'x' }));
    expect(none).toMatchObject({ status: 400, error: 'invalid_request', error_description: expect.stringContaining("The token request must specify a 'grant_type'.") });
    const unknown = await outcome(await postToken(org, { grant_type: 'password' }));
    expect(unknown).toMatchObject({ status: 400, error: 'unsupported_grant_type', error_description: expect.stringContaining('Configured grant types: [') });
  });

  it('a DPoP proof with a bad typ, an iat in the future or too old, at the token endpoint', async () => {
    const app = org.createServiceApp({ scopes: ['okta.users.read'] });
    const key = await dpopKey();
    const htu = `${org.url}/oauth2/v1/token`;
    const attempt = async (proof: string) =>
      outcome(await postToken(org, { grant_type: 'client_credentials', scope: 'okta.users.read', client_assertion_type: JWT_BEARER, client_assertion: await clientAssertion(org, app) }, { DPoP: proof }));
    expect(await attempt(await dpopProof(key, { htu, typ: 'JWT' }))).toMatchObject({ error: 'invalid_dpop_proof', error_description: "'typ' must be 'dpop+jwt' in the DPoP proof JWT." });
    expect(await attempt(await dpopProof(key, { htu, iat: now() + 600 }))).toMatchObject({ error_description: 'The DPoP proof JWT is issued in the future.' });
    expect(await attempt(await dpopProof(key, { htu, iat: now() - 301 }))).toMatchObject({ error_description: 'The DPoP proof JWT is issued more than five minutes in the past.' });
    expect(await attempt(await dpopProof(key, { htu, iat: now() - 200 }))).toMatchObject({ error: 'use_dpop_nonce' });
  });
});
