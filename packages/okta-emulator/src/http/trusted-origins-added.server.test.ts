import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOktaEmulatorError, startEmulator, type OktaEmulator } from '../index.js';
import { MAX_TRUSTED_ORIGINS } from '../options.js';
import { serviceToken } from '../test-helpers/oauth.js';

// `addTrustedOrigin` (and `POST /__emulator/trusted-origins`): a Trusted Origin added once the org runs,
// for a page server started after it (its port is known only then), as an admin adds one at Okta
// (Security > API > Trusted Origins) while the org runs. Only to an org started with a list: unset, the
// org answers every origin, and one added would quietly turn that into "only this one".
const page = 'http://127.0.0.1:5173';

describe('addTrustedOrigin', () => {
  let org: OktaEmulator;
  let open: OktaEmulator;
  let bearer: string;
  beforeAll(async () => {
    org = await startEmulator({ trustedOrigins: [] });
    open = await startEmulator();
    bearer = (await serviceToken(org, org.createServiceApp({ scopes: ['okta.users.read'], requireDpop: false }), 'okta.users.read')).access_token;
  });
  afterAll(async () => {
    await org.close();
    await open.close();
  });

  const users = (origin: string) => fetch(`${org.url}/api/v1/users?limit=1`, { headers: { Authorization: `Bearer ${bearer}`, Origin: origin } });
  const add = (at: OktaEmulator, body: unknown) =>
    fetch(`${at.url}/__emulator/trusted-origins`, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });

  it('trusts the origin from then on, at /api/v1 and /oauth2/v1/token (method and admin route); adding it again changes nothing', async () => {
    expect((await users(page)).headers.get('access-control-allow-origin')).toBe(null);
    org.addTrustedOrigin(page);
    org.addTrustedOrigin(page);
    expect((await users(page)).headers.get('access-control-allow-origin')).toBe(page);
    const other = 'https://app.example.com';
    const token = () => fetch(`${org.url}/oauth2/v1/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'x', client_id: 'x' }), headers: { Origin: other } });
    expect(((await (await token()).json()) as { error_description: string }).error_description).toMatch(/registered Trusted Origins/);
    expect((await add(org, { origin: other })).status).toBe(204);
    expect(((await (await token()).json()) as { error_description?: string }).error_description ?? '').not.toMatch(/Trusted Origins/);
  });

  it('refuses what is not an origin, an org that trusts every origin, and an origin past the cap, naming origin', async () => {
    const refusal = (fn: () => void): unknown => {
      try {
        fn();
      } catch (e) {
        return isOktaEmulatorError(e) ? { code: e.code, option: e.option, message: e.message } : e;
      }
      return 'accepted';
    };
    for (const bad of ['http://127.0.0.1:5173/', 'http://127.0.0.1:5173/app', '127.0.0.1:5173', 42, undefined]) {
      expect(refusal(() => org.addTrustedOrigin(bad as string))).toEqual({ code: 'INVALID_OPTION', option: 'origin', message: expect.stringMatching(/^addTrustedOrigin: origin must be an origin as a browser sends it \(scheme, host and port; no path, not even a trailing \/\)/) });
    }
    expect(refusal(() => open.addTrustedOrigin(page))).toEqual({ code: 'INVALID_OPTION', option: 'origin', message: expect.stringMatching(/trusts every origin.*trustedOrigins: \[\]/) });
    const answer = await add(open, { origin: page });
    expect([answer.status, await answer.json()]).toEqual([400, { code: 'INVALID_OPTION', option: 'origin', error: expect.stringMatching(/trusts every origin/) }]);
    const full = await startEmulator({ trustedOrigins: Array.from({ length: MAX_TRUSTED_ORIGINS }, (_, i) => `http://127.0.0.1:${String(10_000 + i)}`) });
    try {
      full.addTrustedOrigin('http://127.0.0.1:10000');
      expect(refusal(() => full.addTrustedOrigin(page))).toEqual({ code: 'INVALID_OPTION', option: 'origin', message: expect.stringMatching(new RegExp(`at most ${String(MAX_TRUSTED_ORIGINS)} Trusted Origins`)) });
    } finally {
      await full.close();
    }
  });
});
