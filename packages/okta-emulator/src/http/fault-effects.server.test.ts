// ru149's fidelity gaps, over real HTTP: a DPoP proof a 429 answered is spent (as at Okta), a 429
// fault says the window is spent, and whether a faulted request took effect is the test's to choose.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator, type ServiceAppCredentials } from '../index.js';
import { ssws } from '../test-helpers/http.js';
import { clientAssertion, dpopKey, dpopProof, postToken, serviceToken, type DpopKey } from '../test-helpers/oauth.js';

let org: OktaEmulator;
let app: ServiceAppCredentials;
let key: DpopKey;
let token: string;
beforeAll(async () => {
  org = await startEmulator();
  app = org.createServiceApp({ scopes: ['okta.users.read'], keyType: 'EC' });
  key = await dpopKey();
  token = (await serviceToken(org, app, 'okta.users.read', key)).access_token;
});
afterAll(() => org.close());

const users = (): string => `${org.url}/api/v1/users`;
const call = async (proof: string): Promise<Response> => fetch(`${users()}?limit=1`, { headers: { Authorization: `DPoP ${token}`, DPoP: proof } });
const proof = (): Promise<string> => dpopProof(key, { htm: 'GET', htu: users(), accessToken: token });
const refusedAsUsed = (res: Response): boolean => (res.headers.get('www-authenticate') ?? '').includes('already been used');

describe('a DPoP proof a 429 answered is spent (Okta: "The DPoP proof JWT has already been used.")', () => {
  it('a resource call: the proof re-sent after the rate limit 429 is refused, a new one is accepted', async () => {
    org.setRateLimit('/api/v1/users', 1);
    expect((await call(await proof())).status).toBe(200);
    const p = await proof();
    expect((await call(p)).status).toBe(429);
    org.setRateLimit('/api/v1/users', 600);
    const again = await call(p);
    expect(again.status).not.toBe(200);
    expect(refusedAsUsed(again)).toBe(true);
    expect((await call(await proof())).status).toBe(200);
  });

  it('the concurrent limit 429 and a status 429 fault spend it too; a 503 fault does not', async () => {
    org.setConcurrencyLimit(0);
    const p = await proof();
    expect((await call(p)).status).toBe(429);
    org.setConcurrencyLimit(undefined);
    expect(refusedAsUsed(await call(p))).toBe(true);
    const q = await proof();
    const id = org.injectFault({ path: '/api/v1/users', kind: 'status', status: 429, count: 1 });
    expect((await call(q)).status).toBe(429);
    expect(refusedAsUsed(await call(q))).toBe(true);
    org.removeFault(id);
    const r = await proof();
    org.injectFault({ path: '/api/v1/users', kind: 'status', status: 503, count: 1 });
    expect((await call(r)).status).toBe(503);
    expect((await call(r)).status).toBe(200);
  });

  it('the token endpoint: the proof re-sent after a 429 is invalid_dpop_proof', async () => {
    const htu = `${org.url}/oauth2/v1/token`;
    const send = async (p: string): Promise<Response> => postToken(org, { grant_type: 'client_credentials', scope: 'okta.users.read', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: await clientAssertion(org, app) }, { DPoP: p });
    const nonce = (await send(await dpopProof(key, { htu }))).headers.get('dpop-nonce') ?? undefined;
    const p = await dpopProof(key, { htu, nonce });
    org.injectFault({ path: '/oauth2/v1/token', kind: 'status', status: 429, count: 1 });
    expect((await send(p)).status).toBe(429);
    const res = await send(p);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_dpop_proof', error_description: 'The DPoP proof JWT has already been used.' });
  });
});

