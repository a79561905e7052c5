// Failure paths of @org/okta-auth-core (+ @org/okta-ssws) against the emulator's
// fault hooks: a stalled answer, the caller's abort, a dropped connection, 5xx,
// HTML and non-JSON error bodies, a 429 waited out, a truncated page and a
// redirect, through createOktaFetch and createOktaKy. Each case expects the
// same typed outcome on every runtime, and no token in the error or the log.
// The runner runs runtimes one after another, and each case clears the
// org's faults when it ends, so one case's fault never meets another's request.
import { OktaApiError, createOktaFetch, isOktaApiError, isOktaAuthError, paginate } from '@org/okta-auth-core';
import { createOktaKy, oktaKyHooks } from '@org/okta-auth-core/ky';
import ky from 'ky';
import { createSswsCredential } from '@org/okta-ssws';
import { equal, errorTexts, match, notContains, ok, rejects } from '../assert.js';

/** Calls the emulator's admin API (`/__emulator/…`) of `origin`; returns the answer, read. */
export async function emulator(origin, method, path, body) {
  const response = await fetch(`${origin}/__emulator/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  ok(response.ok, `emulator ${method} ${path}: ${response.status} ${text.slice(0, 200)}`);
  return { date: response.headers.get('date'), json: text === '' ? undefined : JSON.parse(text) };
}

/** Runs `run` with `faults` injected (each `count`-limited), and clears the org's faults after it. */
export async function withFaults(fixture, faults, run) {
  try {
    for (const fault of faults) await emulator(fixture.orgUrl, 'POST', 'faults', fault);
    return await run();
  } finally {
    await emulator(fixture.orgUrl, 'DELETE', 'faults');
  }
}

/** The org's clock, in epoch seconds (its `Date` header): a "near" `X-Rate-Limit-Reset` is on that clock. */
export async function orgSeconds(fixture) {
  const { date } = await emulator(fixture.orgUrl, 'GET', 'counters');
  const ms = Date.parse(date ?? '');
  ok(Number.isFinite(ms), `the emulator's Date header: ${date}`);
  return Math.floor(ms / 1000);
}

/** The kinds of the log events, in order (`retry:network`, `error:TIMEOUT`, …). */
export function eventKinds(events) {
  return events.map((e) => [e.type, e.reason ?? e.code ?? e.status].filter((x) => x !== undefined).join(':')).join(' ');
}

function client(fixture, extra = {}) {
  const events = [];
  const credential = createSswsCredential({ orgUrl: fixture.orgUrl, token: fixture.ssws.token, allowInsecureLoopback: true });
  const options = { credential, logger: (e) => events.push(e), ...extra };
  // `hooks`: the policy as hooks on a plain ky instance of the app's own (which follows redirects by default).
  const hooks = ky.create({ baseUrl: `${fixture.orgUrl}/`, retry: { limit: 4 }, hooks: oktaKyHooks(options) });
  return { events, okta: createOktaFetch(options), ky: createOktaKy(options), hooks };
}

/** The typed core error with `code`, and the token in none of what it or the log shows. */
function expectCode(error, code, events, fixture) {
  ok(isOktaAuthError(error), `isOktaAuthError, got ${String(error)}`);
  equal(error.code, code, `code (${error.message})`);
  notContains([...errorTexts(error), JSON.stringify(events)], fixture.ssws.token, 'the API token leaked into the error or the log events');
  return error;
}

/**
 * `call(client)` answered with a redirect to `fixture.otherOrigin`: REDIRECT_BLOCKED, and the
 * other org got nothing. Then (`again`) the same call, the fault gone, reaches the org and
 * succeeds: a redirect refused once is not remembered (a browser's HTTP cache keeps a 301).
 */
async function expectRedirectBlocked(fixture, status, call, again = true) {
  const before = (await emulator(fixture.otherOrigin, 'GET', 'counters')).json.requests;
  const location = `${fixture.otherOrigin}/api/v1/users?echo=${encodeURIComponent(fixture.ssws.token)}`;
  const c = client(fixture);
  const { events } = c;
  const error = await withFaults(fixture, [{ path: '/api/v1/users', kind: 'redirect', status, location, count: 1 }], () => rejects(call(c), `${status}: followed`));
  expectCode(error, 'REDIRECT_BLOCKED', events, fixture);
  ok(!isOktaApiError(error), 'not an OktaApiError');
  // A browser's redirect is opaque (status 0, no Location): the message then says "a redirect to another location"; elsewhere "a 302 to another origin" (never quoted: a host name can echo a token).
  match(error.message, /^Okta answered \/api\/v1\/users with a (30\d|redirect) to (another origin|another location); credentials are never sent on a redirect/, `${status}: message`);
  equal(eventKinds(events), `request response:${events[1]?.status} error:REDIRECT_BLOCKED`, `${status}: log events`);
  ok(events[1]?.status === status || events[1]?.status === 0, `${status}: the response event's status, got ${events[1]?.status}`);
  equal(JSON.stringify((await emulator(fixture.otherOrigin, 'GET', 'counters')).json.requests), JSON.stringify(before), 'the other origin received a request');
  if (!again) return;
  const later = client(fixture);
  const answer = await call(later).catch((e) => e);
  equal(later.events.map((e) => e.status ?? e.code ?? '').join(' ').trim(), '200', `${status}: the same call once the org stopped redirecting (${String(answer?.message ?? answer?.status)})`);
}

export const faultCases = [
  {
    name: 'faults: a stalled answer is TIMEOUT, the caller\'s abort (its own reason, an AbortSignal.timeout) ABORTED',
    async run(fixture) {
      const stall = { path: '/api/v1/users', kind: 'latency', latencyMs: 15_000, count: 1 };
      const timed = client(fixture, { timeoutMs: 250 });
      const timeout = await withFaults(fixture, [stall], () => rejects(timed.okta('/api/v1/users?limit=1'), 'a stalled answer resolved'));
      expectCode(timeout, 'TIMEOUT', timed.events, fixture);
      match(timeout.message, /^GET [\w.:-]+\/api\/v1\/users got no complete answer within 250 ms \(timeoutMs\)\.$/, 'TIMEOUT message');
      equal(eventKinds(timed.events), 'request error:TIMEOUT', 'TIMEOUT log events');
      // The caller's abort: no reason (an AbortError DOMException), a reason of its own, a timeout signal of its own.
      const reason = new Error('the caller gave up');
      for (const [label, abort] of [
        ['abort()', (c) => c.abort()],
        ['abort(reason)', (c) => c.abort(reason)],
      ]) {
        const { okta, events } = client(fixture);
        const controller = new AbortController();
        const error = await withFaults(fixture, [stall], () => {
          setTimeout(() => abort(controller), 100);
          return rejects(okta('/api/v1/users?limit=1', { signal: controller.signal }), `${label}: resolved`);
        });
        expectCode(error, 'ABORTED', events, fixture);
        equal(error.cause, controller.signal.reason, `${label}: cause is the signal's reason`);
        equal(eventKinds(events), 'request error:ABORTED', `${label}: log events`);
      }
      const own = client(fixture);
      const ownTimeout = await withFaults(fixture, [stall], () => rejects(own.okta('/api/v1/users?limit=1', { signal: AbortSignal.timeout(100) }), 'AbortSignal.timeout: resolved'));
      expectCode(ownTimeout, 'ABORTED', own.events, fixture);
      equal(ownTimeout.cause?.name, 'TimeoutError', "the caller's timeout reason");
      const early = client(fixture);
      expectCode(await rejects(early.okta('/api/v1/users?limit=1', { signal: AbortSignal.abort() }), 'an aborted signal: resolved'), 'ABORTED', early.events, fixture);
    },
  },
  {
    name: 'faults: a dropped connection is retried once (GET), never by core for a POST, and a second drop is NETWORK_ERROR',
    async run(fixture) {
      const drop = { path: '/api/v1/users', kind: 'drop' };
      // What core hands the runtime's fetch is counted where it does so: the org's count also holds what the runtime resends itself.
      let coreSends = 0;
      const once = client(fixture, { fetch: (input, init) => ((coreSends += 1), fetch(input, init)) });
      const sent = async () => (await emulator(fixture.orgUrl, 'GET', 'counters')).json.requests['GET /api/v1/users'] ?? 0;
      const before = await sent();
      const users = await withFaults(fixture, [{ ...drop, count: 1 }], async () => (await once.okta('/api/v1/users?limit=2')).json());
      equal(users.length, 2, 'users after the retry');
      // Bun, Deno, workerd, Chromium, Firefox and WebKit resend a request whose reused keep-alive connection closed
      // before any answer on their own (no retry event: core never saw the failure); Node.js
      // (undici) leaves it to core's one network retry.
      const kinds = eventKinds(once.events);
      const retried = kinds === 'request retry:network request response:200';
      ok(retried || kinds === 'request response:200', `log events of the retried drop: ${kinds}`);
      equal(coreSends, retried ? 2 : 1, `requests core sent (log events: ${kinds})`);
      // The org got the dropped one and one resend: core's, or the runtime's own. WebKit sometimes does both: it
      // resends the dropped GET itself and still fails the fetch, so core's retry is a third (1 run in 8 here).
      const got = (await sent()) - before;
      ok(got === 2 || (retried && got === 3), `requests the org got (the dropped one and its resend): ${got}, log events: ${kinds}`);
      // A POST is never resent by core (nor by WebKit): NETWORK_ERROR, the org asked once. Deno, Chromium and Firefox resend it
      // on their own after a reused connection closed before any answer (core cannot stop them): the
      // org then got it twice, and the call has its answer.
      const post = client(fixture);
      const posts = async () => (await emulator(fixture.orgUrl, 'GET', 'counters')).json.requests['POST /api/v1/groups'] ?? 0;
      const postsBefore = await posts();
      const name = `dropped-${fixture.runtime}-${Math.random().toString(36).slice(2)}`;
      const outcome = await withFaults(fixture, [{ path: '/api/v1/groups', kind: 'drop', count: 1 }], () =>
        post.okta('/api/v1/groups', { method: 'POST', body: JSON.stringify({ profile: { name } }) }).then((r) => r.status, (e) => e),
      );
      if (typeof outcome === 'number') {
        equal(`${outcome} ${eventKinds(post.events)} ${(await posts()) - postsBefore}`, '200 request response:200 2', 'a POST the runtime resent');
      } else {
        expectCode(outcome, 'NETWORK_ERROR', post.events, fixture);
        equal(`${eventKinds(post.events)} ${(await posts()) - postsBefore}`, 'request error:NETWORK_ERROR 1', 'a dropped POST: not resent');
      }
      const twice = client(fixture);
      const error = await withFaults(fixture, [{ ...drop, durationMs: 3_600_000 }], () => rejects(twice.okta('/api/v1/users?limit=2'), 'two drops: resolved'));
      expectCode(error, 'NETWORK_ERROR', twice.events, fixture);
      // In a browser page the same failure is also what a CORS refusal looks like: the message names the Trusted Origin to add, the page's own.
      // The edge sandbox is taken for a browser (no process.versions, no navigator), without a page: no origin to name.
      const page = fixture.runtime !== 'browser' || fixture.engine === 'edge' ? '' : ` \\(${globalThis.location.origin.replaceAll('.', '\\.')}\\)`;
      const cors = fixture.runtime === 'browser' ? `, or CORS: add this page's origin${page} in Okta under Security > API > Trusted Origins.*` : '';
      match(error.message, new RegExp(`^GET [\\w.:-]+/api/v1/users failed before Okta answered \\(connection refused, reset or DNS failure${cors}\\)\\.$`), 'message');
      equal(eventKinds(twice.events), 'request retry:network request error:NETWORK_ERROR', 'log events of two drops');
      // The ky drivers: a dropped GET retried through ky (core hands ky its NetworkError, whatever the runtime's
      // message: ky's list misses Bun's), drops past ky's retries NETWORK_ERROR.
      for (const driver of ['ky', 'hooks']) {
        const c = client(fixture);
        const got = await withFaults(fixture, [{ ...drop, count: 1 }], () => c[driver].get('api/v1/users?limit=2').json());
        equal(got.length, 2, `${driver}: users after the retry`);
        const failed = await withFaults(fixture, [{ ...drop, durationMs: 3_600_000 }], () => rejects(c[driver].get('api/v1/users?limit=2'), `${driver}: drops resolved`));
        expectCode(failed, 'NETWORK_ERROR', c.events, fixture);
      }
    },
  },
  {
    name: 'faults: a 503, a 502 HTML page and a non-JSON 500, each three times (retried twice), are OktaApiError with the status',
    async run(fixture) {
      for (const [fault, status, errorCode] of [
        [{ kind: 'status', status: 503 }, 503, 'E0000009'],
        [{ kind: 'html', status: 502 }, 502, undefined],
        [{ kind: 'non-json', status: 500 }, 500, undefined],
      ]) {
        const { okta, events } = client(fixture);
        const error = await withFaults(fixture, [{ path: '/api/v1/users', ...fault, count: 3 }], () => rejects(okta('/api/v1/users?limit=1'), `${fault.kind}: resolved`));
        expectCode(error, 'API_ERROR', events, fixture);
        ok(isOktaApiError(error) && error instanceof OktaApiError, `${fault.kind}: isOktaApiError`);
        equal(error.status, status, `${fault.kind}: status`);
        equal(error.errorCode, errorCode, `${fault.kind}: errorCode`);
        match(error.message, new RegExp(`^${status} .*\\(GET [\\w.:-]+/api/v1/users, request id [^)\\s]+\\)`), `${fault.kind}: message`);
        ok(!/<html|<!DOCTYPE|upstream connect/i.test(error.message), `${fault.kind}: the message quotes the body`);
        const retried = `request response:${status} retry:status `;
        equal(eventKinds(events), `${retried}${retried}request response:${status} error:API_ERROR`, `${fault.kind}: log events`);
      }
    },
  },
  {
    name: 'faults: a 429 with a near X-Rate-Limit-Reset is waited out, then the 2xx (fetch wrapper and ky)',
    async run(fixture) {
      for (const driver of ['okta', 'ky']) {
        const reset = await orgSeconds(fixture);
        const c = client(fixture);
        const fault = { path: '/api/v1/users', kind: 'status', status: 429, headers: { 'X-Rate-Limit-Reset': String(reset) }, count: 1 };
        const users = await withFaults(fixture, [fault], async () => (driver === 'okta' ? (await c.okta('/api/v1/users?limit=2')).json() : c.ky.get('api/v1/users?limit=2').json()));
        equal(users.length, 2, `${driver}: users after the wait`);
        equal(eventKinds(c.events), 'request response:429 backoff retry:rate-limit request response:200', `${driver}: log events`);
        const { waitMs } = c.events[2];
        ok(waitMs >= 1000 && waitMs <= 2000, `${driver}: waited X-Rate-Limit-Reset - Date + 1 s, got ${waitMs} ms`);
        equal(c.events[2].requestId, c.events[1].requestId, `${driver}: the backoff names the 429's request id`);
        notContains([JSON.stringify(c.events)], fixture.ssws.token, 'the token leaked into the log events');
      }
    },
  },
  {
    name: 'faults: a truncated 2xx page stops paginate with NETWORK_ERROR, as a reset (fetch wrapper and ky)',
    async run(fixture) {
      for (const driver of ['okta', 'ky']) {
        const c = client(fixture);
        const fetcher = driver === 'okta' ? c.okta : (url, init) => c.ky.get(url.replace(/^\//, ''), init);
        const seen = [];
        const error = await withFaults(fixture, [{ path: '/api/v1/users', kind: 'truncate', count: 1 }], () =>
          rejects(async () => {
            for await (const user of paginate(fetcher, '/api/v1/users?limit=5')) seen.push(user);
          }, `${driver}: a truncated page was read`),
        );
        expectCode(error, 'NETWORK_ERROR', c.events, fixture);
        equal(error.message, `GET ${new URL(fixture.orgUrl).host}/api/v1/users: the connection closed before the whole answer was read.`, `${driver}: message`);
        equal(seen.length, 0, `${driver}: items yielded`);
      }
    },
  },
  {
    name: 'faults: a 301, 302 or 307 to another origin is REDIRECT_BLOCKED (fetch wrapper), a POST too; that origin gets nothing; the same call then reaches the org',
    async run(fixture) {
      for (const status of [301, 302, 307]) await expectRedirectBlocked(fixture, status, ({ okta }) => okta('/api/v1/users?limit=1'));
      // A POST is never repeated here: it would create the user.
      const body = JSON.stringify({ profile: { login: 'redirected@example.com', email: 'redirected@example.com', firstName: 'R', lastName: 'D' } });
      await expectRedirectBlocked(fixture, 307, ({ okta }) => okta('/api/v1/users', { method: 'POST', body }), false);
    },
  },
  {
    name: 'faults (ky): a stalled answer is TIMEOUT, a 301 or 302 to another origin REDIRECT_BLOCKED (createOktaKy, oktaKyHooks)',
    async run(fixture) {
      const timed = client(fixture, { timeoutMs: 250 });
      const timeout = await withFaults(fixture, [{ path: '/api/v1/users', kind: 'latency', latencyMs: 15_000, count: 1 }], () => rejects(timed.ky.get('api/v1/users?limit=1').json(), 'a stalled answer resolved'));
      expectCode(timeout, 'TIMEOUT', timed.events, fixture);
      equal(eventKinds(timed.events), 'request error:TIMEOUT', 'TIMEOUT log events');
      for (const status of [301, 302]) {
        await expectRedirectBlocked(fixture, status, (c) => c.ky.get('api/v1/users?limit=3').json());
        await expectRedirectBlocked(fixture, status, (c) => c.hooks.get('api/v1/users?limit=4').json());
      }
    },
  },
];
