/**
 * `OktaCredential.authorize(attempt)` is called by the drivers, but it is public: a custom driver
 * or a test calls it too. Every shipped credential (SSWS, service app, OIN app, user) given what
 * is not an attempt refuses with `INVALID_CONFIG` naming `authorize(attempt)` (a rejection, as
 * `authorize` promises), sends nothing, and never hands its header to another origin.
 */
import { isOktaAuthError, type OktaCredential } from '@org/okta-auth-core';
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { createOinAppCredential, createServiceAppCredential, createSignInClient, UserTokens } from '@org/okta-oauth';
import { createSswsCredential } from '@org/okta-ssws';
import { until, wrongArguments } from '@org/okta-test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let org: OktaEmulator;
const scopes = ['okta.users.read'];
const redirectUri = 'http://127.0.0.1:5173/callback';
beforeAll(async () => {
  org = await startEmulator();
});
afterAll(async () => {
  await org.close();
});

const credentials: [string, () => OktaCredential][] = [
  ['ssws', () => createSswsCredential({ orgUrl: org.url, token: org.createApiToken().token, allowInsecureLoopback: true })],
  [
    'service-app',
    () => {
      const app = org.createServiceApp({ scopes, requireDpop: false });
      return createServiceAppCredential({ orgUrl: org.url, clientId: app.clientId, keyId: app.keyId, privateKey: app.privateKeyPem, scopes, dpop: 'off', allowInsecureLoopback: true });
    },
  ],
  [
    'oin-app',
    () => {
      const app = org.createOinApp({ scopes });
      return createOinAppCredential({ orgUrl: org.url, clientId: app.clientId, clientSecret: app.clientSecret, scopes, allowInsecureLoopback: true });
    },
  ],
  [
    'user',
    () => {
      const app = org.createSignInApp({ type: 'native', redirectUris: [redirectUri], scopes });
      const client = createSignInClient({ orgUrl: org.url, clientId: app.clientId, redirectUri, scopes, allowInsecureLoopback: true });
      return client.credential(new UserTokens({ accessToken: `access-${crypto.randomUUID()}`, tokenType: 'Bearer', expiresAt: Date.now() + 3_600_000, scope: scopes[0] }));
    },
  ],
];

/** `resolved`, or our typed error's code and message, or `raw …` (also when it threw instead of rejecting). */
async function outcome(run: () => Promise<unknown>): Promise<string> {
  let settled: Promise<unknown>;
  try {
    settled = run();
  } catch (error) {
    return `raw (thrown, not rejected) ${String(error)}`;
  }
  return settled.then(
    () => 'resolved',
    (error: unknown) => (isOktaAuthError(error) ? `${error.code}: ${error.message}` : `raw ${String(error)}`),
  );
}

describe("every credential's authorize(attempt)", () => {
  const notAttempts: (readonly [string, unknown])[] = [
    ...wrongArguments,
    ['an object without a url', { method: 'GET' }],
    ['a url that is a string', { method: 'GET', url: 'https://acme.okta.com/api/v1/users' }],
    ['no method', { url: new URL('https://acme.okta.com/api/v1/users') }],
    ['a method that is no string', { method: 1, url: new URL('https://acme.okta.com/api/v1/users') }],
    // An object that is no URL: its scheme and host read as undefined made it ORIGIN_MISMATCH, the wrong fix.
    ['a url that is an empty object', { method: 'GET', url: {} }],
    ['a url that is an object with an href only', { method: 'GET', url: { href: 'https://acme.okta.com/api/v1/users' } }],
    ['a url that is a Request', { method: 'GET', url: new Request('https://acme.okta.com/api/v1/users') }],
    ['a url that is an array', { method: 'GET', url: ['https://acme.okta.com/api/v1/users'] }],
  ];

  it.each(credentials)('%s: what is not an attempt is INVALID_CONFIG naming authorize(attempt), nothing sent', async (_, make) => {
    const credential = make();
    org.resetCounters();
    for (const [label, value] of notAttempts) {
      expect(await outcome(() => credential.authorize(value as never)), label).toBe(
        'INVALID_CONFIG: authorize(attempt) takes a request attempt { method, url: URL, signal?, call?, fetch? }.',
      );
    }
    expect(org.counters().requests).toEqual({});
  });

  it.each(credentials)('%s: an attempt whose signal is no AbortSignal is INVALID_CONFIG naming authorize(attempt), nothing sent', async (_, make) => {
    // Core's one signal check (checkSignal's): the user credential threw the runtime's TypeError from its storage wait.
    const credential = make();
    org.resetCounters();
    for (const signal of [{}, 'abort', { aborted: false }, new AbortController()]) {
      expect(await outcome(() => credential.authorize({ method: 'GET', url: new URL('/api/v1/users', org.url), signal: signal as AbortSignal })), String(signal)).toBe(
        'INVALID_CONFIG: authorize(attempt) takes a request attempt { method, url: URL, signal?, call?, fetch? }.',
      );
    }
    expect(org.counters().requests).toEqual({});
  });

  it('user: what is not an attempt is refused before the wait for a first storage write that never settles', async () => {
    // The credential checks the attempt once, before its wait for that write (which reads the attempt's signal).
    const app = org.createSignInApp({ type: 'native', redirectUris: [redirectUri], scopes });
    let writes = 0;
    const storage = {
      get: () => undefined,
      set: () => {
        writes += 1;
        return new Promise<never>(() => undefined);
      },
      remove: () => undefined,
    };
    const client = createSignInClient({ orgUrl: org.url, clientId: app.clientId, redirectUri, scopes, timeoutMs: 60_000, allowInsecureLoopback: true });
    const tokens = new UserTokens({ accessToken: `access-${crypto.randomUUID()}`, tokenType: 'Bearer', expiresAt: Date.now() + 3_600_000, scope: scopes[0] });
    const credential = client.credential(tokens, { storage });
    await until(() => writes === 1, 'the first write');
    for (const value of [{ method: 'GET', url: {} }, { method: 'GET', url: new URL('/api/v1/users', org.url), signal: {} }]) {
      expect(await outcome(() => credential.authorize(value as never))).toBe('INVALID_CONFIG: authorize(attempt) takes a request attempt { method, url: URL, signal?, call?, fetch? }.');
    }
  });

  it.each(credentials)('%s: an attempt on another origin is ORIGIN_MISMATCH, nothing sent', async (_, make) => {
    const credential = make();
    org.resetCounters();
    const result = await outcome(() => credential.authorize({ method: 'GET', url: new URL('https://attacker.example/api/v1/users') }));
    expect(result).toMatch(/^ORIGIN_MISMATCH: /);
    expect(org.counters().requests).toEqual({});
  });

  it.each(credentials)('%s: an attempt on the org still gets its headers', async (_, make) => {
    const headers = await make().authorize({ method: 'GET', url: new URL('/api/v1/users', org.url) });
    expect(headers.authorization).toMatch(/^(SSWS|Bearer) /);
  });

  it.each(credentials)("%s: an attempt whose url is another realm's URL gets its headers (the shape is tested, not instanceof)", async (_, make) => {
    // Not an instance of this realm's URL, as an iframe's (Node.js's vm contexts have no URL): its accessors only.
    const real = new URL('/api/v1/users', org.url);
    const { href, protocol, host, hostname, port, origin, pathname, search, hash } = real;
    const url = { href, protocol, host, hostname, port, origin, pathname, search, hash } as unknown as URL;
    expect(url instanceof URL).toBe(false);
    const headers = await make().authorize({ method: 'GET', url });
    expect(headers.authorization).toMatch(/^(SSWS|Bearer) /);
  });
});
