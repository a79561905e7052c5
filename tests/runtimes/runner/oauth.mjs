// OAuth fixtures, made in Node.js with the built @org/okta-oauth and the
// emulator's own API, then handed to the portable suite as plain JSON:
// - a service app (EC key as a private JWK, RSA key as PKCS#8 PEM) that
//   requires DPoP, granted okta.users.read;
// - a user signed in with the device flow (approved through the emulator),
//   whose stored tokens are handed over with the access token already
//   expired, so the suite's first request must refresh it;
// - a user to sign out, and the same app's next sign-in (another tab's).
import { createSignInClient } from '@org/okta-oauth';

export const ADMIN = { login: 'ada.admin@example.com', password: 'Correct-Horse-9' };
const SCOPES = ['okta.users.read'];
const USER_SCOPES = ['openid', 'profile', 'offline_access', ...SCOPES];

/** Call once, before the runtimes: makes what every runtime's fixture needs. */
export async function oauthSetup(org, runtimeCount) {
  org.createUser({ ...ADMIN, admin: true, firstName: 'Ada', lastName: 'Admin' });
  // Two refresh tokens per runtime (rotation makes each single-use: one for `@org/okta-oauth`, one
  // for `@org/okta-oauth/sign-in`), and a sign-in to sign out with the same app's next one,
  // signed in up front with the device grant, which Okta allows native apps only.
  const userTokens = [];
  const signOutUsers = [];
  let clockOffset = 0;
  /** A device sign-in of `app` (a new app if none): its tokens, with the client id and scopes. */
  async function signIn(app = org.createSignInApp({ type: 'native', redirectUris: ['http://127.0.0.1:5173/callback'], scopes: SCOPES, refreshTokenRotation: 'rotate' })) {
    const client = createSignInClient({
      orgUrl: org.url,
      clientId: app.clientId,
      scopes: USER_SCOPES,
      allowInsecureLoopback: true,
      // Device polling waits the interval Okta asks for: move the emulator's clock instead.
      sleep: (ms) => {
        clockOffset += ms / 1000;
        org.setClockOffset(clockOffset);
        return Promise.resolve();
      },
    });
    const device = await client.startDeviceSignIn();
    org.approveDevice(device.userCode, ADMIN.login);
    const { tokens } = await device.poll();
    if (tokens.refreshToken === undefined) throw new Error('the device sign-in gave no refresh token');
    return { app, user: { clientId: app.clientId, scopes: USER_SCOPES, stored: tokens.toStorable() } };
  }
  for (let i = 0; i < runtimeCount * 2; i++) {
    const { user } = await signIn();
    // Expired an hour ago (by the org's clock too), so the first request refreshes.
    userTokens.push({ ...user, stored: { ...user.stored, expiresAt: Date.now() - 3_600_000 } });
  }
  // Sign-out's cases: a user signed in, and the same app's next sign-in (another tab's), which sign-out must leave.
  for (let i = 0; i < runtimeCount; i++) {
    const { app, user } = await signIn();
    signOutUsers.push({ ...user, theirs: JSON.stringify((await signIn(app)).user.stored) });
  }
  return {
    extraUsers: 1,
    fixture() {
      const ec = org.createServiceApp({ keyType: 'EC', requireDpop: true, scopes: SCOPES });
      const rsa = org.createServiceApp({ keyType: 'RSA', requireDpop: true, scopes: SCOPES });
      const user = userTokens.shift();
      const signInUser = userTokens.shift();
      const signOutUser = signOutUsers.shift();
      if (user === undefined || signInUser === undefined || signOutUser === undefined) throw new Error('no user tokens left');
      return {
        serviceApp: {
          scopes: SCOPES,
          ec: { clientId: ec.clientId, keyId: ec.keyId, privateJwk: ec.privateJwk },
          rsa: { clientId: rsa.clientId, keyId: rsa.keyId, privateKeyPem: rsa.privateKeyPem },
        },
        user,
        signInUser,
        signOutUser,
      };
    },
  };
}
