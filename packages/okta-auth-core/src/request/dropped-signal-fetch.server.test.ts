/**
 * A `fetch` option that drops the signal it is given (a tracing or circuit-breaker wrapper that
 * rebuilds the request) is bounded as a real fetch is: its send by the attempt's `timeoutMs`
 * (`TIMEOUT`) and the caller's abort (`ABORTED`, the caller's reason its `cause`), and an error
 * answer's body that never ends by the attempt's timer (the status, "the body did not arrive
 * within timeoutMs"), in every driver. Until hang167 the fetch driver and `createOktaKy` waited
 * for such a send for ever, past both, and the fetch driver for such an error body (rev167c H1).
 * The attempt timer is fired once the wrapper is waited on, not after real time.
 */
import ky from 'ky';
import { describe, expect, it } from 'vitest';
import { isOktaApiError } from '../errors/api-error.js';
import { oktaKyHooks } from '../ky/hooks.js';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { drivers } from '../test-helpers/drivers.js';
import { watchAttemptTimers } from '../test-helpers/attempt-timers.js';
import { useScriptedServer } from '../test-helpers/scripted-server.js';

/** Never answers (its headers never come): the send hangs unless something ends it. */
const okta = useScriptedServer(() => undefined);

/** A wrapper that rebuilds the request without its signal, then calls `sent` (the request is out). */
function dropsSignal(sent: () => void = () => undefined): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const answer = fetch(request.url, { method: request.method, headers: request.headers, redirect: 'manual' });
    setImmediate(sent);
    return answer;
  };
}

/** The call's failure (or 'resolved'). */
const failure = (call: Promise<unknown>): Promise<unknown> =>
  call.then(
    () => 'resolved',
    (error: unknown) => error,
  );

describe.each(['fetch', 'ky instance'])('a send through a fetch that drops its signal, through %s', (name) => {
  it("ends with TIMEOUT when the attempt's timeoutMs runs out", async () => {
    const timers = watchAttemptTimers();
    const driver = drivers[name]!({ credential: countingCredential(okta.origin), retry: false, timeoutMs: 60_000, fetch: dropsSignal(timers.fireLatest) });
    const error = await failure(driver.getJson('/api/v1/users'));
    expect(error).toMatchObject({ code: 'TIMEOUT', message: `GET ${new URL(okta.origin).host}/api/v1/users got no complete answer within 60000 ms (timeoutMs).` });
  });

  it("ends with ABORTED, the caller's reason its cause, when the caller aborts", async () => {
    const caller = new AbortController();
    const reason = new Error('shutting down');
    const driver = drivers[name]!({ credential: countingCredential(okta.origin), retry: false, timeoutMs: 60_000, fetch: dropsSignal(() => caller.abort(reason)) });
    const error = await failure(driver.pages('/api/v1/users', { signal: caller.signal }));
    expect(error).toMatchObject({ code: 'ABORTED', cause: reason });
  });
});

describe('a send through a fetch that drops its signal, through the hooks on your own instance', () => {
  const instance = (options: { fetch: typeof fetch; timeout: number | false }) =>
    ky.create({ baseUrl: `${okta.origin}/`, retry: 0, ...options, hooks: oktaKyHooks({ credential: countingCredential(okta.origin), timeoutMs: 60_000 }) });

  it("ends with ABORTED, the caller's reason its cause, when the caller aborts (ky's timeout off)", async () => {
    const caller = new AbortController();
    const reason = new Error('shutting down');
    const error = await failure(instance({ fetch: dropsSignal(() => caller.abort(reason)), timeout: false }).get('api/v1/users', { signal: caller.signal }));
    expect(error).toMatchObject({ code: 'ABORTED', cause: reason });
  });

  it("ends with TIMEOUT when ky's timeout runs out", async () => {
    const error = await failure(instance({ fetch: dropsSignal(), timeout: 300 }).get('api/v1/users'));
    expect(error).toMatchObject({ code: 'TIMEOUT' });
  });
});

describe.each(Object.keys(drivers))('a 400 whose body never ends, through a fetch that drops its signal, through %s', (name) => {
  it('is API_ERROR with its status, saying the body did not arrive within timeoutMs', async () => {
    okta.handle((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.write('{"errorSummary":"never');
    });
    const timers = watchAttemptTimers();
    // The timer that bounds the error body's read fired once the body's first part was read (the rest never comes).
    const firesOnFirstPart = (async (input, init) => {
      const answer = await dropsSignal()(input, init);
      const stream = answer.body!.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            controller.enqueue(chunk);
            setImmediate(timers.fireLatest);
          },
        }),
      );
      return new Response(stream, { status: answer.status, headers: answer.headers });
    }) as typeof fetch;
    const driver = drivers[name]!({ credential: countingCredential(okta.origin), retry: false, timeoutMs: 60_000, fetch: firesOnFirstPart });
    const error = await failure(driver.getJson('/api/v1/users'));
    if (!isOktaApiError(error)) throw new Error(`not an OktaApiError: ${String(error)}`);
    expect(error).toMatchObject({ code: 'API_ERROR', status: 400, errorSummary: 'the body did not arrive within timeoutMs' });
  });
});
