/**
 * One caller's signal shared by every call (an app's shutdown signal), over real HTTP (anysig159):
 * on Node.js 20, `AbortSignal.any([caller, own])` left one dead WeakRef per call in the caller's
 * signal's `kDependantSignals` Set, never pruned (about 60 B a call, 20,000 for 20,000
 * `createOktaFetch` calls); Node.js 22 and later prune it only lazily, after garbage collections
 * (nodejs/node#55351, #55354, #64476). Core's `anySignal` now follows the caller's signal by one
 * listener for all its calls, each call's entry removed when it settles: nothing per call stays on
 * the signal, no more than one listener is on it (Node.js warns past 10), and its abort still ends
 * every call in flight.
 */
import { EventEmitter } from 'node:events';
import { createServer } from 'node:net';
import { abortListeners as listeners, dependants, useSignalWarnings } from '@org/okta-test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createOktaKy } from '../ky/create-okta-ky.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { useScriptedServer } from '../test-helpers/scripted-server.js';
import { settleWithin } from './abort.js';
import { createOktaFetch } from './okta-fetch.js';

const ctx = useApiTokenOrg();
/** Node.js's leak warnings (past 10 listeners on one EventTarget), collected for this file. */
const warnings = useSignalWarnings();

afterEach(() => {
  vi.restoreAllMocks();
});

describe("a caller's signal shared by every call", () => {
  it('createOktaFetch: 200 calls leave no entry on it, and at most one listener while their answers are unread, none once read', async () => {
    const shutdown = new AbortController();
    const okta = createOktaFetch({ credential: ctx.ssws(ctx.org.url) });
    for (let i = 0; i < 200; i++) {
      const response = await okta('/api/v1/users', { signal: shutdown.signal });
      expect(response.status).toBe(200);
      await response.json();
      expect(listeners(shutdown.signal)).toBeLessThanOrEqual(1);
    }
    expect(dependants(shutdown.signal)).toBe(0);
    // Twenty at once: one listener still.
    const many = await Promise.all(Array.from({ length: 20 }, () => okta('/api/v1/users', { signal: shutdown.signal })));
    expect(listeners(shutdown.signal)).toBe(1);
    await Promise.all(many.map((response) => response.text()));
    expect(dependants(shutdown.signal)).toBe(0);
    // Each answer's body was bounded by its armed timer, let go once that body was read: nothing of the calls is left on the signal.
    expect(listeners(shutdown.signal)).toBe(0);
    // A user-code wait (a token store's) leaves nothing either.
    for (let i = 0; i < 50; i++) expect(await settleWithin(() => i, { signal: shutdown.signal, timeoutMs: 60_000 })).toEqual({ ok: true, value: i });
    expect(listeners(shutdown.signal)).toBe(0);
    expect(dependants(shutdown.signal)).toBe(0);
    expect(warnings.all()).toEqual([]);
  });

  // Until sig165 the one copy of a call's Request or body that each attempt clones (`template`, okta-fetch.ts) was built
  // with the caller's signal, which undici's Request follows until it is collected: one listener per call on it.
  it.each([
    ['a Blob body', (origin: string) => [`${origin}/api/v1/users`, { method: 'POST', body: new Blob(['{}']) }] as const],
    ['a Request of yours', (origin: string) => [new Request(`${origin}/api/v1/users`, { method: 'POST', body: '{}' }), {}] as const],
  ])('createOktaFetch given %s: 100 calls leave no listener on it once their answers are read', async (_, input) => {
    const shutdown = new AbortController();
    // The org's 400 (no user in the body) handed back: the answer is not what is asserted.
    const okta = createOktaFetch({ credential: ctx.ssws(ctx.org.url), throwHttpErrors: false });
    let most = 0;
    for (let i = 0; i < 100; i++) {
      const [request, init] = input(ctx.org.url);
      await (await okta(request, { ...init, signal: shutdown.signal })).text();
      most = Math.max(most, listeners(shutdown.signal));
    }
    expect({ most, dependants: dependants(shutdown.signal) }).toEqual({ most: 0, dependants: 0 });
  });

  it("createOktaKy: 100 calls leave no entry on it, and only ky's typed signal's listener (one per signal) once their answers are read", async () => {
    const shutdown = new AbortController();
    const api = createOktaKy({ credential: ctx.ssws(ctx.org.url) });
    const unread = await api.get('api/v1/users', { signal: shutdown.signal });
    // The typed signal createOktaKy gives ky in place of the caller's (`typedSignal`, one per signal), and the calls' one while an answer is unread.
    expect(listeners(shutdown.signal)).toBe(2);
    await unread.arrayBuffer();
    for (let i = 0; i < 100; i++) expect(await api.get('api/v1/users', { signal: shutdown.signal }).json()).toEqual(expect.any(Array));
    expect(dependants(shutdown.signal)).toBe(0);
    // Each answer's timer let go once its body was read (timer161; before, the calls' listener stayed until the last timeoutMs ran out).
    expect(listeners(shutdown.signal)).toBe(1);
  });
});

