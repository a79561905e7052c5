/**
 * Fidelity: the official @okta/okta-sdk-nodejs against the emulator, in SSWS and PrivateKey (+DPoP)
 * modes. Where the SDK fails, the test pins down the SDK's own bug (okta-protocol.md section 9), so
 * the emulator keeps following Okta rather than the SDK. See the README's fidelity notes.
 */
import { failure } from '@org/okta-test-utils';
import okta from '@okta/okta-sdk-nodejs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_ADMIN_LOGIN, startEmulator, type OktaEmulator, type ServiceAppCredentials } from './index.js';

describe('@okta/okta-sdk-nodejs against the emulator', () => {
  let org: OktaEmulator;
  let dpopApp: ServiceAppCredentials;

  beforeAll(async () => {
    org = await startEmulator({ seed: { users: 5 } });
    org.createUser({ login: 'a@b.com', password: 'Passw0rd!' });
    dpopApp = org.createServiceApp({ scopes: ['okta.users.read'], requireDpop: true });
  });
  afterAll(() => org.close());
  beforeEach(() => {
    org.resetCounters();
  });

  // 8.1.0 has no https check on orgUrl (src/client.js only checks presence), so no
  // `testing: { disableHttpsCheck: true }` is needed; that option is neither read nor typed.
  const client = (opts: Record<string, unknown>) => new okta.Client({ orgUrl: org.url, ...opts });
  const privateKeyClient = (app: ServiceAppCredentials, scopes = ['okta.users.read']) =>
    client({ authorizationMode: 'PrivateKey', clientId: app.clientId, scopes, privateKey: app.privateKeyPem, keyId: app.keyId });
  const listLogins = async (c: any): Promise<string[]> => {
    const out: string[] = [];
    const users = await c.userApi.listUsers({ limit: 2 });
    await users.each((u: any) => {
      out.push(u.profile.login);
    });
    return out;
  };
  const ALL = [SEED_ADMIN_LOGIN, 'user0001@example.com', 'user0002@example.com', 'user0003@example.com', 'user0004@example.com', 'user0005@example.com', 'a@b.com'];

  it('SSWS: lists every user, following Link rel="next"', async () => {
    expect(await listLogins(client({ token: org.createApiToken().token }))).toEqual(ALL);
    expect(org.counters().requests['GET /api/v1/users']).toBe(4); // 7 users, 2 a page
  });

  it('PrivateKey with DPoP (RSA key): nonce round trip, then DPoP-bound calls on every page', async () => {
    expect(await listLogins(privateKeyClient(dpopApp))).toEqual(ALL);
    const c = org.counters();
    expect(c.tokenRequests).toEqual({ client_credentials: { use_dpop_nonce: 1, success: 1 } });
    expect(c.requests['GET /api/v1/users']).toBe(4);
  });

  it('PrivateKey without DPoP (RSA key): the proof the SDK always sends is ignored, Bearer token', async () => {
    const app = org.createServiceApp({ scopes: ['okta.users.read'], requireDpop: false });
    expect(await listLogins(privateKeyClient(app))).toEqual(ALL);
    expect(org.counters().tokenRequests).toEqual({ client_credentials: { success: 1 } });
  });

  it('recovers from an expired token through its 401 retry (it never reads expires_in)', async () => {
    org.setTokenLifetime(60);
    try {
      const c = privateKeyClient(dpopApp);
      await listLogins(c);
      org.setClockOffset(120);
      org.resetCounters();
      expect(await listLogins(c)).toEqual(ALL);
      expect(org.counters().requests['GET /api/v1/users']).toBe(5);
      expect(org.counters().tokenRequests.client_credentials?.success).toBe(1);
    } finally {
      org.setClockOffset(0);
      org.setTokenLifetime(3600);
    }
  });

  it('SSWS: lists the System Log of a bounded request, following Link rel="next" to the last page', async () => {
    const now = Date.now();
    for (const n of [1, 2, 3]) org.recordLogEvent({ eventType: 'test.sdk', displayMessage: `n${n}`, published: new Date(now - n * 60_000).toISOString() });
    const c = client({ token: org.createApiToken().token });
    const seen: string[] = [];
    const events = await c.systemLogApi.listLogEvents({ since: new Date(now - 3600_000).toISOString(), until: new Date(now).toISOString(), filter: 'eventType eq "test.sdk"', limit: 2 });
    await events.each((e: any) => {
      seen.push(e.displayMessage);
    });
    expect(seen).toEqual(['n3', 'n2', 'n1']);
    expect(org.counters().requests['GET /api/v1/logs']).toBe(2);
  });

  it("SSWS: lists users by search and filter, and groups by filter, as Okta's docs write them, across pages", async () => {
    const c = client({ token: org.createApiToken().token });
    const logins = async (params: Record<string, unknown>): Promise<string[]> => {
      const out: string[] = [];
      await (await c.userApi.listUsers({ limit: 2, ...params })).each((u: any) => {
        out.push(u.profile.login);
      });
      return out;
    };
    expect(await logins({ search: 'profile.login sw "USER000" and (profile.lastName eq "0002" or profile.lastName eq "0004")' })).toEqual(['user0002@example.com', 'user0004@example.com']);
    expect(await logins({ filter: 'status eq "ACTIVE" and lastUpdated gt "2000-01-01T00:00:00.000Z"' })).toEqual(ALL);
    const names: string[] = [];
    await (await c.groupApi.listGroups({ filter: 'type eq "BUILT_IN"' })).each((g: any) => {
      names.push(g.profile.name);
    });
    expect(names).toEqual(['Everyone']);
  });

  it('SSWS: user lifecycle and writes, and group writes, parse into the SDK\'s models; refusals into its OktaApiError', async () => {
    const own = await startEmulator();
    try {
      const c: any = new okta.Client({ orgUrl: own.url, token: own.createApiToken().token });
      const profile = { login: 'sdk@example.com', email: 'sdk@example.com', firstName: 'Sdk', lastName: 'User', mobilePhone: '555-0100' };
      const user: any = await c.userApi.createUser({ body: { profile, credentials: { password: { value: 'Pw-Sdk-1' } } }, activate: false });
      expect(user).toMatchObject({ status: 'STAGED', profile });
      expect(await c.userApi.activateUser({ userId: user.id, sendEmail: false })).toMatchObject({ activationToken: expect.any(String), activationUrl: expect.stringContaining('/welcome/') });
      const again: any = await failure(c.userApi.activateUser({ userId: user.id }));
      expect(again).toMatchObject({ status: 403, errorCode: 'E0000016' });
      await c.userApi.suspendUser({ userId: user.id });
      expect((await c.userApi.getUser({ userId: user.id })).status).toBe('SUSPENDED');
      const twice: any = await failure(c.userApi.suspendUser({ userId: user.id }));
      expect(twice).toMatchObject({ status: 400, errorCode: 'E0000001', errorCauses: [{ errorSummary: 'Cannot suspend a user that is not active' }] });
      await c.userApi.unsuspendUser({ userId: user.id });
      const updated: any = await c.userApi.updateUser({ userId: user.id, user: { profile: { title: 'Lead' } } });
      expect(updated.profile).toMatchObject({ mobilePhone: '555-0100', title: 'Lead' });
      const replaced: any = await c.userApi.replaceUser({ userId: user.id, user: { profile: { login: profile.login, email: profile.email, firstName: 'Sdk', lastName: 'Replaced' } } });
      expect(replaced.profile.mobilePhone).toBeUndefined();
      const group: any = await c.groupApi.createGroup({ group: { profile: { name: 'sdk-group' } } });
      expect((await c.groupApi.replaceGroup({ groupId: group.id, group: { profile: { name: 'sdk-renamed' } } })).profile?.name).toBe('sdk-renamed');
      await c.groupApi.deleteGroup({ groupId: group.id });
      expect(await c.groupApi.getGroup({ groupId: group.id }).catch((e: unknown) => (e as { errorCode?: string }).errorCode)).toBe('E0000007');
    } finally {
      await own.close();
    }
  });

  describe('SDK bugs, pinned', () => {
    it('EC keys fail inside the SDK before any request: it signs the DPoP proof with alg RS256 (dpop.js)', async () => {
      for (const requireDpop of [true, false]) {
        const app = org.createServiceApp({ scopes: ['okta.users.read'], keyType: 'EC', requireDpop });
        await expect(listLogins(privateKeyClient(app))).rejects.toThrow('unsupported algorithm');
      }
      expect(org.counters().requests).toEqual({});
    });

    it('a login with @ fails in DPoP mode: the SDK puts the percent-encoded path in htu (okta-sdk-nodejs#521)', async () => {
      const err: any = await failure(privateKeyClient(dpopApp).userApi.getUser({ userId: 'a@b.com' }));
      // The SDK's HttpError for a 400 without a body, its reason in the headers, as #453's reporter saw it.
      expect(err).toMatchObject({ name: 'HttpError', status: 400 });
      expect(err.headers.get('www-authenticate')).toContain(`scope="okta.users.read", error="invalid_dpop_proof", error_description="'htu' claim in the DPoP proof JWT is invalid."`);
      const ok: any = await client({ token: org.createApiToken().token }).userApi.getUser({ userId: 'a@b.com' });
      expect(ok.profile.login).toBe('a@b.com');
    });

    it('token-endpoint errors are swallowed: an ungranted scope surfaces as a 401 from /api/v1/users', async () => {
      const err: any = await failure(listLogins(privateKeyClient(dpopApp, ['okta.groups.read'])));
      expect(err.status).toBe(401);
      expect(err.errorCode).toBe('E0000011');
      expect(org.counters().tokenRequests.client_credentials).toEqual({ use_dpop_nonce: 2, consent_required: 2 });
    });
  });
});
