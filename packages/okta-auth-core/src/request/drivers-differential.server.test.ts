/**
 * The differential test of the drivers (docs/ARCHITECTURE.md, "The path of one request"): the same
 * call against @org/okta-emulator, its faults arranged anew for each driver, through
 * `createOktaFetch`, `createOktaKy` and a plain `ky.create({ hooks: oktaKyHooks(…) })`, and what
 * the caller got compared field by field (test-helpers/observe.ts): the outcome (error class,
 * `code`, `status`, `errorCode`, `errorSummary`, `requestId`, message), the requests received and
 * sent with their retry headers, and the log events. Each row says what the fetch driver gives;
 * the ky drivers must give the same, except where a row names a documented difference.
 * (What the emulator does not answer, such as a stalled body: drivers-differential-scripted.server.test.ts.)
 */
import { startEmulator, type FaultSpec, type OktaEmulator } from '@org/okta-emulator';
import { json, startScriptedServer, type ScriptedServer } from '@org/okta-test-utils';
import { describe, expect, it, type OnTestFinishedHandler } from 'vitest';
import type { OktaCredential } from '../credential.js';
import type { OktaLogEvent } from '../config/logger.js';
import { coordinateRateLimits } from '../rate-limit/rate-limit-coordinator.js';
import { driverNames, observe, type Call, type ClientOptions, type DriverName, type Observed } from '../test-helpers/observe.js';

/** A row's own org (its admin and API token) and other origin: every row has its own, so the rows run at once. */
interface Place {
  readonly org: OktaEmulator;
  readonly elsewhere: ScriptedServer;
  readonly token: string;
}

/** Starts a place, closed when the running test ends. */
async function openPlace(onTestFinished: (handler: OnTestFinishedHandler) => void): Promise<Place> {
  const org = await startEmulator();
  onTestFinished(() => org.close());
  org.createUser({ login: 'admin@example.com', password: 'Passw0rd!', admin: true });
  const token = org.createApiToken({ user: 'admin@example.com' }).token;
  const elsewhere = await startScriptedServer((_req, res) => json(res, 200, { stolen: true }));
  onTestFinished(() => elsewhere.close());
  return { org, elsewhere, token };
}

/** An API token credential (the header `@org/okta-ssws` sends), whose challenge says yes to a 401 carrying WWW-Authenticate. */
function apiToken({ org, token }: Place, authorize?: () => Promise<never>): OktaCredential {
  return {
    kind: 'ssws',
    origin: org.url,
    authorize: authorize ?? (() => Promise.resolve({ authorization: `SSWS ${token}` })),
    challenge: ({ response }) => Promise.resolve(response.status === 401 && response.headers.has('www-authenticate')),
  };
}
class VaultUnavailable extends Error {}
const vaultDown = new VaultUnavailable('vault is down');
const fetchFailed = new TypeError('fetch failed');
const aborted = AbortSignal.abort(new Error('the caller gave up'));

interface Row {
  readonly call?: Partial<Call>;
  readonly options?: Omit<ClientOptions, 'credential'>;
  readonly credential?: (place: Place) => OktaCredential;
  /** The org's faults, arranged before each driver's call. */
  readonly arrange?: (place: Place) => FaultSpec | undefined;
  /** What the fetch driver gives (matched); the ky drivers must give the same. */
  readonly expected: Record<string, unknown>;
  /** A documented difference of a ky driver, laid over the fetch driver's observation. */
  readonly differs?: Partial<Record<DriverName, Partial<Observed & { received: number }>>>;
}

