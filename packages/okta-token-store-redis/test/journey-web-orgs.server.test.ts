/**
 * A partner's journey by the READMEs (root, okta-oauth, okta-token-store-redis, okta-emulator): a
 * server-side web app that signs users in at each customer's org, two processes over one real
 * redis-server behind a load balancer that serves the app under a path prefix, two emulator orgs
 * for two customers. Real HTTP on 127.0.0.1 throughout; the app is `journey/web-app.ts`.
 */
import { randomBytes } from 'node:crypto';
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { fillSignInForm } from '@org/okta-test-utils';
import { createClient } from 'redis';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from './fleet/redis-server.mjs';
import { browser, startFront, type Front } from './journey/front.js';
import { redirectUriOf, startWebApp, type Tenant, type WebApp } from './journey/web-app.js';

const password = 'Correct-Horse-9';
const encryption = { current: 'k1', keys: { k1: randomBytes(32).toString('base64') } };
let redis: RedisServer;
let front: Front;
let publicUrl: string;
const orgs = new Map<string, OktaEmulator>();
const tenants: Tenant[] = [];
const connections: { quit(): Promise<unknown> }[] = [];
let fleet: WebApp[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  front = await startFront('/partner');
  publicUrl = `${front.url}/partner`;
  for (const id of ['acme', 'globex']) {
    const org = await startEmulator();
    orgs.set(id, org);
    org.createUser({ login: `ada@${id}.example`, password, firstName: 'Ada', lastName: id });
    // Each customer's admin creates an OIDC web app with the partner's redirect URI for that org.
    const app = org.createSignInApp({ type: 'web', redirectUris: [redirectUriOf(publicUrl, id)], postLogoutRedirectUris: [`${publicUrl}/`], scopes: ['okta.users.read.self'] });
    tenants.push({ id, orgUrl: org.url, clientId: app.clientId, clientSecret: app.clientSecret! });
  }
});
afterAll(async () => {
  await Promise.all(fleet.map((app) => app.close()));
  await Promise.all(connections.map((connection) => connection.quit()));
  await front.close();
  await Promise.all([...orgs.values()].map((org) => org.close()));
  await redis.stop();
});

/** Two processes of the fleet, each with its own Redis connection and clients: they share only Redis. */
async function startFleet(callbackUrl?: Parameters<typeof startWebApp>[0]['callbackUrl']): Promise<void> {
  await Promise.all(fleet.map((app) => app.close()));
  fleet = await Promise.all(
    [0, 1].map(async () => {
      const client = await createClient({ url: redis.url }).connect();
      connections.push(client);
      return startWebApp({ publicUrl, tenants, redis: client, encryption, ...(callbackUrl === undefined ? {} : { callbackUrl }) });
    }),
  );
  front.backends = fleet.map((app) => app.url);
}

const org = (id: string): OktaEmulator => orgs.get(id)!;
const codeExchanges = (id: string) => org(id).counters().tokenRequests.authorization_code ?? {};

beforeEach(() => {
  for (const emulator of orgs.values()) emulator.resetCounters();
});

/** Signs the browser in at `id`: /login on process `first`, the callback on process `second`. */
async function signIn(user: ReturnType<typeof browser>, id: string, first = 0, second = 1) {
  front.next = first;
  const login = await user.go(`${publicUrl}/login/${id}`);
  expect(login.status).toBe(302);
  const callback = await fillSignInForm(new URL(login.location), `ada@${id}.example`, password);
  front.next = second;
  return { callback, answer: await user.go(callback) };
}

it('signs one browser in at two orgs across two processes, reads /users/me at each, and signs out of one org only', async () => {
  await startFleet();
  const user = browser();
  for (const id of ['acme', 'globex']) {
    const { callback, answer } = await signIn(user, id);
    expect(callback.startsWith(`${publicUrl}/callback/${id}?`)).toBe(true);
    expect(answer, JSON.stringify(answer.body)).toMatchObject({ status: 302, location: `${publicUrl}/` }); // redirected, not answered at the callback
  }
  for (const [process, id] of [[0, 'acme'], [1, 'globex'], [1, 'acme'], [0, 'globex']] as const) {
    front.next = process;
    const me = await user.go(`${publicUrl}/me/${id}`);
    expect(me.status).toBe(200);
    expect((me.body.record as { profile: { login: string } }).profile.login).toBe(`ada@${id}.example`);
  }
  // Sign out of acme: its tokens revoked, Okta's session ended there; globex stays signed in.
  const out = await user.go(`${publicUrl}/logout/acme`);
  expect(out.status).toBe(302);
  expect(out.location.startsWith(`${org('acme').url}/oauth2/v1/logout?`)).toBe(true);
  expect(out.body.revoked).toEqual(['refresh_token', 'access_token']);
  front.next = 1;
  expect((await user.go(`${publicUrl}/me/acme`)).location).toBe(`${publicUrl}/login/acme`);
  expect((await user.go(`${publicUrl}/me/globex`)).status).toBe(200);
  expect(Object.keys(org('globex').counters().requests).some((route) => route.includes('revoke'))).toBe(false);
});

