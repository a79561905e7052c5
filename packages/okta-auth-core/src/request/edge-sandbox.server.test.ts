/**
 * What Next.js's edge sandbox (and Vercel's `edge-runtime`, its package) differs in, over real HTTP
 * (edge156): a body's `arrayBuffer()` answers with the host realm's Promise, here one of a `node:vm`
 * context, and `AbortSignal.any` is missing, here deleted for the test; a long-lived caller signal
 * then keeps no listener per call (core's `anySignal` follows it by one for all its calls, gone with the last).
 */
import { setMaxListeners } from 'node:events';
import { runInNewContext } from 'node:vm';
import { json } from '@org/okta-test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isOktaApiError } from '../errors/api-error.js';
import { settleWithin } from './abort.js';
import { createOktaFetch } from './okta-fetch.js';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { useScriptedServer } from '../test-helpers/scripted-server.js';

const okta = useScriptedServer((req, res) => {
  if (req.path.startsWith('/empty')) {
    res.statusCode = 204;
    res.end();
  } else if (req.method === 'POST') json(res, 400, { errorCode: 'E0000001', errorSummary: `echo ${req.body}` });
  else json(res, 200, [{ id: '00u1' }]);
});

const anyOwn = Object.getOwnPropertyDescriptor(AbortSignal, 'any');

afterEach(() => {
  vi.restoreAllMocks();
  if (anyOwn !== undefined) Object.defineProperty(AbortSignal, 'any', anyOwn);
});

describe('a body read as a promise of another realm (Next.js edge sandbox)', () => {
  it('a form POST answered 400 is an OktaApiError with its form secrets scrubbed, not a TypeError', async () => {
    // Another context's Promise, as the sandbox's host realm answers `clone().arrayBuffer()` with.
    const hostRealm = runInNewContext('(work) => new Promise((resolve, reject) => work.then(resolve, reject))') as (work: Promise<ArrayBuffer>) => Promise<ArrayBuffer>;
    const own = Object.getOwnPropertyDescriptor(Request.prototype, 'arrayBuffer')?.value as (this: Request) => Promise<ArrayBuffer>;
    vi.spyOn(Request.prototype, 'arrayBuffer').mockImplementation(function (this: Request) {
      return hostRealm(own.call(this));
    });
    expect(Request.prototype.arrayBuffer.call(new Request('http://127.0.0.1/', { method: 'POST', body: 'a' })) instanceof Promise).toBe(false);
    const okta$ = createOktaFetch({ credential: countingCredential(okta.origin) });
    const sent = new Request(`${okta.origin}/oauth2/v1/token`, {
      method: 'POST',
      body: 'grant_type=client_credentials&client_secret=form-secret-value-0123456789',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const error: unknown = await okta$(sent).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isOktaApiError(error) && error.status).toBe(400);
    expect(okta.requests[0]?.body).toContain('form-secret-value-0123456789');
    expect((error as Error).message).toContain('client_secret=[redacted');
    expect(JSON.stringify(error) + (error as Error).message).not.toContain('form-secret-value-0123456789');
  });
});

describe('without AbortSignal.any (Next.js edge runtime, edge-runtime 4)', () => {
  /** A long-lived caller signal (a server's shutdown signal, say) that counts its abort listeners. */
  function countedSignal(): { controller: AbortController; listeners: () => number } {
    const controller = new AbortController();
    const held = new Set<unknown>();
    const { signal } = controller;
    // Node.js warns past 10 listeners on one signal; the edge sandbox does not, and what is counted here is the point.
    setMaxListeners(0, signal);
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = (type: 'abort', listener: (this: AbortSignal, event: Event) => unknown, options?: AddEventListenerOptions | boolean) => {
      held.add(listener);
      add(type, listener, options);
    };
    signal.removeEventListener = (type: 'abort', listener: (this: AbortSignal, event: Event) => unknown, options?: EventListenerOptions | boolean) => {
      held.delete(listener);
      remove(type, listener, options);
    };
    return { controller, listeners: () => held.size };
  }

  function withoutAny(): void {
    Object.defineProperty(AbortSignal, 'any', { value: undefined, configurable: true, writable: true });
    expect(typeof AbortSignal.any).toBe('undefined');
  }

  it("a call with the caller's signal succeeds, and 1,000 calls leave no listener on it once each settled", async () => {
    withoutAny();
    const { controller, listeners } = countedSignal();
    const okta$ = createOktaFetch({ credential: countingCredential(okta.origin) });
    for (let i = 0; i < 1_000; i++) {
      const response = await okta$('/empty', { signal: controller.signal });
      expect(response.status).toBe(204);
    }
    expect(listeners()).toBe(0);
    // Answers with a body: each attempt's timer stays armed while the body is unread, following the signal, all by one
    // listener (anysig159), and lets it go once the body is read (timer161: before, until each timeoutMs ran out).
    const unread = await okta$('/api/v1/users', { signal: controller.signal });
    expect(listeners()).toBe(1);
    await unread.json();
    for (let i = 0; i < 1_000; i++) await (await okta$('/api/v1/users', { signal: controller.signal })).json();
    expect(listeners()).toBe(0);
    // A user-code wait (a token store's, a callback's) removes its listener when it settles.
    for (let i = 0; i < 1_000; i++) expect(await settleWithin(() => i, { signal: controller.signal, timeoutMs: 60_000 })).toEqual({ ok: true, value: i });
    expect(listeners()).toBe(0);
  });

  it("the caller's abort still ends a call (ABORTED, its reason as cause) and a user-code wait", async () => {
    withoutAny();
    const controller = new AbortController();
    okta.handle(() => new Promise<void>(() => undefined));
    const okta$ = createOktaFetch({ credential: countingCredential(okta.origin) });
    const call = okta$('/api/v1/users', { signal: controller.signal }).then(
      () => undefined,
      (e: unknown) => e,
    );
    const waited = settleWithin(() => new Promise<never>(() => undefined), { signal: controller.signal, timeoutMs: 60_000 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    await vi.waitFor(() => {
      expect(okta.requests).toHaveLength(1);
    }, { timeout: 10_000 }); // not vi.waitFor's 1 s: a loaded machine's requests may take longer to arrive
    const reason = new Error('shutting down');
    controller.abort(reason);
    const [error, waitError] = await Promise.all([call, waited]);
    expect(error).toMatchObject({ code: 'ABORTED', cause: reason });
    expect(waitError).toMatchObject({ code: 'ABORTED', cause: reason });
  });
});
