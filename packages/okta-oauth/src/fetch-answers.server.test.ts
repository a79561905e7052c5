/**
 * What a `fetch` option resolves with, at each of okta-oauth's endpoints (thirty-seventh session's
 * red team of ssws60's core checks): they all send through core's one executor, so an answer that
 * is no Response is `INVALID_CONFIG` naming the option, a status-0 answer (`Response.error()`, a
 * browser's opaque one) core's `OktaApiError`, and an answer your fetch reached by following a
 * redirect `REDIRECT_BLOCKED`: at the token endpoint (a service app's credential), discovery, device
 * authorization, introspection and revocation. None of them holds a secret of the attempt.
 */
import { inspect } from 'node:util';
import { failure } from '@org/okta-test-utils';
import { isOktaAuthError, type OktaAuthError } from '@org/okta-auth-core';
import { describe, expect, it } from 'vitest';
import { emulator, serviceApp, useEmulators } from './test-helpers/org.js';
import { createSignInClient } from './user/sign-in-client.js';
import { UserTokens } from './user/tokens.js';

useEmulators();

/** How the fetch misbehaves at the endpoint under test (every other request goes through as sent). */
const answers = {
  'no Response': { code: 'INVALID_CONFIG', message: /^The fetch option must be a function that resolves with a Response\b/ },
  'a status-0 answer': { code: 'API_ERROR', message: /^0 \((GET|POST) 127\.0\.0\.1:\d+\/(\.well-known|oauth2)\// },
  'an answer reached through a redirect': { code: 'REDIRECT_BLOCKED', message: /Your fetch followed it: keep its redirect: "manual"\.$/ },
} as const;
type Kind = keyof typeof answers;

/**
 * A fetch that misbehaves as `kind` says for requests to `path` (every other goes through as sent),
 * and what those requests carried: the Authorization header and every form value (the secrets no
 * error may hold). The redirect is a real one, followed.
 */
function misbehaving(kind: Kind, path: string, org: { url: string; injectFault: (fault: never) => void }): { fetch: typeof fetch; carried: string[] } {
  if (kind === 'an answer reached through a redirect') {
    org.injectFault({ path, kind: 'status', status: 307, headers: { location: `${org.url}/.well-known/openid-configuration` }, count: 1 } as never);
  }
  const carried: string[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    if (new URL(request.url).pathname !== path) return globalThis.fetch(request);
    const authorization = request.headers.get('authorization');
    if (authorization !== null) carried.push(authorization.replace(/^\S+ /, ''));
    if (request.method === 'POST') for (const [, value] of new URLSearchParams(await request.clone().text())) if (value.length >= 24) carried.push(value);
    if (kind === 'an answer reached through a redirect') return globalThis.fetch(new Request(request, { redirect: 'follow' }));
    const response = await globalThis.fetch(request);
    await response.body?.cancel();
    return kind === 'no Response' ? (undefined as unknown as Response) : Response.error();
  };
  return { fetch, carried };
}

const kinds = Object.keys(answers) as Kind[];

function expectTyped(error: OktaAuthError<string>, kind: Kind, secrets: string[]): void {
  expect([error.code, error.message]).toEqual([answers[kind].code, expect.stringMatching(answers[kind].message)]);
  expect(secrets.length).toBeGreaterThan(0);
  const shown = inspect(error, { depth: 9, showHidden: true }) + JSON.stringify(error);
  for (const secret of secrets) expect(shown).not.toContain(secret);
}

describe.each(kinds)("a fetch resolving with %s, at each of okta-oauth's endpoints", (kind) => {
  it('the token endpoint (a service app credential)', async () => {
    const org = await emulator();
    const { fetch, carried } = misbehaving(kind, '/oauth2/v1/token', org);
    const app = serviceApp(org, {}, { fetch });
    const error = await failure(app.okta('/api/v1/users'), isOktaAuthError);
    // What the token request carried: its client_assertion (and DPoP-bound, nothing in a header).
    expectTyped(error, kind, carried);
  });

  it.each([
    ['discovery', '/.well-known/openid-configuration', (client: ReturnType<typeof signInClient>) => client.metadata()],
    ['device authorization', '/oauth2/v1/device/authorize', (client: ReturnType<typeof signInClient>) => client.startDeviceSignIn()],
    ['introspection', '/oauth2/v1/introspect', (client: ReturnType<typeof signInClient>) => client.introspect(accessToken)],
    ['revocation', '/oauth2/v1/revoke', async (client: ReturnType<typeof signInClient>) => {
      const { notRevoked } = await client.signOut(new UserTokens({ accessToken, tokenType: 'Bearer', expiresAt: Date.now() + 3_600_000, scope: 'okta.users.read' }));
      throw notRevoked[0]?.error ?? new Error('revoked');
    }],
  ])('%s', async (_name, path, call) => {
    const org = await emulator();
    const app = org.createSignInApp({ type: 'web', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
    const { fetch, carried } = misbehaving(kind, path, org);
    const client = signInClient(org.url, app, fetch);
    if (path !== '/.well-known/openid-configuration') await client.metadata();
    const error = await failure(call(client), isOktaAuthError);
    expectTyped(error, kind, [app.clientSecret!, ...carried]);
  });
});

const redirectUri = 'http://127.0.0.1:5173/callback';
const accessToken = `at-${'Qw3'.repeat(12)}`;
function signInClient(orgUrl: string, app: { clientId: string; clientSecret?: string | undefined }, fetch: typeof globalThis.fetch) {
  return createSignInClient({ orgUrl, clientId: app.clientId, clientSecret: app.clientSecret, redirectUri, scopes: ['okta.users.read'], allowInsecureLoopback: true, retry: false, fetch });
}