it('exchanges a code once when the same callback reaches both processes at once', async () => {
  await startFleet();
  const user = browser();
  front.next = 0;
  const login = await user.go(`${publicUrl}/login/acme`);
  const callback = await fillSignInForm(new URL(login.location), 'ada@acme.example', password);
  // Both processes read the session before either saved its removal: the Redis storage decides.
  const path = callback.slice(publicUrl.length); // what the load balancer would send on
  const answers = await Promise.all(fleet.map((app) => user.go(`${app.url}${path}`)));
  expect(answers.map((answer) => answer.status).sort()).toEqual([302, 400]);
  expect(answers.find((answer) => answer.status === 400)?.body.code).toBe('STATE_MISMATCH');
  expect(codeExchanges('acme')).toEqual({ success: 1 });
  expect((await user.go(`${publicUrl}/`)).body.signedIn).toMatchObject({ acme: expect.any(String) });
});

it("refuses org A's callback delivered at org B's route, and exchanges no code at either org", async () => {
  await startFleet();
  const user = browser();
  front.next = 0;
  const login = await user.go(`${publicUrl}/login/acme`);
  const callback = new URL(await fillSignInForm(new URL(login.location), 'ada@acme.example', password));
  const crossed = await user.go(`${publicUrl}/callback/globex${callback.search}`);
  expect(crossed.status).toBe(400);
  expect(crossed.body.code).toBe('INVALID_CALLBACK');
  expect(codeExchanges('acme')).toEqual({});
  expect(codeExchanges('globex')).toEqual({});
});

it("refuses a mix-up: a sign-in started at a hostile org, answered by the honest org's authorization server", async () => {
  await startFleet();
  const user = browser();
  front.next = 0;
  // The user picks globex (here the hostile org): it receives the authorization request and, instead
  // of answering, sends the user on to acme with acme's client id and redirect URI and globex's state
  // and PKCE challenge, hoping for acme's code at globex's token endpoint.
  const started = new URL((await user.go(`${publicUrl}/login/globex`)).location);
  const forged = new URL(`${org('acme').url}/oauth2/v1/authorize`);
  for (const name of ['response_type', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method']) forged.searchParams.set(name, started.searchParams.get(name)!);
  forged.searchParams.set('client_id', tenants.find((tenant) => tenant.id === 'acme')!.clientId);
  forged.searchParams.set('redirect_uri', redirectUriOf(publicUrl, 'acme'));
  const callback = await fillSignInForm(forged, 'ada@acme.example', password);
  front.next = 1;
  const answer = await user.go(callback);
  expect(answer.status).toBe(400);
  expect(answer.body.code).toBe('INVALID_CALLBACK');
  expect(codeExchanges('globex')).toEqual({});
  expect(codeExchanges('acme')).toEqual({});
});

it('refuses an honest callback passed as the path and query a process received, behind a load balancer that strips a path prefix', async () => {
  // The README's advice before this journey: `finishSignIn(req.originalUrl, …)`. The path the process
  // sees (/callback/acme) is not the redirect URI's (/partner/callback/acme): refused as a mix-up.
  await startFleet((req) => req.url ?? '/');
  const user = browser();
  const { answer } = await signIn(user, 'acme');
  expect(answer.status).toBe(400);
  expect(answer.body.code).toBe('INVALID_CALLBACK');
  // The refusal says what to do in this case, not only for a proxy that changes the scheme or host.
  expect(answer.body.message).toContain('strips a path prefix, your public address joined with them');
  expect(codeExchanges('acme')).toEqual({});
});
