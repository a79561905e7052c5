/**
 * Security round 2 (issue 12), bounds: a hostile org on 127.0.0.1 offers endless error bodies,
 * stalls bodies past the timeout and loops pagination. Every read is bounded (the server gets to
 * send a few MB of a 100 MB body at most: the client cancels), every stall is a typed `TIMEOUT`,
 * every loop a typed error.
 */
import { createSign } from 'node:crypto';
import { createOktaFetch, isOktaAuthError, paginate } from '@org/okta-auth-core';
import { createOktaKy } from '@org/okta-auth-core/ky';
import { createServiceAppCredential, createSignInClient, UserTokens } from '@org/okta-oauth';
import { createSswsCredential } from '@org/okta-ssws';
import { newKeyPair } from '@org/okta-test-utils';
import { afterEach, beforeEach, describe, expect, it, type TestContext } from 'vitest';
import { outcome } from './test-helpers/calls.js';
import { clientKeyPem, json, stall, startHostileOrg, stream, type HostileOrg } from './test-helpers/hostile.js';

let org: HostileOrg;
/** A new hostile org as `org` for each test of the block (its tests run one at a time). */
function orgPerTest(): void {
  beforeEach(async () => {
    org = await startHostileOrg();
  });
  afterEach(async () => {
    await org.close();
  });
}
/** A hostile org of the test's own, closed when it ends (for tests that run at once). */
async function ownOrg({ onTestFinished }: TestContext): Promise<HostileOrg> {
  const started = await startHostileOrg();
  onTestFinished(() => started.close());
  return started;
}

/** What the client may let a server send of a 100 MB body: 64 KiB kept, plus socket buffers (about 4 MiB on loopback); ky alone would read 10 MiB. */
const sendBound = 8 * 1024 * 1024;
const apiToken = '00hostileHostileHostileHostile0000000000';
const codeOf = (result: { ok: boolean; error?: unknown }): string | undefined => (!result.ok && isOktaAuthError(result.error) ? result.error.code : undefined);

const ssws = () => createSswsCredential({ orgUrl: org.url, token: apiToken, allowInsecureLoopback: true });
const serviceApp = () =>
  createServiceAppCredential({ orgUrl: org.url, clientId: '0oa-svc', privateKey: clientKeyPem(), scopes: ['okta.users.read'], dpop: 'off', allowInsecureLoopback: true, retry: false });
const signInClient = (timeoutMs = 30_000, on: HostileOrg = org) =>
  createSignInClient({
    orgUrl: on.url,
    clientId: '0oa-hostile',
    clientSecret: 'hostile-client-secret-0000000000',
    redirectUri: 'http://127.0.0.1:5173/callback',
    scopes: ['openid', 'offline_access', 'okta.users.read'],
    allowInsecureLoopback: true,
    retry: false,
    timeoutMs,
  });

/** Routes `path` to a 100 MB body; resolves when the server is done with it. */
function endless(path: string, status: number, contentType = 'application/json'): { closed: Promise<void> } {
  const box: { closed: Promise<void> } = { closed: Promise.resolve() };
  org.route(path, (_request, res) => {
    box.closed = stream(org, res, status, { 'content-type': contentType });
  });
  return { get closed() { return box.closed; } };
}

describe('a 100 MB body is never read whole (item 7)', () => {
  orgPerTest();
  it.each([
    ['fetch driver: a 500', 'API_ERROR', '/api/v1/users', 500, () => createOktaFetch({ credential: ssws(), retry: false })('/api/v1/users', { method: 'POST', body: '{}' })],
    ['ky hooks: a 500', 'API_ERROR', '/api/v1/users', 500, () => createOktaKy({ credential: ssws(), retry: false }).post('api/v1/users', { json: {} }).json()],
    ['token endpoint: a 400', 'TOKEN_REQUEST_FAILED', '/oauth2/v1/token', 400, () => createOktaFetch({ credential: serviceApp() })('/api/v1/users')],
    ['token endpoint: a 200', 'INVALID_TOKEN_RESPONSE', '/oauth2/v1/token', 200, () => createOktaFetch({ credential: serviceApp() })('/api/v1/users')],
    ['sign-in HTTP: an introspection 400', 'OAUTH_ERROR', '/oauth2/v1/introspect', 400, () => signInClient().introspect('some-access-token-value')],
    ['sign-in HTTP: an introspection 200', 'INVALID_RESPONSE', '/oauth2/v1/introspect', 200, () => signInClient().introspect('some-access-token-value')],
  ] as const)('%s with a 100 MB body gives %s having let the server send under 8 MiB', async (_name, code, path, status, call) => {
    const served = endless(path, status);
    const result = await outcome(call());
    await served.closed;
    expect(codeOf(result)).toBe(code);
    expect(org.streamed.bytes).toBeLessThan(sendBound);
  });
});

/**
 * Long enough that the requests before the stalled one (discovery, the token request) are answered
 * in time on a loaded machine, so the TIMEOUT is the stalled body's: each test checks that its
 * message names the stalled request.
 */
const STALL_TIMEOUT_MS = 2_000;
const stalledBody = (result: Awaited<ReturnType<typeof outcome>>): string =>
  !result.ok && result.error instanceof Error ? result.error.message : '';