const me = '/api/v1/users/me';
/** The user `users/me` answers for the API token (the org's admin). */
const admin: unknown = expect.objectContaining({ profile: expect.objectContaining({ login: 'admin@example.com' }) });
const orgSeconds = (offset = 0) => String(Math.floor(Date.now() / 1000) + offset);
const apiFailure = (status: number, code: string, errorCode: string) => ({ class: 'OktaApiError', code, status, errorCode, requestId: 'answer#1' });
const once = (spec: Omit<FaultSpec, 'path'>): (() => FaultSpec) => () => ({ path: me, count: 1, ...spec });
const always = (spec: Omit<FaultSpec, 'path'>, path = me): (() => FaultSpec) => () => ({ path, ...spec });
/** A 429 whose wait is `X-Rate-Limit-Reset` − `Date` + 1 s on an org clock an hour ahead (set by the row's arrange). */
const ahead = (spec: Omit<FaultSpec, 'path'>) => ({ org }: Place) => {
  org.setClockOffset(3600);
  return once({ ...spec, headers: { 'X-Rate-Limit-Reset': orgSeconds(3600) } })();
};

const rows: Record<string, Row> = {
  '2xx': { expected: { outcome: { value: admin }, sent: [[null, null]], events: ['request#1', 'response#1:200'] } },
  '404 with an Okta error body': {
    call: { path: '/api/v1/users/nobody@example.com' },
    expected: { outcome: { error: { ...apiFailure(404, 'API_ERROR', 'E0000007'), errorSummary: 'Not found: Resource not found: nobody@example.com (User)' } }, received: 1 },
  },
  '401 with WWW-Authenticate (echoing the token): the challenge retried once': {
    arrange: always({ kind: 'status', status: 401, body: { errorCode: 'E0000011', errorSummary: 'Invalid token provided' }, headers: { 'WWW-Authenticate': 'SSWS realm="okta", error="invalid_token"' } }),
    expected: {
      outcome: { error: { class: 'OktaApiError', code: 'API_ERROR', status: 401, errorCode: 'E0000011', requestId: 'answer#2' } },
      events: ['request#1', 'response#1:401', 'retry#1:challenge', 'request#2', 'response#2:401', 'error#2:API_ERROR'],
    },
  },
  "429 then 200, waiting by X-Rate-Limit-Reset and Date (Okta's clock an hour ahead)": {
    arrange: ahead({ kind: 'status', status: 429 }),
    expected: {
      outcome: { value: admin },
      sent: [[null, null], ['answer#1', '1']],
      events: ['request#1', 'response#1:429', 'backoff#1:1000', 'retry#1:rate-limit', 'request#2', 'response#2:200'],
    },
  },
  '429 then 200, without X-Rate-Limit-Reset (backoff)': {
    arrange: once({ kind: 'status', status: 429, headers: { 'X-Rate-Limit-Reset': 'none' } }),
    expected: { sent: [[null, null], ['answer#1', '1']], events: ['request#1', 'response#1:429', 'backoff#1:1000', 'retry#1:rate-limit', 'request#2', 'response#2:200'] },
  },
  '429 until the retry budget is spent': {
    options: { retry: { limit: 2 } },
    arrange: always({ kind: 'status', status: 429, headers: { 'X-Rate-Limit-Reset': 'none', 'Retry-After': '0' } }),
    expected: {
      outcome: { error: { ...apiFailure(429, 'RATE_LIMITED', 'E0000047'), requestId: 'answer#3' } },
      sent: [[null, null], ['answer#1', '1'], ['answer#1', '2']],
      events: ['request#1', 'response#1:429', 'backoff#1:0', 'retry#1:rate-limit', 'request#2', 'response#2:429', 'backoff#2:0', 'retry#2:rate-limit', 'request#3', 'response#3:429', 'error#3:RATE_LIMITED'],
    },
  },
  '302 to the same origin': {
    arrange: ({ org }) => always({ kind: 'status', status: 302, headers: { Location: `${org.url}/api/v1/users/other` } })(),
    expected: { outcome: { error: { class: 'OktaAuthError', code: 'REDIRECT_BLOCKED' } }, received: 1, events: ['request#1', 'response#1:302', 'error#1:REDIRECT_BLOCKED'] },
  },
  '302 to another origin': {
    arrange: ({ elsewhere }) => always({ kind: 'status', status: 302, headers: { Location: `${elsewhere.url}/steal?token=x` } })(),
    expected: { outcome: { error: { class: 'OktaAuthError', code: 'REDIRECT_BLOCKED', message: expect.stringMatching(/ with a 302 to another origin; /) as unknown } }, received: 1 },
  },
  // `new URL('blob:<org>/x').origin` is the org's: the message named the blob: URL's path (the whole URL it wraps) as if on the org.
  '302 to a blob: URL wrapping the org': {
    arrange: ({ org }) => always({ kind: 'status', status: 302, headers: { Location: `blob:${org.url}/api/v1/users/other` } })(),
    expected: { outcome: { error: { class: 'OktaAuthError', code: 'REDIRECT_BLOCKED', message: expect.stringMatching(/ with a 302 to another origin; /) as unknown } }, received: 1 },
  },
  '500 with an HTML page (POST)': {
    call: { path: '/api/v1/users', method: 'POST', json: { profile: {} } },
    arrange: always({ kind: 'html', status: 500 }, '/api/v1/users'),
    expected: { outcome: { error: { class: 'OktaApiError', code: 'API_ERROR', status: 500 } }, received: 1, events: ['request#1', 'response#1:500', 'error#1:API_ERROR'] },
  },
  // core README, "Retries": every driver retries a 408 or 5xx of an idempotent method twice (createOktaFetch
  // itself, the ky instance through ky's retry, the plain instance by ky's defaults), each retry logged with its reason the status.
  '500 with an HTML page once, then the answer (GET)': {
    arrange: once({ kind: 'html', status: 500 }),
    expected: { outcome: { value: admin }, received: 2, sent: [[null, null], [null, null]], events: ['request#1', 'response#1:500', 'retry#1:status', 'request#2', 'response#2:200'] },
  },
  // Without X-Rate-Limit-Reset, which ky's defaults (the plain instance) would wait for (bounded: the row after next).
  '503 once, then the answer (GET)': {
    arrange: once({ kind: 'status', status: 503, headers: { 'X-Rate-Limit-Reset': '' } }),
    expected: { outcome: { value: admin }, received: 2, sent: [[null, null], [null, null]], events: ['request#1', 'response#1:503', 'retry#1:status', 'request#2', 'response#2:200'] },
  },
  '503 three times (GET): the third answer, after two retries': {
    arrange: once({ kind: 'status', status: 503, count: 3, headers: { 'X-Rate-Limit-Reset': '' } }),
    expected: {
      outcome: { error: { ...apiFailure(503, 'API_ERROR', 'E0000009'), requestId: 'answer#3' } },
      received: 3,
      events: ['request#1', 'response#1:503', 'retry#1:status', 'request#2', 'response#2:503', 'retry#2:status', 'request#3', 'response#3:503', 'error#3:API_ERROR'],
    },
  },
  // A 503's X-Rate-Limit-Reset (Okta sends it on every answer) is not its wait: ky's backoff (300 ms), counted in maxWaitMs.
  "a 503 once (GET) whose X-Rate-Limit-Reset is an hour ahead: retried without waiting for it": {
    options: { retry: { limit: 2, maxWaitMs: 1000 } },
    arrange: once({ kind: 'status', status: 503, headers: { 'X-Rate-Limit-Reset': orgSeconds(3600) } }),
    expected: { outcome: { value: admin }, received: 2, sent: [[null, null], [null, null]], events: ['request#1', 'response#1:503', 'retry#1:status', 'request#2', 'response#2:200'] },
  },
  'an error body over 64 KiB': {
    call: { path: '/api/v1/users', method: 'POST', json: {} },
    arrange: always({ kind: 'status', status: 400, body: { errorCode: 'E0000001', errorSummary: 'x'.repeat(100_000) } }, '/api/v1/users'),
    expected: { outcome: { error: { class: 'OktaApiError', code: 'API_ERROR', status: 400 } }, received: 1 },
  },
  'a connection reset before the answer, once (GET)': {
    arrange: once({ kind: 'drop' }),
    expected: { outcome: { value: admin }, received: 2, events: ['request#1', 'retry#1:network', 'request#2', 'response#2:200'] },
  },
  'a connection reset before the answer (POST)': {
    call: { path: '/api/v1/users', method: 'POST', json: { profile: {} } },
    arrange: always({ kind: 'drop' }, '/api/v1/users'),
    expected: { outcome: { error: { class: 'OktaAuthError', code: 'NETWORK_ERROR' } }, received: 1, events: ['request#1', 'error#1:NETWORK_ERROR'] },
  },
  // retry: false is one attempt per call in every driver (core README, "Retries"), the challenge's retry aside.
  'retry: false, a 500 once (GET): one attempt, not retried by ky either': {
    options: { retry: false },
    arrange: once({ kind: 'html', status: 500 }),
    expected: { outcome: { error: { class: 'OktaApiError', code: 'API_ERROR', status: 500 } }, received: 1, events: ['request#1', 'response#1:500', 'error#1:API_ERROR'] },
  },
  'retry: false, a connection reset once (PUT): one attempt, NETWORK_ERROR': {
    options: { retry: false },
    call: { method: 'PUT', json: { profile: {} } },
    arrange: once({ kind: 'drop' }),
    expected: { outcome: { error: { class: 'OktaAuthError', code: 'NETWORK_ERROR' } }, received: 1, events: ['request#1', 'error#1:NETWORK_ERROR'] },
  },
  'retry: false, a 429 once: one attempt, RATE_LIMITED': {
    options: { retry: false },
    arrange: once({ kind: 'status', status: 429, headers: { 'X-Rate-Limit-Reset': 'none' } }),
    expected: { outcome: { error: apiFailure(429, 'RATE_LIMITED', 'E0000047') }, received: 1, sent: [[null, null]], events: ['request#1', 'response#1:429', 'error#1:RATE_LIMITED'] },
  },
  "retry: false, a 401 the credential's challenge fixes: still retried once": {
    options: { retry: false },
    arrange: once({ kind: 'status', status: 401, body: { errorCode: 'E0000011', errorSummary: 'Invalid token provided' }, headers: { 'WWW-Authenticate': 'SSWS realm="okta", error="invalid_token"' } }),
    expected: { outcome: { value: admin }, received: 2, events: ['request#1', 'response#1:401', 'retry#1:challenge', 'request#2', 'response#2:200'] },
  },
  // A window Okta's answers said is spent, its wait past what the call has left (the coordinator's answer): failed here, the same in every driver.
  'a coordinator that says the window is spent, its wait past the budget: RATE_LIMITED, nothing sent': {
    options: { retry: { limit: 2, maxWaitMs: 10_000 }, rateLimitCoordinator: coordinateRateLimits({ reserve: () => ({ wait: 48_000, resetIn: 41_500 }), observe: () => undefined }) },
    expected: {
      outcome: {
        error: {
          class: 'OktaApiError',
          code: 'RATE_LIMITED',
          status: 429,
          message:
            "429 Too Many Requests (GET <org>/api/v1/users/me): nothing was sent: the org's budget for GET /api/v1/users/me is spent until its reset in 42 s; its wait of 48000 ms for the reset is past the 10000 ms left of retry.maxWaitMs; raise retry.maxWaitMs",
        },
      },
      received: 0,
      sent: [],
      events: [],
    },
  },
  // No answer came, so none is handed back: the same RATE_LIMITED whatever throwHttpErrors says (as a network failure).
  'the same with throwHttpErrors: false: RATE_LIMITED, nothing sent': {
    options: { throwHttpErrors: false, retry: { limit: 2, maxWaitMs: 10_000 }, rateLimitCoordinator: coordinateRateLimits({ reserve: () => ({ wait: 48_000, resetIn: 41_500 }), observe: () => undefined }) },
    expected: { outcome: { error: { class: 'OktaApiError', code: 'RATE_LIMITED', status: 429, requestId: undefined } }, received: 0, sent: [], events: [] },
  },
  'an aborted caller signal': {
    call: { signal: aborted },
    expected: { outcome: { error: { class: 'OktaAuthError', code: 'ABORTED' } }, received: 0 },
    // ky 2.2 refuses a signal aborted already before any hook runs: nothing handed to fetch, nothing logged.
    differs: { 'ky hooks': { sent: [], events: [] } },
  },
  'an absolute URL on another origin': {
    call: { path: '' },
    expected: { outcome: { error: { class: 'OktaAuthError', code: 'ORIGIN_MISMATCH' } }, received: 0, sent: [], events: [] },
  },
  "a credential whose authorize throws TypeError('fetch failed')": {
    credential: (place) => apiToken(place, () => Promise.reject(fetchFailed)),
    expected: { outcome: { error: { class: 'TypeError', message: 'fetch failed' } }, received: 0, sent: [], events: [] },
  },
  'a credential whose authorize throws its own error': {
    credential: (place) => apiToken(place, () => Promise.reject(vaultDown)),
    expected: { outcome: { error: { class: 'VaultUnavailable', message: 'vault is down' } }, received: 0, sent: [], events: [] },
  },
};

