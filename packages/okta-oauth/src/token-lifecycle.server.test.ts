import { isOktaApiError, isOktaAuthError } from '@org/okta-auth-core';
import { describe, expect, it, vi } from 'vitest';
import { isOktaOAuthError } from './errors.js';
import { claims, emulator, serviceApp, useEmulators } from './test-helpers/org.js';

useEmulators();

const successes = (counters: { tokenRequests: Record<string, Record<string, number>> }) => counters.tokenRequests.client_credentials?.success ?? 0;

describe('token cache against the emulator', () => {
  it('200 concurrent requests on a cold cache make one token request', async () => {
    const org = await emulator({ seed: { users: 1 } });
    const { okta, wire } = serviceApp(org);
    const responses = await Promise.all(Array.from({ length: 200 }, () => okta('/api/v1/users?limit=1')));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(org.counters().tokenRequests.client_credentials).toEqual({ use_dpop_nonce: 1, success: 1 });
    expect(new Set(wire.apiRequests().map((r) => r.headers.get('authorization'))).size).toBe(1);
    expect(new Set(wire.apiRequests().map((r) => claims(r.headers.get('dpop')).jti)).size).toBe(200);
  });

  it('a failed token request fails every waiter with the same error, and the next request tries again', async () => {
    const org = await emulator({ seed: { users: 1 } });
    org.injectFault({ path: '/oauth2/v1/token', kind: 'status', status: 503, count: 1 });
    const { okta } = serviceApp(org);
    const errors = await Promise.all(Array.from({ length: 20 }, () => okta('/api/v1/users').catch((e: unknown) => e)));
    expect(new Set(errors).size).toBe(1);
    expect(errors[0]).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', status: 503 });
    expect(org.counters().requests['POST /oauth2/v1/token']).toBe(1);
    expect((await okta('/api/v1/users')).status).toBe(200);
  });

  it('renews a short-lived token before it expires, when a request needs it', async () => {
    // `Date` stands still for the client and the org (this process runs both; timers stay real)
    // and moves only when the test says, so a loaded machine's real seconds never reach the
    // renewal point early (a real 5.5 s sleep left the calls before it 5 s of real time).
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    try {
      const org = await emulator({ seed: { users: 1 }, tokenLifetimeSeconds: 10 });
      const { okta, wire } = serviceApp(org);
      await okta('/api/v1/users');
      vi.setSystemTime(Date.now() + 4500); // before half of the 10 s lifetime (the renewal point)
      await okta('/api/v1/users');
      expect(successes(org.counters())).toBe(1);
      vi.setSystemTime(Date.now() + 1000); // past it
      await okta('/api/v1/users');
      expect(successes(org.counters())).toBe(2);
      const tokens = wire.apiRequests().map((r) => r.headers.get('authorization'));
      expect(tokens[1]).toBe(tokens[0]);
      expect(tokens[2]).not.toBe(tokens[0]);
      expect(org.counters().requests['GET /api/v1/users']).toBe(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('recovers once from a token that expired early on the server (clock offset)', async () => {
    const org = await emulator({ seed: { users: 1 }, tokenLifetimeSeconds: 600 });
    const { okta } = serviceApp(org);
    await okta('/api/v1/users');
    org.setClockOffset(700);
    expect((await okta('/api/v1/users')).status).toBe(200);
    expect(successes(org.counters())).toBe(2);
  });

  it('recovers once from a revoked token', async () => {
    const org = await emulator({ seed: { users: 1 } });
    const { okta, wire } = serviceApp(org);
    await okta('/api/v1/users');
    org.revokeAccessTokens();
    expect((await okta('/api/v1/users')).status).toBe(200);
    expect(successes(org.counters())).toBe(2);
    expect(org.counters().requests['GET /api/v1/users']).toBe(3);
    const [, revoked, retried] = wire.apiRequests();
    expect(retried?.headers.get('authorization')).not.toBe(revoked?.headers.get('authorization'));

  });

  it('gives up after one retry when the new token is refused too', async () => {
    const org = await emulator({ seed: { users: 1 } });
    // Every token is revoked as soon as it is issued.
    const revoking = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      const response = await globalThis.fetch(request);
      if (request.url.endsWith('/oauth2/v1/token')) org.revokeAccessTokens();
      return response;
    }) as typeof fetch;
    const { okta } = serviceApp(org, {}, { fetch: revoking });
    const error: unknown = await okta('/api/v1/users').catch((e: unknown) => e);
    expect(isOktaApiError(error)).toBe(true);
    // The invalid_token challenge names the code over the E0000011 body beside it (its summary stays the body's).
    expect(error).toMatchObject({ status: 401, errorCode: 'invalid_token', errorSummary: 'Invalid token provided' });
    expect((error as Error).message).toMatch(/freshly obtained access token too/);
    expect(successes(org.counters())).toBe(2);
    expect(org.counters().requests['GET /api/v1/users']).toBe(2);
  });

  it('a 429 from the token endpoint waits for the reset and retries with a fresh assertion and proof', async () => {
    const org = await emulator({ seed: { users: 1 } });
    // The 429 names its own reset, a second from now on the org's clock (or already past when a
    // loaded machine is slow: the client then waits its one-second margin). A real window moved to
    // a second before its end was over after one real second, and the next window's reset, a
    // minute away, is past the retry budget: RATE_LIMITED.
    const reset = String(Math.floor(Date.now() / 1000) + 1);
    org.injectFault({ path: '/oauth2/v1/token', kind: 'status', status: 429, count: 1, headers: { 'X-Rate-Limit-Reset': reset } });
    const { okta, wire } = serviceApp(org, { requireDpop: false });
    expect((await okta('/api/v1/users')).status).toBe(200);
    const [limited, retried] = wire.tokenRequests();
    expect(wire.tokenRequests()).toHaveLength(2);
    expect(retried?.headers.get('x-okta-retry-count')).toBe('1');
    expect(claims(retried?.form?.get('client_assertion')).jti).not.toBe(claims(limited?.form?.get('client_assertion')).jti);
    expect(claims(retried?.headers.get('dpop')).jti).not.toBe(claims(limited?.headers.get('dpop')).jti);
  });

  it('a 429 that outlasts the retries is RATE_LIMITED', async () => {
    const org = await emulator();
    org.injectFault({ path: '/oauth2/v1/token', kind: 'status', status: 429 });
    const { okta } = serviceApp(org, {}, { retry: false });
    const error: unknown = await okta('/api/v1/users').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
  });

  it.each([
    ['html', { kind: 'html' }, 'TOKEN_REQUEST_FAILED'],
    ['non-json 200', { kind: 'non-json', status: 200 }, 'INVALID_TOKEN_RESPONSE'],
    ['truncated', { kind: 'truncate' }, undefined],
    ['dropped connection', { kind: 'drop' }, 'NETWORK_ERROR'],
    ['503', { kind: 'status', status: 503 }, 'TOKEN_REQUEST_FAILED'],
  ] as const)('a %s token answer is a typed error and nothing is cached', async (_name, fault, code) => {
    const org = await emulator({ seed: { users: 1 } });
    const { okta } = serviceApp(org, { requireDpop: false });
    org.injectFault({ path: '/oauth2/v1/token', count: 1, ...fault });
    const error: unknown = await okta('/api/v1/users').catch((e: unknown) => e);
    expect(isOktaAuthError(error)).toBe(true);
    if (code !== undefined) expect((error as { code: string }).code).toBe(code);
    else expect(['INVALID_TOKEN_RESPONSE', 'NETWORK_ERROR', 'TIMEOUT']).toContain((error as { code: string }).code);
    expect((await okta('/api/v1/users')).status).toBe(200);
    expect(org.counters().requests['GET /api/v1/users']).toBe(1);
  });

  it('a token answer that is not JSON carries status and request id', async () => {
    const org = await emulator();
    const { okta } = serviceApp(org, { requireDpop: false });
    org.injectFault({ path: '/oauth2/v1/token', count: 1, kind: 'non-json', status: 200 });
    const error: unknown = await okta('/api/v1/users').catch((e: unknown) => e);
    expect(isOktaOAuthError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'INVALID_TOKEN_RESPONSE', status: 200 });
    expect((error as { requestId?: string }).requestId).toBeTruthy();
  });

  it('an aborted request stops waiting without failing the others', async () => {
    const org = await emulator({ seed: { users: 1 } });
    org.injectFault({ path: '/oauth2/v1/token', kind: 'latency', latencyMs: 300, count: 2 });
    const { okta } = serviceApp(org);
    const controller = new AbortController();
    const aborted = okta('/api/v1/users', { signal: controller.signal }).catch((e: unknown) => e);
    const patient = okta('/api/v1/users');
    controller.abort();
    expect(await aborted).toMatchObject({ code: 'ABORTED' });
    expect((await patient).status).toBe(200);
    expect(successes(org.counters())).toBe(1);
  });
});

describe('malformed token answers through the whole credential', () => {
  // The emulator's answer, rewritten on its way back: the emulator has no fault for these bodies.
  const rewriting = (rewrite: (body: Record<string, unknown>) => unknown) => {
    let pending = 1;
    return (async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      const response = await globalThis.fetch(request);
      if (!request.url.endsWith('/oauth2/v1/token') || !response.ok || pending-- <= 0) return response;
      const body = (await response.json()) as Record<string, unknown>;
      return new Response(JSON.stringify(rewrite(body)), { status: 200, headers: response.headers });
    }) as typeof fetch;
  };

  it.each([
    ['no access_token', (b: Record<string, unknown>) => ({ ...b, access_token: undefined }), /without an "access_token"/],
    ['a bad expires_in', (b: Record<string, unknown>) => ({ ...b, expires_in: 'soon' }), /"expires_in"/],
    ['a negative expires_in', (b: Record<string, unknown>) => ({ ...b, expires_in: -1 }), /"expires_in"/],
    ['an unexpected token_type', (b: Record<string, unknown>) => ({ ...b, token_type: 'N_A' }), /unexpected token_type "N_A"/],
    ['an error body with status 200', (b: Record<string, unknown>) => ({ error: 'invalid_client', scope: b.scope }), /without an "access_token"/],
  ])('%s is an error, never a cached token', async (_name, rewrite, message) => {
    const org = await emulator({ seed: { users: 1 } });
    const fetch = rewriting(rewrite);
    const { okta } = serviceApp(org, { requireDpop: false }, { fetch });
    const error: unknown = await okta('/api/v1/users').catch((e: unknown) => e);
    expect(isOktaOAuthError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'INVALID_TOKEN_RESPONSE', status: 200 });
    expect((error as Error).message).toMatch(message);
    expect(org.counters().requests['GET /api/v1/users']).toBeUndefined();
    expect((await okta('/api/v1/users')).status).toBe(200);
    expect(org.counters().tokenRequests.client_credentials?.success).toBe(2);
  });
});

