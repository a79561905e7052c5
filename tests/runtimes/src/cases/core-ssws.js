// @org/okta-auth-core and @org/okta-ssws against the emulator: pagination
// through the fetch wrapper and the ky instance, typed errors that never carry
// the token, origin pinning, input checks and redaction.
import {
  OktaApiError,
  Secret,
  createOktaFetch,
  isOktaApiError,
  isOktaAuthError,
  paginate,
  paginatePages,
  pollSystemLog,
} from '@org/okta-auth-core';
// The runtime detection is internal (shared with the sibling packages); the suite checks it on each runtime.
import { readEnvText, readRuntimeEnv, runtimeToken } from '@org/okta-auth-core/internal';
import { createOktaKy } from '@org/okta-auth-core/ky';
import { createSswsCredential, isOktaSswsError, sswsCredentialFromEnv } from '@org/okta-ssws';
import { equal, errorTexts, match, notContains, ok, rejects } from '../assert.js';

function sswsCredential(fixture, token = fixture.ssws.token) {
  return createSswsCredential({ orgUrl: fixture.orgUrl, token, allowInsecureLoopback: true });
}

/** A ky instance as a paginate() fetcher: ky takes paths relative to its base URL. */
function kyFetcher(api) {
  return (url, init) => api.get(url.replace(/^\//, ''), init);
}

export const coreSswsCases = [
  {
    name: 'the packages detect this runtime and its web standards',
    async run(fixture) {
      match(runtimeToken(), new RegExp(`^${fixture.runtime}(/|$)`), 'runtimeToken()');
      ok(typeof globalThis.fetch === 'function', 'fetch');
      ok(typeof globalThis.crypto?.subtle?.sign === 'function', 'WebCrypto');
      ok(typeof AbortSignal.timeout === 'function', 'AbortSignal.timeout');
      // Vercel's edge sandbox (Next.js's edge runtime) has no AbortSignal.any: core's anySignal stands in there, and this row runs every case without it.
      equal(typeof AbortSignal.any === 'function', fixture.engine !== 'edge', 'AbortSignal.any');
    },
  },
  {
    name: 'ssws: lists every user across pages with createOktaFetch',
    async run(fixture) {
      const okta = createOktaFetch({ credential: sswsCredential(fixture), userAgent: 'RuntimeTests/1.0' });
      const logins = new Set();
      let pages = 0;
      for await (const page of paginatePages(okta, '/api/v1/users?limit=10')) {
        pages++;
        ok(page.response.ok, 'page response ok');
        for (const user of page.items) logins.add(user.profile.login);
      }
      equal(logins.size, fixture.userCount, 'distinct users');
      equal(pages, Math.ceil(fixture.userCount / 10), 'pages');
    },
  },
  {
    name: 'ssws: lists every user across pages with createOktaKy, and reads a user by a login with @',
    async run(fixture) {
      const api = createOktaKy({ credential: sswsCredential(fixture) });
      const logins = new Set();
      for await (const user of paginate(kyFetcher(api), '/api/v1/users?limit=7')) logins.add(user.profile.login);
      equal(logins.size, fixture.userCount, 'distinct users');
      const login = fixture.userLoginWithAt;
      const user = await api.get(`api/v1/users/${encodeURIComponent(login)}`).json();
      equal(user.profile.login, login, 'user by login');
    },
  },
  {
    name: 'ssws: a revoked token gives a typed 401 E0000011 without the token in it (fetch wrapper)',
    async run(fixture) {
      const { revokedToken } = fixture.ssws;
      const events = [];
      const okta = createOktaFetch({ credential: sswsCredential(fixture, revokedToken), logger: (e) => events.push(e) });
      const error = await rejects(okta('/api/v1/users?limit=1'), 'a revoked token was accepted');
      ok(isOktaApiError(error), `isOktaApiError, got ${String(error)}`);
      ok(error instanceof OktaApiError, 'instanceof OktaApiError (same realm)');
      ok(isOktaAuthError(error), 'isOktaAuthError');
      equal(error.status, 401, 'status');
      equal(error.errorCode, 'E0000011', 'errorCode');
      match(error.requestId, /\S+/, 'requestId');
      match(error.message, /^401 E0000011 [^(]*\(GET [\w.:-]+\/api\/v1\/users, request id [^)\s]+\): [^\n]*revoked/, 'message');
      notContains([...errorTexts(error), JSON.stringify(events)], revokedToken, 'the revoked token leaked into the error or the log events');
    },
  },
  {
    name: 'ssws: an unknown token gives the typed error through the ky hooks too',
    async run(fixture) {
      const token = '00unknownTokenValue-0123456789abcdefghijk';
      const api = createOktaKy({ credential: sswsCredential(fixture, token) });
      const error = await rejects(api.get('api/v1/users?limit=1').json(), 'an unknown token was accepted');
      ok(isOktaApiError(error), `isOktaApiError, got ${String(error)}`);
      equal(error.status, 401, 'status');
      equal(error.errorCode, 'E0000011', 'errorCode');
      notContains(errorTexts(error), token, 'the token leaked into the error');
    },
  },
  {
    name: 'core: pollSystemLog reads the System Log until caught up, waits, then reads what came since',
    async run(fixture) {
      // This run's own events only (the runtimes, several Node.js versions among them, share the org).
      const id = `rt-log-${fixture.runtime}-${crypto.randomUUID()}`;
      const record = async (n) => {
        const answer = await fetch(`${fixture.orgUrl}/__emulator/logs`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ eventType: 'user.lifecycle.create', target: [{ id, type: 'User', alternateId: `event-${n}` }] }),
        });
        ok(answer.ok, `recorded event ${n}`);
      };
      await record(1);
      const okta = createOktaFetch({ credential: sswsCredential(fixture) });
      const seen = [];
      let empty = 0;
      let next;
      const since = new Date(Date.now() - 600_000).toISOString();
      const filter = encodeURIComponent(`target.id eq "${id}"`);
      for await (const page of pollSystemLog(okta, `/api/v1/logs?since=${since}&filter=${filter}`, { intervalMs: 1000 })) {
        seen.push(...page.items.map((event) => event.target[0].alternateId));
        next = page.next;
        if (page.items.length > 0) continue;
        empty++;
        // Caught up: an event recorded now comes after the wait, on the empty page's next link.
        if (empty === 1) await record(2);
        else break;
      }
      equal(seen.join(','), 'event-1,event-2', 'events in order, each once');
      match(next, /\/api\/v1\/logs\?/, 'the next link to resume from');
    },
  },
  {
    name: 'core: a request to another origin fails with ORIGIN_MISMATCH before anything is sent, without quoting that origin',
    async run(fixture) {
      const okta = createOktaFetch({ credential: sswsCredential(fixture) });
      const viaFetch = await rejects(okta(`${fixture.otherOrigin}/api/v1/users`), 'fetch wrapper sent to another origin');
      ok(isOktaAuthError(viaFetch), `isOktaAuthError, got ${String(viaFetch)}`);
      equal(viaFetch.code, 'ORIGIN_MISMATCH', 'fetch wrapper code');
      const api = createOktaKy({ credential: sswsCredential(fixture) });
      const viaKy = await rejects(api.get(`${fixture.otherOrigin}/api/v1/users`), 'ky sent to another origin');
      equal(viaKy.code, 'ORIGIN_MISMATCH', 'ky code');
      // The other origin is not quoted (a next link's is the server's choice, and its host name can echo a token).
      const refusal = `Refusing to send Okta credentials to another origin: this client only talks to ${fixture.orgUrl}. Use a relative path, or a client for that org.`;
      equal(viaFetch.message, refusal, 'fetch wrapper message');
      equal(viaKy.message, refusal, 'ky message');
      notContains([...errorTexts(viaFetch), ...errorTexts(viaKy)], fixture.ssws.token, 'the token leaked');
    },
  },
  {
    name: 'ssws: inputs are checked up front, and the credential never shows its token',
    async run(fixture) {
      const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
      const notAnApiToken = await rejects(() => createSswsCredential({ orgUrl: fixture.orgUrl, token: jwt, allowInsecureLoopback: true }));
      ok(isOktaSswsError(notAnApiToken), `isOktaSswsError, got ${String(notAnApiToken)}`);
      equal(notAnApiToken.code, 'INVALID_TOKEN', 'JWT as an API token');
      notContains(errorTexts(notAnApiToken), jwt, 'the JWT leaked into the error');
      const insecure = await rejects(() => createSswsCredential({ orgUrl: 'http://acme.okta.com', token: fixture.ssws.token }));
      equal(insecure.code, 'INVALID_ORG_URL', 'http org URL');
      const credential = sswsCredential(fixture);
      notContains([JSON.stringify(credential), String(credential)], fixture.ssws.token, 'the credential shows its token');
      equal(JSON.stringify(credential), JSON.stringify({ kind: 'ssws', origin: fixture.orgUrl }), 'JSON of the credential');
      const secret = new Secret(fixture.ssws.token);
      notContains([String(secret), `${secret}`, JSON.stringify({ secret })], fixture.ssws.token, 'Secret shows its value');
      equal(secret.reveal(), fixture.ssws.token, 'Secret.reveal()');
    },
  },
  {
    name: 'ssws: a credential from an explicit env object (as on Workers) calls the org',
    async run(fixture) {
      const env = { OKTA_CLIENT_ORGURL: fixture.orgUrl, OKTA_CLIENT_TOKEN: fixture.ssws.token };
      const okta = createOktaFetch({ credential: sswsCredentialFromEnv(env, { allowInsecureLoopback: true }) });
      const users = await (await okta('/api/v1/users?limit=2')).json();
      equal(users.length, 2, 'users on the first page');
    },
  },
  {
    // Node.js's and Bun's process.env fall through to Object.prototype: a polluted prototype chose the org.
    name: "env: the runtime's own environment is read through core's one reader, its own variables only",
    async run() {
      const refuse = (message) => new Error(message);
      const prototype = Object.prototype;
      prototype.OKTA_RUNTIME_INHERITED = 'polluted';
      try {
        const env = readRuntimeEnv();
        // Deno reads per variable (Deno.env.get), and refuses one it was not granted: the suite grants OKTA_CLIENT_* alone.
        if (!runtimeToken().startsWith('deno/')) equal(readEnvText(env, 'OKTA_RUNTIME_INHERITED', refuse), undefined, 'a variable only Object.prototype has');
        // The runner sets OKTA_CLIENT_ORGURL in the process's environment: read from process.env on Node.js and Bun, and
        // on Deno under --allow-env=OKTA_CLIENT_* (workerd and browsers have none to read).
        if (/^(node|bun|deno)\//.test(runtimeToken())) equal(typeof readEnvText(env, 'OKTA_CLIENT_ORGURL', refuse), 'string', 'the runner-set variable');
      } finally {
        delete prototype.OKTA_RUNTIME_INHERITED;
      }
    },
  },
  {
    // Deno.env.toObject() needs the whole environment: with a scoped grant the runtime's variables read as "not set".
    name: "env: sswsCredentialFromEnv() reads the runtime's own environment (Deno: --allow-env=OKTA_CLIENT_* alone) and calls the org",
    async run(fixture) {
      if (!/^(node|bun|deno)\//.test(runtimeToken())) return;
      const okta = createOktaFetch({ credential: sswsCredentialFromEnv(undefined, { allowInsecureLoopback: true }) });
      equal((await (await okta('/api/v1/users?limit=2')).json()).length, 2, 'users on the first page');
      if (!runtimeToken().startsWith('deno/')) return;
      // Deno.env itself passed (no plain object) is read the same way.
      equal(JSON.parse(JSON.stringify(sswsCredentialFromEnv(globalThis.Deno.env, { allowInsecureLoopback: true }))).origin, fixture.orgUrl, 'Deno.env passed');
      // A variable Deno was not granted (PATH is set): the refusal names the grant, never "not set".
      const error = await rejects(async () => readEnvText(readRuntimeEnv(), 'PATH', (message) => new Error(message)));
      match(error.message, /^Deno denied reading PATH: run with --allow-env=OKTA_CLIENT_\*/, 'the refusal of an ungranted variable');
    },
  },
];
