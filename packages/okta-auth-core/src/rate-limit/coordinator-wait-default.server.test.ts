/**
 * A rate-limit coordinator that knows the org's window is spent asks a wait before the first
 * attempt of up to a window (about 62 s). With default options (`timeoutMs` 30 s, `retry.maxWaitMs`
 * 65 s) the wait before an attempt is capped at half of what remains of `timeoutMs` (15 s), so a
 * 40 s wait is not taken and the request goes to Okta at once, to get the 429 the coordinator
 * exists to avoid (fresh137's fleet: 4 × 429 per walker reached Okta through a Redis coordinator;
 * docs/security-history.md, fiftieth session, ratewait137 and coordwait138).
 *
 * What should hold, in every driver: the 40 s wait is taken; the caller's abort during it ends the
 * call as `ABORTED` with nothing sent (the scripted server on 127.0.0.1 counts 0 requests); the
 * authorization the request carries is made after the coordinator's wait (today it is made before:
 * the wait runs after `authorize`, so a DPoP proof's `iat` and the access token age by the wait).
 *
 * coordwait138 committed these as `it.fails` (the wait was not taken, the request sent at once);
 * coordwait139 made them pass in createOktaFetch and oktaKyHooks with design (1): the attempt is
 * authorized first (so the coordinator's bucket stays scrubbed of the attempt's credential,
 * `request/execute.mut.server.test.ts`), the wait runs outside the attempt's timer within
 * `retry.maxWaitMs`, and a wait taken restarts the attempt, authorized afresh. kywait140 did the same
 * in createOktaKy, which authorizes inside the fetch it gives ky: its instance turns ky's `timeout` off
 * (which enclosed that fetch, and so the wait), the fetch's own timer (`timeoutMs`) bounds each attempt,
 * armed again after a wait taken. The last case: a wait past `timeoutMs` is taken, and the attempt
 * sent after it within a `timeoutMs` of its own (docs/security-history.md, fifty-first session).
 */
import { json } from '@org/okta-test-utils';
import ky from 'ky';
import { describe, expect, it } from 'vitest';
import type { OktaCredential } from '../credential.js';
import { isOktaAuthError } from '../errors/errors.js';
import { createOktaKy } from '../ky/create-okta-ky.js';
import { oktaKyHooks } from '../ky/hooks.js';
import { createOktaFetch } from '../request/okta-fetch.js';
import { useScriptedServer } from '../test-helpers/scripted-server.js';
import { coordinateRateLimits, type CoordinatedRateLimits } from './rate-limit-coordinator.js';

const okta = useScriptedServer((_req, res) => json(res, 200, []));

/** The window's wait a coordinator asks once the org's budget is spent: past half of the default timeoutMs. */
const windowWaitMs = 40_000;

type Send = (credential: OktaCredential, rateLimitCoordinator: CoordinatedRateLimits, signal: AbortSignal, timeoutMs?: number) => Promise<unknown>;

const senders: [string, Send][] = [
  ['createOktaFetch', (credential, rateLimitCoordinator, signal, timeoutMs) => createOktaFetch({ credential, rateLimitCoordinator, timeoutMs })('/api/v1/users', { signal })],
  ['createOktaKy', (credential, rateLimitCoordinator, signal, timeoutMs) => createOktaKy({ credential, rateLimitCoordinator, timeoutMs }).get('api/v1/users', { signal }).json()],
  [
    'oktaKyHooks on your own instance',
    (credential, rateLimitCoordinator, signal, timeoutMs) =>
      ky.create({ baseUrl: `${credential.origin}/`, hooks: oktaKyHooks({ credential, rateLimitCoordinator, timeoutMs }) }).get('api/v1/users', { signal }).json(),
  ],
];

/** A coordinator whose first `reserve` says wait `ms`, then "send now"; each `reserve` noted in `order` (and told to `asked`). */
const waitsOnce = (order: string[], ms: number, asked: () => void = () => undefined) =>
  coordinateRateLimits({
    reserve: () => {
      order.push('reserve');
      asked();
      return order.filter((call) => call === 'reserve').length === 1 ? ms : 0;
    },
    observe: () => undefined,
  });

/** A credential of the org that notes each `authorize` in `order`, sending `SSWS <token()>` (read after the note). */
const notingCredential = (order: string[], token: () => string = () => 'test-token-of-the-org'): OktaCredential => ({
  kind: 'test',
  origin: okta.origin,
  authorize: () => {
    order.push('authorize');
    return Promise.resolve({ authorization: `SSWS ${token()}` });
  },
});

describe('a coordinator asking a 40 s wait before the first attempt, with default options', () => {
  it.each(senders)('%s: the wait is taken, the abort ends it as ABORTED, nothing sent, authorize after the reserve', (name, send) => expectTakenAndAborted(send));

  async function expectTakenAndAborted(send: Send): Promise<void> {
    const order: string[] = [];
    let asked!: () => void;
    const reserved = new Promise<void>((resolve) => (asked = resolve));
    const coordinator = waitsOnce(order, windowWaitMs, asked);
    const credential = notingCredential(order);
    const caller = new AbortController();
    // Settled at once (a call answered before the abort is the bug: no error to read).
    const ended = send(credential, coordinator, caller.signal).then(
      () => undefined,
      (error: unknown) => error,
    );
    await reserved;
    // Time for a request not held back to reach the server (none should).
    await new Promise((resolve) => setTimeout(resolve, 200));
    caller.abort();
    const error = await ended;
    expect(isOktaAuthError(error) && error.code).toBe('ABORTED');
    expect(okta.requests).toHaveLength(0);
  }

  it.each(senders)('%s: the authorization sent is made after the wait (its token and proof fresh)', async (_name, send) => {
    const order: string[] = [];
    // A short wait (taken today too), then "send now".
    const coordinator = waitsOnce(order, 300);
    // Its token names its authorize's place in `order`.
    const credential = notingCredential(order, () => `test-token-made-at-${order.length - 1}`);
    await send(credential, coordinator, new AbortController().signal);
    const [sent] = okta.requests;
    // The position in `order` of the authorize whose token went out: after the first reserve (the wait).
    const madeAt = Number(/made-at-(\d+)$/.exec(String(sent?.headers.authorization))?.[1]);
    expect(madeAt).toBeGreaterThan(order.indexOf('reserve'));
  });

  it.each(senders)('%s: a wait past timeoutMs is taken, the attempt then authorized afresh and sent within a timeoutMs of its own', async (_name, send) => {
    const order: string[] = [];
    // Past timeoutMs (200 ms): the attempt's timer armed before the wait would end the call as TIMEOUT.
    const coordinator = waitsOnce(order, 500);
    await send(notingCredential(order), coordinator, new AbortController().signal, 200);
    // Taken (its second reserve, "send now", ends it; a wait not taken sends the first authorization), then no wait asked again.
    expect(order).toEqual(['authorize', 'reserve', 'reserve', 'authorize']);
    expect(okta.requests).toHaveLength(1);
  });
});
