/**
 * The Durable Object token store on a real workerd: two isolates of a fleet (services `a` and `b`,
 * test/workerd-fleet.ts) bound to one OktaTokenStoreObject, and @org/okta-emulator on 127.0.0.1 as
 * the org. One workerd and one org for the file; each test uses objects of its own (`name`). A
 * user's sign-in and session across the isolates: test/user-fleet.server.test.ts.
 */
import { until } from '@org/okta-test-utils';
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkerdFleet, type WorkerdFleet } from './workerd-fleet.js';

let fleet: WorkerdFleet;
let org: OktaEmulator;

beforeAll(async () => {
  [fleet, org] = await Promise.all([startWorkerdFleet(), startEmulator({ seed: { users: 1 } })]);
});
afterAll(async () => {
  await Promise.all([fleet.close(), org.close()]);
});

/** Until isolate `service`'s flight `id` runs its `obtain` (it holds the key's lease). */
async function obtaining(service: 'a' | 'b', id: string): Promise<void> {
  await until(async () => (await fleet.call(service, '/flight/obtaining', { id })).obtaining === true, `flight ${id} to call obtain`);
}

function serviceApp(requireDpop = false) {
  const app = org.createServiceApp({ keyType: 'EC', requireDpop, scopes: ['okta.users.read'] });
  return { orgUrl: org.url, clientId: app.clientId, privateKey: app.privateKeyPem, keyId: app.keyId };
}

describe('service app tokens shared by the isolates', () => {
  it('concurrent calls on both isolates make one token request', async () => {
    const app = serviceApp();
    const before = org.counters().tokenRequests.client_credentials?.success ?? 0;
    const answers = await Promise.all([fleet.call('a', '/burst', { name: 'burst', n: 6, ...app }), fleet.call('b', '/burst', { name: 'burst', n: 6, ...app })]);
    expect(answers.flatMap((answer) => answer.statuses as number[])).toEqual(Array(12).fill(200));
    expect((org.counters().tokenRequests.client_credentials?.success ?? 0) - before).toBe(1);
  });

  it("a refused token's removal (removeIfEqual) leaves the fresh token another isolate stored meanwhile, which the retry uses", async () => {
    const app = serviceApp();
    const before = org.counters().tokenRequests.client_credentials?.success ?? 0;
    expect((await fleet.call('a', '/burst', { name: 'refused', id: 'refused-a', timeoutMs: 30_000, n: 1, ...app })).statuses).toEqual([200]);
    org.revokeAccessTokens();
    // a's credential is refused the token; just before its removal, b's is refused it too and stores a fresh one.
    // The other isolate's call runs inside the removal's storage call: a bound a loaded machine does not reach.
    expect(await fleet.call('a', '/burst', { name: 'refused', id: 'refused-a', race: true, timeoutMs: 30_000, n: 1, ...app })).toEqual({ statuses: [200], raced: ['{"statuses":[200]}'] });
    // a's first token, and b's fresh one, which a's retry used (a plain removal would have dropped it: a third).
    expect((org.counters().tokenRequests.client_credentials?.success ?? 0) - before).toBe(2);
  });

  it('a DPoP service app with the shared DPoP key: concurrent calls on both isolates make one token request and one nonce handshake', async () => {
    const app = { ...serviceApp(true), dpop: 'shared' };
    const before = org.counters().tokenRequests.client_credentials ?? {};
    const answers = await Promise.all([fleet.call('a', '/burst', { name: 'dpop', n: 6, ...app }), fleet.call('b', '/burst', { name: 'dpop', n: 6, ...app })]);
    // Every call's DPoP proof, from either isolate, accepted with the one token.
    expect(answers.flatMap((answer) => answer.statuses as number[])).toEqual(Array(12).fill(200));
    const after = org.counters().tokenRequests.client_credentials ?? {};
    expect({ grants: (after.success ?? 0) - (before.success ?? 0), nonces: (after.use_dpop_nonce ?? 0) - (before.use_dpop_nonce ?? 0) }).toEqual({ grants: 1, nonces: 1 });
  });

  it('the shared DPoP key: both isolates load the one stored; an object that never answers, a key of the isolate own and an error event', async () => {
    // 200 ms for the object that never answers only: the one that answers must not meet it (a loaded machine's workerd can be slower).
    const load = (service: 'a' | 'b', stalled = false) => fleet.call(service, '/dpop-key', { name: 'dpop-key', app: 'client-1', stalled, ...(stalled && { timeoutMs: 200 }) });
    const [a, b] = await Promise.all([load('a'), load('b')]);
    expect(b).toEqual({ ...a, events: [] });
    expect(a).toMatchObject({ extractable: false, events: [] });
    const own = await load('a', true);
    expect(own).toMatchObject({ extractable: false, events: [{ type: 'token-store', operation: 'dpop-key', outcome: 'error' }] });
    expect(own.key).not.toBe(a.key);
    // As JSON, workerd's CryptoKey says its algorithm and usages, nothing of the key.
    for (const { shown } of [a, own]) expect(Object.keys((JSON.parse(shown as string) as { privateKey: object }).privateKey).sort()).toEqual(['algorithm', 'extractable', 'type', 'usages']);
  });

  it('an object that never answers: each storage call fails at timeoutMs, and the credential goes on in memory', async () => {
    expect(await fleet.call('a', '/storage', { name: 'stalled', stalled: true, timeoutMs: 200, op: 'get', key: 'k' })).toEqual({ error: 'STORE_UNAVAILABLE' });
    const app = serviceApp();
    expect((await fleet.call('a', '/burst', { name: 'stalled', stalled: true, timeoutMs: 200, n: 2, ...app })).statuses).toEqual([200, 200]);
  });
});