// At once (each test its own org and client): most of each test is its stall's timeoutMs.
describe.concurrent('a body that stalls past timeoutMs is a typed TIMEOUT (item 12)', () => {
  it('discovery: a stalled document is TIMEOUT, not a raw DOMException', async (context) => {
    const { expect } = context;
    const org = await ownOrg(context);
    org.route('/.well-known/openid-configuration', (_request, res) => {
      stall(res, 200, '{"issuer":');
    });
    const result = await outcome(signInClient(STALL_TIMEOUT_MS, org).introspect('some-access-token-value'));
    expect(codeOf(result)).toBe('TIMEOUT');
    expect(stalledBody(result)).toMatch(/GET [\w.:-]+\/\.well-known\/openid-configuration .*the body stalled/);
  });

  it.for([
    ['introspection', '/oauth2/v1/introspect', (client: ReturnType<typeof signInClient>): Promise<unknown> => client.introspect('some-access-token-value')],
    ['device authorization', '/oauth2/v1/device/authorize', (client: ReturnType<typeof signInClient>): Promise<unknown> => client.startDeviceSignIn()],
  ] as const)('%s: a stalled answer is TIMEOUT, not a raw DOMException', async ([, path, call], context) => {
    const { expect } = context;
    const org = await ownOrg(context);
    org.route(path, (_request, res) => {
      stall(res, 200, '{"active":');
    });
    const result = await outcome(call(signInClient(STALL_TIMEOUT_MS, org)));
    expect(codeOf(result)).toBe('TIMEOUT');
    expect(stalledBody(result)).toContain(`${path} got no complete answer`);
    expect(stalledBody(result)).toContain('the body stalled');
  });

  it('JWKS: a stalled key set while validating an ID token is TIMEOUT, not ID_TOKEN_INVALID reason=signature', async (context) => {
    const { expect } = context;
    const org = await ownOrg(context);
    const { privateKey } = newKeyPair({ type: 'rsa', modulusLength: 2048 });
    const now = Math.floor(Date.now() / 1000);
    const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    const input = `${b64({ alg: 'RS256', kid: 'k1', typ: 'JWT' })}.${b64({ iss: org.url, aud: '0oa-hostile', sub: '00u1', iat: now, exp: now + 3600 })}`;
    const idToken = `${input}.${createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url')}`;
    org.route('/oauth2/v1/token', (_request, res) => {
      json(res, 200, { access_token: 'at-refreshed-0000000000000000', token_type: 'Bearer', expires_in: 3600, refresh_token: 'rt-refreshed-000000000000000', id_token: idToken, scope: 'openid okta.users.read' });
    });
    org.route('/oauth2/v1/keys', (_request, res) => {
      stall(res, 200, '{"keys":[');
    });
    const tokens = UserTokens.fromStorable({ version: 1, accessToken: 'at-expired-000000000000000', tokenType: 'Bearer', refreshToken: 'rt-current-000000000000000', expiresAt: Date.now() - 1000 });
    const credential = signInClient(STALL_TIMEOUT_MS, org).credential(tokens);
    // The API call's own bound past the stall's: the credential would give it the sign-in client's (credopts140).
    const result = await outcome(createOktaFetch({ credential, timeoutMs: 30_000 })('/api/v1/users'));
    expect(codeOf(result)).toBe('TIMEOUT');
    expect(stalledBody(result)).toMatch(/\/oauth2\/v1\/keys .*the body stalled/);
  });
});

describe('paginate stops on loops and huge Link headers (item 11)', () => {
  orgPerTest();
  const walk = async (path: string) => {
    const okta = createOktaFetch({ credential: ssws() });
    const items: unknown[] = [];
    const result = await outcome((async () => {
      for await (const item of paginate(okta, path)) items.push(item);
    })());
    return { result, items };
  };

  it('a next link to the page itself stops with INVALID_RESPONSE after one page', async () => {
    org.route('/api/v1/users', (request, res) => {
      json(res, 200, [{ id: 1 }], { link: `<${request.url.href}>; rel="next"` });
    });
    const { result } = await walk('/api/v1/users?limit=1');
    expect(codeOf(result)).toBe('INVALID_RESPONSE');
    expect(org.requests.filter((r) => r.path === '/api/v1/users')).toHaveLength(1);
  });

  it('an A↔B cycle of next links stops with INVALID_RESPONSE after two pages', async () => {
    org.route('/api/v1/users', (request, res) => {
      const next = request.url.searchParams.get('after') === 'b' ? `${org.url}/api/v1/users?after=a` : `${org.url}/api/v1/users?after=b`;
      json(res, 200, [{ id: 1 }], { link: `<${next}>; rel="next"` });
    });
    const { result } = await walk('/api/v1/users?after=a');
    expect(codeOf(result)).toBe('INVALID_RESPONSE');
    expect(org.requests.filter((r) => r.path === '/api/v1/users')).toHaveLength(2);
  });

  it('a 1 MB Link header is a typed INVALID_RESPONSE naming the headers, not NETWORK_ERROR (fetch and ky)', async () => {
    org.route('/api/v1/users', (_request, res) => {
      json(res, 200, [{ id: 1 }], { link: `<${org.url}/api/v1/users?after=${'x'.repeat(1024 * 1024)}>; rel="next"` });
    });
    const { result } = await walk('/api/v1/users');
    expect(codeOf(result)).toBe('INVALID_RESPONSE');
    expect((result as { error: Error }).error.message).toMatch(/headers/);
    const viaKy = await outcome(createOktaKy({ credential: ssws(), retry: false }).get('api/v1/users').json());
    expect(codeOf(viaKy)).toBe('INVALID_RESPONSE');
  });
});
