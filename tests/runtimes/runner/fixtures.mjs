// Sets up the emulated orgs in Node.js and makes one fixture per runtime:
// fresh API tokens (one of them revoked) and OAuth material (oauth.mjs).
import { randomBytes } from 'node:crypto';
import { startEmulator } from '@org/okta-emulator';

export const USER_COUNT = 23;

export async function startOrgs() {
  // browserRules off: the matrix runs server code (client credentials, a native app's refresh) in browser pages.
  const org = await startEmulator({ seed: { users: USER_COUNT }, browserRules: false });
  // The "other origin": a second org that must never receive a request.
  const other = await startEmulator();
  // A second customer org of the OIN case (oauth.js), beside `org`: an integration installed in two orgs.
  const oinOrg = await startEmulator({ seed: { users: 2 }, browserRules: false });
  return {
    org,
    other,
    oinOrg,
    async close() {
      await Promise.allSettled([org.close(), other.close(), oinOrg.close()]);
    },
  };
}

/**
 * `runtime`: the runner's entry (`id`, and `expect`: what core's runtime detection reports there).
 * `redis`: the run's redis-server (`{ url, clients }`: the clients to connect with; or `{ error }`
 * when it did not start) for a runtime that runs the Redis store's cases, else undefined.
 * @param {{ org: import('@org/okta-emulator').OktaEmulator, other: import('@org/okta-emulator').OktaEmulator, oinOrg: import('@org/okta-emulator').OktaEmulator }} orgs
 */
export async function fixtureFor({ id, expect: runtime }, orgs, oauth, userCount, redis) {
  const { org, other } = orgs;
  const { token } = org.createApiToken({ name: `runtime tests: ${runtime}` });
  const revoked = org.createApiToken({ name: `runtime tests: ${runtime}, revoked` });
  org.revokeApiToken(revoked.id);
  return {
    runtime,
    // The runner's runtime id (node, bun, deno, workerd, chromium, firefox, webkit): what a case pins per browser.
    engine: id,
    orgUrl: org.url,
    otherOrigin: other.url,
    userCount,
    userLoginWithAt: 'user0001@example.com',
    ssws: { token, revokedToken: revoked.token },
    // The inspect case's own secrets all start with it (src/cases/inspect.js): the runner looks for it in what the console got.
    inspectSecret: `inspect${randomBytes(24).toString('base64url')}`,
    // The OIN case's tenants: one integration's installation in each of two orgs (each its own client id and secret).
    oauth: { ...oauth.fixture(), oin: [org, orgs.oinOrg].map((o) => ({ orgUrl: o.url, ...o.createOinApp({ scopes: ['okta.users.read'] }) })) },
    // Each runtime's keys under a prefix of its own, sealed with a key of its own.
    redis: redis === undefined ? undefined : redis.error === undefined ? { url: redis.url, clients: redis.clients, prefix: `runtime-${randomBytes(6).toString('hex')}:`, encryptionKey: randomBytes(32).toString('base64') } : { error: redis.error },
  };
}