describe("a caller's signal shared by calls that fail to get an answer (sig165)", () => {
  const hanging = useScriptedServer(() => new Promise<void>(() => undefined));

  /** The calls' outcome codes, and the most listeners on the signal after any of them settled, one at a time. */
  const failEach = async (calls: number, call: (signal: AbortSignal) => Promise<Response>) => {
    const shutdown = new AbortController();
    const codes = new Set<unknown>();
    let most = 0;
    for (let i = 0; i < calls; i++) {
      codes.add(await call(shutdown.signal).then(() => 'settled', (error: unknown) => (error as { code?: unknown }).code));
      most = Math.max(most, listeners(shutdown.signal));
    }
    return { codes: [...codes], most, left: listeners(shutdown.signal), dependants: dependants(shutdown.signal) };
  };

  // Until sig165 the check of a malformed init after a failed send (`new Request(url, init)`, execute.ts) was built with the
  // caller's signal, which undici's Request follows until it is collected: one listener per failed send (838 after 1,000 calls
  // in an outage, a MaxListenersExceededWarning per failed send past 1,500), none of them let go without a garbage collection.
  const refusedPort = async (): Promise<string> => {
    const server = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    return `http://127.0.0.1:${port}`;
  };
  const rows = {
    // 1,600 failed sends: past the 1,500 listeners at which Node.js warned on every further send.
    'NETWORK_ERROR on a refused port, 800 GETs (each sent twice)': { calls: 800, code: 'NETWORK_ERROR', init: {}, origin: refusedPort, timeoutMs: undefined },
    'NETWORK_ERROR on a refused port, 100 POSTs': { calls: 100, code: 'NETWORK_ERROR', init: { method: 'POST', body: '{}' }, origin: refusedPort, timeoutMs: undefined },
    // A short timeoutMs only makes each call end TIMEOUT (what is asserted is what it leaves, not when).
    'TIMEOUT on a server that never answers, 15 GETs': { calls: 15, code: 'TIMEOUT', init: {}, origin: () => Promise.resolve(hanging.origin), timeoutMs: 50 },
  };

  it.each(Object.keys(rows) as (keyof typeof rows)[])('createOktaFetch, %s: no listener left on it per failed send, and no warning', async (row) => {
    const { calls, code, init, origin, timeoutMs } = rows[row];
    const okta = createOktaFetch({ credential: ctx.ssws(await origin()), timeoutMs });
    expect(await failEach(calls, (signal) => okta('/api/v1/users', { ...init, signal }))).toEqual({ codes: [code], most: 0, left: 0, dependants: 0 });
    expect(warnings.all()).toEqual([]);
  });
});

describe("the shared signal's abort", () => {
  const hanging = useScriptedServer(() => new Promise<void>(() => undefined));

  it('still ends every call in flight (ABORTED, its reason as cause) and a user-code wait, and leaves no listener', async () => {
    const shutdown = new AbortController();
    const okta = createOktaFetch({ credential: ctx.ssws(hanging.origin) });
    const outcome = (work: Promise<unknown>) => work.then(() => 'settled', (error: unknown) => error);
    const calls = Array.from({ length: 12 }, () => outcome(okta('/api/v1/users', { signal: shutdown.signal })));
    const waited = outcome(settleWithin(() => new Promise<never>(() => undefined), { signal: shutdown.signal, timeoutMs: 60_000 }));
    await vi.waitFor(() => {
      expect(hanging.requests).toHaveLength(12);
    }, { timeout: 10_000 }); // not vi.waitFor's 1 s: a loaded machine's requests may take longer to arrive
    expect(listeners(shutdown.signal)).toBe(1);
    const reason = new Error('shutting down');
    shutdown.abort(reason);
    for (const error of [...(await Promise.all(calls)), await waited]) expect(error).toMatchObject({ code: 'ABORTED', cause: reason });
    expect(listeners(shutdown.signal)).toBe(0);
    // A call given the signal after it fired ends at once, the same way.
    expect(await outcome(okta('/api/v1/users', { signal: shutdown.signal }))).toMatchObject({ code: 'ABORTED', cause: reason });
  });

  it("a polyfill's signal whose listeners are called with another `this` (node-abort-controller 3's EventEmitter) still ends the calls", async () => {
    // As node-abort-controller 3.1 builds one (core takes any object with `aborted` and the two listener methods).
    const emitter = new EventEmitter();
    const signal = {
      aborted: false,
      reason: undefined as unknown,
      addEventListener: (type: string, listener: () => void) => emitter.on(type, listener),
      removeEventListener: (type: string, listener: () => void) => emitter.off(type, listener),
    };
    const okta = createOktaFetch({ credential: ctx.ssws(hanging.origin), timeoutMs: 600_000 });
    const call = okta('/api/v1/users', { signal: signal as unknown as AbortSignal }).then(() => 'settled', (error: unknown) => error);
    await vi.waitFor(() => {
      expect(hanging.requests).toHaveLength(1);
    }, { timeout: 10_000 }); // not vi.waitFor's 1 s: a loaded machine's requests may take longer to arrive
    const reason = new Error('shutting down');
    Object.assign(signal, { aborted: true, reason });
    emitter.emit('abort', { type: 'abort' });
    expect(await call).toMatchObject({ code: 'ABORTED' });
    expect(emitter.listenerCount('abort')).toBe(0);
  });
});
