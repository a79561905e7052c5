import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator } from '../index.js';
import { rawRequest, ssws } from '../test-helpers/http.js';
import { basic, postToken } from '../test-helpers/oauth.js';

describe('fault injection', () => {
  let org: OktaEmulator;
  let h: Record<string, string>;
  beforeAll(async () => {
    org = await startEmulator({ seed: { users: 2 } });
    h = ssws(org.createApiToken().token);
  });
  afterAll(() => org.close());
  beforeEach(() => {
    org.clearFaults();
    org.setClockOffset(0);
  });

  const users = () => fetch(`${org.url}/api/v1/users`, { headers: h });

  it.each([
    [500, 'E0000009'],
    [502, 'E0000009'],
    [503, 'E0000009'],
  ])('answers %i with an Okta body for `count` requests, then recovers', async (status, errorCode) => {
    org.injectFault({ path: '/api/v1/users', kind: 'status', status, count: 2 });
    for (let i = 0; i < 2; i++) {
      const res = await users();
      expect(res.status).toBe(status);
      expect((await res.json()).errorCode).toBe(errorCode);
      expect(res.headers.get('x-okta-request-id')).toBeTruthy();
    }
    expect((await users()).status).toBe(200);
  });

  it('adds latency and still answers', async () => {
    org.injectFault({ path: '/api/v1/users', kind: 'latency', latencyMs: 50, count: 1 });
    const res = await users();
    expect(res.status).toBe(200);
    expect(await res.json()).toHaveLength(3); // and the seeded super admin
  });

  it('drops the connection', async () => {
    org.injectFault({ path: '/api/v1/users', kind: 'drop', count: 1 });
    await expect(users()).rejects.toThrow();
    expect((await users()).status).toBe(200);
  });

  it('truncates the body', async () => {
    org.injectFault({ path: '/api/v1/users', kind: 'truncate', count: 1 });
    const res = await users();
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
  });

  it('sends a non-JSON body labelled as JSON', async () => {
    org.injectFault({ path: '/api/v1/users', kind: 'non-json', count: 1 });
    const res = await users();
    expect(res.headers.get('content-type')).toBe('application/json');
    await expect(res.json()).rejects.toThrow();
  });

  it('sends an HTML error page', async () => {
    org.injectFault({ path: '/api/v1/users', kind: 'html', count: 1 });
    const res = await users();
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toMatch(/^<!DOCTYPE html>/);
  });

  it.each([301, 302, 307])('answers a %i redirect to `location` (another origin), without following it', async (status) => {
    const other = await startEmulator();
    try {
      org.injectFault({ path: '/api/v1/users', kind: 'redirect', status, location: `${other.url}/api/v1/users`, count: 1 });
      const res = await fetch(`${org.url}/api/v1/users`, { headers: h, redirect: 'manual' });
      expect(res.status).toBe(status);
      expect(res.headers.get('location')).toBe(`${other.url}/api/v1/users`);
      expect(res.headers.get('x-okta-request-id')).toBeTruthy();
      expect(other.counters().requests).toEqual({});
      expect((await users()).status).toBe(200);
    } finally {
      await other.close();
    }
  });

  it('refuses a redirect without a location or with a status that is not a redirect, and a location on another kind', () => {
    expect(() => org.injectFault({ path: '/x', kind: 'redirect' })).toThrow(/location must be the URL to redirect to/);
    expect(() => org.injectFault({ path: '/x', kind: 'redirect', location: 'https://a.example', status: 200 })).toThrow(/must be a redirect status/);
    expect(() => org.injectFault({ path: '/x', kind: 'drop', location: 'https://a.example' })).toThrow(/kind "redirect" only/);
  });

  it('matches a prefix ending in *', async () => {
    org.injectFault({ path: '/api/v1/*', kind: 'status', status: 503 });
    expect((await users()).status).toBe(503);
    expect((await fetch(`${org.url}/api/v1/groups`, { headers: h })).status).toBe(503);
    expect((await fetch(`${org.url}/oauth2/v1/keys`)).status).toBe(200);
  });

  it('lasts durationMs on the org clock', async () => {
    org.injectFault({ path: '/api/v1/users', kind: 'status', status: 500, durationMs: 60_000 });
    expect((await users()).status).toBe(500);
    expect((await users()).status).toBe(500);
    org.setClockOffset(61);
    expect((await users()).status).toBe(200);
  });

  it('applies to the token endpoint', async () => {
    const oin = org.createOinApp({ scopes: ['okta.users.read'] });
    org.injectFault({ path: '/oauth2/v1/token', kind: 'status', status: 503, count: 1 });
    const auth = { Authorization: basic(oin.clientId, oin.clientSecret) };
    expect((await postToken(org, { grant_type: 'client_credentials', scope: 'okta.users.read' }, auth)).status).toBe(503);
    expect((await postToken(org, { grant_type: 'client_credentials', scope: 'okta.users.read' }, auth)).status).toBe(200);
  });

  it('fails the next token request with a scripted OAuth error body and headers', async () => {
    const oin = org.createOinApp({ scopes: ['okta.users.read'] });
    const auth = { Authorization: basic(oin.clientId, oin.clientSecret) };
    const error = { error: 'invalid_grant', error_description: 'The refresh token is invalid or expired.' };
    org.injectFault({ path: '/oauth2/v1/token', kind: 'status', status: 400, body: error, headers: { 'Cache-Control': 'no-store' }, count: 1 });
    const failed = await postToken(org, { grant_type: 'client_credentials', scope: 'okta.users.read' }, auth);
    expect(failed.status).toBe(400);
    expect(failed.headers.get('cache-control')).toBe('no-store');
    expect(await failed.json()).toEqual(error);
    expect((await postToken(org, { grant_type: 'client_credentials', scope: 'okta.users.read' }, auth)).status).toBe(200);
  });

  it('lets a fault header replace the org\'s header of that name, whatever its case (one X-Rate-Limit-Reset, not two)', async () => {
    for (const name of ['x-rate-limit-reset', 'X-RATE-LIMIT-RESET']) {
      org.injectFault({ path: '/api/v1/users', kind: 'status', status: 429, headers: { [name]: '1234567890' }, count: 1 });
      const res = await rawRequest(`${org.url}/api/v1/users`, { headers: h });
      expect(res.status).toBe(429);
      const resets = res.rawHeaders.flatMap((header, i) => (i % 2 === 0 && header.toLowerCase() === 'x-rate-limit-reset' ? [res.rawHeaders[i + 1]] : []));
      expect(resets).toEqual(['1234567890']);
    }
  });

  it('lays headers over the real answer, an empty value removing one (an answer without Date, or with another Date)', async () => {
    org.injectFault({ path: '/api/v1/users', kind: 'headers', headers: { Date: '', 'cache-control': 'no-store' }, count: 1 });
    const bare = await rawRequest(`${org.url}/api/v1/users`, { headers: h });
    expect(bare.status).toBe(200);
    expect(bare.rawHeaders.filter((_, i) => i % 2 === 0).map((name) => name.toLowerCase())).not.toContain('date');
    expect(bare.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(bare.body)).toHaveLength(3);
    const then = 'Mon, 01 Jan 2024 00:00:00 GMT';
    org.injectFault({ path: '/api/v1/users', kind: 'headers', headers: { date: then }, count: 1 });
    const dated = await rawRequest(`${org.url}/api/v1/users`, { headers: h });
    expect(dated.rawHeaders.filter((name, i) => i % 2 === 0 && name.toLowerCase() === 'date')).toHaveLength(1);
    expect(dated.headers.date).toBe(then);
    expect(Date.parse((await users()).headers.get('date') ?? '')).toBeGreaterThan(Date.parse(then));
    expect(() => org.injectFault({ path: '/x', kind: 'headers' })).toThrow(/required for kind "headers"/);
  });

  it('rejects a body or headers on a kind other than status, with what to fix', () => {
    expect(() => org.injectFault({ path: '/x', kind: 'drop', body: { error: 'x' } })).toThrow(/kind "status" only/);
    expect(() => org.injectFault({ path: '/x', kind: 'drop', headers: {} })).toThrow(/kinds "status" and "headers" only/);
    expect(() => org.injectFault({ path: '/x', kind: 'status', headers: { a: 1 as unknown as string } })).toThrow(/headers must be an object of strings/);
  });

  it('clearFaults() removes every fault', async () => {
    org.injectFault({ path: '/api/v1/users', kind: 'status', status: 500 });
    org.clearFaults();
    expect((await users()).status).toBe(200);
  });

  it('removeFault(id) ends that fault alone, another stays; the id of a spent fault or of no fault removes nothing', async () => {
    const outage = org.injectFault({ path: '/api/v1/users', kind: 'status', status: 503 });
    const tokenFault = org.injectFault({ path: '/oauth2/v1/token', kind: 'status', status: 500 });
    expect((await users()).status).toBe(503);
    expect(org.removeFault(outage)).toBe(true);
    expect((await users()).status).toBe(200);
    expect(org.removeFault(outage)).toBe(false);
    expect(org.removeFault('flt-unknown')).toBe(false);
    expect((await fetch(`${org.url}/oauth2/v1/token`, { method: 'POST' })).status).toBe(500);
    expect(org.removeFault(tokenFault)).toBe(true);
    const once = org.injectFault({ path: '/api/v1/users', kind: 'status', status: 503, count: 1 });
    expect((await users()).status).toBe(503);
    expect(org.removeFault(once)).toBe(false);
  });

  it('removeFault, heldAnswers and releaseHeld refuse an id that is no string, saying what to give, and remove nothing', async () => {
    // Such as `org.removeFault(fault.id)`, where `injectFault` returned the id itself: `undefined`.
    const outage = org.injectFault({ path: '/api/v1/users', kind: 'status', status: 503 });
    const calls = { removeFault: (id: unknown) => org.removeFault(id as string), heldAnswers: (id: unknown) => org.heldAnswers(id as string), releaseHeld: (id: unknown) => org.releaseHeld(id as string) };
    for (const [name, call] of Object.entries(calls)) {
      for (const [id, shown] of [[undefined, 'undefined'], [null, 'null'], [42, '42'], [{ id: outage }, 'an object']] as const) {
        expect(() => call(id), `${name}(${shown})`).toThrow(
          expect.objectContaining({ code: 'INVALID_OPTION', option: 'id', message: `${name}: id must be a fault id, what injectFault returned (such as 'flt…'), not ${shown}.` }),
        );
      }
    }
    expect((await users()).status).toBe(503);
    expect(org.removeFault(outage)).toBe(true);
  });

  it('removes one fault over DELETE /__emulator/faults/{id}, answering whether it was there', async () => {
    const created = await fetch(`${org.url}/__emulator/faults`, { method: 'POST', body: JSON.stringify({ path: '/api/v1/users', kind: 'status', status: 503 }) });
    const { id } = (await created.json()) as { id: string };
    expect((await users()).status).toBe(503);
    const removed = await fetch(`${org.url}/__emulator/faults/${id}`, { method: 'DELETE' });
    expect([removed.status, await removed.json()]).toEqual([200, { removed: true }]);
    expect((await users()).status).toBe(200);
    expect(await (await fetch(`${org.url}/__emulator/faults/${id}`, { method: 'DELETE' })).json()).toEqual({ removed: false });
  });

  it('is driven over /__emulator/faults too', async () => {
    const created = await fetch(`${org.url}/__emulator/faults`, { method: 'POST', body: JSON.stringify({ path: '/api/v1/users', kind: 'status', status: 503, count: 1 }) });
    expect((await created.json()).id).toBeTruthy();
    expect((await users()).status).toBe(503);
    await fetch(`${org.url}/__emulator/faults`, { method: 'POST', body: JSON.stringify({ path: '/api/v1/users', kind: 'status' }) });
    expect((await fetch(`${org.url}/__emulator/faults`, { method: 'DELETE' })).status).toBe(204);
    expect((await users()).status).toBe(200);
    const bad = await fetch(`${org.url}/__emulator/faults`, { method: 'POST', body: JSON.stringify({ path: '/x', kind: 'explode' }) });
    expect(bad.status).toBe(400);
  });
});
