/**
 * A denied device sign-in over real HTTP, at either status Okta may answer the poll with: RFC 8628
 * §3.5 (with RFC 6749 §5.2) gives `access_denied` a 400, the emulator's default; Okta's error
 * catalogue's only plain `access_denied` entry is a 403 (the emulator's `deviceDeniedStatus: 403`).
 * Each is the user's answer (`ACCESS_DENIED`, polling ends), never a failed token request.
 */
import { describe, expect, it } from 'vitest';
import { redirectUri, signInFailure as failure, startSignInOrg } from './test-helpers/sign-in-org.js';

const deviceGrant = 'urn:ietf:params:oauth:grant-type:device_code';

describe('a denied device sign-in', () => {
  it.for([400, 403] as const)('answered %i access_denied: ACCESS_DENIED, and a later poll() asks Okta no more', async (status, test) => {
    const { org, client } = await startSignInOrg(test, { deviceDeniedStatus: status });
    const app = org.createSignInApp({ type: 'native', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
    // No real wait for the interval before the first poll: the denial is there already.
    const device = await client(app, { sleep: () => Promise.resolve() }).startDeviceSignIn();
    org.denyDevice(device.userCode);
    org.resetCounters();
    const denied = await failure(device.poll());
    expect(denied).toMatchObject({ code: 'ACCESS_DENIED', error: 'access_denied', status });
    expect(await failure(device.poll())).toBe(denied);
    expect(org.counters().tokenRequests[deviceGrant]).toEqual({ access_denied: 1 });
  });
});