describe('rate limits across the isolates', () => {
  it("one budget on the object: a burst at twice what Okta's window has left waits for the next window, where each isolate alone meets 429s", async () => {
    const app = serviceApp();
    const tooMany: Record<string, number> = {};
    try {
      for (const coordinate of [false, true]) {
        const run = { name: `limits-${coordinate}`, coordinate, ...app };
        org.setRateLimit('/api/v1/users', 10);
        // Open the window (one call, uncoordinated), then move the org's clock so it ends 4 s from now.
        const opened = Date.now();
        await fleet.call('a', '/burst', { ...run, id: `open-${coordinate}`, coordinate: undefined, n: 1 });
        org.setClockOffset((opened + 56_000 - Date.now()) / 1000);
        // One call sees the window (the object's bucket learns its limit, what is left and its reset), then 8 on each isolate at once.
        expect((await fleet.call('a', '/burst', { ...run, id: `a-${coordinate}`, n: 1 })).statuses).toEqual([200]);
        const answers = await Promise.all([fleet.call('a', '/burst', { ...run, id: `a-${coordinate}`, n: 8 }), fleet.call('b', '/burst', { ...run, n: 8 })]);
        const statuses = answers.flatMap((answer) => answer.statuses as number[]);
        expect(statuses.filter((status) => status !== 200 && status !== 429)).toEqual([]);
        tooMany[coordinate ? 'object' : 'isolates'] = statuses.filter((status) => status === 429).length;
        org.setClockOffset(0);
      }
    } finally {
      org.setClockOffset(0);
      org.setRateLimit('/api/v1/users', 600);
    }
    // Okta's window had 8 left for 16 calls: each isolate on its own sends them all; on the object, 7 go now and 9 wait for the next window.
    expect(tooMany.isolates).toBeGreaterThan(0);
    expect(tooMany).toEqual({ isolates: tooMany.isolates, object: 0 });
  });

  it('an object that never answers: the calls go on uncoordinated, each isolate with its own 429 handling', async () => {
    const app = serviceApp();
    expect((await fleet.call('a', '/burst', { name: 'limits-stalled', coordinate: true, stalledLimits: true, n: 3, ...app })).statuses).toEqual([200, 200, 200]);
  });
});

