import { beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../index.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { rawRequest, ssws } from '../test-helpers/http.js';
import { basic, postToken } from '../test-helpers/oauth.js';

describe('fault injection', () => {
  const env = useApiTokenOrg({ seed: { users: 2 } });
  beforeEach(() => {
    env.org.clearFaults();
    env.org.setClockOffset(0);
  });

  const users = () => fetch(`${env.org.url}/api/v1/users`, { headers: ssws(env.token) });

  it.each([
    [500, 'E0000009'],
    [502, 'E0000009'],
    [503, 'E0000009'],
  ])('answers %i with an Okta body for `count` requests, then recovers', async (status, errorCode) => {
    env.org.injectFault({ path: '/api/v1/users', kind: 'status', status, count: 2 });
    for (let i = 0; i < 2; i++) {
      const res = await users();
      expect(res.status).toBe(status);
      expect((await res.json()).errorCode).toBe(errorCode);
      expect(res.headers.get('x-okta-request-id')).toBeTruthy();
    }
    expect((await users()).status).toBe(200);
  });

  it('adds latency and still answers', async () => {
    env.org.injectFault({ path: '/api/v1/users', kind: 'latency', latencyMs: 50, count: 1 });
    const res = await users();
    expect(res.status).toBe(200);
    expect(await res.json()).toHaveLength(3); // and the seeded super admin
  });

  it('drops the connection', async () => {
    env.org.injectFault({ path: '/api/v1/users', kind: 'drop', count: 1 });
    await expect(users()).rejects.toThrow();
    expect((await users()).status).toBe(200);
  });

  it('truncates the body', async () => {
    env.org.injectFault({ path: '/api/v1/users', kind: 'truncate', count: 1 });
    const res = await users();
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
  });

  it('sends a non-JSON body labelled as JSON', async () => {
    env.org.injectFault({ path: '/api/v1/users', kind: 'non-json', count: 1 });
    const res = await users();
    expect(res.headers.get('content-type')).toBe('application/json');
    await expect(res.json()).rejects.toThrow();
  });

  it('sends an HTML error page', async () => {
    env.org.injectFault({ path: '/api/v1/users', kind: 'html', count: 1 });
    const res = await users();
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toMatch(/^<!DOCTYPE html>/);
  });

  it.each([301, 302, 307])('answers a %i redirect to `location` (another origin), without following it', async (status) => {
    const other = await startEmulator();
    try {
      env.org.injectFault({ path: '/api/v1/users', kind: 'redirect', status, location: `${other.url}/api/v1/users`, count: 1 });
      const res = await fetch(`${env.org.url}/api/v1/users`, { headers: ssws(env.token), redirect: 'manual' });
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
    expect(() => env.org.injectFault({ path: '/x', kind: 'redirect' })).toThrow(/location must be the URL to redirect to/);
    expect(() => env.org.injectFault({ path: '/x', kind: 'redirect', location: 'https://a.example', status: 200 })).toThrow(/must be a redirect status/);
    expect(() => env.org.injectFault({ path: '/x', kind: 'drop', location: 'https://a.example' })).toThrow(/kind "redirect" only/);
  });

  it('matches a prefix ending in *', async () => {
    env.org.injectFault({ path: '/api/v1/*', kind: 'status', status: 503 });
    expect((await users()).status).toBe(503);
    expect((await fetch(`${env.org.url}/api/v1/groups`, { headers: ssws(env.token) })).status).toBe(503);
    expect((await fetch(`${env.org.url}/oauth2/v1/keys`)).status).toBe(200);
  });

  it('lasts durationMs on the org clock', async () => {
    env.org.injectFault({ path: '/api/v1/users', kind: 'status', status: 500, durationMs: 60_000 });
    expect((await users()).status).toBe(500);
    expect((await users()).status).toBe(500);
    env.org.setClockOffset(61);
    expect((await users()).status).toBe(200);
  });

  it('applies to the token endpoint', async () => {
    const oin = env.org.createOinApp({ scopes: ['okta.users.read'] });
    env.org.injectFault({ path: '/oauth2/v1/token', kind: 'status', status: 503, count: 1 });
    const auth = { Authorization: basic(oin.clientId, oin.clientSecret) };
    expect((await postToken(env.org, { grant_type: 'client_credentials', scope: 'okta.users.read' }, auth)).status).toBe(503);
    expect((await postToken(env.org, { grant_type: 'client_credentials', scope: 'okta.users.read' }, auth)).status).toBe(200);
  });

  it('fails the next token request with a scripted OAuth error body and headers', async () => {
    const oin = env.org.createOinApp({ scopes: ['okta.users.read'] });
    const auth = { Authorization: basic(oin.clientId, oin.clientSecret) };
    const error = { error: 'invalid_grant', error_description: 'The refresh token is invalid or expired.' };
    env.org.injectFault({ path: '/oauth2/v1/token', kind: 'status', status: 400, body: error, headers: { 'Cache-Control': 'no-store' }, count: 1 });
    const failed = await postToken(env.org, { grant_type: 'client_credentials', scope: 'okta.users.read' }, auth);
    expect(failed.status).toBe(400);
    expect(failed.headers.get('cache-control')).toBe('no-store');
    expect(await failed.json()).toEqual(error);
    expect((await postToken(env.org, { grant_type: 'client_credentials', scope: 'okta.users.read' }, auth)).status).toBe(200);
  });

  it('lets a fault header replace the org\'s header of that name, whatever its case (one X-Rate-Limit-Reset, not two)', async () => {
    for (const name of ['x-rate-limit-reset', 'X-RATE-LIMIT-RESET']) {
      env.org.injectFault({ path: '/api/v1/users', kind: 'status', status: 429, headers: { [name]: '1234567890' }, count: 1 });
      const res = await rawRequest(`${env.org.url}/api/v1/users`, { headers: ssws(env.token) });
      expect(res.status).toBe(429);
      const resets = res.rawHeaders.flatMap((header, i) => (i % 2 === 0 && header.toLowerCase() === 'x-rate-limit-reset' ? [res.rawHeaders[i + 1]] : []));
      expect(resets).toEqual(['1234567890']);
    }
  });

  it('lays headers over the real answer, an empty value removing one (an answer without Date, or with another Date)', async () => {
    env.org.injectFault({ path: '/api/v1/users', kind: 'headers', headers: { Date: '', 'cache-control': 'no-store' }, count: 1 });
    const bare = await rawRequest(`${env.org.url}/api/v1/users`, { headers: ssws(env.token) });
    expect(bare.status).toBe(200);
    expect(bare.rawHeaders.filter((_, i) => i % 2 === 0).map((name) => name.toLowerCase())).not.toContain('date');
    expect(bare.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(bare.body)).toHaveLength(3);
    const then = 'Mon, 01 Jan 2024 00:00:00 GMT';
    env.org.injectFault({ path: '/api/v1/users', kind: 'headers', headers: { date: then }, count: 1 });
    const dated = await rawRequest(`${env.org.url}/api/v1/users`, { headers: ssws(env.token) });
    expect(dated.rawHeaders.filter((name, i) => i % 2 === 0 && name.toLowerCase() === 'date')).toHaveLength(1);
    expect(dated.headers.date).toBe(then);
    expect(Date.parse((await users()).headers.get('date') ?? '')).toBeGreaterThan(Date.parse(then));
    expect(() => env.org.injectFault({ path: '/x', kind: 'headers' })).toThrow(/required for kind "headers"/);
  });

  it('rejects a body or headers on a kind other than status, with what to fix', () => {
    expect(() => env.org.injectFault({ path: '/x', kind: 'drop', body: { error: 'x' } })).toThrow(/kind "status" only/);
    expect(() => env.org.injectFault({ path: '/x', kind: 'drop', headers: {} })).toThrow(/kinds "status" and "headers" only/);
    expect(() => env.org.injectFault({ path: '/x', kind: 'status', headers: { a: 1 as unknown as string } })).toThrow(/headers must be an object of strings/);
  });

  it('clearFaults() removes every fault', async () => {
    env.org.injectFault({ path: '/api/v1/users', kind: 'status', status: 500 });
    env.org.clearFaults();
    expect((await users()).status).toBe(200);
  });

  it('removeFault(id) ends that fault alone, another stays; the id of a spent fault or of no fault removes nothing', async () => {
    const outage = env.org.injectFault({ path: '/api/v1/users', kind: 'status', status: 503 });
    const tokenFault = env.org.injectFault({ path: '/oauth2/v1/token', kind: 'status', status: 500 });
    expect((await users()).status).toBe(503);
    expect(env.org.removeFault(outage)).toBe(true);
    expect((await users()).status).toBe(200);
    expect(env.org.removeFault(outage)).toBe(false);
    expect(env.org.removeFault('flt-unknown')).toBe(false);
    expect((await fetch(`${env.org.url}/oauth2/v1/token`, { method: 'POST' })).status).toBe(500);
    expect(env.org.removeFault(tokenFault)).toBe(true);
    const once = env.org.injectFault({ path: '/api/v1/users', kind: 'status', status: 503, count: 1 });
    expect((await users()).status).toBe(503);
    expect(env.org.removeFault(once)).toBe(false);
  });

  it('removeFault, heldAnswers and releaseHeld refuse an id that is no string, saying what to give, and remove nothing', async () => {
    // Such as `org.removeFault(fault.id)`, where `injectFault` returned the id itself: `undefined`.
    const outage = env.org.injectFault({ path: '/api/v1/users', kind: 'status', status: 503 });
    const calls = { removeFault: (id: unknown) => env.org.removeFault(id as string), heldAnswers: (id: unknown) => env.org.heldAnswers(id as string), releaseHeld: (id: unknown) => env.org.releaseHeld(id as string) };
    for (const [name, call] of Object.entries(calls)) {
      for (const [id, shown] of [[undefined, 'undefined'], [null, 'null'], [42, '42'], [{ id: outage }, 'an object']] as const) {
        expect(() => call(id), `${name}(${shown})`).toThrow(
          expect.objectContaining({ code: 'INVALID_OPTION', option: 'id', message: `${name}: id must be a fault id, what injectFault returned (such as 'flt…'), not ${shown}.` }),
        );
      }
    }
    expect((await users()).status).toBe(503);
    expect(env.org.removeFault(outage)).toBe(true);
  });

  it('removes one fault over DELETE /__emulator/faults/{id}, answering whether it was there', async () => {
    const created = await fetch(`${env.org.url}/__emulator/faults`, { method: 'POST', body: JSON.stringify({ path: '/api/v1/users', kind: 'status', status: 503 }) });
    const { id } = (await created.json()) as { id: string };
    expect((await users()).status).toBe(503);
    const removed = await fetch(`${env.org.url}/__emulator/faults/${id}`, { method: 'DELETE' });
    expect([removed.status, await removed.json()]).toEqual([200, { removed: true }]);
    expect((await users()).status).toBe(200);
    expect(await (await fetch(`${env.org.url}/__emulator/faults/${id}`, { method: 'DELETE' })).json()).toEqual({ removed: false });
  });

  it('is driven over /__emulator/faults too', async () => {
    const created = await fetch(`${env.org.url}/__emulator/faults`, { method: 'POST', body: JSON.stringify({ path: '/api/v1/users', kind: 'status', status: 503, count: 1 }) });
    expect((await created.json()).id).toBeTruthy();
    expect((await users()).status).toBe(503);
    await fetch(`${env.org.url}/__emulator/faults`, { method: 'POST', body: JSON.stringify({ path: '/api/v1/users', kind: 'status' }) });
    expect((await fetch(`${env.org.url}/__emulator/faults`, { method: 'DELETE' })).status).toBe(204);
    expect((await users()).status).toBe(200);
    const bad = await fetch(`${env.org.url}/__emulator/faults`, { method: 'POST', body: JSON.stringify({ path: '/x', kind: 'explode' }) });
    expect(bad.status).toBe(400);
  });
});
