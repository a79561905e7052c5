import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator } from '../index.js';

// The test controls (`/__emulator/…`) mint API tokens, apps and keys without authentication. A page
// the developer visits while the emulator runs (any site: its fetch to 127.0.0.1 is cross-origin)
// must neither read them (no CORS for its origin) nor change the org blind (a "simple" POST, which
// no preflight guards): only a server (no Origin), a loopback page, the org's own origin or a
// Trusted Origin may use them.
const hostile = 'https://evil.example';

describe('the emulator controls and browser origins', () => {
  let open: OktaEmulator;
  let listed: OktaEmulator;
  beforeAll(async () => {
    open = await startEmulator();
    listed = await startEmulator({ trustedOrigins: ['https://app.example.com'] });
  });
  afterAll(async () => {
    await open.close();
    await listed.close();
  });

  const mint = (org: OktaEmulator, origin: string | undefined) =>
    fetch(`${org.url}/__emulator/api-tokens`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'text/plain', ...(origin === undefined ? {} : { Origin: origin }) } });

  it('refuses a hostile page: no CORS on the preflight, and a simple POST is 403 with nothing done', async () => {
    for (const org of [open, listed]) {
      for (const origin of [hostile, 'null', 'http://127.0.0.1.evil.example', 'http://localhost.evil.example:8080']) {
        const pre = await fetch(`${org.url}/__emulator/service-apps`, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' } });
        expect([pre.headers.get('access-control-allow-origin'), pre.headers.get('access-control-allow-methods')], origin).toEqual([null, null]);
        const before = (await (await fetch(`${org.url}/__emulator/counters`)).json()) as unknown;
        const res = await mint(org, origin);
        expect([res.status, res.headers.get('access-control-allow-origin')], origin).toEqual([403, null]);
        const body = (await res.json()) as { error: string; code: string };
        expect(body.code).toBe('FORBIDDEN_ORIGIN');
        expect(body.error).toMatch(/trustedOrigins/);
        expect(JSON.stringify(body)).not.toMatch(/00[A-Za-z0-9_-]{40}/);
        // The blind side effects a hostile page would want: a fault, a moved clock.
        const fault = await fetch(`${org.url}/__emulator/faults`, { method: 'POST', body: JSON.stringify({ path: '/api/v1/users', kind: 'drop' }), headers: { Origin: origin } });
        expect(fault.status, origin).toBe(403);
        expect((await (await fetch(`${org.url}/__emulator/counters`)).json()) as unknown).toEqual(before);
      }
    }
    // Nothing was injected: the org answers.
    const token = open.createApiToken().token;
    expect((await fetch(`${open.url}/api/v1/users?limit=1`, { headers: { Authorization: `SSWS ${token}` } })).status).toBe(200);
  });

  it("answers a server, a loopback page (IPv4, localhost, IPv6), the org's own origin and a Trusted Origin", async () => {
    const own = new URL(listed.url).origin;
    for (const origin of [undefined, 'http://127.0.0.1:5173', 'http://localhost:3000', 'http://[::1]:8080', 'https://localhost', own, 'https://app.example.com']) {
      const res = await mint(listed, origin);
      expect([res.status, res.headers.get('access-control-allow-origin')], String(origin)).toEqual([200, origin ?? null]);
      expect(((await res.json()) as { token: string }).token).toMatch(/^00/);
      if (origin === undefined) continue;
      const pre = await fetch(`${listed.url}/__emulator/faults`, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' } });
      expect(pre.headers.get('access-control-allow-origin'), origin).toBe(origin);
    }
    // An empty Origin is no page's (a server's request, as at the org's routes): answered, without CORS headers.
    for (const org of [open, listed]) {
      const res = await mint(org, '');
      expect([res.status, res.headers.get('access-control-allow-origin')]).toEqual([200, null]);
    }
  });

  it("counts no preflight of the controls, /__emulator itself included, as an org request; an org route's preflight counts", async () => {
    const org = await startEmulator();
    try {
      const preflight = (path: string) => fetch(`${org.url}${path}`, { method: 'OPTIONS', headers: { Origin: 'http://localhost:3000', 'Access-Control-Request-Method': 'POST' } });
      for (const path of ['/__emulator', '/__emulator/counters']) expect((await preflight(path)).status, path).toBe(204);
      expect([org.counters().requests, org.counters().origins]).toEqual([{}, {}]);
      await preflight('/api/v1/users');
      expect([org.counters().requests, org.counters().origins]).toEqual([{ 'OPTIONS /api/v1/users': 1 }, { 'http://localhost:3000': 1 }]);
    } finally {
      await org.close();
    }
  });
});
