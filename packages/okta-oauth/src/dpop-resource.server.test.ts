import { paginate, pollSystemLog } from '@org/okta-auth-core';
import { describe, expect, it } from 'vitest';
import { claims, emulator, serviceApp, useEmulators } from './test-helpers/org.js';

useEmulators();

describe('DPoP on resource calls against the emulator', () => {
  it('answers a resource use_dpop_nonce challenge once, with the new nonce', async () => {
    const org = await emulator({ seed: { users: 1 }, dpopNonceLifetimeSeconds: 60 });
    const { okta, wire } = serviceApp(org);
    await okta('/api/v1/users');
    org.requireResourceNonce(true);
    org.setClockOffset(240); // the token endpoint's nonce is now too old
    expect((await okta('/api/v1/users')).status).toBe(200);
    const [, challenged, retried] = wire.apiRequests();
    expect(wire.apiRequests()).toHaveLength(3);
    const before = claims(challenged?.headers.get('dpop'));
    const after = claims(retried?.headers.get('dpop'));
    expect(after.nonce).toBeTruthy();
    expect(after.nonce).not.toBe(before.nonce);
    expect(after.jti).not.toBe(before.jti);
    expect(retried?.headers.get('authorization')).toBe(challenged?.headers.get('authorization'));
    // The nonce is remembered: the next call needs no challenge.
    await okta('/api/v1/users');
    expect(wire.apiRequests()).toHaveLength(4);
    expect(claims(wire.apiRequests()[3]?.headers.get('dpop')).nonce).toBe(after.nonce);
    expect(org.counters().tokenRequests.client_credentials?.success).toBe(1);
  });

  it('signs the decoded path for a login with @ in it', async () => {
    const org = await emulator();
    org.createUser({ login: 'a@b.com', password: 'Passw0rd!x' });
    const { okta, wire } = serviceApp(org);
    const response = await okta(`/api/v1/users/${encodeURIComponent('a@b.com')}`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { profile: { login: string } }).profile.login).toBe('a@b.com');
    expect(wire.apiRequests()[0]?.url.pathname).toBe('/api/v1/users/a%40b.com');
    expect(claims(wire.apiRequests()[0]?.headers.get('dpop')).htu).toBe(`${org.url}/api/v1/users/a@b.com`);
  });

  it('signs every page of a listing afresh, with the htu of that page and no query', async () => {
    const org = await emulator({ seed: { users: 4 } }); // and the org's seeded super admin
    const { okta, wire } = serviceApp(org);
    const users: unknown[] = [];
    for await (const user of paginate(okta, '/api/v1/users?limit=2')) users.push(user);
    expect(users).toHaveLength(5);
    const pages = wire.apiRequests();
    expect(pages).toHaveLength(3);
    expect(pages.every((page) => page.url.searchParams.has('limit'))).toBe(true);
    expect(pages.slice(1).every((page) => page.url.searchParams.has('after'))).toBe(true);
    const proofs = pages.map((page) => claims(page.headers.get('dpop')));
    expect(new Set(proofs.map((p) => p.jti)).size).toBe(3);
    expect(proofs.every((p) => p.htu === `${org.url}/api/v1/users` && p.htm === 'GET')).toBe(true);
    expect(org.counters().tokenRequests.client_credentials?.success).toBe(1);
  });

  it('follows the System Log with okta.logs.read: one token, a new proof for each page and its next link', async () => {
    const org = await emulator();
    for (const n of [1, 2, 3]) org.recordLogEvent({ eventType: 'user.lifecycle.create', target: [{ id: `00u${n}`, type: 'User', alternateId: `u${n}@example.com` }] });
    const { okta, wire } = serviceApp(org, { scopes: ['okta.logs.read'] });
    const seen: unknown[] = [];
    const since = new Date(Date.now() - 60_000).toISOString();
    const filter = encodeURIComponent('eventType eq "user.lifecycle.create"'); // not the token grant the first call records
    for await (const page of pollSystemLog(okta, `/api/v1/logs?since=${since}&limit=2&filter=${filter}`)) {
      seen.push(...page.items);
      if (page.items.length === 0) break;
    }
    expect(seen).toHaveLength(3);
    const pages = wire.apiRequests();
    expect(pages).toHaveLength(3);
    const proofs = pages.map((page) => claims(page.headers.get('dpop')));
    expect(new Set(proofs.map((p) => p.jti)).size).toBe(3);
    expect(proofs.every((p) => p.htu === `${org.url}/api/v1/logs` && p.htm === 'GET')).toBe(true);
    expect(pages.slice(1).every((page) => page.url.searchParams.has('after'))).toBe(true);
    expect(org.counters().tokenRequests.client_credentials?.success).toBe(1);
  });

  it('signs a POST with htm POST', async () => {
    const org = await emulator();
    const { okta, wire } = serviceApp(org, { scopes: ['okta.users.manage'] });
    const response = await okta('/api/v1/users?activate=false', {
      method: 'POST',
      body: JSON.stringify({ profile: { login: 'new@b.com', email: 'new@b.com', firstName: 'N', lastName: 'B' } }),
    });
    expect(response.status).toBe(200);
    expect(claims(wire.apiRequests()[0]?.headers.get('dpop'))).toMatchObject({ htm: 'POST', htu: `${org.url}/api/v1/users` });
  });
});