describe('the storage contract across isolates', () => {
  it('removeIfEqual and replaceIfEqual compare and write in one step: a value another isolate wrote stays', async () => {
    const at = { name: 'compare', key: 'k' };
    await fleet.call('a', '/storage', { ...at, op: 'set', value: 'first' });
    await fleet.call('b', '/storage', { ...at, op: 'set', value: 'second' });
    expect(await fleet.call('a', '/storage', { ...at, op: 'removeIfEqual', value: 'first' })).toEqual({ result: false });
    expect(await fleet.call('a', '/storage', { ...at, op: 'replaceIfEqual', expected: 'first', value: 'third' })).toEqual({ result: false });
    expect(await fleet.call('a', '/storage', { ...at, op: 'get' })).toEqual({ result: 'second' });
    expect(await fleet.call('a', '/storage', { ...at, op: 'replaceIfEqual', expected: 'second', value: 'third' })).toEqual({ result: true });
    expect(await fleet.call('b', '/storage', { ...at, op: 'removeIfEqual', value: 'third' })).toEqual({ result: true });
    expect(await fleet.call('a', '/storage', { ...at, op: 'get' })).toEqual({ result: null });
  });

  it("a waiter on another isolate gets the holder's value without a token request of its own", async () => {
    const at = { name: 'flight', key: 'k', stored: false };
    const holder = fleet.call('a', '/flight/run', { ...at, id: 'holder' });
    await obtaining('a', 'holder');
    const waiter = fleet.call('b', '/flight/run', { ...at, id: 'waiter' });
    await fleet.call('a', '/flight/finish', { id: 'holder', value: 'from-a' });
    expect(await holder).toEqual({ result: 'from-a', obtained: true });
    expect(await waiter).toEqual({ result: 'from-a', obtained: false });
  });

  it('stored: a sign-out on another isolate while the renewal runs refuses its write; nothing stored, no renewal', async () => {
    const at = { name: 'stored', key: 'user', stored: true, stale: 'tokens-1' };
    await fleet.call('a', '/storage', { ...at, op: 'set', value: 'tokens-1' });
    const renewal = fleet.call('a', '/flight/run', { ...at, id: 'renewal' });
    await obtaining('a', 'renewal');
    await fleet.call('b', '/storage', { ...at, op: 'remove' });
    await fleet.call('a', '/flight/finish', { id: 'renewal', value: 'tokens-2' });
    expect(await renewal).toEqual({ result: null, obtained: true });
    expect(await fleet.call('b', '/storage', { ...at, op: 'get' })).toEqual({ result: null });
    // Signed out: the next stored flight never calls obtain.
    expect(await fleet.call('b', '/flight/run', { ...at, id: 'after' })).toEqual({ result: null, obtained: false });
    // A sign-in written again after a removal, even with the same text, still refuses a renewal that read the first.
    await fleet.call('a', '/storage', { ...at, op: 'set', value: 'tokens-1' });
    const aba = fleet.call('a', '/flight/run', { ...at, id: 'aba' });
    await obtaining('a', 'aba');
    await fleet.call('b', '/storage', { ...at, op: 'remove' });
    await fleet.call('b', '/storage', { ...at, op: 'set', value: 'tokens-1' });
    await fleet.call('a', '/flight/finish', { id: 'aba', value: 'tokens-2' });
    expect(await aba).toEqual({ result: 'tokens-1', obtained: true });
    // Without a removal the renewal is written.
    const kept = fleet.call('a', '/flight/run', { ...at, id: 'kept' });
    await obtaining('a', 'kept');
    await fleet.call('a', '/flight/finish', { id: 'kept', value: 'tokens-2' });
    expect(await kept).toEqual({ result: 'tokens-2', obtained: true });
    expect(await fleet.call('b', '/storage', { ...at, op: 'get' })).toEqual({ result: 'tokens-2' });
  });

  it('refuses what its protocol never sends: 404 or 400 with an empty body', async () => {
    const probe = (method: string, url: string) => fleet.call('a', '/probe', { name: 'probe', method, url });
    expect(await probe('GET', 'https://okta-token-store/v1/get')).toEqual({ status: 404, text: '' });
    expect(await probe('POST', 'https://okta-token-store/v1/dump')).toEqual({ status: 404, text: '' });
    expect(await probe('POST', 'https://example.com/v1/get')).toEqual({ status: 404, text: '' });
    expect(await probe('POST', 'https://okta-token-store/v1/get')).toEqual({ status: 400, text: '' });
  });
});
