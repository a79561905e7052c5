/**
 * The differential test of the drivers (drivers-differential.server.test.ts), for the answers the
 * emulator does not give (docs/ARCHITECTURE.md, "One fake Okta": the scripted server's): bodies
 * that stall after their headers, an answer that never comes, a 429 without a `Date`.
 */
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { json, startScriptedServer } from '@org/okta-test-utils';
import type { RetryOptions } from '../config/transport.js';
import { coordinateRateLimits, type CoordinatedRateLimits } from '../rate-limit/rate-limit-coordinator.js';
import { describe, it } from 'vitest';
import type { OktaCredential } from '../credential.js';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { driverNames, observe, type Call, type DriverName, type Observed } from '../test-helpers/observe.js';

/** An error body of 4 MiB gzip-compressed to a few KiB, made once (compressing per call blocked the event loop past timeoutMs on a loaded machine). */
const bomb = gzipSync(`{"errorSummary":"${'a'.repeat(4 * 1024 * 1024)}"}`);

/** Long enough for the headers to come on a loaded machine; a stalled body never does. */
const timeoutMs = 1000;

interface Row {
  /** The server's answer to the call's `index`th request. */
  readonly answer: (res: ServerResponse, index: number) => void;
  /** Client options beside the credential (a retry budget or timeoutMs of the row's own replaces the file's). */
  readonly options?: { readonly throwHttpErrors?: boolean; readonly retry?: RetryOptions; readonly timeoutMs?: number };
  /** A rate-limit coordinator, made afresh for each driver's call. */
  readonly coordinator?: () => CoordinatedRateLimits;
  /** The credential, when not the counting one. */
  readonly credential?: (origin: string) => OktaCredential;
  readonly call: Call;
  /** What the fetch driver gives (matched); the ky drivers must give the same. */
  readonly expected: Record<string, unknown>;
  /** A documented difference of a ky driver, laid over the fetch driver's observation. */
  readonly differs?: Partial<Record<DriverName, Partial<Observed>>>;
}

/** Headers, then the start of a body, then nothing. */
const stalled = (status: number) => (res: ServerResponse, index: number) => {
  res.writeHead(status, { 'content-type': 'application/json', 'x-okta-request-id': `req-stall-${index}` });
  res.write('{"errorSummary":"never ends');
};
// core README, "Decisions": oktaKyHooks on your own instance cannot replace its fetch, so timeoutMs
// cannot bound its 2xx bodies, nor the wait for an answer: the instance's own ky `timeout` does (10 s by
// default, past this test's wait), for a body read through ky's shortcuts (hooks-body-bounds.isolated.server.test.ts).
const unbounded = { 'ky hooks': { outcome: 'pending' } };

/** A credential whose `authorize` (user code: a vault call, say) never settles; `honest` rejects with its signal's reason when it fires. */
const hanging = (honest: boolean) => (origin: string): OktaCredential => ({
  kind: 'test',
  origin,
  authorize: ({ signal }) =>
    new Promise((_resolve, reject) => {
      if (honest) signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
    }),
});
/** A credential whose `challenge` (user code) never settles. */
const stuckChallenge = (origin: string): OktaCredential => ({
  kind: 'test',
  origin,
  authorize: () => Promise.resolve({ authorization: 'Test secret-token-value-1' }),
  challenge: () => new Promise<boolean>(() => undefined),
});
/** A coordinator whose `reserve` answers `asks` in turn, then 0 (send now). */
const asking = (asks: number[]) => (): CoordinatedRateLimits => {
  let reserves = 0;
  return coordinateRateLimits({ reserve: () => asks[reserves++] ?? 0, observe: () => undefined });
};
const callTimeout = { error: { class: 'OktaAuthError', code: 'TIMEOUT', message: "GET <org>/api/v1/users: the credential's authorize did not settle within 1000 ms (timeoutMs); nothing was sent." } };
const challengeTimeout = { error: { class: 'OktaAuthError', code: 'TIMEOUT', message: "GET <org>/api/v1/users: the credential's challenge did not settle within 1000 ms (timeoutMs); nothing was resent." } };
/** A call whose caller aborts it 50 ms after it starts (a fresh signal for each driver's call). */
const abortedSoon: Call = {
  path: '/api/v1/users',
  get signal() {
    const caller = new AbortController();
    setTimeout(() => caller.abort(new Error('the caller gave up')), 50);
    return caller.signal;
  },
};