describe('DPoP htm and the method sent', () => {
  // fetch upper-cases only DELETE, GET, HEAD, OPTIONS, POST and PUT: a `patch` went out as `patch`
  // (refused by the server) under a proof that said PATCH (RFC 9449 §4.3: htm is the request's method).
  it.each([
    ['a URL and init', (url: string) => [url, { method: 'patch', body: '{}' }] as const],
    ['a Request', (url: string) => [new Request(url, { method: 'patch', body: '{}' })] as const],
  ])('sends a lower-case method upper-cased, as its proof signs it (%s)', async (_kind, args) => {
    const org = await emulator({ seed: { users: 1 } });
    const { okta, wire } = serviceApp(org, { scopes: ['okta.users.manage'] });
    const [user] = (await (await okta('/api/v1/users')).json()) as { id: string }[];
    const [input, init] = args(`${org.url}/api/v1/users/${user?.id ?? ''}`);
    // The emulator has no PATCH route: its 405 says it read PATCH (a `patch` was a 400 Bad Request).
    await expect(okta(input, init)).rejects.toMatchObject({ status: 405, errorCode: 'E0000022' });
    const sent = wire.apiRequests()[1];
    expect(sent?.method).toBe('PATCH');
    expect(claims(sent?.headers.get('dpop')).htm).toBe('PATCH');
  });
});

describe('DPoP proofs and the org clock', () => {
  it('re-signs a resource proof once when the org clock moved away from ours', async () => {
    const org = await emulator({ seed: { users: 1 } });
    const { okta, wire } = serviceApp(org);
    await okta('/api/v1/users');
    org.setClockOffset(-600); // our proofs now look ten minutes in the future
    // Bracketed by the clock read before and after the call, whatever real time it took.
    const before = Math.floor(Date.now() / 1000);
    expect((await okta('/api/v1/users')).status).toBe(200);
    const after = Math.ceil(Date.now() / 1000);
    const [, refused, resigned] = wire.apiRequests();
    expect(wire.apiRequests()).toHaveLength(3);
    const refusedAt = claims(refused?.headers.get('dpop')).iat ?? 0;
    const resignedAt = claims(resigned?.headers.get('dpop')).iat ?? 0;
    expect(refusedAt).toBeGreaterThanOrEqual(before);
    expect(refusedAt).toBeLessThanOrEqual(after);
    // On the org's clock (read from its whole-second Date: a second less at most).
    expect(resignedAt).toBeGreaterThanOrEqual(before - 600 - 1);
    expect(resignedAt).toBeLessThanOrEqual(after - 600);
  });

  // Okta refuses a proof at the resource server with the challenge alone (the emulator as Okta; its 400 once carried an
  // E0000011 body, which named the error in its place: no advice). A Date two days off is no clock to follow: no re-sign.
  it("a proof refused at the resource server: invalid_dpop_proof, from the challenge, with the app's advice to check the clock", async () => {
    const org = await emulator({ seed: { users: 1 } });
    const { okta, wire } = serviceApp(org);
    await okta('/api/v1/users');
    org.setClockOffset(-2 * 86_400); // our proofs now look two days in the future
    const error: unknown = await okta('/api/v1/users').catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'OktaApiError', status: 400, errorCode: 'invalid_dpop_proof', errorSummary: 'The DPoP proof JWT is issued in the future.' });
    expect((error as Error).message).toMatch(/^400 invalid_dpop_proof The DPoP proof JWT is issued in the future\. \(GET [^)]+\): Okta refused the DPoP proof for this request; check the system clock/);
    expect((error as { challenges: unknown }).challenges).toEqual([expect.objectContaining({ scheme: 'DPoP', params: expect.objectContaining({ scope: 'okta.users.read' }) })]);
    expect(wire.apiRequests()).toHaveLength(2);
  });
});