describe('a status 429 fault says the window is spent', () => {
  it('X-Rate-Limit-Remaining 0 and the bucket window reset; the fault headers still win', async () => {
    const h = ssws(org.createApiToken().token);
    org.injectFault({ path: '/api/v1/groups', kind: 'status', status: 429, count: 1 });
    const res = await fetch(`${org.url}/api/v1/groups`, { headers: h });
    expect(res.status).toBe(429);
    expect(res.headers.get('x-rate-limit-remaining')).toBe('0');
    const ok = await fetch(`${org.url}/api/v1/groups`, { headers: h });
    expect(res.headers.get('x-rate-limit-reset')).toBe(ok.headers.get('x-rate-limit-reset'));
    org.injectFault({ path: '/api/v1/groups', kind: 'status', status: 429, count: 1, headers: { 'X-Rate-Limit-Remaining': '7' } });
    expect((await fetch(`${org.url}/api/v1/groups`, { headers: h })).headers.get('x-rate-limit-remaining')).toBe('7');
  });
});

describe('whether a faulted request takes effect', () => {
  const create = async (login: string, h: Record<string, string>): Promise<void> => {
    await fetch(`${org.url}/api/v1/users?activate=false`, {
      method: 'POST',
      headers: { ...h, 'Content-Type': 'application/json' },
      body: JSON.stringify({ profile: { login, email: login, firstName: 'F', lastName: 'L' } }),
    }).catch(() => undefined);
  };
  const exists = async (login: string, h: Record<string, string>): Promise<boolean> => (await fetch(`${org.url}/api/v1/users/${login}`, { headers: h })).status === 200;

  it('drop: not handled by default; with handled: true the user is created, the answer lost', async () => {
    const h = ssws(org.createApiToken().token);
    org.injectFault({ path: '/api/v1/users', kind: 'drop', count: 1 });
    await create('drop.plain@example.com', h);
    expect(await exists('drop.plain@example.com', h)).toBe(false);
    org.injectFault({ path: '/api/v1/users', kind: 'drop', count: 1, handled: true });
    await create('drop.handled@example.com', h);
    expect(await exists('drop.handled@example.com', h)).toBe(true);
  });

  it('latency: a client gone during the wait is not handled by default; with handled: true it is', async () => {
    const h = ssws(org.createApiToken().token);
    const gone = async (login: string): Promise<void> => {
      const abort = new AbortController();
      const sent = fetch(`${org.url}/api/v1/users?activate=false`, {
        method: 'POST',
        signal: abort.signal,
        headers: { ...h, 'Content-Type': 'application/json' },
        body: JSON.stringify({ profile: { login, email: login, firstName: 'F', lastName: 'L' } }),
      }).catch(() => undefined);
      // Counted once its body was read and it reached the fault.
      while (org.counters().requests['POST /api/v1/users'] === undefined) await new Promise((r) => setTimeout(r, 5));
      abort.abort();
      await sent;
    };
    org.resetCounters();
    org.injectFault({ path: '/api/v1/users', kind: 'latency', latencyMs: 60_000, count: 1 });
    await gone('late.plain@example.com');
    org.clearFaults();
    expect(await exists('late.plain@example.com', h)).toBe(false);
    org.resetCounters();
    org.injectFault({ path: '/api/v1/users', kind: 'latency', latencyMs: 60_000, count: 1, handled: true });
    await gone('late.handled@example.com');
    org.clearFaults();
    expect(await exists('late.handled@example.com', h)).toBe(true);
  });

  it('handled applies to latency and drop only', () => {
    expect(() => org.injectFault({ path: '/x', kind: 'status', handled: true })).toThrow(/handled/);
  });
});

describe('slow-body', () => {
  it('sends the headers at once and the whole body in parts, latencyMs apart', async () => {
    const h = ssws(org.createApiToken().token);
    org.injectFault({ path: '/api/v1/groups', kind: 'slow-body', latencyMs: 20, count: 1 });
    const res = await fetch(`${org.url}/api/v1/groups`, { headers: h });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([expect.objectContaining({ profile: expect.objectContaining({ name: 'Everyone' }) })]);
    expect(() => org.injectFault({ path: '/x', kind: 'slow-body', latencyMs: 60_001 })).toThrow(/latencyMs/);
  });
});
