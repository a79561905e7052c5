/**
 * A `RATE_LIMITED` says what the 429's body said, as every other OAuth error does: the token
 * endpoint's (`tokenRequestError`) and another OAuth endpoint's (`oauthErrorFromResponse`) put
 * the body's description in `error_description`, under RFC 6749's name, beside its `error`. Over
 * real HTTP: the emulator's 429 answers Okta's `E0000047` body (`errorCode`, `errorSummary`), for
 * a service app's token request and for device authorization. (mut98: each builder's
 * `error_description: description` dropped was not caught by any test.)
 */
import { describe, expect, it } from 'vitest';
import { serviceApp } from '../test-helpers/org.js';
import { redirectUri, signInFailure as failure, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();

/** A 429 on `path` whose reset is an hour ahead: past any retry budget, RATE_LIMITED at once. */
function rateLimited(path: string): void {
  const reset = Math.floor(Date.now() / 1000) + 3600;
  env.org.injectFault({ path, kind: 'status', status: 429, headers: { 'X-Rate-Limit-Limit': '600', 'X-Rate-Limit-Remaining': '0', 'X-Rate-Limit-Reset': String(reset) } });
}

/** What Okta's 429 body says (the emulator's `E0000047`, as the org's rate limit answers). */
const said = { code: 'RATE_LIMITED', status: 429, error: 'E0000047', error_description: expect.stringMatching(/rate limit/i) };

describe("a RATE_LIMITED carries the 429 body's error and error_description", () => {
  it("the token endpoint's, for a service app", async () => {
    rateLimited('/oauth2/v1/token');
    const { okta } = serviceApp(env.org, { requireDpop: false });
    expect(await okta('/api/v1/users').catch((e: unknown) => e)).toMatchObject(said);
  });

  it("another OAuth endpoint's: device authorization", async () => {
    const native = env.client(env.org.createSignInApp({ type: 'native', redirectUris: [redirectUri], scopes: ['okta.users.read'] }));
    rateLimited('/oauth2/v1/device/authorize');
    expect(await failure(native.startDeviceSignIn())).toMatchObject(said);
  });
});