const rows: Record<string, Row> = {
  "a credential's authorize that never settles": {
    answer: (res) => json(res, 200, { ok: true }),
    credential: hanging(false),
    call: { path: '/api/v1/users' },
    expected: { outcome: callTimeout, sent: [], events: [] },
  },
  "a 401 whose credential's challenge never settles": {
    answer: (res) => json(res, 401, { errorCode: 'E0000011' }, { 'www-authenticate': 'Bearer error="invalid_token"', 'x-okta-request-id': 'req-401' }),
    credential: stuckChallenge,
    call: { path: '/api/v1/users' },
    expected: { outcome: challengeTimeout, sent: [[null, null]], events: ['request#1', 'response#1:401', 'error#1:TIMEOUT'] },
  },
  "a credential's authorize that rejects with its signal's reason when it fires": {
    answer: (res) => json(res, 200, { ok: true }),
    credential: hanging(true),
    call: { path: '/api/v1/users' },
    expected: { outcome: callTimeout, sent: [], events: [] },
  },
  "a caller's abort while the credential's authorize ignores it": {
    answer: (res) => json(res, 200, { ok: true }),
    credential: hanging(false),
    call: abortedSoon,
    // The wait ends at timeoutMs (the credential ignores its signal), as the caller's abort: ABORTED, not TIMEOUT.
    expected: { outcome: { error: { class: 'OktaAuthError', code: 'ABORTED', message: 'GET <org>/api/v1/users was aborted by the caller.' } }, sent: [], events: [] },
  },
  'an error body that stalls': {
    answer: stalled(500),
    call: { path: '/api/v1/users', method: 'POST', json: {} },
    expected: {
      outcome: { error: { class: 'OktaApiError', code: 'API_ERROR', status: 500, errorSummary: 'the body did not arrive within timeoutMs', requestId: 'answer#1' } },
      sent: [[null, null]],
      events: ['request#1', 'response#1:500', 'error#1:API_ERROR'],
    },
  },
  'a 2xx body that stalls': {
    answer: stalled(200),
    call: { path: '/api/v1/users' },
    // timeoutMs bounds the body the caller reads: the runtime's TimeoutError (the attempt's signal).
    expected: { outcome: { error: { class: 'DOMException', name: 'TimeoutError' } }, sent: [[null, null]], events: ['request#1', 'response#1:200'] },
    // ky 2.2 hands a failed read through its shortcuts (.json()) to the beforeError hook: the timer's reason typed there.
    differs: { ...unbounded, 'ky instance': { outcome: { error: { class: 'OktaAuthError', code: 'TIMEOUT', message: 'GET <org>/api/v1/users got no complete answer within 1000 ms (timeoutMs).', name: 'OktaAuthError' } }, events: ['request#1', 'response#1:200', 'error#1:TIMEOUT'] } },
  },
  'an answer that never comes': {
    answer: () => undefined,
    call: { path: '/api/v1/users' },
    expected: { outcome: { error: { class: 'OktaAuthError', code: 'TIMEOUT', message: 'GET <org>/api/v1/users got no complete answer within 1000 ms (timeoutMs).' } }, events: ['request#1', 'error#1:TIMEOUT'] },
    differs: { 'ky hooks': { ...unbounded['ky hooks'], events: ['request#1'] } },
  },
  // Twentieth session (network-side red team): what a hostile answer echoes, compresses or waits, the same through the three.
  "a 302 whose Location's host name echoes the token (lower-cased by the URL parser)": {
    answer: (res) => {
      res.writeHead(302, { location: 'https://test.secret-token-value-1.example/steal' });
      res.end();
    },
    call: { path: '/api/v1/users' },
    expected: {
      outcome: { error: { class: 'OktaAuthError', code: 'REDIRECT_BLOCKED', message: 'Okta answered /api/v1/users with a 302 to another origin; credentials are never sent on a redirect. Call the final URL directly.' } },
      sent: [[null, null]],
      events: ['request#1', 'response#1:302', 'error#1:REDIRECT_BLOCKED'],
    },
  },
  'an error body gzip-compressed from megabytes (a compression bomb), read to 64 KiB': {
    answer: (res) => {
      res.writeHead(500, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'x-okta-request-id': 'req-bomb' });
      res.end(bomb);
    },
    call: { path: '/api/v1/users', method: 'POST', json: {} },
    expected: {
      outcome: { error: { class: 'OktaApiError', code: 'API_ERROR', status: 500, errorSummary: 'the error body was not valid JSON (truncated or malformed)', requestId: 'answer#1' } },
      sent: [[null, null]],
      events: ['request#1', 'response#1:500', 'error#1:API_ERROR'],
    },
  },
  'an error body echoing the credential JSON-escaped (\\u0073…), in errorSummary, errorCode and errorCauses': {
    answer: (res) => {
      const escaped = Array.from({ length: 25 }, (_, i) => `\\u${'Test secret-token-value-1'.charCodeAt(i).toString(16).padStart(4, '0')}`).join('');
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(`{"errorCode":"${escaped}","errorSummary":"sent ${escaped}","errorCauses":[{"errorSummary":"${escaped}"}]}`);
    },
    call: { path: '/api/v1/users', method: 'POST', json: {} },
    expected: { outcome: { error: { class: 'OktaApiError', code: 'API_ERROR', status: 400, errorCode: '[redacted …ue-1]', errorSummary: 'sent [redacted …ue-1]' } }, sent: [[null, null]] },
  },
  "a 429 whose Retry-After is zero or a date long past: retried at once, within the retry budget": {
    answer: (res, index) => {
      const retryAfter = ['0', 'Thu, 01 Jan 1970 00:00:00 GMT', 'Thu, 01 Jan 1970 00:00:00 GMT'][index];
      if (retryAfter === undefined) return json(res, 200, { ok: true });
      json(res, 429, { errorCode: 'E0000047' }, { 'retry-after': retryAfter });
    },
    call: { path: '/api/v1/users' },
    expected: { outcome: { error: { class: 'OktaApiError', code: 'RATE_LIMITED', status: 429 } }, sent: [[null, null], [null, '1'], [null, '2']] },
  },
  // Twentieth session (the red teams' leftovers): `Date.parse('1.5')` is a date in 2001, so the retry came at once.
  'a 429 whose Retry-After is neither whole seconds nor an HTTP-date (1.5): the default backoff, as without one': {
    answer: (res, index) => {
      if (index > 0) return json(res, 200, { ok: true });
      json(res, 429, { errorCode: 'E0000047' }, { 'x-okta-request-id': 'req-429', 'retry-after': '1.5' });
    },
    call: { path: '/api/v1/users' },
    expected: {
      outcome: { value: { ok: true } },
      sent: [[null, null], ['answer#1', '1']],
      events: ['request#1', 'response#1:429', 'backoff#1:1000', 'retry#1:rate-limit', 'request#2', 'response#2:200'],
    },
  },
  'an answer with more content codings than the runtime decodes (Content-Encoding: gzip six times)': {
    answer: (res) => {
      res.writeHead(500, { 'content-encoding': 'gzip, gzip, gzip, gzip, gzip, gzip' });
      res.end();
    },
    call: { path: '/api/v1/users' },
    expected: { outcome: { error: { class: 'OktaAuthError', code: 'INVALID_RESPONSE' } }, sent: [[null, null]], events: ['request#1', 'error#1:INVALID_RESPONSE'] },
    // core README: on your own instance, ky's fetch fails and ky retries it as a failed connection (its own retries are the
    // instance's, limit 2 here), before the hooks type the last failure.
    differs: { 'ky hooks': { sent: [[null, null], [null, null], [null, null]], events: ['request#1', 'retry#1:network', 'request#2', 'retry#2:network', 'request#3', 'error#3:INVALID_RESPONSE'] } },
  },
  'an answer with a status past 599 (HTTP/1.1 allows three digits; a Response cannot be made with it)': {
    answer: (res) => json(res, 799, { errorCode: 'E0000009', errorSummary: 'odd status' }, { 'x-okta-request-id': 'req-799' }),
    call: { path: '/api/v1/users' },
    expected: {
      outcome: { error: { class: 'OktaApiError', code: 'API_ERROR', status: 799, errorCode: 'E0000009', errorSummary: 'odd status', requestId: 'answer#1' } },
      sent: [[null, null]],
      events: ['request#1', 'response#1:799', 'error#1:API_ERROR'],
    },
  },
  // Twenty-first session: createOktaFetch handed such an answer back with throwHttpErrors: false, the ky drivers threw.
  // RFC 9110 §15: a status outside 100–599 is invalid; no driver hands it on as an answer (core README, "Decisions").
  'an answer with a status past 599 and throwHttpErrors: false: still the call\'s error (an invalid status is no answer to hand back)': {
    answer: (res) => json(res, 799, { errorCode: 'E0000009', errorSummary: 'odd status' }, { 'x-okta-request-id': 'req-799' }),
    options: { throwHttpErrors: false },
    call: { path: '/api/v1/users' },
    expected: {
      outcome: { error: { class: 'OktaApiError', code: 'API_ERROR', status: 799, errorCode: 'E0000009', errorSummary: 'odd status', requestId: 'answer#1' } },
      sent: [[null, null]],
      events: ['request#1', 'response#1:799', 'error#1:API_ERROR'],
    },
  },
  // waitsum142: a status retry's backoff was capped by retry.maxWaitMs each, not counted in the call's total with the
  // 429s' and the coordinator's waits. 300 ms of 500 taken, the second backoff (600 ms) is past the 200 left: not started,
  // the 503 raised as with no retry left. oktaKyHooks: ky's own retries are your instance's (core README).
  'a 503, then a 503 whose backoff is past what the call has left of retry.maxWaitMs: raised, not retried': {
    answer: (res, index) => (index < 2 ? json(res, 503, { errorCode: 'E0000009' }, { 'x-okta-request-id': `req-503-${index}` }) : json(res, 200, { ok: true })),
    options: { retry: { limit: 2, maxWaitMs: 500 } },
    call: { path: '/api/v1/users' },
    expected: {
      outcome: { error: { class: 'OktaApiError', code: 'API_ERROR', status: 503, requestId: 'answer#2' } },
      sent: [[null, null], [null, null]],
      events: ['request#1', 'response#1:503', 'retry#1:status', 'request#2', 'response#2:503', 'error#2:API_ERROR'],
    },
    differs: { 'ky hooks': { outcome: { value: { ok: true } }, sent: [[null, null], [null, null], [null, null]], events: ['request#1', 'response#1:503', 'retry#1:status', 'request#2', 'response#2:503', 'retry#2:status', 'request#3', 'response#3:200'] } },
  },
  // waitsum142: a 429's wait (1000 ms of 1200) counts, so the 503's backoff after it (300 ms) is past the 200 left.
  'a 429 waited out, then a 503 whose backoff is past what is left of retry.maxWaitMs: raised, not retried': {
    answer: (res, index) =>
      index === 0 ? json(res, 429, { errorCode: 'E0000047' }, { 'retry-after': '1', 'x-okta-request-id': 'req-429' }) : index === 1 ? json(res, 503, { errorCode: 'E0000009' }, { 'x-okta-request-id': 'req-503' }) : json(res, 200, { ok: true }),
    options: { retry: { limit: 2, maxWaitMs: 1200 } },
    call: { path: '/api/v1/users' },
    expected: {
      outcome: { error: { class: 'OktaApiError', code: 'API_ERROR', status: 503, requestId: 'answer#2' } },
      sent: [[null, null], ['answer#1', '1']],
      events: ['request#1', 'response#1:429', 'backoff#1:1000', 'retry#1:rate-limit', 'request#2', 'response#2:503', 'error#2:API_ERROR'],
    },
    differs: { 'ky hooks': { outcome: { value: { ok: true } }, sent: [[null, null], ['answer#1', '1'], ['answer#1', '1']], events: ['request#1', 'response#1:429', 'backoff#1:1000', 'retry#1:rate-limit', 'request#2', 'response#2:503', 'retry#2:status', 'request#3', 'response#3:200'] } },
  },
  // fix145: createOktaKy numbered its backoff by ky's retries, the 429's among them: the 503's was the second's (600 ms),
  // past the 500 left, where the fetch driver's is its first status retry's (300 ms). oktaKyHooks: ky's own retries are your instance's.
  'a 429 waited out at once, then a 503: the backoff of the first status retry (300 ms), within retry.maxWaitMs': {
    answer: (res, index) =>
      index === 0 ? json(res, 429, { errorCode: 'E0000047' }, { 'retry-after': '0', 'x-okta-request-id': 'req-429' }) : index === 1 ? json(res, 503, { errorCode: 'E0000009' }, { 'x-okta-request-id': 'req-503' }) : json(res, 200, { ok: true }),
    options: { retry: { limit: 2, maxWaitMs: 500 } },
    call: { path: '/api/v1/users' },
    expected: {
      outcome: { value: { ok: true } },
      sent: [[null, null], ['answer#1', '1'], ['answer#1', '1']],
      events: ['request#1', 'response#1:429', 'backoff#1:0', 'retry#1:rate-limit', 'request#2', 'response#2:503', 'retry#2:status', 'request#3', 'response#3:200'],
    },
  },
  // waitsum142: the coordinator's wait after a 429 runs outside the attempt's timer in every driver, within half of
  // timeoutMs (4000) as the fetch driver's: the 429 came 2400 ms into its attempt, and the coordinator's 1600 ms is
  // taken. createOktaKy took it inside the 429 attempt's timer, within half of the 1600 left, so it was declined there.
  "a 429 late in its attempt: the coordinator's wait before the retry is outside the attempt's timer, as in the fetch driver": {
    answer: (res, index) => {
      if (index > 0) return json(res, 200, { ok: true });
      setTimeout(() => json(res, 429, { errorCode: 'E0000047' }, { 'retry-after': '1', 'x-okta-request-id': 'req-429' }), 2400);
    },
    options: { timeoutMs: 4000 },
    coordinator: asking([0, 1600]),
    call: { path: '/api/v1/users' },
    expected: {
      outcome: { value: { ok: true } },
      sent: [[null, null], ['answer#1', '1']],
      events: ['request#1', 'response#1:429', 'backoff#1:1000', 'backoff#1:1600', 'retry#1:rate-limit', 'request#2', 'response#2:200'],
    },
  },
  '429 without a Date, then 200 (the reset by the local clock)': {
    answer: (res, index) => {
      if (index > 0) return json(res, 200, { ok: true });
      res.sendDate = false;
      json(res, 429, { errorCode: 'E0000047' }, { 'x-okta-request-id': 'req-429', 'x-rate-limit-reset': String(Math.floor(Date.now() / 1000)) });
    },
    call: { path: '/api/v1/users' },
    expected: {
      outcome: { value: { ok: true } },
      sent: [[null, null], ['answer#1', '1']],
      events: ['request#1', 'response#1:429', 'backoff#1:1000', 'retry#1:rate-limit', 'request#2', 'response#2:200'],
    },
  },
};

