/**
 * Each store an org keeps has a cap (`STORE_CAPS`), driven here over real HTTP with the caps shortened:
 * users and groups past theirs are refused as the Users and Groups APIs refuse a create (400
 * E0000001), `createUser()` and `seedUsers()` throw; tokens, sessions, codes, device codes and sign-in
 * transactions past theirs make the org forget the oldest of the kind. Sizes read through the
 * `@internal` `storeSizes()`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isOktaEmulatorError, type OktaEmulator } from '../index.js';
import { STORE_CAPS } from './store.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { authorizeUrl, Browser, signIn } from '../test-helpers/browser.js';
import { ssws } from '../test-helpers/http.js';
import { basic, form, postToken } from '../test-helpers/oauth.js';
import { REDIRECT } from '../test-helpers/user-tokens.js';

const sizes = (org: OktaEmulator): Record<string, number> => (org as OktaEmulator & { storeSizes(): Record<string, number> }).storeSizes();
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

describe('the caps of an org\'s stores', () => {
  const env = useApiTokenOrg();
  const h = (): Record<string, string> => ({ ...ssws(env.token), 'Content-Type': 'application/json' });
  const saved = { ...STORE_CAPS };
  afterEach(() => Object.assign(STORE_CAPS, saved));

  it('refuses a user or group past the cap with 400 E0000001 naming the cap, and createUser() and seedUsers() with INVALID_OPTION', async () => {
    const user = (login: string) => fetch(`${env.org.url}/api/v1/users?activate=false`, { method: 'POST', headers: h(), body: JSON.stringify({ profile: { login, email: login, firstName: 'Cap', lastName: 'Ped' } }) });
    const group = (name: string) => fetch(`${env.org.url}/api/v1/groups`, { method: 'POST', headers: h(), body: JSON.stringify({ profile: { name } }) });
    env.org.createUser({ login: 'cap.zero@example.com', password: 'Passw0rd!' });
    STORE_CAPS.users = 3; // the seeded super admin is the first
    STORE_CAPS.groups = 2; // Everyone is the first
    expect((await user('cap.one@example.com')).status).toBe(200);
    expect((await group('cap one')).status).toBe(200);
    const refusedUser = await user('cap.two@example.com');
    expect([refusedUser.status, await refusedUser.json()]).toMatchObject([400, { errorCode: 'E0000001', errorSummary: 'Api validation failed: user', errorCauses: [{ errorSummary: expect.stringMatching(/^user: The emulated org holds at most 3 users \(kept in memory\): delete some/) }] }]);
    const refusedGroup = await group('cap two');
    expect([refusedGroup.status, (await refusedGroup.json()).errorCauses]).toMatchObject([400, [{ errorSummary: expect.stringMatching(/^group: The emulated org holds at most 2 groups/) }]]);
    for (const call of [() => env.org.createUser({ login: 'cap.three@example.com', password: 'Passw0rd!' }), () => { env.org.seedUsers(1); }]) {
      let thrown: unknown;
      try {
        call();
      } catch (error) {
        thrown = error;
      }
      expect(isOktaEmulatorError(thrown) && [thrown.code, thrown.message]).toEqual(['INVALID_OPTION', expect.stringMatching(/would pass the 3 users the emulated org holds \(kept in memory; it has 3\): start another org, or delete users first\.$/)]);
    }
    const list = (await (await fetch(`${env.org.url}/api/v1/users`, { headers: h() })).json()) as unknown[];
    expect(list).toHaveLength(3);
  });

  it('forgets the oldest access token, session, code, device code and sign-in transaction past the cap', async () => {
    const oin = env.org.createOinApp({ scopes: ['okta.users.read'] });
    const native = env.org.createSignInApp({ type: 'native', redirectUris: [REDIRECT] });
    env.org.createUser({ login: 'capped@example.com', password: 'pw-Capped-1' });
    Object.assign(STORE_CAPS, { accessTokens: 2, sessions: 2, codes: 2, devices: 2, transactions: 2 });
    const tokens: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await postToken(env.org, { grant_type: 'client_credentials', scope: 'okta.users.read' }, { Authorization: basic(oin.clientId, oin.clientSecret) });
      tokens.push(((await res.json()) as { access_token: string }).access_token);
      expect((await fetch(`${env.org.url}/oauth2/v1/device/authorize`, form({ client_id: native.clientId, scope: 'openid' }))).status).toBe(200);
      await signIn(env.org, new Browser(), { clientId: native.clientId, redirectUri: REDIRECT, scope: 'openid', challenge: CHALLENGE }, 'capped@example.com', 'pw-Capped-1');
      await (await fetch(authorizeUrl(env.org, { clientId: native.clientId, redirectUri: REDIRECT, state: `s${i}`, scope: 'openid', challenge: CHALLENGE }))).arrayBuffer();
    }
    expect(sizes(env.org)).toMatchObject({ accessTokens: 2, sessions: 2, codes: 2, devices: 2, transactions: 2 });
    const used = (token: string) => fetch(`${env.org.url}/api/v1/users?limit=1`, { headers: { Authorization: `Bearer ${token}` } }).then((r) => r.status);
    expect([await used(tokens[0] ?? ''), await used(tokens[3] ?? '')]).toEqual([401, 200]);
  });
});
