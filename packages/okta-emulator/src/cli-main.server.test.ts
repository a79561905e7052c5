import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCliOrg, type CliOrg } from './cli-main.js';
import { dpopKey, serviceToken } from './test-helpers/oauth.js';
import type { ServiceAppCredentials } from './index.js';
import { Browser, pkce, signIn } from './test-helpers/browser.js';

describe('the okta-emulator command', () => {
  let started: CliOrg;
  beforeAll(async () => {
    const s = await startCliOrg(['--port', '0', '--users', '3']);
    if (s === undefined) throw new Error('no org');
    started = s;
  });
  afterAll(() => started.org.close());

  it('prints working credentials: API token', async () => {
    const c = started.credentials as any;
    expect(c.url).toBe(started.org.url);
    const res = await fetch(`${c.url}/api/v1/users`, { headers: { Authorization: `SSWS ${c.apiToken.token}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toHaveLength(4);
  });

  it('prints working credentials: the DPoP service app', async () => {
    const c = started.credentials as any;
    const app: ServiceAppCredentials = { clientId: c.serviceApp.clientId, keyId: c.serviceApp.keyId, privateKeyPem: c.serviceApp.privateKeyPem, privateJwk: c.serviceApp.privateJwk, publicJwk: {} };
    const t = await serviceToken(started.org, app, 'okta.users.read', await dpopKey());
    expect(t.token_type).toBe('DPoP');
  });

  it('prints working credentials: the SPA and the admin user', async () => {
    const c = started.credentials as any;
    const loc = await signIn(started.org, new Browser(), { clientId: c.spa.clientId, redirectUri: c.spa.redirectUris[0], challenge: pkce().challenge }, c.users.admin, c.users.password);
    expect(loc.searchParams.get('code')).toBeTruthy();
  });

  it('returns nothing for --help and rejects bad flags', async () => {
    expect(await startCliOrg(['--help'])).toBeUndefined();
    await expect(startCliOrg(['--port', 'x'])).rejects.toThrow('--port');
    await expect(startCliOrg(['--bogus'])).rejects.toThrow();
  });
});