// Expiry is kept on the wall clock (`Date.now()`), as Okta keeps it: a monotonic clock would not
// count a laptop's sleep. A step of this host's clock (NTP, a VM resumed) costs one token request,
// never a loop: forward, the token looks expired and is renewed once; back, it looks fresh past its
// real expiry, Okta answers 401 invalid_token, and the credential drops it and retries once. New
// expiries are then read on the stepped clock, so the next calls reuse the new token.
describe('a step of the local clock (Okta keeps its own time)', () => {
  const hour = 3_600_000;
  it.each([
    ['forward an hour: one early renewal', hour, 0, { invalid_client: 1, success: 2 }],
    ['back an hour: one 401, one renewal, past the real expiry', -hour, 3_700_000, { success: 2 }],
  ])('%s, then no more token requests', async (_, step, later, tokenRequests) => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    try {
      const org = await emulator({ seed: { users: 1 } });
      const { okta, wire } = serviceApp(org, { requireDpop: false }, { dpop: 'off' });
      const start = Date.now();
      await okta('/api/v1/users');
      // This host's clock steps and `later` passes; the org's clock only moves on by `later` (its
      // clock is this process's Date plus its offset).
      vi.setSystemTime(start + step + later);
      org.setClockOffset(-step / 1000);
      for (let i = 0; i < 3; i++) expect((await okta('/api/v1/users')).status).toBe(200);
      // One renewal. Forward: its first assertion, signed by the stepped clock, is refused and re-signed by Okta's `Date` once.
      // Back: the 401's `Date` has corrected the clock already, so the renewal's assertion is signed on Okta's time at once.
      expect(org.counters().tokenRequests.client_credentials).toEqual(tokenRequests);
      // Back: the one request that carried the token Okta had expired, and its retry.
      expect(wire.apiRequests().map((r) => r.headers.get('authorization') === wire.apiRequests()[0]?.headers.get('authorization'))).toEqual(step < 0 ? [true, true, false, false, false] : [true, false, false, false]);
    } finally {
      vi.useRealTimers();
    }
  });
});