// Every row's test, and every driver's call in it, has its own scripted server (nothing else is shared but
// the constants above): the rows run at once, and the three drivers of a row side by side.
describe.concurrent.each(Object.keys(rows))('%s', (scenario) => {
  const row = rows[scenario]!;
  it('gives the caller the same through createOktaFetch, createOktaKy and oktaKyHooks on a plain ky instance', async ({ expect, onTestFinished }) => {
    const observed = await Promise.all(
      driverNames.map(async (driver) => {
        const okta = await startScriptedServer((_req, res, index) => {
          row.answer(res, index);
        });
        onTestFinished(() => okta.close());
        // Where the driver does not bound the wait (an expected 'pending'), nothing else ends it: three times
        // timeoutMs, then the observation. Every other outcome is awaited however long a loaded machine takes.
        const unboundedWait = { ...row.expected, ...row.differs?.[driver] }.outcome === 'pending';
        const options = {
          credential: (row.credential ?? countingCredential)(okta.origin),
          retry: { limit: 2, maxWaitMs: 5000 },
          timeoutMs,
          ...row.options,
          ...(row.coordinator && { rateLimitCoordinator: row.coordinator() }),
        };
        return [driver, await observe(driver, row.call, options, unboundedWait ? sleep(3 * timeoutMs) : undefined)] as const;
      }),
    );
    const seen: Partial<Record<DriverName, Observed>> = Object.fromEntries(observed);
    expect(seen.fetch).toMatchObject(row.expected);
    for (const driver of driverNames) expect({ driver, ...seen[driver] }).toEqual({ driver, ...seen.fetch, ...row.differs?.[driver] });
    expect(JSON.stringify(seen)).not.toContain('secret-token-value');
  });
});
