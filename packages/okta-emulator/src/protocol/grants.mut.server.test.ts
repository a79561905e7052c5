/**
 * The token endpoint's grants at their edges (mutation testing, thirty-sixth round): a parameter a
 * grant requires, missing or empty; a code that is unknown, another client's or at its exact expiry;
 * a reused code's refresh token; a verifier of the wrong form that hashes to the challenge; a user
 * deactivated or deleted after signing in; the device code's refusals and its ID token's auth_time;
 * and the grant type each access token's System Log event names.
 */
import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { STORE_CAPS } from '../state/store.js';
import { Browser, pkce, signIn } from '../test-helpers/browser.js';
import { clientAssertion, form, JWT_BEARER, postToken } from '../test-helpers/oauth.js';
import { exchangeCode, REDIRECT, useSignInApps } from '../test-helpers/user-tokens.js';

const DEVICE = 'urn:ietf:params:oauth:grant-type:device_code';
const INVALID_CODE = { error: 'invalid_grant', error_description: 'The authorization code is invalid or has expired.' };
const INVALID_REFRESH = { error: 'invalid_grant', error_description: 'The refresh token is invalid or expired.' };
const missing = (name: string) => ({ error: 'invalid_request', error_description: `The required parameter '${name}' is missing.` });

describe("the token endpoint's grants", () => {
  const env = useSignInApps();
  const savedCaps = { ...STORE_CAPS };
  afterEach(() => {
    vi.useRealTimers();
    env.org.setClockOffset(0);
    Object.assign(STORE_CAPS, savedCaps);
  });

  const answer = async (res: Response): Promise<[number, unknown]> => [res.status, await res.json()];
  /** A code for the SPA, signed in as `login`, with the challenge of `verifier`. */
  const codeFor = async (verifier: string, login = 'ada@example.com', password = 'Correct-Horse1', scope = 'openid offline_access'): Promise<string> => {
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    return (await signIn(env.org, new Browser(), { clientId: env.spa.clientId, redirectUri: REDIRECT, challenge, scope }, login, password)).searchParams.get('code')!;
  };
  const refresh = (token: string, extra: Record<string, string> = {}) => postToken(env.org, { grant_type: 'refresh_token', refresh_token: token, client_id: env.spa.clientId, ...extra });
  const native = () => env.org.createSignInApp({ type: 'native', redirectUris: [REDIRECT] });
  const startDevice = async (clientId: string): Promise<{ device_code: string; user_code: string }> =>
    (await fetch(`${env.org.url}/oauth2/v1/device/authorize`, form({ client_id: clientId, scope: 'openid offline_access' }))).json();
  const poll = (clientId: string, deviceCode: string) => postToken(env.org, { grant_type: DEVICE, device_code: deviceCode, client_id: clientId });

  it("a parameter a grant requires, missing or empty, is invalid_request naming it (catalogue missing_token_request_parameter)", async () => {
    const spa = env.spa.clientId;
    const app = native();
    const answers = [
      await answer(await postToken(env.org, { grant_type: 'authorization_code', redirect_uri: REDIRECT, client_id: spa })),
      await answer(await postToken(env.org, { grant_type: 'authorization_code', code: '', redirect_uri: REDIRECT, client_id: spa })),
      await answer(await postToken(env.org, { grant_type: 'authorization_code', code: 'some-code', client_id: spa })),
      await answer(await postToken(env.org, { grant_type: 'refresh_token', client_id: spa })),
      await answer(await postToken(env.org, { grant_type: 'refresh_token', refresh_token: '', client_id: spa })),
      await answer(await postToken(env.org, { grant_type: DEVICE, client_id: app.clientId })),
    ];
    expect(answers).toEqual([
      [400, missing('code')],
      [400, missing('code')],
      [400, missing('redirect_uri')],
      [400, missing('refresh_token')],
      [400, missing('refresh_token')],
      [400, missing('device_code')],
    ]);
  });

  it("an unknown code, another client's code and a code at its exact expiry (300 s) are invalid_grant", async () => {
    const other = env.org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT] });
    const { verifier } = pkce();
    const code = await codeFor(verifier);
    expect(await answer(await exchangeCode(env.org, env.spa.clientId, 'no-such-code', verifier))).toEqual([400, INVALID_CODE]);
    expect(await answer(await exchangeCode(env.org, other.clientId, code, verifier))).toEqual([400, INVALID_CODE]);
    // The org runs in this process: with Date frozen, the offset alone moves its clock to the code's last second, then past it.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    // Both codes issued at the frozen instant: the one issued before the freeze was older by the real time the calls above
    // took, over a second on a loaded CI machine (it then failed at 299 s).
    const [edge, last] = [await codeFor(verifier), await codeFor(verifier)];
    env.org.setClockOffset(300);
    expect(await answer(await exchangeCode(env.org, env.spa.clientId, edge, verifier))).toEqual([400, INVALID_CODE]);
    env.org.setClockOffset(299);
    expect((await exchangeCode(env.org, env.spa.clientId, last, verifier)).status).toBe(200);
  });

  it("a reused code is refused in Okta's words and revokes the refresh token its first use issued", async () => {
    const { verifier } = pkce();
    const code = await codeFor(verifier);
    const first = await (await exchangeCode(env.org, env.spa.clientId, code, verifier)).json();
    expect(await answer(await exchangeCode(env.org, env.spa.clientId, code, verifier))).toEqual([400, INVALID_CODE]);
    expect(await answer(await refresh(first.refresh_token))).toEqual([400, INVALID_REFRESH]);

  });

  describe('on an org of its own', () => {
    const own = useSignInApps();
    it("a reused code whose first use's access token the org has forgotten (its cap) is invalid_grant, no 500", async () => {
      // One access token kept at most, on an org that holds none: the second exchange makes it forget the first's.
      STORE_CAPS.accessTokens = 1;
      const { verifier, challenge } = pkce();
      const code = async () => (await signIn(own.org, new Browser(), { clientId: own.spa.clientId, redirectUri: REDIRECT, challenge, scope: 'openid' }, 'ada@example.com', 'Correct-Horse1')).searchParams.get('code')!;
      const first = await code();
      expect((await exchangeCode(own.org, own.spa.clientId, first, verifier)).status).toBe(200);
      expect((await exchangeCode(own.org, own.spa.clientId, await code(), verifier)).status).toBe(200);
      expect(await answer(await exchangeCode(own.org, own.spa.clientId, first, verifier))).toEqual([400, INVALID_CODE]);
    });
  });

  it('another redirect_uri than the authorization request\'s is named', async () => {
    const { verifier } = pkce();
    const res = await exchangeCode(env.org, env.spa.clientId, await codeFor(verifier), verifier, { redirect_uri: 'http://localhost:5173/other' });
    expect(await answer(res)).toEqual([400, { error: 'invalid_grant', error_description: "The 'redirect_uri' does not match the redirection URI used in the authorization request." }]);
  });

  it('a code_verifier not 43 to 128 characters of [A-Za-z0-9-._~] is refused even when it hashes to the challenge (RFC 7636 §4.1); 43 and 128 are taken', async () => {
    const wrongForm = { error: 'invalid_grant', error_description: 'PKCE verification failed: the code_verifier must be 43 to 128 characters from [A-Za-z0-9-._~].' };
    const valid = 'Az09-._~'.repeat(16);
    for (const verifier of ['abc', valid.slice(0, 42), `${valid}a`, `!${valid.slice(0, 43)}`, `${valid.slice(0, 43)}!`, `${valid.slice(0, 43)}\n`]) {
      expect(await answer(await exchangeCode(env.org, env.spa.clientId, await codeFor(verifier), verifier)), JSON.stringify(verifier)).toEqual([400, wrongForm]);
    }
    for (const verifier of [valid.slice(0, 43), valid]) expect((await exchangeCode(env.org, env.spa.clientId, await codeFor(verifier), verifier)).status).toBe(200);
  });

  it('a user deactivated, then deleted, after signing in: the codes issued before are invalid_grant "The user is not active."', async () => {
    const carol = env.org.createUser({ login: 'carol@example.com', password: 'Carol-Pass1' });
    const { verifier } = pkce();
    const first = await codeFor(verifier, 'carol@example.com', 'Carol-Pass1');
    const second = await codeFor(verifier, 'carol@example.com', 'Carol-Pass1');
    const admin = { Authorization: `SSWS ${env.org.createApiToken().token}`, Accept: 'application/json' };
    const inactive = [400, { error: 'invalid_grant', error_description: 'The user is not active.' }];
    expect((await fetch(`${env.org.url}/api/v1/users/${carol.id}/lifecycle/deactivate`, { method: 'POST', headers: admin })).status).toBe(200);
    expect(await answer(await exchangeCode(env.org, env.spa.clientId, first, verifier))).toEqual(inactive);
    expect((await fetch(`${env.org.url}/api/v1/users/${carol.id}`, { method: 'DELETE', headers: admin })).status).toBe(204);
    expect(await answer(await exchangeCode(env.org, env.spa.clientId, second, verifier))).toEqual(inactive);
  });

  it("a rotated refresh token used past its 30 s leeway is refused in Okta's words", async () => {
    const { verifier } = pkce();
    const tokens = await (await exchangeCode(env.org, env.spa.clientId, await codeFor(verifier), verifier)).json();
    expect((await refresh(tokens.refresh_token)).status).toBe(200);
    env.org.setClockOffset(31);
    expect(await answer(await refresh(tokens.refresh_token))).toEqual([400, INVALID_REFRESH]);
  });

  it('a refresh asking for scopes not granted names each, space-separated (catalogue refresh_scopes_denied)', async () => {
    const { verifier } = pkce();
    const tokens = await (await exchangeCode(env.org, env.spa.clientId, await codeFor(verifier), verifier)).json();
    expect(await answer(await refresh(tokens.refresh_token, { scope: 'openid email phone' }))).toEqual([
      400,
      { error: 'access_denied', error_description: 'Some of the scopes requested for the refresh request were not granted in the original authorize request. Denied scopes: email phone.' },
    ]);
  });

  it("the device code: unknown or another client's is invalid_grant, at its exact expiry (600 s) expired_token, denied and pending in Okta's words", async () => {
    const app = native();
    const other = native();
    const invalid = [400, { error: 'invalid_grant', error_description: 'The device code is invalid or has expired.' }];
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const d = await startDevice(app.clientId);
    expect(await answer(await poll(app.clientId, 'no-such-device-code'))).toEqual(invalid);
    expect(await answer(await poll(other.clientId, d.device_code))).toEqual(invalid);
    expect(await answer(await poll(app.clientId, d.device_code))).toEqual([400, { error: 'authorization_pending', error_description: 'The device authorization is pending. Please try again later.' }]);
    env.org.setClockOffset(600);
    expect(await answer(await poll(app.clientId, d.device_code))).toEqual([400, { error: 'expired_token', error_description: 'The device code has expired.' }]);
    env.org.setClockOffset(0);
    const denied = await startDevice(app.clientId);
    env.org.denyDevice(denied.user_code);
    expect(await answer(await poll(app.clientId, denied.device_code))).toEqual([400, { error: 'access_denied', error_description: 'The resource owner or authorization server denied the request.' }]);
  });

  it("the device code's ID token: auth_time is when the person approved it, not when the device polled", async () => {
    const app = native();
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const approvedAt = Math.floor(Date.now() / 1000);
    const d = await startDevice(app.clientId);
    env.org.approveDevice(d.user_code, 'ada@example.com');
    env.org.setClockOffset(100);
    const body = await (await poll(app.clientId, d.device_code)).json();
    expect(decodeJwt(body.id_token).auth_time).toBe(approvedAt);
  });

  it("each grant's access token event in the System Log names its grant type (debugData.grantType)", async () => {
    const { verifier } = pkce();
    const spaTokens = await (await exchangeCode(env.org, env.spa.clientId, await codeFor(verifier), verifier)).json();
    expect((await refresh(spaTokens.refresh_token)).status).toBe(200);
    const service = env.org.createServiceApp({ scopes: ['okta.users.read'], requireDpop: false });
    const cc = await postToken(env.org, { grant_type: 'client_credentials', scope: 'okta.users.read', client_assertion_type: JWT_BEARER, client_assertion: await clientAssertion(env.org, service) });
    expect(cc.status).toBe(200);
    const app = native();
    const d = await startDevice(app.clientId);
    env.org.approveDevice(d.user_code, 'ada@example.com');
    expect((await poll(app.clientId, d.device_code)).status).toBe(200);

    const filter = 'eventType eq "app.oauth2.token.grant.access_token"';
    const since = new Date(Date.now() - 3600_000).toISOString();
    const logs = await fetch(`${env.org.url}/api/v1/logs?${new URLSearchParams({ filter, since, limit: '1000' }).toString()}`, { headers: { Authorization: `SSWS ${env.org.createApiToken().token}` } });
    const events = (await logs.json()) as { client: { id: string }; debugContext: { debugData: { grantType?: string } } }[];
    const typesOf = (clientId: string) => events.filter((e) => e.client.id === clientId).map((e) => e.debugContext.debugData.grantType);
    expect(typesOf(service.clientId)).toEqual(['client_credentials']);
    expect(typesOf(app.clientId)).toEqual([DEVICE]);
    expect(typesOf(env.spa.clientId).slice(-2)).toEqual(['authorization_code', 'refresh_token']);
  });
});
