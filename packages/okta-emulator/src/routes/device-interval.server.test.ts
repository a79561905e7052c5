/**
 * `startEmulator({ deviceIntervalSeconds })`: the device grant's `interval` a test may shorten (Okta's
 * is 5 s), given to the client and applied to its polls. As in `device.server.test.ts`, `Date` is
 * frozen (this process runs the org, so its clock stops too; timers stay real) and only the offset
 * moves, so a busy machine's real seconds between two polls cannot cross an interval edge.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startEmulator, type OktaEmulator } from '../index.js';
import { form, postToken } from '../test-helpers/oauth.js';
import { REDIRECT } from '../test-helpers/user-tokens.js';

const DEVICE = 'urn:ietf:params:oauth:grant-type:device_code';

describe('deviceIntervalSeconds', () => {
  let org: OktaEmulator;
  let app: { clientId: string };
  beforeAll(async () => {
    org = await startEmulator({ deviceIntervalSeconds: 1 });
    app = org.createSignInApp({ type: 'native', redirectUris: [REDIRECT] });
  });
  afterAll(() => org.close());
  afterEach(() => {
    vi.useRealTimers();
    org.setClockOffset(0);
  });

  const start = async () => (await (await fetch(`${org.url}/oauth2/v1/device/authorize`, form({ client_id: app.clientId, scope: 'openid' }))).json()) as { device_code: string; interval: number };
  const poll = async (deviceCode: string) => ((await (await postToken(org, { grant_type: DEVICE, device_code: deviceCode, client_id: app.clientId })).json()) as { error: string }).error;

  it('is the interval the device authorization answers, and the window of slow_down, which grows it by 5 s', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const d = await start();
    expect(d.interval).toBe(1);
    expect(await poll(d.device_code)).toBe('authorization_pending');
    org.setClockOffset(1); // one interval later: on time
    expect(await poll(d.device_code)).toBe('authorization_pending');
    expect(await poll(d.device_code)).toBe('slow_down'); // within it
    org.setClockOffset(5); // 4 s later: past the old 1 s interval, inside the new 6 s one
    expect(await poll(d.device_code)).toBe('slow_down');
    org.setClockOffset(16); // 11 s later: on time for the 11 s it grew to
    expect(await poll(d.device_code)).toBe('authorization_pending');
  });

  it("is Okta's 5 s when not given", async () => {
    const okta = await startEmulator();
    try {
      const native = okta.createSignInApp({ type: 'native', redirectUris: [REDIRECT] });
      const answer = await fetch(`${okta.url}/oauth2/v1/device/authorize`, form({ client_id: native.clientId, scope: 'openid' }));
      expect(((await answer.json()) as { interval: number }).interval).toBe(5);
    } finally {
      await okta.close();
    }
  });
});
