/**
 * The transport options an okta-oauth credential carries for its clients (credopts140), against the
 * emulator: an OIN partner gave `createOinAppCredential` `retry: { limit: 0 }` and a logger, then
 * `createOktaFetch({ credential })`; the API call waited out a 429 with the default retry and the
 * logger saw only the token request. Every factory's credential (service app, OIN app, the
 * multi-org wrapper, a signed-in user's) now carries `retry`, `timeoutMs` and `logger` as it
 * carries `maxInFlight`; a client given its own takes its own.
 */
import { createOktaFetch, isOktaAuthError, type OktaCredential, type OktaLogEvent, type OktaTransportOptions } from '@org/okta-auth-core';
import { createOktaKy } from '@org/okta-auth-core/ky';
import type { OktaEmulator } from '@org/okta-emulator';
import { failure } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { createMultiOrgCredentials } from '../multi-org.js';
import { createOinAppCredential } from '../oin-app.js';
import { createServiceAppCredential } from '../service-app.js';
import { emulator, useEmulators } from '../test-helpers/org.js';
import { signIn, useSignInOrg } from '../user/test-helpers/sign-in-org.js';

useEmulators();

type Carried = Pick<OktaTransportOptions, 'retry' | 'timeoutMs' | 'logger'>;
const scopes = ['okta.users.read'];
const factories: Record<string, (org: OktaEmulator, carried: Carried) => OktaCredential> = {
  createOinAppCredential: (org, carried) => createOinAppCredential({ orgUrl: org.url, ...org.createOinApp({ scopes }), scopes, allowInsecureLoopback: true, ...carried }),
  createServiceAppCredential: (org, carried) => {
    const app = org.createServiceApp({ keyType: 'EC', scopes });
    return createServiceAppCredential({ orgUrl: org.url, clientId: app.clientId, privateKey: app.privateKeyPem, keyId: app.keyId, scopes, allowInsecureLoopback: true, ...carried });
  },
  "createMultiOrgCredentials' wrapper": (org, carried) => {
    const app = org.createOinApp({ scopes });
    return createMultiOrgCredentials<object>({ create: (orgUrl) => createOinAppCredential({ orgUrl, ...app, scopes, allowInsecureLoopback: true, ...carried }) }).get(org.url, {});
  },
};

/** One 429 on the users list whose reset is this second: a retry would wait about 1 s, then get 200. */
const one429 = (org: OktaEmulator, path = '/api/v1/users') => org.injectFault({ path, kind: 'status', status: 429, count: 1, headers: { 'X-Rate-Limit-Reset': String(Math.floor(Date.now() / 1000)) } });
/** The answers logged, each as `path status`; a token request's (a service app's DPoP nonce round trip: 400, 200) as `token`, once. */
const logged = (events: OktaLogEvent[]) => [
  ...new Set(events.filter((event) => event.type === 'response').map((event) => (event.url.includes('/oauth2/v1/token') ? 'token' : `${new URL(event.url).pathname} ${event.status}`))),
];

describe.each(Object.entries(factories))('%s given retry and logger', (_, make) => {
  it.each([
    ['createOktaFetch', (credential: OktaCredential) => createOktaFetch({ credential })('/api/v1/users')],
    ['createOktaKy', (credential: OktaCredential) => createOktaKy({ credential })('api/v1/users')],
  ] as const)('its API calls through %s take them: a 429 is RATE_LIMITED at once, logged with the token request', async (_driver, send) => {
    const org = await emulator();
    const events: OktaLogEvent[] = [];
    const credential = make(org, { retry: { limit: 0 }, logger: (event) => events.push(event) });
    one429(org);
    expect((await failure(send(credential), isOktaAuthError)).code).toBe('RATE_LIMITED');
    expect(org.counters().requests['GET /api/v1/users']).toBe(1);
    expect(logged(events)).toEqual(['token', '/api/v1/users 429']);
  });

  it("a client's own retry and logger win", async () => {
    const org = await emulator();
    const its: OktaLogEvent[] = [];
    const mine: OktaLogEvent[] = [];
    const credential = make(org, { retry: { limit: 0 }, logger: (event) => its.push(event) });
    one429(org);
    expect((await createOktaFetch({ credential, retry: { limit: 1 }, logger: (event) => mine.push(event) })('/api/v1/users')).status).toBe(200);
    expect(logged(its)).toEqual(['token']);
    expect(logged(mine)).toEqual(['/api/v1/users 429', '/api/v1/users 200']);
  });
});

describe("a signed-in user's credential", () => {
  const env = useSignInOrg();

  it("carries its sign-in client's retry and logger to createOktaFetch", async () => {
    const events: OktaLogEvent[] = [];
    const signInClient = env.spa({ retry: { limit: 0 }, logger: (event) => events.push(event) });
    const credential = signInClient.credential((await signIn(signInClient)).tokens);
    expect(credential).toMatchObject({ retry: { limit: 0 } });
    events.length = 0;
    one429(env.org, env.userPath);
    expect((await failure(createOktaFetch({ credential })(env.userPath), isOktaAuthError)).code).toBe('RATE_LIMITED');
    expect(logged(events)).toEqual([`${env.userPath} 429`]);
  });
});