async function run(place: Place, driver: DriverName, row: Row, logged?: OktaLogEvent[]): Promise<Observed & { received: number }> {
  const { org, elsewhere } = place;
  org.clearFaults();
  org.setClockOffset(0);
  const fault = row.arrange?.(place);
  if (fault !== undefined) org.injectFault(fault);
  org.resetCounters();
  elsewhere.requests.length = 0;
  const path = row.call?.path === '' ? `${elsewhere.url}/api/v1/users/me` : (row.call?.path ?? me);
  const observed = await observe(driver, { ...row.call, path }, { credential: (row.credential ?? apiToken)(place), timeoutMs: 30_000, ...row.options }, undefined, logged);
  const received = Object.values(org.counters().requests).reduce((sum, n) => sum + n, 0) + elsewhere.requests.length;
  return { ...observed, received };
}

// Each row has its own place (org, other origin, token; its three drivers one after the other on it, its faults
// arranged anew for each): the rows run at once.
describe.concurrent.each(Object.keys(rows))('%s', (scenario) => {
  const row = rows[scenario]!;
  it('gives the caller the same through createOktaFetch, createOktaKy and oktaKyHooks on a plain ky instance', async ({ expect, onTestFinished }) => {
    const place = await openPlace(onTestFinished);
    const seen: Partial<Record<DriverName, Observed & { received: number }>> = {};
    for (const driver of driverNames) seen[driver] = await run(place, driver, row);
    expect(seen.fetch).toMatchObject(row.expected);
    for (const driver of driverNames) expect({ driver, ...seen[driver] }).toEqual({ driver, ...seen.fetch, ...row.differs?.[driver] });
    // No secret anywhere a caller looks, and nothing reached another origin.
    expect(JSON.stringify(seen)).not.toContain(place.token);
    expect(place.elsewhere.requests).toHaveLength(0);
  });
});

describe.concurrent('a retry of a 5xx of a GET', () => {
  it("is logged alike by every driver: the same retry event, its reason the answer's status, no query and no secret", async ({ expect, onTestFinished }) => {
    const place = await openPlace(onTestFinished);
    const retries: Partial<Record<DriverName, OktaLogEvent[]>> = {};
    for (const driver of driverNames) {
      // A query that is never logged.
      const row = rows['503 once, then the answer (GET)']!;
      const logged: OktaLogEvent[] = [];
      await run(place, driver, { ...row, call: { path: `${me}?search=profile.email+eq+"someone"` } }, logged);
      retries[driver] = logged.filter((event) => event.type === 'retry');
      expect(JSON.stringify(logged)).not.toContain(place.token);
    }
    const own = { type: 'retry', call: expect.any(Number), method: 'GET', url: `${place.org.url}${me}?…`, attempt: 1 };
    expect(retries).toEqual({ fetch: [{ ...own, reason: 'status' }], 'ky instance': [{ ...own, reason: 'status' }], 'ky hooks': [{ ...own, reason: 'status' }] });
  });
});
