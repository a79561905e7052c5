import { afterEach, describe, expect, it } from 'vitest';
import { SEED_PASSWORD, startEmulator, type OktaEmulator } from './index.js';
import { basic, postToken } from './test-helpers/oauth.js';
import { REDIRECT, userTokens } from './test-helpers/user-tokens.js';

describe('startEmulator options', () => {
  let org: OktaEmulator | undefined;
  afterEach(async () => {
    await org?.close();
    org = undefined;
  });

  it('tokenLifetimeSeconds sets expires_in and the real expiry', async () => {
    org = await startEmulator({ tokenLifetimeSeconds: 120, seed: { users: 1 } });
    const oin = org.createOinApp({ scopes: ['okta.users.read'] });
    const body = await (await postToken(org, { grant_type: 'client_credentials', scope: 'okta.users.read' }, { Authorization: basic(oin.clientId, oin.clientSecret) })).json();
    expect(body.expires_in).toBe(120);
    org.setClockOffset(110); // well inside the lifetime: real seconds pass between issuing and this request on a busy machine
    expect((await fetch(`${org.url}/api/v1/users`, { headers: { Authorization: `Bearer ${body.access_token}` } })).status).toBe(200);
    org.setClockOffset(121);
    expect((await fetch(`${org.url}/api/v1/users`, { headers: { Authorization: `Bearer ${body.access_token}` } })).status).toBe(401);
  });

  it('refreshTokenRotation sets the default for sign-in apps', async () => {
    org = await startEmulator({ refreshTokenRotation: 'static', seed: { users: 1 } });
    const spa = org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT] });
    const t = await userTokens(org, spa.clientId, 'user0001@example.com', SEED_PASSWORD);
    const refreshed = await (await postToken(org, { grant_type: 'refresh_token', refresh_token: t.refresh_token!, client_id: spa.clientId })).json();
    expect(refreshed.refresh_token).toBe(t.refresh_token);
  });

  it('listens on the requested host and port', async () => {
    const probe = await startEmulator();
    const port = Number(new URL(probe.url).port);
    await probe.close();
    org = await startEmulator({ port, host: '127.0.0.1' });
    expect(org.url).toBe(`http://127.0.0.1:${port}`);
    await expect(startEmulator({ port })).rejects.toThrow();
  });

  it('validates injected faults', async () => {
    org = await startEmulator();
    expect(() => org!.injectFault({ path: 'api', kind: 'drop' })).toThrow();
    expect(() => org!.injectFault({ path: '/x', kind: 'status', status: 42 })).toThrow();
    expect(() => org!.injectFault({ path: '/x', kind: 'status', count: 0 })).toThrow();
    expect(typeof org.injectFault({ path: '/x', kind: 'status', count: undefined })).toBe('string');
  });
});
